import { describe, expect, it } from 'vitest';
import { assessDiff } from '../../../src/hands/analysis/risk-signals.js';
import { assess, diffOf, patch, risksOf } from './helpers/patch.js';

describe('risk signals in code', () => {
  it('finds a query or HTTP call moved inside a loop in Java, Go and TypeScript, naming the call', () => {
    const risks = assess(
      patch('src/main/java/shop/OrderService.java', 40, [
        '     public List<OrderView> views(List<Order> orders) {',
        '-        Map<Long, List<Item>> items = itemRepository.findAllByOrderIdIn(ids(orders));',
        '+        for (Order order : orders) {',
        '+            order.setItems(itemRepository.findByOrderId(order.getId()));',
        '+        }',
      ]),
      patch('internal/users/load.go', 10, [
        ' func load(ids []string) []User {',
        '+\tfor _, id := range ids {',
        '+\t\trow := db.QueryRow("SELECT name FROM users WHERE id = $1", id)',
        '+\t}',
      ]),
      patch('src/prices.ts', 5, [' export async function prices(skus: string[]) {', '+  for (const sku of skus) {', '+    await fetch(`${base}/prices/${sku}`);', '+  }']),
    ).risks;
    expect(risks.map((s) => [s.kind, s.code])).toEqual([
      ['call_in_loop', 'src/main/java/shop/OrderService.java:42'],
      ['call_in_loop', 'internal/users/load.go:12'],
      ['call_in_loop', 'src/prices.ts:7'],
    ]);
    expect(risks[0]?.identifiers).toEqual(['findByOrderId', 'itemRepository']);
    expect(risks[0]?.detail).toContain('loop at src/main/java/shop/OrderService.java:41');
  });

  it('finds a call per item to a method the diff shows making a round trip, in a collection block, whatever its receiver is called', () => {
    const risks = assess(
      patch('src/main/kotlin/museum/ExhibitService.kt', 30, [
        '     fun detail(exhibitId: Int): ExhibitDetail {',
        '-        val exhibit = catalog.exhibit(exhibitId, include = setOf("captions"))',
        '+        val exhibit = catalog.exhibit(exhibitId)',
        '+        val captions = exhibit.locales.associateWith { l -> catalog.caption(exhibitId, l) }',
        '         return ExhibitDetail.from(exhibit, captions)',
      ]),
      patch('src/main/kotlin/museum/CatalogClient.kt', 12, [
        '     fun exhibit(id: Int): Exhibit = get("/v2/exhibits/$id")',
        '+',
        '+    fun caption(exhibitId: Int, locale: String): Caption = get("/v2/exhibits/$exhibitId/captions/$locale")',
      ]),
    ).risks;
    expect(risks.map((s) => [s.kind, s.code, s.identifiers])).toEqual([['call_in_loop', 'src/main/kotlin/museum/ExhibitService.kt:32', ['caption', 'catalog']]]);
  });

  it('reads no round trip into a collection block whose calls the diff does not show making one', () => {
    const risks = assess(
      patch('src/main/kotlin/museum/ExhibitService.kt', 30, [
        '     fun detail(exhibitId: Int): ExhibitDetail {',
        '+        val captions = exhibit.locales.associateWith { l -> formatter.caption(exhibitId, l) }',
        '         return ExhibitDetail.from(exhibit, captions)',
      ]),
      patch('src/main/kotlin/museum/Formatter.kt', 12, ['     fun title(id: Int): String = names.getValue(id)', '+', '+    fun caption(exhibitId: Int, locale: String): Caption = Caption(texts.getValue(exhibitId to locale))']),
    ).risks;
    expect(risks.filter((s) => s.kind === 'call_in_loop')).toEqual([]);
  });

  it('reads no new call into a loop that was there before and already made the same call, with other arguments', () => {
    const risks = assess(
      patch('ami_sync/poller.py', 104, [
        '     async def run_cycle(self) -> None:',
        '-        offset, pages = 0, 0',
        '+        cursor, pages = None, 0',
        '         while True:',
        '-            page = await self.client.fetch_reads(since, offset)',
        '+            page = await self.client.fetch_reads(since=since if cursor is None else None, cursor=cursor)',
        '             await self.store.upsert(page.reads)',
      ]),
    ).risks;
    expect(risks.filter((s) => s.kind === 'call_in_loop')).toEqual([]);
    // A call the loop did not make before is new in it.
    const added = assess(
      patch('ami_sync/poller.py', 104, ['         while True:', '-            page = await self.client.fetch_reads(since, offset)', '+            page = await self.client.fetch_reads(since, offset)', '+            meta = await self.client.fetch_meter(page.meter_id)']),
    ).risks;
    expect(added.filter((s) => s.kind === 'call_in_loop').map((s) => s.identifiers)).toEqual([['fetch_meter', 'client']]);
  });

  it('finds a batch call taken apart into one call per item in a loop, whatever the receiver is called', () => {
    const risks = assess(
      patch('src/main/java/planner/ItineraryPricer.java', 20, [
        '     List<Priced> price(List<Itinerary> its) {',
        '-        Map<String, Fare> fares = fareCalc.batchQuote(items(its));',
        '-        return its.stream().map(it -> it.withFare(fares.get(it.id()))).toList();',
        '+        List<Priced> out = new ArrayList<>();',
        '+        for (Itinerary it : its) {',
        '+            out.add(it.withFare(fareCalc.quote(item(it))));',
        '+        }',
        '+        return out;',
      ]),
    ).risks;
    expect(risks.map((s) => [s.kind, s.code, s.identifiers])).toEqual([['call_in_loop', 'src/main/java/planner/ItineraryPricer.java:23', ['quote', 'fareCalc']]]);
  });

  it('finds a schema or a pattern compiled once and kept, now compiled on every call; not one still kept', () => {
    const java = patch('src/main/java/efile/SchemaValidator.java', 24, [
      '     private final Schema schema;',
      '     public SchemaValidator(SchemaPackage pkg) throws SAXException {',
      '-        this.schema = factory.newSchema(pkg.entryPoints("1040"));',
      '+        this.registry = registry;',
      '     }',
      '     public Result validate(Submission xml) {',
      '+        Schema schema = factory.newSchema(pkg.entryPoints(xml.formFamily()));',
      '         Validator v = schema.newValidator();',
    ]);
    expect(assess(java).risks.map((s) => [s.kind, s.identifiers])).toEqual([['compiled_per_call', ['newSchema']]]);
    const python = patch('app/parse.py', 1, ['-_PATTERN = re.compile(r"(\\d+)-(\\w+)")', ' def parse(line):', '+    pattern = re.compile(r"(\\d+)-(\\w+)")', '-    return _PATTERN.match(line)', '+    return pattern.match(line)']);
    expect(assess(python).risks.map((s) => s.kind)).toEqual(['compiled_per_call']);
    const kept = patch('app/parse.py', 1, ['-_PATTERN = re.compile(r"(\\d+)-(\\w+)")', '+_PATTERN = re.compile(r"(\\d+)-(\\w+)", re.ASCII)', ' def parse(line):']);
    expect(assess(kept).risks.filter((s) => s.kind === 'compiled_per_call')).toEqual([]);
  });

  it('finds a shared client now made on every call, in Python, Java and Go, but not one merely reconfigured', () => {
    const risks = assess(
      patch('refill/eligibility.py', 1, [
        ' import httpx',
        '-_client = httpx.Client(base_url=settings.url, timeout=3.0)',
        '-def check(rx):',
        '-    return _client.post("/v2/check", json=rx.payload())',
        '+def check(rx):',
        '+    with httpx.Client(base_url=settings.url, cert=cert_for(rx.payer)) as client:',
        '+        return client.post("/v2/check", json=rx.payload())',
      ]),
      patch('src/main/java/rx/Gateway.java', 10, [
        ' class Gateway {',
        '-    private static final HttpClient CLIENT = HttpClient.newHttpClient();',
        '     Response send(Request r) throws Exception {',
        '+        HttpClient client = HttpClient.newHttpClient();',
        '         return client.send(r.http(), BodyHandlers.ofString());',
      ]),
      patch('internal/quote/db.go', 5, [
        '-var pool, _ = sql.Open("postgres", dsn)',
        ' func quote(id string) Row {',
        '+	pool, _ := sql.Open("postgres", dsn)',
        '+	defer pool.Close()',
        ' 	return pool.QueryRow("SELECT 1", id)',
      ]),
      patch('app/clients.py', 3, ['-session = requests.Session()', '+session = requests.Session()', '+session.headers["X-Team"] = "rx"']),
      patch('internal/permit/client.go', 12, [
        '-func New(base string) *Client {',
        '-\treturn &Client{base: base, http: &http.Client{Timeout: time.Second}}',
        '+func New(base string) *Client {',
        '+\treturn &Client{base: base}',
        ' }',
        ' func (c *Client) Check(req *http.Request) error {',
        '+\thc := &http.Client{Timeout: time.Second}',
        '+\tresp, err := hc.Do(req)',
      ]),
      patch('app/store.py', 3, ['     def __init__(self):', '-        self.pool = redis.ConnectionPool(host=HOST)', '+        self.pool = redis.ConnectionPool(host=HOST, max_connections=64)']),
    ).risks;
    expect(risks.map((s) => [s.kind, s.code])).toEqual([
      ['client_per_call', 'refill/eligibility.py:3'],
      ['client_per_call', 'src/main/java/rx/Gateway.java:12'],
      ['client_per_call', 'internal/quote/db.go:6'],
      ['client_per_call', 'internal/permit/client.go:16'],
    ]);
    expect(risks[0]?.identifiers).toEqual(['httpx.Client']);
  });

  it('finds a client handed in to a field (built by a container elsewhere) now built on every call', () => {
    const client = (perCall: boolean): string =>
      patch('src/Bridge/PayClient.cs', 10, [
        ' public sealed class PayClient : IAcquirerClient',
        ' {',
        '-    private readonly HttpClient _http;',
        '+    private readonly PayOptions _options;',
        ' ',
        '     public async Task<AuthResult> AuthorizeAsync(AuthRequest req, CancellationToken ct)',
        '     {',
        ...(perCall ? ['+        using var http = new HttpClient(handler) { BaseAddress = _options.BaseAddress };'] : ['+        var http = _factory.CreateClient("pay");']),
        '+        using var resp = await http.SendAsync(Build(req), ct);',
      ]);
    expect(assess(client(true)).risks.map((s) => [s.kind, s.code, s.identifiers])).toEqual([['client_per_call', 'src/Bridge/PayClient.cs:16', ['HttpClient']]]);
    // A client from a factory that pools its handlers is no new connection per call.
    expect(assess(client(false)).risks.filter((s) => s.kind === 'client_per_call')).toEqual([]);
  });

  it('reads a client built in a helper as made per call, and a function\'s result type as making nothing', () => {
    const helper = (perCall: boolean): string =>
      patch('internal/ratings/client.go', 18, [
        '-var ratingsClient = &http.Client{',
        '-\tTimeout:   800 * time.Millisecond,',
        '-}',
        ...(perCall
          ? ['+func clientFor(region string) *http.Client {', '+\treturn &http.Client{', '+\t\tTimeout: 800 * time.Millisecond,', '+\t}', '+}']
          : ['+var ratingsClient = &http.Client{', '+\tTimeout:   500 * time.Millisecond,', '+}', '+func clientFor(region string) *http.Client {', '+\treturn ratingsClient', '+}']),
      ]);
    expect(assess(helper(true)).risks.map((s) => [s.kind, s.code])).toEqual([['client_per_call', 'internal/ratings/client.go:19']]);
    // The shared client still made once at the top, a helper only handing it out: nothing changed in how often.
    expect(assess(helper(false)).risks.filter((s) => s.kind === 'client_per_call')).toEqual([]);
  });

  it('finds schema changes that lock a table while they run, and not those built online', () => {
    const risks = assess(
      patch('db/migrations/V88__loans_due.sql', 1, ['+CREATE INDEX idx_loans_due ON loans (patron_id, due_at);']),
      patch('db/migrations/V89__loans_online.sql', 1, ['+CREATE INDEX CONCURRENTLY idx_loans_ret ON loans (returned_at);']),
      patch('lending/migrations/0087_due.py', 7, ['     operations = [', '+        migrations.AddIndex(model_name="loan", index=models.Index(fields=["due_at"], name="ix")),']),
      patch('lending/migrations/0088_ok.py', 7, ['     operations = [', '+        AddIndexConcurrently(model_name="loan", index=models.Index(fields=["x"], name="iy")),']),
      patch('db/migrate/20260801_add_due.rb', 3, ['   def change', '+    add_index :loans, [:patron_id, :due_at]']),
      patch('db/migrate/20260802_add_ok.rb', 3, ['   def change', '+    add_index :loans, :returned_at, algorithm: :concurrently']),
      patch('db/migrations/V90__amount.sql', 1, ['+ALTER TABLE loans ALTER COLUMN fine_cents TYPE bigint;']),
    ).risks;
    // Each names the table it locks, as the waiting writers' lines will.
    expect(risks.map((s) => [s.kind, s.code, s.identifiers])).toEqual([
      ['table_lock', 'db/migrations/V88__loans_due.sql:1', ['loans']],
      ['table_lock', 'lending/migrations/0087_due.py:8', ['loan']],
      ['table_lock', 'db/migrate/20260801_add_due.rb:4', ['loans']],
      ['table_lock', 'db/migrations/V90__amount.sql:1', ['loans']],
    ]);
    expect(risks[0]?.detail).toContain('writes to loans wait');
  });

  it('finds a cache key that gains a part, in Python, TypeScript and Java, but not one merely renamed', () => {
    const risks = assess(
      patch('entitlements/resolve.py', 16, ['-def cache_key(account_id):', '-    return f"ent:v3:{account_id}"', '+def cache_key(account_id, article_id):', '+    return f"ent:v4:{account_id}:{article_id}"', ' async def resolve(account_id):', '     hit = await cache.get(key)']),
      patch('src/prices.ts', 8, ['   const cached = await cache.get(key);', '-  const key = `price:${sku}`;', '+  const key = `price:${sku}:${currency}`;']),
      patch('src/main/java/shop/Quotes.java', 30, ['     Quote cached(String sku, String region) {', '-        String key = "quote:" + sku;', '+        String key = "quote:" + sku + ":" + region;', '         return cache.get(key, () -> load(sku, region));']),
      patch('src/names.ts', 8, ['   const hit = cache.get(k);', '-  const key = `user:${id}`;', '+  const key = `account:${id}`;']),
    ).risks;
    expect(risks.map((s) => [s.kind, s.code])).toEqual([
      ['cache_key_widened', 'entitlements/resolve.py:17'],
      ['cache_key_widened', 'src/prices.ts:9'],
      ['cache_key_widened', 'src/main/java/shop/Quotes.java:31'],
    ]);
  });

  it('finds a number converted as a unit other than the one its name states, in Go, Java and Python', () => {
    const risks = assess(
      patch('internal/queue/policy.go', 40, ['-\tafter := time.Duration(c.WidenAfterMs) * time.Millisecond', '+\tafter := time.Duration(c.WidenAfterMs) * time.Second']),
      patch('src/main/java/rx/Client.java', 12, ['+        Duration timeout = Duration.ofSeconds(config.timeoutMillis);']),
      patch('worker/poll.py', 5, ['+    time.sleep(backoff_ms)']),
      patch('worker/ok.py', 5, ['+    time.sleep(backoff_seconds)', '+    wait = timedelta(milliseconds=delay_ms)']),
    ).risks;
    expect(risks.map((s) => [s.kind, s.code])).toEqual([
      ['unit_mismatch', 'internal/queue/policy.go:40'],
      ['unit_mismatch', 'src/main/java/rx/Client.java:12'],
      ['unit_mismatch', 'worker/poll.py:5'],
    ]);
    expect(risks[0]?.detail).toBe('WidenAfterMs, in milliseconds by its name, is read as seconds: the duration is a thousand times too long');
  });

  it('finds a duration read in seconds before and in milliseconds after, through the name that set it', () => {
    const risks = assess(
      patch('signer/signing.py', 8, [
        ' def expiry_for(licence):',
        '-    ttl = settings.LINK_TTL  # seconds',
        '-    return arrow.utcnow().shift(seconds=ttl).int_timestamp',
        '+    ttl = timedelta(milliseconds=settings.LINK_TTL)',
        '+    return int((datetime.now(timezone.utc) + ttl).timestamp())',
      ]),
      // The same unit on both sides, or a new conversion of another name: no switch.
      patch('signer/same.py', 8, ['-    return arrow.utcnow().shift(seconds=ttl)', '+    return datetime.now() + timedelta(seconds=ttl)']),
      patch('signer/other.py', 8, ['-    wait = timedelta(seconds=grace)', '+    wait = timedelta(seconds=grace)', '+    poll = timedelta(milliseconds=poll_every)']),
    ).risks;
    expect(risks.map((s) => [s.kind, s.code])).toEqual([['unit_mismatch', 'signer/signing.py:9']]);
    expect(risks[0]?.detail).toBe('LINK_TTL was read as seconds and is now read as milliseconds: the same setting gives a duration a thousand times shorter');
  });

  it('finds a condition that now wraps its column in a function, which the column\'s index cannot serve', () => {
    const risks = assess(
      patch('src/repo/passes.ts', 14, ['         FROM passes p', '-        WHERE p.media_id = $1', '+        WHERE upper(p.media_id) = upper($1)', '         LIMIT 1`,']),
      patch('app/users.py', 20, ['-    cur.execute("SELECT id FROM users WHERE email = %s", (email,))', '+    cur.execute("SELECT id FROM users WHERE lower(email) = lower(%s)", (email,))']),
      // Already wrapped before, a function on the value only, or a new query: no change of plan.
      patch('app/same.py', 20, ['-    q = "SELECT 1 FROM t WHERE lower(name) = %s"', '+    q = "SELECT 1 FROM t WHERE lower(name) = lower(%s)"']),
      patch('app/value.py', 20, ['-    q = "SELECT 1 FROM t WHERE name = %s"', '+    q = "SELECT 1 FROM t WHERE name = lower(%s)"']),
      patch('app/new.py', 20, ['+    q = "SELECT 1 FROM t WHERE upper(code) = %s"']),
    ).risks;
    expect(risks.filter((s) => s.kind === 'index_bypassed').map((s) => s.code)).toEqual(['src/repo/passes.ts:15', 'app/users.py:20']);
    expect(risks[0]?.detail).toBe('a query now compares upper(p.media_id) where it compared p.media_id: an index on p.media_id cannot serve it, so each lookup reads the whole table');
  });

  // An index dropped as "unused" (its use measured on a replica that never ran the query) makes
  // each lookup it served read the table. Its migration's undo, or an index dropped and created
  // again under the same name (a rebuild), is no such drop.
  it('finds an index dropped in a migration, and not in its undo or a rebuild under the same name', () => {
    const risks = assess(
      patch('migrations/0187_orders_idx.up.sql', 1, ['+CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_created_idx ON orders (status, created_at);', '+DROP INDEX CONCURRENTLY IF EXISTS orders_restaurant_status_created_idx;']),
      patch('migrations/0187_orders_idx.down.sql', 1, ['+DROP INDEX CONCURRENTLY IF EXISTS orders_status_created_idx;']),
      patch('db/migrate/20261118_drop_legacy.rb', 3, ['+    remove_index :shipments, name: "idx_shipments_carrier"']),
      patch('migrations/0190_rebuild.sql', 1, ['+DROP INDEX IF EXISTS users_email_idx;', '+CREATE INDEX users_email_idx ON users (lower(email));']),
    ).risks;
    expect(risks.filter((s) => s.kind === 'index_bypassed').map((s) => [s.code, s.identifiers])).toEqual([
      ['migrations/0187_orders_idx.up.sql:2', ['orders_restaurant_status_created_idx']],
      ['db/migrate/20261118_drop_legacy.rb:3', ['idx_shipments_carrier']],
    ]);
  });

  // A table of factors rewritten (a map into an enum) with one factor a decimal place off: every
  // value it converts comes out ten times too small. A factor tuned by another ratio, a new
  // name, or a value edited in place is no such slip.
  it('finds a conversion factor that moved by a power of ten as its table was rewritten', () => {
    const risks = assess(
      patch('src/main/kotlin/UnitConversion.kt', 1, [
        '-    private val toCubicMeters = mapOf(',
        '-        "GAL" to 0.00378541,',
        '-        "LITER" to 0.001,',
        '-    )',
        '+enum class VolumeUnit(val cubicMeters: Double) {',
        '+    GAL(0.000378541),',
        '+    LITER(0.001);',
      ]),
      patch('app/rates.py', 3, ['-RATES = {"EUR": 1.08, "GBP": 1.27}', '+RATES = {"EUR": 1.09, "GBP": 1.27, "CHF": 1.12}']),
      // A fraction tuned tenfold in place (the same form edited) is a setting, meant as written.
      patch('app/sampling.py', 3, ['-SAMPLING = {"rate": 0.1}', '+SAMPLING = {"rate": 0.01}']),
    ).risks;
    expect(risks.filter((s) => s.kind === 'unit_mismatch').map((s) => [s.code, s.identifiers, s.factor])).toEqual([['src/main/kotlin/UnitConversion.kt:2', ['GAL'], 10]]);
  });

  it('finds a column hidden from its index under nested functions, and not one only the value passes through', () => {
    const risks = assess(
      patch('registry/repo.py', 98, [
        '-    WHERE phone_e164 = %(phone)s',
        "+    WHERE right(regexp_replace(coalesce(phone_e164, phone_raw), '[^0-9]', '', 'g'), 10) = %(digits)s",
      ]),
      // Nested functions around the value, and a column compared through a function already.
      patch('registry/value.py', 98, ['-    WHERE phone_e164 = %(phone)s', "+    WHERE phone_e164 = concat('+', right(%(digits)s, 10))"]),
      patch('registry/same.py', 98, ["-    WHERE right(coalesce(phone, ''), 4) = %s", "+    WHERE right(regexp_replace(coalesce(phone, ''), '-', ''), 4) = %s"]),
    ).risks;
    expect(risks.filter((s) => s.kind === 'index_bypassed').map((s) => s.code)).toEqual(['registry/repo.py:98']);
    expect(risks[0]?.detail).toBe('a query now compares right(… phone_e164 …) where it compared phone_e164: an index on phone_e164 cannot serve it, so each lookup reads the whole table');
  });

  // An ORM condition on the bare column (Rails' `where(due_at: a..b)`, Django's `due_at__range=`)
  // is served by the column's index as a SQL comparison is; a range compared with BETWEEN through
  // a function is not.
  it('finds a column an ORM compared bare now compared through a function, with BETWEEN', () => {
    const risks = assess(
      patch('app/queries/due_vaccinations_query.rb', 9, [
        '-      .where(due_at: @from.beginning_of_day..@to.end_of_day)',
        `+      .where("date_trunc('day', vaccinations.due_at AT TIME ZONE clinics.tz) BETWEEN ? AND ?", @from, @to)`,
      ]),
      patch('visits/queries.py', 30, ['-    qs = Visit.objects.filter(started_at__range=(a, b))', '+    qs = Visit.objects.extra(where=["date(started_at) BETWEEN %s AND %s"], params=[a, b])']),
      // The same condition rewritten on the bare column keeps its index.
      patch('app/queries/other.rb', 9, ['-      .where(due_at: @from..@to)', '+      .where("due_at BETWEEN ? AND ?", @from, @to)']),
    ).risks;
    expect(risks.filter((s) => s.kind === 'index_bypassed').map((s) => s.code)).toEqual(['app/queries/due_vaccinations_query.rb:9', 'visits/queries.py:30']);
  });

  // Raw SQL rewritten as an ORM query names the column through another alias (`r.recorded_at`
  // becomes `MachineReading.recorded_at`): the same column, now compared through a function.
  it('finds a raw SQL condition rewritten in SQLAlchemy that wraps the column, whatever alias each names it by', () => {
    const risks = assess(
      patch('planner/queries.py', 28, [
        '-     WHERE m.region = :region',
        '-       AND r.recorded_at >= :since',
        '+        .where(Machine.region == region)',
        '+        .where(func.timezone("UTC", MachineReading.recorded_at) >= since)',
      ]),
      // Rewritten on the bare column, it keeps its index.
      patch('planner/other.py', 28, ['-       AND r.recorded_at >= :since', '+        .where(MachineReading.recorded_at >= since)']),
    ).risks;
    expect(risks.filter((s) => s.kind === 'index_bypassed').map((s) => s.code)).toEqual(['planner/queries.py:29']);
  });

  it('finds null and default handling removed where the value is still used, in Java, TypeScript, Python and Go', () => {
    const risks = assess(
      patch('pricing/PriceCalculator.java', 74, [
        '     Money gross(Quote quote, Address shipTo) {',
        '-        TaxRate rate = taxTable.getOrDefault(shipTo.region(), TaxRate.NONE);',
        '+        TaxRate rate = vatTables.current().get(shipTo.countryCode());',
        '         return quote.net().multiply(rate.factor());',
      ]),
      patch('src/profile.ts', 3, [' export function greet(user: User): string {', "-  const name = user.nickname ?? 'there';", '+  const name = user.nickname;', '   return `Hi ${name}`;']),
      patch('app/config.py', 10, [' def region(cfg):', '-    zone = cfg.get("zone", "us-east-1a")', '+    zone = cfg["zone"]', '     return zone[:-1]']),
      patch('internal/cart/total.go', 20, [' func total(c *Cart) int {', '-\tif c.Discount == nil {', '-\t\treturn c.Sum', '-\t}', '+\tc.Sum -= 1', ' \treturn c.Sum - c.Discount.Amount', ' }']),
    ).risks;
    expect(risks.map((s) => [s.kind, s.code])).toEqual([
      ['default_removed', 'pricing/PriceCalculator.java:75'],
      ['default_removed', 'src/profile.ts:4'],
      ['default_removed', 'app/config.py:11'],
      ['default_removed', 'internal/cart/total.go:21'],
    ]);
    expect(risks[0]?.detail).toBe('removed a getOrDefault/getOrElse default for rate: a missing value now fails instead of falling back');
    expect(risks[0]?.identifiers).toContain('getOrDefault');
    expect(risks[1]?.detail).toContain('`??` default for name');
  });

  it('says nothing when a check goes with the value it guarded, or is kept in the new code', () => {
    expect(
      risksOf(
        // The override lookup and its null check go together: nothing is left that could be missing.
        patch('src/Prices.java', 30, [
          '     Money price(Sku sku) {',
          '-        Money override = overrides.find(sku);',
          '-        if (override != null) return override;',
          '+        metrics.increment("price.lookup");',
          '         return repository.currentPrice(sku);',
        ]),
        // Renamed, the default kept.
        patch('src/user.ts', 3, ["-  const name = user.nickname ?? 'there';", "+  const displayName = user.nickname ?? 'there';"]),
      ),
    ).toEqual([]);
  });

  it('finds an enum value removed while another diff still writes it, as a rollback does', () => {
    const introduced = diffOf(
      'diffs/deploy-5102.patch',
      patch('src/main/java/acme/AccountStatus.java', 5, ['     SUSPENDED,', '+    PENDING_REVIEW,', '     CLOSED'], { header: 'public enum AccountStatus {' }),
      patch('src/main/java/acme/Signup.java', 61, ['-        account.setStatus(AccountStatus.ACTIVE);', '+        account.setStatus(risky ? AccountStatus.PENDING_REVIEW : AccountStatus.ACTIVE);']),
    );
    const rollback = diffOf(
      'diffs/rollback-5120.patch',
      patch('src/main/java/acme/AccountStatus.java', 5, ['     SUSPENDED,', '-    PENDING_REVIEW,', '     CLOSED'], { header: 'public enum AccountStatus {' }),
    );
    const [signal, ...rest] = assessDiff(rollback, { related: [introduced] }).risks;
    expect(rest).toEqual([]);
    expect(signal).toMatchObject({
      kind: 'value_removed',
      code: 'src/main/java/acme/AccountStatus.java:6',
      identifiers: ['PENDING_REVIEW', 'AccountStatus.PENDING_REVIEW', 'AccountStatus'],
      referenced_at: ['diffs/deploy-5102.patch:6', 'diffs/deploy-5102.patch:13'],
    });
    expect(signal?.detail).toBe('removed enum value PENDING_REVIEW of AccountStatus, still referenced at diffs/deploy-5102.patch:6 (+1 more): data or callers using it now fail');
    // Alone, with nothing else naming it, the removal is a clean-up.
    expect(assessDiff(rollback).risks).toEqual([]);
  });

  it('finds a Python enum member, a Go case and a TypeScript constant removed while still referenced', () => {
    const risks = assess(
      patch('app/models.py', 3, [' class Color(Enum):', '     RED = 1', '-    BLUE = 3', ' ', ' def paint(c=Color.BLUE):']),
      patch('internal/refunds/route.go', 14, [' \tswitch kind {', '-\tcase "partial":', '-\t\treturn r.partial(ctx, req)', ' \tcase "full":', ' \t\treturn r.full(ctx, req)', ' \t}']),
      patch('src/limits.ts', 1, ['-export const MAX_SEATS = 12;', ' export function seats(n: number) {', '   return Math.min(n, MAX_SEATS);']),
      patch('internal/refunds/api.go', 30, [' \treq := Refund{Kind: "partial"}', '+\tlog.Printf("refund %s", req.Kind)']),
    ).risks;
    expect(risks.map((s) => [s.kind, s.detail.split(',')[0]])).toEqual([
      ['value_removed', 'removed enum value BLUE of Color'],
      ['value_removed', 'removed case partial'],
      ['value_removed', 'removed constant MAX_SEATS'],
    ]);
  });

  it('does not read a constant given a new value as removed, whatever word stands before it', () => {
    const risks = assess(
      patch('Dockerfile', 1, ['-ARG VIPS_VERSION=8.15.2', '+ARG VIPS_VERSION=8.15.3', ' FROM golang:1.22-bookworm AS build', ' ARG VIPS_VERSION']),
    ).risks;
    expect(risks.filter((s) => s.kind === 'value_removed')).toEqual([]);
  });

  it('finds a new throw, panic or raise on a path every call takes, but not under its own guard', () => {
    const risks = assess(
      patch('app/export.py', 40, [' def export(report):', '+    raise NotImplementedError("exports are paused")', '     rows = load(report)']),
      patch('internal/queue/consume.go', 8, [' func (c *Consumer) Handle(m Msg) error {', '+\tpanic("handler not wired")', ' \treturn c.next(m)']),
      patch('src/main/java/shop/Orders.java', 20, [
        '     Order load(long id) {',
        '+        if (id <= 0) {',
        '+            throw new IllegalArgumentException("bad id");',
        '+        }',
        '         return repo.find(id);',
      ]),
      patch('src/sync.ts', 3, ['   try {', '     await push();', '   } catch (err) {', '+    throw new SyncError(err);', '   }']),
    ).risks;
    expect(risks.map((s) => [s.kind, s.code])).toEqual([
      ['throw_added', 'app/export.py:41'],
      ['throw_added', 'internal/queue/consume.go:9'],
    ]);
    expect(risks[0]?.detail).toBe('new raise on a path every call takes (in def export(report):)');
  });

  it('gives no signal for copy changes, logging tweaks, a refactor that moves code, or a deleted function', () => {
    expect(
      risksOf(
        patch('web/PlaceOrder.tsx', 8, ['-      aria-label="Place order"', '+      aria-label="Place your order"', "-      {placing ? <Spinner /> : 'Retry payment'}", "+      {placing ? <Spinner /> : 'Try the payment again'}"]),
        patch('internal/handler.go', 88, [
          '-\t\tlog.Printf("authorize failed, retrying: %v", err)',
          '+\t\th.log.Error("charge failed, will retry", "err", err, "timeout_ms", 200)',
          '-\t\tc.log.Info("cache miss", zap.String("key", key))',
          '+\t\tc.log.Debug("cache miss", zap.String("key", key))',
        ]),
        patch('app/fraud.py', 13, ['-    features = {"amount": auth.amount / 100}', '-    return model.predict(features)', '+    return model.predict(build_features(auth))']),
        patch('app/features.py', 1, ['+def build_features(auth):', '+    return {"amount": auth.amount / 100}'], { newFile: true }),
        patch('src/legacy.ts', 10, ['-export function legacyName(user: User) {', "-  if (user.nickname == null) return 'there';", '-  return user.nickname;', '-}']),
        patch('src/errors.ts', 1, ['+export class SyncError extends Error {', '+  constructor(cause: unknown) {', "+    super('sync failed');", '+    throw cause;', '+  }', '+}'], { newFile: true }),
      ),
    ).toEqual([]);
  });
});

