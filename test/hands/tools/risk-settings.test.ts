import { describe, expect, it } from 'vitest';
import { assess, patch, risksOf } from './helpers/patch.js';

describe('risk signals on settings, judged by direction', () => {
  it('Go: a pool cut in a setter and a context timeout shortened are tightened; a raised limit is context only', () => {
    const { risks, benign } = assess(
      patch('internal/db/pool.go', 20, [
        ' func open(dsn string) *sql.DB {',
        '-\tdb.SetMaxOpenConns(50)',
        '+\tdb.SetMaxOpenConns(10)',
        '-\tdb.SetMaxIdleConns(5)',
        '+\tdb.SetMaxIdleConns(25)',
        ' }',
      ]),
      patch('internal/api/client.go', 40, [
        ' func (c *Client) Get(ctx context.Context, id string) (*Item, error) {',
        '-\tctx, cancel := context.WithTimeout(ctx, 5*time.Second)',
        '+\tctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)',
        ' \tdefer cancel()',
      ]),
    );
    expect(risks.map((s) => [s.kind, s.direction, s.old, s.new])).toEqual([
      ['limit_changed', 'tightened', '50', '10'],
      ['limit_changed', 'tightened', '5*time.Second', '500*time.Millisecond'],
    ]);
    expect(risks[0]).toMatchObject({ code: 'internal/db/pool.go:21', identifiers: ['SetMaxOpenConns', 'MaxOpenConns'] });
    expect(risks[0]?.detail).toBe('SetMaxOpenConns tightened 50 → 10 (÷5)');
    expect(risks[1]?.detail).toBe('WithTimeout tightened 5*time.Second → 500*time.Millisecond (÷10) (shorter)');
    // What each limit bounds, as a field: room for work (a pool), or time (a timeout).
    expect(risks.map((s) => s.bounds)).toEqual(['capacity', 'time']);
    expect(benign.map((s) => [s.kind, s.direction, s.detail])).toEqual([['limit_changed', 'loosened', 'SetMaxIdleConns loosened 5 → 25 (×5)']]);
  });

  it('Java properties and Python keyword arguments: pool and worker limits tightened, a ms timeout shortened', () => {
    const risks = assess(
      patch('src/main/resources/application.properties', 3, [
        ' spring.datasource.url=jdbc:postgresql://db/orders',
        '-spring.datasource.hikari.maximum-pool-size=20',
        '+spring.datasource.hikari.maximum-pool-size=5',
        '-http.client.timeout.ms=5000',
        '+http.client.timeout.ms=800',
        ' server.tomcat.threads.max=200',
      ]),
      patch('worker/pool.py', 8, [' def start():', '-    pool = ThreadPoolExecutor(max_workers=16)', '+    pool = ThreadPoolExecutor(max_workers=4)', '     return pool']),
    ).risks;
    expect(risks.map((s) => s.detail)).toEqual([
      'spring.datasource.hikari.maximum-pool-size tightened 20 → 5 (÷4)',
      'http.client.timeout.ms tightened 5000 → 800 (÷6.25) (shorter)',
      'max_workers tightened 16 → 4 (÷4)',
    ]);
    expect(risks[0]?.identifiers).toContain('spring.datasource.hikari.maximum-pool-size');
  });

  it('YAML and JSON: Kubernetes memory and CPU cut under limits, a rate limit lowered; replicas raised is context only', () => {
    const { risks, benign } = assess(
      patch('deploy/values.yaml', 10, [
        'worker:',
        '  replicas: 3',
        '  resources:',
        '    limits:',
        '-      memory: 2Gi',
        '-      cpu: "2"',
        '+      memory: 512Mi',
        '+      cpu: 500m',
      ]),
      patch('config/gateway.json', 4, ['   "routes": {', '-    "rateLimitPerSecond": 500,', '+    "rateLimitPerSecond": 100,', '     "burst": 50'], { header: '{' }),
      patch('deploy/hpa.yaml', 5, ['-  maxReplicas: 6', '+  maxReplicas: 12']),
    );
    expect(risks.map((s) => s.detail)).toEqual([
      'worker.resources.limits.memory tightened 2Gi → 512Mi (÷4)',
      'worker.resources.limits.cpu tightened 2 → 500m (÷4)',
      'routes.rateLimitPerSecond tightened 500 → 100 (÷5)',
    ]);
    expect(risks[0]?.identifiers).toEqual(['memory', 'worker.resources.limits.memory', 'worker', 'limits']);
    expect(benign.map((s) => s.direction)).toEqual(['loosened']);
  });

  it('INI and TOML: connections tightened; a constant that names its value is followed', () => {
    const risks = assess(
      patch('etc/pgbouncer.ini', 2, [' [pgbouncer]', '-max_client_conn = 1000', '+max_client_conn = 100', ' pool_mode = transaction']),
      patch('src/pricing/client.ts', 1, [
        '+const ATTEMPT_TIMEOUT_MS = 150;',
        ' export async function quote(id: string) {',
        '-  return fetch(url(id), { signal: AbortSignal.timeout(2000) });',
        '+  return fetch(url(id), { signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });',
        ' }',
      ]),
    ).risks;
    expect(risks.map((s) => s.detail)).toEqual([
      'max_client_conn tightened 1000 → 100 (÷10)',
      'timeout tightened 2000 → ATTEMPT_TIMEOUT_MS (150) (÷13.3) (shorter)',
    ]);
    expect(risks[1]?.identifiers).toEqual(['timeout', 'ATTEMPT_TIMEOUT_MS']);
  });

  it('reads a setting through the fallback it takes when the configuration does not set it', () => {
    const { risks } = assess(
      patch('runner/config.py', 18, [
        '     def from_dict(cls, raw: dict) -> "RunnerConfig":',
        '-        pool = raw.get("pool", {})',
        '+        warm = raw.get("warm_pool", {})',
        '+        pool = raw.get("pool", {})',
        '         return cls(',
        '-            max_workers=int(pool.get("max_workers", 40)),',
        '+            max_workers=int(warm.get("size", 0)),',
        '             max_concurrent=int(pool.get("max_concurrent", 64)),',
      ]),
      patch('app/limits.py', 3, ['-POOL_SIZE = os.environ.get("POOL_SIZE", "32")', '+POOL_SIZE = os.environ.get("POOL_SIZE", "4")']),
      // The same fallback read under another name is no change of value.
      patch('app/same.py', 3, ['-    max_workers=int(cfg.get("workers", 8)),', '+    max_workers=int(cfg.get("worker_count", 8)),']),
    );
    expect(risks.map((s) => [s.kind, s.direction, s.old, s.new, s.code])).toEqual([
      ['limit_changed', 'tightened', '40', '0', 'runner/config.py:22'],
      ['limit_changed', 'tightened', '32', '4', 'app/limits.py:3'],
    ]);
  });

  it('retries increased and backoff shortened or removed are risky; fewer retries are not', () => {
    const { risks, benign } = assess(
      patch('config/client.yaml', 1, ['retry:', '-  maxAttempts: 3', '+  maxAttempts: 10', '-  initialBackoff: 2s', '+  initialBackoff: 50ms']),
      patch('app/settings.py', 1, ['-MAX_RETRIES = 5', '+MAX_RETRIES = 2']),
      patch('app/sync.py', 20, [
        ' def push(batch):',
        '     for attempt in range(MAX_RETRIES):',
        '         try:',
        '             return send(batch)',
        '         except Timeout:',
        '-            time.sleep(2 ** attempt)',
        '+            continue',
      ]),
    );
    expect(risks.map((s) => [s.kind, s.direction])).toEqual([
      ['retry_increased', 'increased'],
      ['backoff_reduced', 'shortened'],
      ['backoff_reduced', 'removed'],
    ]);
    expect(risks[0]?.detail).toBe('retries retry.maxAttempts increased 3 → 10');
    expect(risks[1]?.detail).toBe('backoff retry.initialBackoff shortened 2s → 50ms (÷40)');
    expect(risks[2]).toMatchObject({ code: 'app/sync.py:25', identifiers: ['sleep'] });
    expect(benign.map((s) => [s.kind, s.direction])).toEqual([['retry_decreased', 'decreased']]);
  });

  it('reads a generic key through the block it sits in: retry.max is a retry count, backoff.initial a backoff', () => {
    const risks = assess(
      patch('config/queue.yaml', 1, ['consumer:', '  retry:', '-    max: 3', '+    max: 8', '    backoff:', '-      initial: 1s', '+      initial: 100ms', '  timeouts:', '-    read: 5s', '+    read: 500ms']),
    ).risks;
    expect(risks.map((s) => [s.kind, s.detail])).toEqual([
      ['retry_increased', 'retries consumer.retry.max increased 3 → 8'],
      ['backoff_reduced', 'backoff consumer.retry.backoff.initial shortened 1s → 100ms (÷10)'],
      ['limit_changed', 'consumer.timeouts.read tightened 5s → 500ms (÷10) (shorter)'],
    ]);
  });

  it('a shorter cache TTL or caching switched off is risky; a longer TTL is not', () => {
    const { risks, benign } = assess(
      patch('config/cache.yaml', 1, ['prices:', '-  ttl: 10m', '+  ttl: 30s', 'sessions:', '-  ttl: 5m', '+  ttl: 1h', 'catalog:', '-  cache_enabled: true', '+  cache_enabled: false']),
      patch('src/main/java/shop/CacheConfig.java', 30, [
        '     return Caffeine.newBuilder()',
        '-        .expireAfterWrite(10, TimeUnit.MINUTES)',
        '+        .expireAfterWrite(1, TimeUnit.MINUTES)',
        '         .build();',
      ]),
    );
    expect(risks.map((s) => [s.kind, s.detail])).toEqual([
      ['cache_ttl_shortened', 'cache TTL prices.ttl shortened 10m → 30s (÷20)'],
      ['cache_removed', 'caching switched off: catalog.cache_enabled true → false'],
      ['cache_ttl_shortened', 'cache TTL expireAfterWrite shortened 10 → 1 (÷10)'],
    ]);
    expect(benign.map((s) => [s.kind, s.direction])).toEqual([['cache_ttl_lengthened', 'lengthened']]);
  });

  // Spring, java.time and .NET write durations in ISO-8601: PT15M is fifteen minutes.
  it('reads ISO-8601 durations: a cache expiry PT15M → PT20S is a shorter TTL; P1D → PT1H30M on a timeout is tightened', () => {
    const { risks } = assess(
      patch('passes/application-prod.yml', 9, ['entitlements:', '  cache:', '-    expire-after-write: PT15M', '+    expire-after-write: PT20S']),
      patch('conf/export.yml', 3, ['export:', '-  job-timeout: P1D', '+  job-timeout: PT1H30M']),
    );
    expect(risks.map((s) => [s.kind, s.factor])).toEqual([
      ['cache_ttl_shortened', 45],
      ['limit_changed', 16],
    ]);
  });

  // In ISO-8601, M before the T is months: P25M is twenty-five months, where PT25M was meant.
  it('reads the date part of an ISO-8601 duration; a lifetime lengthened a thousandfold or more piles up what it holds', () => {
    const { risks } = assess(patch('deploy/reservations/values-production.yaml', 27, ['env:', '-  HOLD_TTL: "PT15M"', '+  HOLD_TTL: "P25M"']));
    expect(risks.map((s) => [s.kind, s.direction, s.factor])).toEqual([['unbounded_growth', 'lengthened', 72000]]);
    // Lengthened tenfold, it is the cache TTL lengthened it always was: no risk.
    const modest = assess(patch('deploy/reservations/values-production.yaml', 27, ['env:', '-  HOLD_TTL: "PT15M"', '+  HOLD_TTL: "PT2H30M"']));
    expect(modest.risks).toEqual([]);
    expect(modest.benign.map((s) => [s.kind, s.factor])).toEqual([['cache_ttl_lengthened', 10]]);
  });

  it('a storage class moved to an archive that must be restored before a read is risky; to one read at once, or archive to archive, is not', () => {
    const risks = (lines: string[]): Array<[string, string]> => assess(patch('terraform/s3/objects.tf', 40, lines)).risks.map((x) => [x.kind, x.detail]);
    expect(risks(['    transition {', '      days          = 30', '-      storage_class = "STANDARD_IA"', '+      storage_class = "GLACIER"', '    }'])).toEqual([
      ['archived_unreadable', 'transition.storage_class STANDARD_IA → GLACIER: objects it moves must be restored before they can be read, and every read of one is refused until then'],
    ]);
    expect(risks(['    transition {', '-      storage_class = "STANDARD_IA"', '+      storage_class = "GLACIER_IR"', '    }'])).toEqual([]);
    expect(risks(['    transition {', '-      storage_class = "GLACIER"', '+      storage_class = "DEEP_ARCHIVE"', '    }'])).toEqual([]);
    // Azure's access tier, in a blob's settings.
    expect(assess(patch('infra/blob.bicep', 3, ["-  accessTier: 'Cool'", "+  accessTier: 'Archive'"])).risks.map((x) => x.kind)).toEqual(['archived_unreadable']);
  });

  it('eviction narrowed to entries with an expiry, or to none, is risky; widened or kept is not', () => {
    const { risks } = assess(
      patch('helm/cache/values-prod.yaml', 14, ['  config:', '-    maxmemory: 6gb', '-    maxmemory-policy: allkeys-lru', '+    maxmemory: 8gb', '+    maxmemory-policy: volatile-lru']),
      patch('conf/store.conf', 3, ['-eviction_policy = "allkeys-lfu"', '+eviction_policy = "noeviction"']),
      // Widened, or from one expiring policy to another: what is kept is the same.
      patch('conf/wide.conf', 3, ['-maxmemory-policy volatile-lru', '+maxmemory-policy allkeys-lru']),
      patch('conf/same.yaml', 3, ['-  maxmemory-policy: volatile-lru', '+  maxmemory-policy: volatile-ttl']),
    );
    expect(risks.filter((s) => s.kind === 'unbounded_growth').map((s) => [s.code, s.direction])).toEqual([
      ['helm/cache/values-prod.yaml:16', 'tightened'],
      ['conf/store.conf:3', 'tightened'],
    ]);
    expect(risks.find((s) => s.kind === 'unbounded_growth')?.detail).toBe(
      'config.maxmemory-policy allkeys-lru → volatile-lru: only entries with an expiry can be evicted now, so what is written without one stays until memory is full, and then writes are refused',
    );
  });

  it('safety and behaviour switches flipped either way are reported old → new; other booleans are not', () => {
    const { risks, benign } = assess(
      patch('relay/config/relay.yaml', 9, [
        'auth:',
        '  mechanisms: [PLAIN, LOGIN]',
        '-  require_client_cert: false',
        '+  require_client_cert: true',
        '-  pretty_print: true',
        '+  pretty_print: false',
      ]),
      patch('internal/tls/config.go', 12, [' \treturn &tls.Config{', '-\t\tInsecureSkipVerify: false,', '+\t\tInsecureSkipVerify: true,', ' \t}']),
      patch('src/main/resources/application.properties', 1, ['-validation.strict-mode=true', '+validation.strict-mode=false']),
    );
    expect(risks.map((s) => [s.kind, s.detail, s.old, s.new, s.direction])).toEqual([
      ['switch_flipped', 'auth.require_client_cert flipped false → true', 'false', 'true', 'enabled'],
      ['switch_flipped', 'InsecureSkipVerify flipped false → true', 'false', 'true', 'enabled'],
      ['switch_flipped', 'validation.strict-mode flipped true → false', 'true', 'false', 'disabled'],
    ]);
    expect(risks[0]?.identifiers).toEqual(['require_client_cert', 'auth.require_client_cert', 'auth']);
    expect(benign.map((s) => s.detail)).toEqual(['auth.pretty_print changed true → false']);
  });

  it('feature flags turned on or rolled out wider are risky; turned off or narrowed are not', () => {
    const { risks, benign } = assess(
      patch('flags/search-api/production.json', 22, [
        '   "search.semantic_rerank": {',
        '-    "rollout_percent": 0,',
        '+    "rollout_percent": 50,',
        '     "owner": "search"',
        '   },',
      ]),
      patch('flags/checkout.yaml', 1, ['checkout.one_click:', '-  enabled: false', '+  enabled: true', 'checkout.legacy_tax:', '-  enabled: true', '+  enabled: false']),
      patch('config/features.json', 3, ['   "new_pricing": {', '-    "percentage": 50', '+    "percentage": 10', '   }']),
    );
    expect(risks.map((s) => [s.kind, s.detail])).toEqual([
      ['flag_enabled', 'feature flag rollout search.semantic_rerank.rollout_percent turned on 0 → 50%'],
      ['flag_enabled', 'feature flag checkout.one_click.enabled turned on (false → true)'],
    ]);
    expect(risks[0]?.identifiers).toContain('search.semantic_rerank');
    expect(risks[1]?.identifiers).toContain('checkout.one_click');
    expect(benign.map((s) => s.kind)).toEqual(['flag_disabled', 'flag_reduced']);
  });

  it('gives no signal for version bumps, copy, logging levels, sampling, or a longer TTL', () => {
    expect(
      risksOf(
        patch('go.mod', 9, ['-\tgithub.com/json-iterator/go v1.1.12', '+\tgithub.com/json-iterator/go v1.1.13']),
        patch('package.json', 2, ['-  "version": "1.4.0",', '+  "version": "1.5.0",', '   "dependencies": {', '-    "react": "^18.2.0"', '+    "react": "^18.3.1"']),
        patch('Dockerfile', 1, ['-FROM node:20.11-alpine', '+FROM node:20.12-alpine']),
        patch('config/logging.yaml', 1, ['logging:', '-  level: debug', '-  sampling: 1.0', '+  level: info', '+  sampling: 0.25']),
        patch('catalog/config/cache.toml', 4, [' [cache]', '-ttl_seconds = 120', '+ttl_seconds = 300']),
        patch('tls/relay.yaml', 1, ['tls:', '-  min_version: "1.0"', '+  min_version: "1.2"']),
      ),
    ).toEqual([]);
  });
});

