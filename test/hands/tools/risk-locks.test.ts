import { describe, expect, it } from 'vitest';
import { assess, patch, placesOf } from './helpers/patch.js';

const held = (...patches: string[]): Array<[string, string]> => placesOf('lock_held_across_call', ...patches);

describe('a lock held across a call out of the process', () => {
  it('finds it in Go, Python, Java and C#', () => {
    expect(
      held(
        patch(
          'internal/credit/cache.go',
          1,
          [
            '+func (c *Cache) Limit(ctx context.Context, id string) (Limit, error) {',
            '+\tc.mu.Lock()',
            '+\tdefer c.mu.Unlock()',
            '+\tif e, ok := c.entries[id]; ok {',
            '+\t\treturn e, nil',
            '+\t}',
            '+\tl, err := c.client.Limit(ctx, id)',
            '+\tc.entries[id] = l',
            '+\treturn l, err',
            '+}',
          ],
          { newFile: true },
        ),
        patch('rates/cache.py', 10, [
          '     def rate(self, pair):',
          '+        with self._lock:',
          '+            if pair not in self._rates:',
          '+                self._rates[pair] = requests.get(f"{self.url}/rates/{pair}").json()',
          '+            return self._rates[pair]',
        ]),
        patch('src/main/java/shop/Stock.java', 30, [
          '-    public int level(String sku) {',
          '+    public synchronized int level(String sku) {',
          '         return stockClient.fetchLevel(sku);',
          '     }',
        ]),
        patch('Ledger/Balances.cs', 12, [
          '     public decimal Balance(string id) {',
          '+        lock (_gate) {',
          '+            return _db.Query<decimal>("SELECT balance FROM accounts WHERE id = @id", new { id });',
          '+        }',
          '     }',
        ]),
      ),
    ).toEqual([
      ['internal/credit/cache.go:7', 'l, err := c.client.Limit(ctx, id)'],
      ['rates/cache.py:13', 'self._rates[pair] = requests.get(f"{self.url}/rates/{pair}").json()'],
      ['src/main/java/shop/Stock.java:31', 'return stockClient.fetchLevel(sku);'],
      ['Ledger/Balances.cs:14', 'return _db.Query<decimal>("SELECT balance FROM accounts WHERE id = @id", new { id });'],
    ]);
  });

  it('names the lock and the call', () => {
    const risk = assess(patch('svc/quota.go', 5, ['+\tq.mu.Lock()', '+\tn, err := q.store.Get(ctx, key)', '+\tq.mu.Unlock()'])).risks.find((s) => s.kind === 'lock_held_across_call');
    expect(risk?.detail).toBe('q.mu is held across a call out of the process (n, err := q.store.Get(ctx, key)): callers queue behind one round trip at a time, which caps throughput when the load comes');
  });

  it("finds a module's lock taken around a client's method, and names the lock, not the module that built it", () => {
    expect(
      held(
        patch('pricing/fx.py', 3, [
          '+_rates_lock = threading.Lock()',
          '+',
          ' def convert(amount, ccy):',
          '-    rate = fx_client.get_rate(ccy)',
          '+    with _rates_lock:',
          '+        rate = fx_client.get_rate(ccy)',
          '     return amount * rate',
        ]),
      ),
    ).toEqual([['pricing/fx.py:7', 'rate = fx_client.get_rate(ccy)']]);
    // Building a lock takes nothing: with no scope holding it, no call is made under it.
    expect(held(patch('pricing/fx.py', 3, ['+_rates_lock = threading.Lock()', ' def convert(amount, ccy):', '     rate = fx_client.get_rate(ccy)']))).toEqual([]);
  });

  it("finds a lock taken around a loader's call that was already there (Go, `loader.Load(ctx, …)`)", () => {
    expect(
      held(
        patch('internal/exposure/cache.go', 60, [
          ' func (c *Cache) Get(ctx context.Context, account string) (Exposure, error) {',
          '+	c.mu.Lock()',
          '+	defer c.mu.Unlock()',
          ' 	e, ok := c.entries[account]',
          ' 	exp, err := c.loader.Load(ctx, account)',
          ' 	return exp, err',
          ' }',
        ]),
      ),
    ).toEqual([['internal/exposure/cache.go:64', 'exp, err := c.loader.Load(ctx, account)']]);
  });

  it('says nothing when the lock is released before the call, guards only memory, or is a pool acquiring a connection', () => {
    expect(
      held(
        patch('svc/a.go', 5, ['+\tc.mu.Lock()', '+\te, ok := c.entries[id]', '+\tc.mu.Unlock()', '+\tl, err := c.client.Limit(ctx, id)']),
        patch('svc/b.py', 5, ['     def bump(self):', '+        with self._lock:', '+            self.count += 1', '+        return self.client.post("/bump")']),
        patch('svc/c.py', 5, ['+    conn = pool.acquire()', '+    rows = conn.fetch("SELECT 1 FROM t")']),
        // Unchanged code under an unchanged lock is not this change's doing.
        patch('svc/d.go', 5, ['\tc.mu.Lock()', '\tdefer c.mu.Unlock()', '-\tlog.Printf("limit %s", id)', '+\tlog.Printf("limit for %s", id)', '\tl, err := c.client.Limit(ctx, id)']),
      ),
    ).toEqual([]);
  });

  it('finds a database row locked in a transaction while another component is called', () => {
    expect(
      held(
        patch('internal/ledger/place.go', 40, [
          '+\terr := s.store.InTx(ctx, func(tx store.Tx) error {',
          '+\t\tslot, err := tx.LockSlot(ctx, req.SlotID)',
          '+\t\tif err != nil {',
          '+\t\t\treturn err',
          '+\t\t}',
          '+\t\tcharge, err := s.payments.Reserve(ctx, req.CustomerID, req.Cents)',
          '+\t\tif err != nil {',
          '+\t\t\treturn err',
          '+\t\t}',
          '+\t\treturn tx.Book(ctx, slot, charge.ID)',
          '+\t})',
        ]),
        patch('shop/views.py', 20, [
          '     with transaction.atomic():',
          '+        order = Order.objects.select_for_update().get(pk=order_id)',
          '+        resp = requests.post(CARRIER_URL, json=order.as_label())',
          '+        order.label = resp.json()["label"]',
        ]),
      ),
    ).toEqual([
      ['internal/ledger/place.go:45', 'charge, err := s.payments.Reserve(ctx, req.CustomerID, req.Cents)'],
      ['shop/views.py:22', 'resp = requests.post(CARRIER_URL, json=order.as_label())'],
    ]);
  });

  it("finds a row a repository's locking finder takes, held across a client's call (Spring Data, JPA)", () => {
    expect(
      held(
        patch('ledger/src/main/java/ledger/PaymentService.java', 1, [
          '     @Transactional',
          '     public PaymentResult post(PaymentCommand cmd) {',
          '+        StoreCashDrawer drawer = drawers.lockByStoreId(cmd.storeId());',
          '         Loan loan = loans.findById(cmd.loanId()).orElseThrow(LoanNotFound::new);',
          '         PayoffQuote quote = interestClient.payoffQuote(loan, cmd.postedAt());',
          '         payments.save(Payment.apply(loan, cmd.amountCents(), quote));',
          '     }',
        ]),
        patch('ledger/src/main/kotlin/ledger/Refunds.kt', 1, [
          '     fun refund(id: Long) {',
          '+        val order = em.find(Order::class.java, id, LockModeType.PESSIMISTIC_WRITE)',
          '         val receipt = paymentsGateway.refund(order.chargeId)',
          '     }',
        ]),
      ),
    ).toEqual([
      ['ledger/src/main/java/ledger/PaymentService.java:5', 'PayoffQuote quote = interestClient.payoffQuote(loan, cmd.postedAt());'],
      ['ledger/src/main/kotlin/ledger/Refunds.kt:3', 'val receipt = paymentsGateway.refund(order.chargeId)'],
    ]);
  });

  it('finds a row an UPDATE in the transaction holds to its commit, across another component\'s call', () => {
    expect(
      held(
        patch('internal/hold/hold.go', 40, [
          ' \ttx, err := s.db.BeginTx(ctx, nil)',
          ' \tdefer tx.Rollback()',
          '+\tif req.Quota {',
          '+\t\terr = tx.QueryRowContext(ctx, `',
          '+\t\t\tUPDATE region_capacity',
          '+\t\t\t   SET held = held + 1',
          '+\t\t\t WHERE region_id = $1`, req.RegionID).Scan(&held)',
          '+\t}',
          '+\tok, err := s.eligibility.PreCheck(ctx, req.DonorID)',
          ' \treturn tx.Commit()',
        ]),
      ),
    ).toEqual([['internal/hold/hold.go:48', 'ok, err := s.eligibility.PreCheck(ctx, req.DonorID)']]);
  });

  it('says nothing of a row lock whose transaction only queries its own database', () => {
    expect(
      held(
        patch('internal/stock/take.go', 10, [
          '+\terr := s.db.InTx(ctx, func(tx store.Tx) error {',
          '+\t\titem, err := tx.LockItem(ctx, sku)',
          '+\t\tif err != nil {',
          '+\t\t\treturn err',
          '+\t\t}',
          '+\t\treturn tx.SetLevel(ctx, item.ID, item.Level-1)',
          '+\t})',
        ]),
      ),
    ).toEqual([]);
  });

  it('reads hostile lines in one pass', () => {
    const lines = [`${'a.'.repeat(30_000)}Lock()`, `with ${'lock('.repeat(15_000)}:`, `synchronized (${'('.repeat(30_000)}`, `public ${'synchronized '.repeat(5_000)}x(`, `${'c.client.'.repeat(8_000)}Get(ctx`];
    for (const line of lines) {
      const risks = assess(patch('app/long.go', 3, [`+${line}`, `+\t${line}`, '+\tq.client.Get(ctx, k)'])).risks;
      expect(risks.filter((s) => s.kind === 'lock_held_across_call').length).toBeLessThanOrEqual(2);
    }
  });
});