describe('regular expressions that backtrack', () => {
  it('finds a repeated group that itself repeats, in a JavaScript literal and a compiled Python pattern (an alternation under one repeat is not nesting)', () => {
    const risks = assess(
      patch('src/address.ts', 3, [' // street lines', "+const STREET = /^(\\d+[A-Za-z]?)\\s+((?:[A-Za-z0-9.'-]+\\s?)+)$/i;"]),
      patch('app/modifiers.py', 8, [' import re', '+MODS = re.compile(r"^(\\s*(?:no|extra)?\\s*[\\w-]+(?:\\s+[\\w-]+)*\\s*,?)+$")']),
      patch('src/main/java/Csv.java', 20, [' class Csv {', '+  static final Pattern ROW = Pattern.compile("(a|aa)*b");']),
      patch('src/main/kotlin/aei/Tag.kt', 30, [' object Tag {', '+    private val CAR = Regex("""^((?:[A-Z]\\s*)+)+(\\d{1,6})$""")']),
    ).risks;
    expect(risks.map((s) => [s.kind, s.code])).toEqual([
      ['regex_backtracking', 'src/address.ts:4'],
      ['regex_backtracking', 'app/modifiers.py:9'],
      ['regex_backtracking', 'src/main/kotlin/aei/Tag.kt:31'],
    ]);
  });

  it('reads a pattern spelt over the lines after its compiling call (Python joins adjacent strings)', () => {
    const risks = assess(
      patch('normalizer/address.py', 20, [
        ' import re',
        '+ADDRESS_RE = re.compile(',
        '+    r"^(?P<street>(?:[\\w.\'-]+\\s*)+?)"',
        '+    r"\\s*(?:,?\\s*(?:apt|unit|#)\\.?\\s*(?P<unit>[\\w-]+))?\\s*$",',
        '+    re.IGNORECASE,',
        '+)',
      ]),
    ).risks;
    expect(risks.map((s) => [s.kind, s.code])).toEqual([['regex_backtracking', 'normalizer/address.py:21']]);
  });

  it('reads a Java pattern as the engine sees it: its string escapes undone, spelt on the line after the call', () => {
    const risks = assess(
      patch('src/main/java/ads/Sanitizer.java', 24, [
        '+    private static final Pattern PHONE = Pattern.compile(',
        '+            "(?<![\\\\w+])(?:\\\\+?\\\\d{1,3}[ .-]?)?(?:\\\\(?\\\\d+\\\\)?[ .-]?){2,}\\\\d{4}(?!\\\\w)");',
      ]),
      // An escaped parenthesis is a character, not a group: nothing repeats inside a repeat here.
      patch('src/main/java/ads/Ok.java', 24, ['+    static final Pattern CODE = Pattern.compile("\\\\(\\\\d+\\\\)+x");']),
    ).risks;
    expect(risks.map((s) => [s.kind, s.code])).toEqual([['regex_backtracking', 'src/main/java/ads/Sanitizer.java:24']]);
  });

  // A pattern built from pieces in code: the repeated group is in a string a lambda writes, and
  // the compiling call (`Regex(…)`) is two lines further down. A string written where no pattern
  // is compiled is no pattern, and an empty string `("")` does not pair with the next one's quote.
  it('reads the pieces of a pattern assembled in code, where the hunk compiles it', () => {
    const risks = assess(
      patch('src/main/kotlin/catch/RemarksValidator.kt', 12, [
        '+    private val protectedPattern: Regex = names',
        '+        .joinToString("|") { name ->',
        '+            name.split(\' \').joinToString("") { part -> "(?:\\\\s*(?:${Regex.escape(part)}[\\\\w-]*)+\\\\s*)+" }',
        '+        }',
        '+        .let { Regex("(?i).*?($it).*") }',
      ]),
      patch('src/main/kotlin/catch/Labels.kt', 12, ['+    val label = parts.joinToString("") { part -> "(?:${part}-)+" }', '+    println(label)']),
    ).risks;
    expect(risks.map((s) => [s.kind, s.code])).toEqual([['regex_backtracking', 'src/main/kotlin/catch/RemarksValidator.kt:14']]);
  });

  it('reads a pattern a setting holds, in YAML and JSON rules a service loads', () => {
    const risks = assess(
      patch('router/rules.yaml', 90, [
        '+  - name: diversion-watch',
        '+    match:',
        "+      text_regex: '(?i)^(?:[A-Z0-9 ./,-]+\\s?)*(?:DIVERT|DVRT)\\b'",
        '+    priority: 40',
      ]),
      patch('filters/spam.json', 4, ['+  "body_pattern": "^(?:\\\\w+\\\\s*)+$",']),
      // A glob, a plain alternation and a pattern with one level of repetition are no risk.
      patch('router/more.yaml', 10, ["+      path_pattern: '*.log'", "+      label_regex: '^(H1|5Z|C1)$'", '+      id_regex: "^[A-Z]{2}\\d+$"']),
    ).risks;
    expect(risks.map((s) => [s.kind, s.code])).toEqual([
      ['regex_backtracking', 'router/rules.yaml:92'],
      ['regex_backtracking', 'filters/spam.json:4'],
    ]);
  });

  it('leaves patterns with one level of repetition, a bounded repeat, and linear engines alone', () => {
    const risks = assess(
      patch('src/ok.ts', 3, [' // ok', '+const SKU = /^[A-Z]{3}-\\d+(?:-[a-z]+)?$/;', '+const WORDS = /(\\w+)\\s/g;', '+const BOUNDED = /(\\d+,?){1,3}/;']),
      patch('internal/parse.go', 8, [' import "regexp"', '+var mods = regexp.MustCompile(`^(\\s*[\\w-]+(?:\\s+[\\w-]+)*\\s*,?)+$`)']),
    ).risks;
    expect(risks.filter((s) => s.kind === 'regex_backtracking')).toEqual([]);
  });
});