describe('a batch of work grown severalfold', () => {
  it('is a risk of its own: each batch takes that many times as long against any deadline on it', () => {
    const risks = assess(
      patch('deploy/planner.yaml', 10, ['   consumer:', '-    max-poll-records: 200', '+    max-poll-records: 2000', '-    prefetch_count: 10', '+    prefetch_count: 20']),
    ).risks;
    expect(risks.filter((s) => s.kind === 'batch_grown').map((s) => [s.code, s.factor])).toEqual([['deploy/planner.yaml:11', 10]]);
    expect(risks.find((s) => s.kind === 'batch_grown')?.detail).toBe('consumer.max-poll-records raised 200 → 2000 (×10): each batch carries that much more work and takes that much longer to finish');
  });
});

describe('the piece one call carries cut severalfold', () => {
  it('is the same work in that many more calls: ids per call, a media segment, a page', () => {
    const { risks, benign } = assess(
      patch('feed/prod/config.hcl', 40, [' batch_get {', '-  max_ids_per_call = 100', '+  max_ids_per_call = 10', '-  parallelism      = 2', '+  parallelism      = 8', ' }']),
      patch('internal/config/defaults.go', 21, ['\treturn Config{', '-\t\tSegmentTarget: 6 * time.Second,', '+\t\tSegmentTarget: 2 * time.Second,', ' \t}']),
      patch('export/settings.yaml', 3, ['export:', '-  page_size: 500', '+  page_size: 50']),
    );
    expect(risks.map((s) => [s.kind, s.direction, s.factor, s.code])).toEqual([
      ['batch_shrunk', 'decreased', 10, 'feed/prod/config.hcl:41'],
      ['batch_shrunk', 'decreased', 3, 'internal/config/defaults.go:22'],
      ['batch_shrunk', 'decreased', 10, 'export/settings.yaml:4'],
    ]);
    expect(risks[0]?.detail).toBe('batch_get.max_ids_per_call cut 100 → 10 (÷10): the same work now takes that many times the calls');
    expect(benign.map((s) => s.kind)).toEqual(['setting_changed']);
  });

  it('is not read into a piece grown, cut a little, or a timeout per request', () => {
    expect(
      risksOf(
        patch('export/settings.yaml', 3, ['export:', '-  page_size: 50', '+  page_size: 500', '-  chunk_size: 300', '+  chunk_size: 200']),
        patch('client.yaml', 1, ['client:', '-  timeout_per_request: 5s', '+  timeout_per_request: 1s']),
      ).map(([kind]) => kind),
    ).toEqual(['limit_changed']);
  });
});