describe('a row lock taken where none was', () => {
  const added = (...patches: string[]): Array<[string, string]> => placesOf('row_lock_added', ...patches);

  it('is found for a statement that locks the row it reads, and for a locking finder', () => {
    expect(
      added(
        patch('src/stats/pool.rs', 30, [
          '+    let stats: PoolStats = sqlx::query_as(',
          '+        "SELECT n, sum_r FROM rating_pool_stats WHERE pool = $1 FOR UPDATE",',
          '+    )',
        ]),
      ),
    ).toEqual([['src/stats/pool.rs:31', '"SELECT n, sum_r FROM rating_pool_stats WHERE pool = $1 FOR UPDATE",']]);
    expect(added(patch('src/main/java/Seats.java', 12, ['+        Showtime show = showtimes.lockById(showId);']))).toEqual([['src/main/java/Seats.java:12', 'Showtime show = showtimes.lockById(showId);']]);
  });

  it('is found for a lock that now waits where the old one passed over a busy row', () => {
    expect(
      added(
        patch('app/jobs/allocate.rb', 8, [
          '-      row = Inventory.where(issue_id: id).lock("FOR UPDATE SKIP LOCKED").first',
          '+      rows = Inventory.where(issue_id: ids).order(:issue_id).lock("FOR UPDATE")',
        ]),
      ),
    ).toEqual([['app/jobs/allocate.rb:8', 'rows = Inventory.where(issue_id: ids).order(:issue_id).lock("FOR UPDATE")']]);
    // One that still passes over busy rows makes nobody wait.
    expect(added(patch('db/pick.sql', 2, ['-SELECT id FROM jobs WHERE state = 0 FOR UPDATE SKIP LOCKED', '+SELECT id, kind FROM jobs WHERE state = 0 FOR UPDATE NOWAIT']))).toEqual([]);
    expect(added(patch('db/pick.sql', 2, ['+SELECT id FROM jobs WHERE state = 0 LIMIT 10 FOR UPDATE SKIP LOCKED']))).toEqual([]);
  });

  it('is not found for a lock the old code took too, nor a lock held across a call, which is that', () => {
    expect(added(patch('db/q.go', 3, ['-\tq := "SELECT qty FROM stock WHERE sku = $1 FOR UPDATE"', '+\tq := "SELECT qty, reserved FROM stock WHERE sku = $1 FOR UPDATE"']))).toEqual([]);
    const risks = assess(
      patch('internal/drawer/close.go', 10, [
        '+\ttx, _ := s.db.BeginTx(ctx, nil)',
        '+\trow := tx.QueryRowContext(ctx, "SELECT id FROM drawers WHERE store = $1 FOR UPDATE", store)',
        '+\tquote, err := s.interest.PayoffQuote(ctx, store)',
        '+\ttx.Commit()',
      ]),
    ).risks;
    expect(risks.map((s) => s.kind)).toContain('lock_held_across_call');
    expect(risks.map((s) => s.kind)).not.toContain('row_lock_added');
  });
});