describe('reading hostile lines for patterns', () => {
  it('gets through a line of backslashes after a compiling call that never closes its string', () => {
    // Each backslash could start an escape or be a character of its own: read ambiguously,
    // this line alone would take longer than the universe has left.
    const risks = assess(patch('app/odd.py', 3, [' import re', `+X = re.compile("${'\\\\'.repeat(60)}`])).risks;
    expect(risks.filter((s) => s.kind === 'regex_backtracking')).toEqual([]);
  });

  it('gets through long words, long dotted names and unclosed calls in one pass each', () => {
    // Patterns that began with an identifier of any length tried every start in a long word:
    // a 60,000-character line took tens of seconds. Read token by token, each takes a moment.
    const lines = ['a'.repeat(60_000), 'a.'.repeat(30_000), 'timedelta('.repeat(6_000), 'x: &y.Client'.repeat(5_000)];
    for (const line of lines) {
      const risks = assess(patch('app/long.py', 3, [`-${line}`, `+${line}`, `+    ${line}`])).risks;
      expect(risks.filter((s) => s.kind === 'unit_mismatch')).toEqual([]);
    }
  });

  it('reads conditions on hostile lines in one pass', () => {
    const lines = ['upper('.repeat(10_000), `WHERE ${'upper(a'.repeat(8_000)}`, `WHERE upper(${'a'.repeat(60_000)}) = 1`, `where ${'lower(x) '.repeat(6_000)}`];
    for (const line of lines) {
      const risks = assess(patch('app/long.sql', 3, [`-WHERE a = 1 ${line}`, `+${line}`])).risks;
      expect(risks.filter((s) => s.kind === 'index_bypassed').length).toBeLessThanOrEqual(1);
    }
  });
});