describe('a delay every event waits out, lengthened', () => {
  it('is a risk, where a longer timeout is not: a hold, a linger before sending', () => {
    const { risks, benign } = assess(
      patch('deploy/ingest/debounce.yaml', 5, ['debounce:', '-  clear_hold_ms: 300', '+  clear_hold_ms: 3000']),
      patch('producer.yaml', 1, ['producer:', '-  linger_ms: 5', '+  linger_ms: 200', '-  request_timeout_ms: 30000', '+  request_timeout_ms: 60000']),
    );
    expect(risks.map((s) => [s.kind, s.direction, s.factor])).toEqual([
      ['delay_lengthened', 'lengthened', 10],
      ['delay_lengthened', 'lengthened', 40],
    ]);
    expect(risks[0]?.detail).toBe('debounce.clear_hold_ms lengthened 300 → 3000 (×10): every event it holds waits that much longer');
    expect(benign.map((s) => [s.kind, s.direction])).toEqual([['limit_changed', 'loosened']]);
  });

  it('is no risk when it was shortened', () => {
    const { risks, benign } = assess(patch('deploy/ingest/debounce.yaml', 5, ['debounce:', '-  clear_hold_ms: 3000', '+  clear_hold_ms: 300']));
    expect(risks).toEqual([]);
    expect(benign.map((s) => [s.kind, s.direction])).toEqual([['setting_changed', 'shortened']]);
  });
});

