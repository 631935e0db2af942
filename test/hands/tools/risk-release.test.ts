import { describe, expect, it } from 'vitest';
import { assess, patch, placesOf } from './helpers/patch.js';

const leaks = (...patches: string[]): Array<[string, string]> => placesOf('resource_leak', ...patches);

describe('a resource no longer released on every path', () => {
  it('finds a scope replaced by a release by hand that an early exit skips, in Python, Java, C# and Go', () => {
    expect(
      leaks(
        patch('eligibility/service.py', 38, [
          '     def check(self, member_id, payer_id):',
          '-        with self.Session() as session:',
          '-            member = session.get(Member, member_id)',
          '-            return Eligibility(member)',
          '+        session = self.Session()',
          '+        member = session.get(Member, member_id)',
          '+        if member is None:',
          '+            session.close()',
          '+            raise NotFound("member")',
          '+        if member.plan is None:',
          '+            raise NotFound("plan")',
          '+        result = Eligibility(member)',
          '+        session.close()',
          '+        return result',
        ]),
        patch('src/main/java/lab/Results.java', 20, [
          '     Result load(String id) throws SQLException {',
          '-        try (Connection conn = pool.getConnection()) {',
          '-            return read(conn, id);',
          '-        }',
          '+        Connection conn = pool.getConnection();',
          '+        if (id.isEmpty()) {',
          '+            throw new IllegalArgumentException("empty id");',
          '+        }',
          '+        Result r = read(conn, id);',
          '+        conn.close();',
          '+        return r;',
        ]),
        patch('Billing/Ledger.cs', 10, [
          '     public Entry Find(int id) {',
          '-        using (var conn = _factory.Open()) {',
          '-            return conn.Query(id);',
          '-        }',
          '+        var conn = _factory.Open();',
          '+        var entry = conn.Query(id);',
          '+        return entry;',
        ]),
        patch('internal/store/rows.go', 30, [
          ' func (s *Store) Names(ctx context.Context) ([]string, error) {',
          '-\trows, err := s.db.QueryContext(ctx, "SELECT name FROM t")',
          '-\tdefer rows.Close()',
          '+\trows, err := s.db.QueryContext(ctx, "SELECT name FROM t WHERE live")',
          '+\tif !rows.Next() {',
          '+\t\treturn nil, ErrEmpty',
          '+\t}',
          '+\tnames := scan(rows)',
          '+\trows.Close()',
          '+\treturn names, err',
        ]),
      ),
    ).toEqual([
      ['eligibility/service.py:45', 'raise NotFound("plan")'],
      ['src/main/java/lab/Results.java:23', 'throw new IllegalArgumentException("empty id");'],
      ['Billing/Ledger.cs:11', 'var conn = _factory.Open();'],
      ['internal/store/rows.go:33', 'return nil, ErrEmpty'],
    ]);
  });

  it('names the resource and the exit that skips its release', () => {
    const risk = assess(
      patch('app/repo.py', 5, ['-    with pool.connection() as conn:', '-        return conn.fetch(q)', '+    conn = pool.connection()', '+    if not q:', '+        return None', '+    rows = conn.fetch(q)', '+    conn.close()', '+    return rows']),
    ).risks.find((s) => s.kind === 'resource_leak');
    expect(risk?.detail).toBe(
      'conn was released by its scope; now it is released by hand and "return None" leaves before the release: every call down that path keeps one open (a connection or session held until the pool runs out)',
    );
    expect(risk?.identifiers).toEqual(['conn']);
  });

  it('finds an early exit before the try whose finally releases it: the finally covers only its own try', () => {
    expect(
      leaks(
        patch('src/main/java/ledger/PayoutService.java', 30, [
          '     PayoutResult pay(Request req) throws SQLException {',
          '-        try (Connection conn = dataSource.getConnection()) {',
          '-            Check check = rules.check(req);',
          '-            if (!check.ok()) {',
          '-                return PayoutResult.rejected(req);',
          '-            }',
          '-            return post(conn, req);',
          '-        }',
          '+        Connection conn = dataSource.getConnection();',
          '+        Check check = rules.check(req);',
          '+        if (!check.ok()) {',
          '+            return PayoutResult.rejected(req);',
          '+        }',
          '+        try {',
          '+            return post(conn, req);',
          '+        } finally {',
          '+            conn.close();',
          '+        }',
        ]),
      ),
    ).toEqual([['src/main/java/ledger/PayoutService.java:34', 'return PayoutResult.rejected(req);']]);
  });

  it('says nothing when every way out releases it, a finally or a new scope does, or the scope stays', () => {
    expect(
      leaks(
        // Released before each exit.
        patch('app/a.py', 5, ['-    with pool.connection() as conn:', '-        return conn.fetch(q)', '+    conn = pool.connection()', '+    if not q:', '+        conn.close()', '+        return None', '+    rows = conn.fetch(q)', '+    conn.close()', '+    return rows']),
        // A finally releases it on every path.
        patch('app/b.py', 5, ['-    with pool.connection() as conn:', '-        return conn.fetch(q)', '+    conn = pool.connection()', '+    try:', '+        if not q:', '+            return None', '+        return conn.fetch(q)', '+    finally:', '+        conn.close()']),
        // The scope is kept, with a changed body.
        patch('app/c.py', 5, ['-    with pool.connection() as conn:', '-        return conn.fetch(q)', '+    with pool.connection(timeout=5) as conn:', '+        if not q:', '+            return None', '+        return conn.fetch(q)']),
        // Go: the deferred close stays.
        patch('internal/d.go', 5, ['-\trows, err := db.Query(q)', '+\trows, err := db.QueryContext(ctx, q)', ' \tdefer rows.Close()', '+\tif err != nil {', '+\t\treturn nil, err', '+\t}']),
      ),
    ).toEqual([]);
  });

  it('reads hostile lines in one pass', () => {
    const lines = [`with ${'a('.repeat(20_000)} as x:`, `try (${'Foo<Bar, '.repeat(8_000)} c = x) {`, `using (${'var '.repeat(15_000)}c = x) {`, `defer ${'a.'.repeat(30_000)}Close()`];
    for (const line of lines) {
      const risks = assess(patch('app/long.py', 3, [`-${line}`, `+${line.replace(/^\w+/, 'x =')}`, '+    raise E()'])).risks;
      expect(risks.filter((s) => s.kind === 'resource_leak').length).toBeLessThanOrEqual(1);
    }
  });
});