describe('compression taken off what a service writes', () => {
  const kinds = (...patches: string[]): string[] => assess(...patches).risks.map((s) => s.kind);

  it('is a gzip writer replaced by a plain one, in Python and Java', () => {
    expect(
      kinds(patch('demux/writer.py', 20, ['     def _open(self, name):', '-        path = self.out_dir / f"{name}.fastq.gz"', '-        return path, gzip.open(path, "wb", compresslevel=1)', '+        path = self.out_dir / f"{name}.fastq"', '+        return path, open(path, "wb")'])),
    ).toContain('compression_removed');
    expect(kinds(patch('src/main/java/x/Export.java', 40, ['-        OutputStream out = new GZIPOutputStream(Files.newOutputStream(path));', '+        OutputStream out = Files.newOutputStream(path);']))).toContain('compression_removed');
  });

  it('is not compression moved to another file, nor one compressor swapped for another', () => {
    expect(
      kinds(
        patch('demux/writer.py', 20, ['-        return path, gzip.open(path, "wb", compresslevel=1)', '+        return path, open_output(path)']),
        patch('demux/output.py', 1, ['+def open_output(path):', '+    return gzip.open(path, "wb", compresslevel=1)']),
      ),
    ).not.toContain('compression_removed');
    expect(kinds(patch('demux/writer.py', 20, ['-        return path, gzip.open(path, "wb")', '+        return path, zstd.ZstdCompressor().stream_writer(open(path, "wb"))']))).not.toContain('compression_removed');
  });
});