describe('what an autoscaler waits for before it adds a replica, raised', () => {
  it('is a risk: capacity comes only once the load is that much higher', () => {
    const { risks } = assess(
      patch('charts/worker/values-prod.yaml', 10, ['autoscaling:', '  keda:', '    triggers:', '      - type: kafka', '        metadata:', '-          lagThreshold: "50"', '+          lagThreshold: "500"']),
    );
    expect(risks.map((s) => [s.kind, s.direction, s.factor])).toEqual([['scaling_delayed', 'increased', 10]]);
    expect(risks[0]?.detail).toBe('autoscaling keda.triggers.metadata.lagThreshold raised 50 → 500 (×10): replicas are added only once the load is that much higher');
  });

  it('is no risk lowered, nor a threshold outside an autoscaler', () => {
    expect(risksOf(patch('charts/worker/values-prod.yaml', 10, ['autoscaling:', '  keda:', '-    lagThreshold: "500"', '+    lagThreshold: "50"']))).toEqual([]);
    expect(risksOf(patch('alerts/rules.yaml', 1, ['alerting:', '-  lagThreshold: 50', '+  lagThreshold: 500']))).toEqual([]);
  });
});

describe('a setting given as a name/value pair whose value alone was edited', () => {
  it('is read as the setting its unchanged name line names: a Kubernetes env entry, an HCL parameter block', () => {
    expect(risksOf(patch('k8s/deploy.yaml', 10, ['        env:', '        - name: DB_POOL_SIZE', '-          value: "40"', '+          value: "10"', '        - name: LOG_LEVEL']))).toEqual([
      ['limit_changed', 'DB_POOL_SIZE tightened 40 → 10 (÷4)'],
    ]);
    expect(
      risksOf(patch('terraform/redis.tf', 21, ['  parameter {', '    name  = "maxmemory-policy"', '-    value = "allkeys-lru"', '+    # only keys with a TTL may be evicted', '+    value = "volatile-lru"', '  }'])).map(([kind]) => kind),
    ).toEqual(['unbounded_growth']);
  });

  it('is not read from a name that belongs to another entry', () => {
    expect(risksOf(patch('k8s/deploy.yaml', 10, ['        - name: DB_POOL_SIZE', '          value: "40"', '        - name: RETRY_LIMIT', '          valueFrom: {}', '-          value: "3"']))).toEqual([]);
  });

  it('is read across files: a setting deleted from one and set in another with a new value is that setting edited', () => {
    const { risks } = assess(
      patch('images/turn-base/scripts/10-sysctl.sh', 1, [
        ' cat > /etc/sysctl.d/90-turn.conf <<EOF',
        '-net.core.rmem_default = 262144',
        '-net.netfilter.nf_conntrack_max = 262144',
        ' EOF',
      ]),
      patch('baseline/cis-l1/files/sysctl.d/60-cis-netfilter.conf', 1, ['+net.netfilter.nf_conntrack_max = 131072', '+net.ipv4.conf.all.rp_filter = 1'], { newFile: true }),
    );
    expect(risks.map((s) => [s.kind, s.direction, s.old, s.new])).toEqual([['limit_changed', 'tightened', '262144', '131072']]);
    expect(risks[0]?.code).toBe('baseline/cis-l1/files/sysctl.d/60-cis-netfilter.conf:1');
  });

  it('is not read across files when the value it is set to again is the same', () => {
    const { risks } = assess(
      patch('a/sysctl.sh', 1, [' cat <<EOF', '-net.netfilter.nf_conntrack_max = 262144', ' EOF']),
      patch('b/netfilter.conf', 1, ['+net.netfilter.nf_conntrack_max = 262144'], { newFile: true }),
    );
    expect(risks).toEqual([]);
  });

  it("an annotation's argument on an added declaration describes it, and turns no switch; changed on a kept declaration, it does", () => {
    const param = (context: boolean): string =>
      patch('src/main/kotlin/x/InvoiceController.kt', 20, [
        '     fun list(',
        ...(context ? ['         @RequestParam(required = false) status: InvoiceStatus?,'] : ['         status: InvoiceStatus?,']),
        '+        @RequestParam(required = false) poNumber: String?,',
        '     ): Page<Invoice> {',
      ]);
    expect(assess(param(true)).risks).toEqual([]);
    expect(assess(param(false)).risks).toEqual([]);
    const changed = patch('src/main/kotlin/x/InvoiceService.kt', 20, ['-    @Transactional(readOnly = true)', '+    @Transactional(readOnly = false)', '     fun settle(id: Long) {']);
    expect(assess(changed).risks.map((s) => s.kind)).toEqual(['switch_flipped']);
  });

  it('a window that gathered updates into one send, set to zero, turns gathering off', () => {
    const { risks } = assess(
      patch('deploy/fanout/prod.yaml', 25, ['conflation:', '-  window_ms: 250', '+  window_ms: 0', '  max_pending_per_symbol: 1']),
      patch('config/producer.properties', 3, ['-linger.ms=20', '+linger.ms=0']),
    );
    expect(risks.map((s) => [s.kind, s.direction, s.old, s.new])).toEqual([
      ['batch_shrunk', 'decreased', '250', '0'],
      ['batch_shrunk', 'decreased', '20', '0'],
    ]);
    // Shortened but still gathering, or a window that gathers nothing (a retry window), is not that.
    const kept = assess(
      patch('deploy/fanout/prod.yaml', 25, ['conflation:', '-  window_ms: 250', '+  window_ms: 100']),
      patch('config/app.yaml', 3, ['retry:', '-  window_ms: 250', '+  window_ms: 0']),
    ).risks;
    expect(kept.filter((s) => s.kind === 'batch_shrunk')).toEqual([]);
  });

  it('a keepalive interval lengthened leaves idle connections silent past the timeouts on their way', () => {
    const { risks } = assess(
      patch('config/prod/gateway.yaml', 34, ['keepalive:', '-  ping_interval: 25s', '+  ping_interval: 90s', '  pong_timeout: 20s']),
      patch('src/main/resources/application.properties', 3, ['-socket.heartbeat-interval-ms=10000', '+socket.heartbeat-interval-ms=45000']),
    );
    expect(risks.map((s) => [s.kind, s.direction, s.old, s.new])).toEqual([
      ['delay_lengthened', 'lengthened', '25s', '90s'],
      ['delay_lengthened', 'lengthened', '10000', '45000'],
    ]);
    // Shortened, or an interval that paces no keepalive (a poll), is not that.
    const kept = assess(
      patch('config/prod/gateway.yaml', 34, ['keepalive:', '-  ping_interval: 90s', '+  ping_interval: 25s']),
      patch('config/app.yaml', 3, ['metrics:', '-  flush_interval: 10s', '+  flush_interval: 60s']),
    ).risks;
    expect(kept.filter((s) => s.kind === 'delay_lengthened')).toEqual([]);
  });

  it('a switch inside a logging block says what is recorded, not how the work is done', () => {
    expect(assess(patch('config/ride-request-api/prod.yaml', 40, ['log:', '  level: info', '+  idempotency_key: true', '  sample_matched: 0.01'])).risks).toEqual([]);
    // How the recording is done is a cost of its own; the same key outside a logging block is a switch.
    expect(assess(patch('config/app.yaml', 3, ['logging:', '-  async: true', '+  async: false'])).risks.map((s) => s.kind)).toEqual(['switch_flipped']);
    expect(assess(patch('config/app.yaml', 3, ['payments:', '+  idempotency_key: true'])).risks.map((s) => s.kind)).toEqual(['switch_flipped']);
  });
});
