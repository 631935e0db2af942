import { describe, expect, it } from 'vitest';
import { parseDiff, ProblemLog } from '../../../src/bundle/index.js';
import { assessDiff, riskSignals } from '../../../src/hands/analysis/risk-signals.js';

/** A one-hunk git diff of `file`; the hunk header is computed from the prefixed lines. */
function patch(file: string, start: number, body: string[]): string {
  const oldCount = body.filter((l) => !l.startsWith('+')).length;
  const newCount = body.filter((l) => !l.startsWith('-')).length;
  return [`diff --git a/${file} b/${file}`, `--- a/${file}`, `+++ b/${file}`, `@@ -${start},${oldCount} +${start},${newCount} @@`, ...body].join('\n');
}

function assess(...patches: string[]): ReturnType<typeof assessDiff> {
  const problems = new ProblemLog();
  const diff = parseDiff(`${patches.join('\n')}\n`, 'diffs/change.patch', problems);
  expect(problems.list()).toEqual([]);
  return assessDiff(diff);
}

function signalsOf(...patches: string[]): ReturnType<typeof riskSignals> {
  return assess(...patches).risks;
}

describe('riskSignals', () => {
  it('reads a Python retry loop: retries added, HTTP call in a loop, a timeout raised (looser, so context only)', () => {
    const { risks: signals, benign } = assess(
      patch('app/users.py', 10, [
        ' def fetch_user(uid):',
        '-    return client.get(f"/users/{uid}", timeout=2)',
        '+    for attempt in range(5):',
        '+        try:',
        '+            return requests.get(f"http://users/{uid}", timeout=30)',
        '+        except Timeout:',
        '+            time.sleep(2 ** attempt)',
      ]),
    );
    const kinds = signals.map((s) => s.kind).sort();
    expect(kinds).toEqual(['call_in_loop', 'retry_added']);
    const limit = benign.find((s) => s.kind === 'limit_changed');
    expect(limit).toMatchObject({ old: '2', new: '30', code: 'app/users.py:13', patch: 'diffs/change.patch:9', direction: 'loosened', identifiers: ['timeout'] });
    expect(limit?.detail).toBe('timeout loosened 2 → 30 (×15) (longer)');
    expect(signals.find((s) => s.kind === 'call_in_loop')?.code).toBe('app/users.py:13');
  });

  it('reads retries taken out of the code and put into a config file as moved, not added', () => {
    const code = patch('src/main/java/pa/PaHubClient.java', 20, [
      '-    private static final int MAX_ATTEMPTS = 2;',
      '-    private static final Duration BACKOFF = Duration.ofMillis(250);',
      '+    private final PaHubProperties props;',
    ]);
    const config = patch('src/main/resources/application.yml', 15, ['   pahub:', '+    retry:', '+      max-attempts: 2', '+      backoff: 250ms']);
    expect(signalsOf(code, config).filter((s) => s.kind === 'retry_added')).toEqual([]);
    // Put into the config with nothing taken out of the code, they are added.
    expect(signalsOf(config).map((s) => s.kind)).toContain('retry_added');
  });

  it('reads JavaScript: a flag-guarded path and a query per item, on one line or under a loop', () => {
    const signals = signalsOf(
      patch('src/checkout.js', 20, [
        ' async function total(cart) {',
        "+  if (flags.isEnabled('new-pricing')) {",
        '+    const prices = await Promise.all(cart.items.map((item) => db.query(`SELECT price FROM prices WHERE sku = $1`, [item.sku])));',
        '+    return sum(prices);',
        '+  }',
        '   return cart.total;',
        ' }',
      ]),
    );
    const flag = signals.find((s) => s.kind === 'flag_guard');
    expect(flag?.detail).toContain('"new-pricing"');
    expect(flag?.code).toBe('src/checkout.js:21');
    expect(signals.find((s) => s.kind === 'call_in_loop')?.code).toBe('src/checkout.js:22');
  });

  it('reads the flag a check names after its context argument (Go clients, OpenFeature)', () => {
    const signals = signalsOf(
      patch('internal/decide/offline.go', 14, [
        ' func (d *Decider) Allow(ctx context.Context, req *Request) (bool, error) {',
        '+\tif d.flags.Bool(ctx, "authz.offline_limit_v2", false) {',
        '+\t\treturn d.offlineLimitV2(ctx, req)',
        '+\t}',
        ' \treturn d.offlineLimit(ctx, req)',
      ]),
    );
    expect(signals.find((s) => s.kind === 'flag_guard')).toMatchObject({ flag: 'authz.offline_limit_v2' });
  });

  it('reads a flag check in an expression (Kotlin `val x = if (…) a else b`)', () => {
    const signals = signalsOf(
      patch('src/main/kotlin/fleet/Reserver.kt', 20, [
        '     fun reserve(robot: Robot, path: List<Cell>): Reservation {',
        '+        val strategy = if (flags.isEnabled("fleet.reservation.segment_locking", robot.zone)) segmented else sorted',
        '+        return strategy.reserve(robot, path)',
        '     }',
      ]),
    );
    expect(signals.find((s) => s.kind === 'flag_guard')).toMatchObject({ flag: 'fleet.reservation.segment_locking' });
  });

  it('reads the flag a check passes as a constant the diff defines', () => {
    const signals = signalsOf(
      patch('internal/store/validate.go', 38, [
        '+const flagStrictRevocation = "sessions.strict_revocation_check"',
        ' ',
        ' func (s *Store) Validate(ctx context.Context, sid string) error {',
        '+\tif s.flags.Bool(ctx, flagStrictRevocation, false) {',
        '+\t\treturn s.validateStrict(ctx, sid)',
        '+\t}',
        ' \treturn s.validate(ctx, sid)',
      ]),
    );
    expect(signals.find((s) => s.kind === 'flag_guard')).toMatchObject({ flag: 'sessions.strict_revocation_check' });
  });

  it('reads the flag held by a constant written with its type before its name (C#, Java)', () => {
    const csharp = signalsOf(
      patch('src/Claims.Api/Intake/ClaimNumberAllocator.cs', 14, [
        '+    private const string Flag = "claims.sequential-claim-numbers";',
        '+    public async Task<string> NextAsync(ClaimDraft draft)',
        '+    {',
        '+        if (!_flags.IsEnabled(Flag, new FlagContext { State = draft.StateCode }))',
        '+            return RandomNumber();',
        '+        return await GaplessAsync(draft);',
        '+    }',
      ]),
    );
    expect(csharp.find((s) => s.kind === 'flag_guard')).toMatchObject({ flag: 'claims.sequential-claim-numbers' });
    const java = signalsOf(
      patch('src/main/java/shop/Checkout.java', 20, [
        '+    private static final String SPLIT_FLAG = "checkout.split_tender";',
        '     public Receipt pay(Order order) {',
        '+        if (flags.isEnabled(SPLIT_FLAG)) {',
        '+            return splitTender(order);',
        '+        }',
        '         return single(order);',
      ]),
    );
    expect(java.find((s) => s.kind === 'flag_guard')).toMatchObject({ flag: 'checkout.split_tender' });
  });

  it('reads Java: a removed cache annotation and a pool size cut in a setter call', () => {
    const signals = signalsOf(
      patch('src/main/java/shop/PriceService.java', 30, [
        '-    @Cacheable("prices")',
        '     public Price price(String sku) {',
        '         return repository.findBySku(sku);',
        '     }',
      ]),
      patch('src/main/java/shop/DbConfig.java', 12, ['         HikariConfig config = new HikariConfig();', '-        config.setMaximumPoolSize(40);', '+        config.setMaximumPoolSize(4);']),
    );
    expect(signals.find((s) => s.kind === 'cache_removed')).toMatchObject({ code: 'src/main/java/shop/PriceService.java:30' });
    expect(signals.find((s) => s.kind === 'limit_changed')).toMatchObject({ old: '40', new: '4', code: 'src/main/java/shop/DbConfig.java:13' });
  });

  it('says how far a number moved and which way as fields, not only in words', () => {
    const signals = signalsOf(patch('deploy/values.yaml', 1, ['-replicas: 6', '+replicas: 2', '-retries: 2', '+retries: 8']));
    expect(signals.find((s) => s.kind === 'limit_changed')).toMatchObject({ direction: 'tightened', factor: 3, old: '6', new: '2' });
    expect(signals.find((s) => s.kind === 'retry_increased')).toMatchObject({ direction: 'increased', factor: 4 });
    // An edit that moves no number has no factor.
    const flag = signalsOf(patch('config/flags.yaml', 1, ['-new_checkout: false', '+new_checkout: true']));
    expect(flag.find((s) => s.kind === 'flag_enabled')).toMatchObject({ direction: 'enabled', factor: null });
  });

  it("reads a provisioned ceiling cut: a volume's IOPS and throughput are limits like a pool's size", () => {
    const signals = signalsOf(
      patch('terraform/db/volume.tf', 1, ['-  iops       = 16000', '+  iops       = 3000', '-  throughput = 1000', '+  throughput = 125']),
    );
    expect(signals.filter((s) => s.kind === 'limit_changed').map((s) => [s.direction, s.old, s.new])).toEqual([
      ['tightened', '16000', '3000'],
      ['tightened', '1000', '125'],
    ]);
  });

  it('reads YAML config: replicas cut with units kept, a timeout removed', () => {
    const signals = signalsOf(
      patch('deploy/values.yaml', 1, ['-replicas: 6', '+replicas: 2', ' resources:', '-  requestTimeout: 30s', '   memory: 512Mi']),
    );
    expect(signals.find((s) => s.kind === 'limit_changed')?.detail).toBe('replicas tightened 6 → 2 (÷3)');
    expect(signals.find((s) => s.kind === 'limit_removed')).toMatchObject({ code: 'deploy/values.yaml:3', patch: 'diffs/change.patch:8' });
  });

  it('stays quiet on moved code, comments, renames without numbers, and tests', () => {
    const signals = signalsOf(
      patch('src/cache.go', 5, ['-// the cache is warmed at start', '+// the cache is warmed lazily', ' func warm() {', '-\tc.cache.Load()', '+\tc.cache.Load()', ' }']),
      patch('src/limits.go', 1, ['-const maxConns = defaultMax', '+const maxConnections = defaultMax']),
      patch('src/pool_test.go', 1, ['+\tfor i := 0; i < 3; i++ {', '+\t\tdb.Query("SELECT 1 FROM t WHERE x")', '+\t\tretry()', '+\t}']),
    );
    expect(signals).toEqual([]);
  });
});
