// A service's calls to its database slow down and nothing else shows why: the database's own
// series hold level, another service using it sees nothing, and a caller of the paged service
// whose config changed a minute before got worse only as the paged service did. An SRE says
// "unknown" here; the database is named only when its own series moved with the incident.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2034-10-02T08:00:00Z';

const run = syntheticRunner('level', { start: START, minutes: 150 });

/** The database's own series: level, or (from `degradesAt`) busy and slow. */
function store(degradesAt: number | null): SeriesSpec[] {
  const shift = (to: number): SeriesSpec['shifts'] => (degradesAt === null ? undefined : [{ at: degradesAt, to }]);
  return [
    { metric: 'pg_cpu_usage_ratio', service: 'quote-store', level: 0.25, shifts: shift(0.95) },
    { metric: 'pg_stat_activity_count', service: 'quote-store', level: 14, shifts: shift(90) },
    { metric: 'pg_statement_mean_seconds', service: 'quote-store', level: 0.004, shifts: shift(0.9) },
  ];
}

function series(degradesAt: number | null, portalFrom: number): SeriesSpec[] {
  return [
    { metric: 'pg_client_query_duration_seconds_p99', service: 'quote-api', labels: { db: 'quote-store' }, level: 0.04, shifts: [{ at: 95, to: 1.9 }] },
    { metric: 'http_5xx_ratio', service: 'quote-api', level: 0.003, shifts: [{ at: 95, to: 0.04 }] },
    { metric: 'http_requests_per_second', service: 'quote-api', level: 60 },
    { metric: 'pg_client_query_duration_seconds_p99', service: 'ledger-svc', labels: { db: 'quote-store' }, level: 0.03 },
    { metric: 'http_5xx_ratio', service: 'portal-web', level: 0.002, shifts: [{ at: portalFrom, to: 0.009 }] },
    ...store(degradesAt),
  ];
}

// A caller's setting changed a minute before the onset; nothing in it touches the database.
const portalConfig = { id: 'cfg-512', service: 'portal-web', type: 'config', at: 94, summary: 'portal-web session idle timeout 30 -> 60 min' };

const logs: BundleSpec['logs'] = {
  'quote-api': [...every(0, 150, 2, 'info', 'quote served'), ...every(95.2, 110, 0.5, 'error', 'query failed: read ETIMEDOUT')],
  'portal-web': every(0, 150, 2, 'info', 'GET /quotes 200'),
};

describe('calls to a database that slowed while it held level', () => {
  it('name no cause: neither the database, nor a caller that only moved with the paged service', async () => {
    const r = await run({ alert: { title: 'quote-api 5xx above 2%', service: 'quote-api', at: 104 }, series: series(null, 95), changes: [portalConfig], logs });
    expect(verdict(r)).toEqual({ category: 'unknown', service: null, change_id: null });
  });

  it('name the database when its own series moved with the incident', async () => {
    const r = await run({ alert: { title: 'quote-api 5xx above 2%', service: 'quote-api', at: 104 }, series: series(94.5, 95), changes: [], logs });
    expect(verdict(r)).toEqual({ category: 'dependency', service: 'quote-store', change_id: null });
  });
});

describe('a database named by its kind in the labels', () => {
  // The client's labels say `db="postgres"`, `database="quotes"`; the bundle spells the
  // database's own service `postgres-quotes`. The store's own series are still its.
  const kindSeries = (degradesAt: number | null): SeriesSpec[] =>
    series(degradesAt, 95).map((s) => ({
      ...s,
      service: s.service === 'quote-store' ? 'postgres-quotes' : s.service,
      labels: s.labels?.db === 'quote-store' ? { db: 'postgres', database: 'quotes' } : s.labels,
    }));

  it('is read through its own series: held level, no cause is named', async () => {
    const r = await run({ alert: { title: 'quote-api 5xx above 2%', service: 'quote-api', at: 104 }, series: kindSeries(null), changes: [], logs });
    expect(verdict(r)).toEqual({ category: 'unknown', service: null, change_id: null });
  });

  it('is named as the service it is when its own series moved with the incident', async () => {
    const r = await run({ alert: { title: 'quote-api 5xx above 2%', service: 'quote-api', at: 104 }, series: kindSeries(94.5), changes: [], logs });
    expect(verdict(r)).toEqual({ category: 'dependency', service: 'postgres-quotes', change_id: null });
  });
});