describe('a deferred release deleted, the code around it untouched', () => {
  it('leaks down every way out the change left as it was, not down the check that the acquisition failed', () => {
    expect(
      leaks(
        patch('internal/seal/sealer.go', 58, [
          ' \tsess, err := s.hsm.OpenSession(ctx, s.slot)',
          ' \tif err != nil {',
          ' \t\treturn Sealed{}, fmt.Errorf("open session: %w", err)',
          ' \t}',
          '-\tdefer sess.Close()',
          ' ',
          ' \tsig, err := sess.Sign(ctx, s.keyLabel, d.Digest())',
          ' \tif err != nil {',
          '+\t\tsess.Close()',
          ' \t\treturn Sealed{}, fmt.Errorf("sign: %w", err)',
          ' \t}',
          ' \tts, err := s.tsa.Timestamp(ctx, sig)',
          ' \tif err != nil {',
          ' \t\treturn Sealed{}, fmt.Errorf("timestamp: %w", err)',
          ' \t}',
          '+\tsess.Close()',
          ' \treturn Sealed{Sig: sig, TS: ts}, nil',
        ]),
      ),
    ).toEqual([['internal/seal/sealer.go:70', 'return Sealed{}, fmt.Errorf("timestamp: %w", err)']]);
  });

  it('is not read where every way out releases it, the release sitting in the check that leaves', () => {
    expect(
      leaks(
        patch('internal/sync/apply.go', 20, [
          ' \ttx, err := s.db.BeginTx(ctx, nil)',
          ' \tif err != nil {',
          ' \t\treturn fmt.Errorf("begin: %w", err)',
          ' \t}',
          '-\tdefer tx.Rollback()',
          ' \tif err := upsert(ctx, tx, ev); err != nil {',
          '+\t\ttx.Rollback()',
          ' \t\treturn err',
          ' \t}',
          '+\tif err := tx.Commit(); err != nil {',
          '+\t\treturn fmt.Errorf("commit: %w", err)',
          '+\t}',
          '+\treturn nil',
        ]),
      ),
    ).toEqual([]);
  });
});

describe('a way out added before a release by hand', () => {
  const begin = [
    '     func (s *Store) PriorConditions(petID string) ([]Condition, error) {',
    '+	tx, err := s.db.Begin()',
    '+	if err != nil {',
    '+		return nil, err',
    '+	}',
    '+	var practiceID string',
    '+	err = tx.QueryRow(`SELECT practice_id FROM links WHERE pet_id = $1`, petID).Scan(&practiceID)',
  ];
  it('finds a transaction left open by a new early return, though every error path rolls it back', () => {
    expect(
      leaks(
        patch('internal/store/conditions.go', 24, [
          ...begin,
          '+	if errors.Is(err, sql.ErrNoRows) {',
          '+		return nil, nil',
          '+	}',
          '+	if err != nil {',
          '+		tx.Rollback()',
          '+		return nil, err',
          '+	}',
          '+	defer tx.Rollback()',
          '+	return s.read(tx, practiceID)',
        ]),
      ),
    ).toEqual([['internal/store/conditions.go:32', 'return nil, nil']]);
  });

  it('finds none when every way out before the deferred release releases it, or after a commit', () => {
    expect(
      leaks(
        patch('internal/store/conditions.go', 24, [
          ...begin,
          '+	if errors.Is(err, sql.ErrNoRows) {',
          '+		tx.Rollback()',
          '+		return nil, nil',
          '+	}',
          '+	defer tx.Rollback()',
          '+	return s.read(tx, practiceID)',
        ]),
        patch('internal/store/save.go', 40, [
          '     func (s *Store) Save(c Condition) error {',
          '+	tx, err := s.db.Begin()',
          '+	if err != nil {',
          '+		return err',
          '+	}',
          '+	if _, err := tx.Exec(`INSERT INTO conditions VALUES ($1)`, c.Code); err != nil {',
          '+		tx.Rollback()',
          '+		return err',
          '+	}',
          '+	if err := tx.Commit(); err != nil {',
          '+		return err',
          '+	}',
          '+	return nil',
        ]),
      ),
    ).toEqual([]);
  });
});