describe('a caller that got worse after the service behind it', () => {
  // quote-reader's reads slowed first; quote-api (paged) and then its caller portal-web
  // followed. A flag on portal-web four minutes before is not the cause: portal-web felt it.
  it('is not blamed for its own change', async () => {
    const r = await run({
      alert: { title: 'quote-api 5xx above 2%', service: 'quote-api', at: 104 },
      stepSeconds: 30,
      series: [
        { metric: 'http_request_duration_seconds_p99', service: 'quote-reader', level: 0.08, shifts: [{ at: 95, to: 1.4 }] },
        { metric: 'http_5xx_ratio', service: 'quote-api', level: 0.002, shifts: [{ at: 95.5, to: 0.03 }] },
        { metric: 'http_requests_per_second', service: 'quote-api', level: 60 },
        { metric: 'http_5xx_ratio', service: 'portal-web', level: 0.0015, shifts: [{ at: 95.5, to: 0.009 }] },
        { metric: 'http_requests_per_second', service: 'portal-web', level: 110 },
      ],
      changes: [{ id: 'flag-chart-v2', service: 'portal-web', type: 'feature_flag', at: 91, summary: 'chart palette v2: 100%', attributes: { flag: 'chart_palette_v2' } }],
      logs: {
        'quote-api': [...every(0, 150, 2, 'info', 'quote served'), ...every(95.6, 110, 0.5, 'error', 'upstream request failed: 504')],
        'portal-web': every(0, 150, 2, 'info', 'GET /quotes 200'),
      },
    });
    expect(verdict(r)).toEqual({ category: 'unknown', service: null, change_id: null });
  });
});

describe('a partner named only by a label of its own', () => {
  // The channel manager pushes rates to three travel sites, split by `ota`; only one of them
  // fails, and the new errors name it. No vocabulary lists `ota` as the other end of a call.
  const push = (ota: string, failing: boolean, key = 'ota'): SeriesSpec[] => [
    { metric: 'channel_push_duration_seconds_p99', service: 'channel-sync', labels: { [key]: ota }, level: 0.4, shifts: failing ? [{ at: 95, to: 9 }] : [] },
    { metric: 'channel_push_errors_per_second', service: 'channel-sync', labels: { [key]: ota }, level: 0.02, shifts: failing ? [{ at: 95, to: 6 }] : [] },
  ];
  const bundle = (key: string): Parameters<typeof run>[0] => ({
    alert: { title: 'channel-sync backlog above 10k', service: 'channel-sync', at: 104 },
    series: [
      ...push('bookzilla', true, key),
      ...push('travelhub', false, key),
      ...push('staygrid', false, key),
      { metric: 'channel_backlog', service: 'channel-sync', level: 300, shifts: [{ at: 96, to: 14000 }] },
    ],
    changes: [{ id: 'deploy-661', service: 'channel-sync', type: 'deploy', at: 88, summary: 'channel-sync: travelhub age mapping', diff: patch('sync/ages.py', ['CHILD_MAX = 11'], ['CHILD_MAX = 12']) }],
    logs: {
      'channel-sync': [...every(0, 150, 2, 'info', 'rates pushed'), ...every(95.2, 150, 0.3, 'error', 'push to bookzilla failed: 503 Service Unavailable from bz-edge-ams-2')],
    },
  });
  it('is not read from a label that names an operation, not a party', async () => {
    const r = await run(bundle('operation'));
    expect(verdict(r).category).not.toBe('dependency');
  });

  it('is the dependency that failed, not the release of the service that calls it', async () => {
    const r = await run(bundle('ota'));
    expect(verdict(r)).toEqual({ category: 'dependency', service: null, change_id: null });
    expect(r.diagnosis?.root_cause.description).toContain('bookzilla');
  });
});

describe('a carrier whose calls fail two ways', () => {
  // One carrier (the metric is named for it), its errors split by code: 503s and timeouts both
  // rise. Both series are the same calls to the same carrier, not a sign that everything failed.
  it('is the dependency', async () => {
    const r = await run({
      alert: { title: 'rental-api unlock failures above 10%', service: 'rental-api', at: 104 },
      series: [
        { metric: 'carrier_api_errors_per_second', service: 'dock-gw', labels: { carrier: 'telnova', code: '503' }, level: 0.02, shifts: [{ at: 94.5, to: 3.7 }] },
        { metric: 'carrier_api_errors_per_second', service: 'dock-gw', labels: { carrier: 'telnova', code: 'timeout' }, level: 0.005, shifts: [{ at: 94.5, to: 2.6 }] },
        { metric: 'rental_unlock_failure_ratio', service: 'rental-api', level: 0.01, shifts: [{ at: 95, to: 0.6 }] },
      ],
      changes: [{ id: 'rel-612', service: 'rental-api', type: 'deploy', at: 87, summary: 'rental-api: group rides', diff: patch('rides/group.py', ['MAX_BIKES = 1'], ['MAX_BIKES = 4']) }],
      logs: {
        'dock-gw': [...every(0, 150, 2, 'info', 'dock heartbeat'), ...every(94.6, 150, 0.2, 'warn', 'telnova POST /v2/devices/commands -> 503 Service Unavailable')],
        'rental-api': [...every(0, 150, 2, 'info', 'rental ok'), ...every(95.1, 150, 0.5, 'warn', 'unlock failed reason=dock_timeout')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'dependency', service: null, change_id: null });
  });
});

describe('a third party failing at the moment the incident began', () => {
  // The verifier calls the provider; nothing names the verifier beside the paged funding API,
  // and both went wrong in the same minute. The new errors name the provider.
  it('is the dependency, though no name links its caller to the paged service', async () => {
    const r = await run({
      alert: { title: 'funding-api errors above 5%', service: 'funding-api', at: 104 },
      series: [
        { metric: 'provider_errors_per_second', service: 'invoice-verify', labels: { provider: 'confirmly' }, level: 0.01, shifts: [{ at: 95, to: 9 }] },
        { metric: 'provider_errors_per_second', service: 'invoice-verify', labels: { provider: 'kredo' }, level: 0.01 },
        { metric: 'http_server_errors_ratio', service: 'funding-api', level: 0.004, shifts: [{ at: 95, to: 0.2 }] },
      ],
      changes: [{ id: 'cfg-93', service: 'funding-api', type: 'config', at: 90, summary: 'advance rate for logistics 80% -> 75%', diff: patch('config/rates.yaml', ['  logistics: 0.80'], ['  logistics: 0.75']) }],
      logs: {
        'invoice-verify': [...every(0, 150, 2, 'info', 'invoice verified'), ...every(95.1, 150, 0.3, 'error', 'confirmly request failed: 503 Service Unavailable (retry_after=30)')],
        'funding-api': every(0, 150, 2, 'info', 'advance decided'),
      },
    });
    expect(verdict(r)).toEqual({ category: 'dependency', service: null, change_id: null });
  });
});

describe('a provider failing behind a queue', () => {
  it('is the dependency, though nothing names the worker that calls it beside the paged consumer', async () => {
    const r = await run({
      alert: { title: 'toll-ledger lag above 15 minutes', service: 'toll-ledger', at: 104 },
      series: [
        { metric: 'ocr_errors_per_second', service: 'lane-reader', labels: { provider: 'vizplate' }, level: 0.6, shifts: [{ at: 95, to: 160 }] },
        { metric: 'ocr_request_duration_seconds_p99', service: 'lane-reader', labels: { provider: 'vizplate' }, level: 0.4, shifts: [{ at: 95, to: 8 }] },
        { metric: 'ocr_request_duration_seconds_p99', service: 'lane-reader', labels: { provider: 'local-model' }, level: 0.05 },
        { metric: 'ledger_processing_lag_seconds', service: 'toll-ledger', level: 35, shifts: [{ at: 96.5, to: 1000 }] },
      ],
      changes: [{ id: 'rel-23', service: 'toll-ledger', type: 'deploy', at: 86, summary: 'toll-ledger: round the off-peak discount' }],
      logs: {
        'lane-reader': [...every(0, 150, 2, 'info', 'plate read'), ...every(95.2, 150, 0.3, 'error', 'vizplate read failed: 503 Service Unavailable')],
        'toll-ledger': every(0, 150, 2, 'info', 'passage settled'),
      },
    });
    expect(r.diagnosis?.root_cause.category).toBe('dependency');
  });
});

describe('a consumer group named by the lag it reports', () => {
  // The broker reports each consumer group's lag (`kafka_consumergroup_lag{consumergroup=…}`);
  // one group falls behind and its own service logs that it is slow. The group is the consumer,
  // whatever the metric is named for: no party outside the bundle that failed.
  it('is not read as a dependency that failed', async () => {
    const lag = (group: string, behind: boolean): SeriesSpec => ({ metric: 'kafka_consumergroup_lag', service: 'event-bus', labels: { consumergroup: group }, level: 800, shifts: behind ? [{ at: 95, to: 900000 }] : [] });
    const r = await run({
      alert: { title: 'sensor readings stale', service: 'gas-monitor', at: 110 },
      series: [lag('tsdb-writer', true), lag('alarm-router', false), lag('archiver', false), { metric: 'latest_reading_age_seconds', service: 'gas-monitor', level: 4, shifts: [{ at: 96, to: 140 }] }],
      changes: [{ id: 'rel-gas-12', service: 'gas-monitor', type: 'deploy', at: 40, summary: 'gas-monitor 1.2: sensor names on the dashboard', diff: patch('monitor/names.py', ['LABEL = sensor.id'], ['LABEL = sensor.name']) }],
      logs: {
        'event-bus': [...every(0, 150, 2, 'info', 'partition leader elected'), ...every(95.5, 150, 0.5, 'warn', 'consumer group tsdb-writer lag high: slow batch insert')],
        'gas-monitor': every(0, 150, 2, 'info', 'readings polled'),
      },
    });
    expect(verdict(r).category).not.toBe('dependency');
  });
});
