// Reasoning an SRE uses on incidents the engine has never seen, each rule pinned on a small
// bundle with names no fixture uses, and an adversarial twin where the rule must not fire:
// code behind a flag that is off, a flag's name in any spelling in the stack traces, work per
// request that steps up with a release, a slow leak long before the onset, a staged rollout
// the symptoms follow, a moved schedule that acts when it fires, and a caller whose errors
// name the paged service (its view of the symptom, not its own change acting).
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type Run, triage, verdict } from './helpers.js';
import { every, patch, writeBundle, type BundleSpec, type SeriesSpec } from './synthetic.js';
import { tempDir } from './transform.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

// 09:00 UTC: minute m of the bundle is 09:00 + m.
const START = '2034-03-14T09:00:00Z';

async function run(spec: Omit<BundleSpec, 'start' | 'minutes'> & { minutes?: number }): Promise<Run> {
  const dir = tempDir('mechanisms');
  made.push(dir);
  return triage(writeBundle(dir, { start: START, minutes: 150, ...spec }));
}

const info = (service: string): Array<{ at: number; level: string; message: string }> => every(0, 150, 2, 'info', `${service} handled request ok`);

describe('code behind a flag that is off cannot have acted', () => {
  const release = {
    id: 'rel-310',
    service: 'billing',
    type: 'deploy',
    at: 88,
    summary: 'billing 4.2: smart retry path',
    diff: patch('billing/charge.go', ['\treturn c.charge(ctx, req)'], ['\tif flags.IsEnabled("billing.smart_retry") {', '\t\treturn c.smartCharge(ctx, req)', '\t}', '\treturn c.charge(ctx, req)']),
  };
  const series: SeriesSpec[] = [
    { metric: 'billing_request_errors_ratio', service: 'billing', level: 0.002, shifts: [{ at: 100, to: 0.12 }] },
    { metric: 'billing_request_duration_p99_seconds', service: 'billing', level: 0.25, shifts: [{ at: 100, to: 1.8 }] },
  ];

  it('does not blame a release whose only new code waits on a flag no change turned on', async () => {
    const r = await run({ alert: { title: 'BillingErrors', service: 'billing', at: 106 }, series, changes: [release], logs: { billing: info('billing') } });
    expect(verdict(r).change_id).not.toBe('rel-310');
    const ruledOut = r.toolCalls.filter((c) => c.name === 'note_hypothesis' && c.input['status'] === 'refuted').map((c) => String(c.input['statement']));
    expect(ruledOut.some((s) => s.includes('rel-310') && /flag/.test(s))).toBe(true);
  });

  it('blames the flag change that turned that code on', async () => {
    const r = await run({
      alert: { title: 'BillingErrors', service: 'billing', at: 106 },
      series,
      changes: [release, { id: 'ff-77', service: 'billing', type: 'feature_flag', at: 99.5, summary: 'smart retry on for all merchants', attributes: { flag: 'billing.smart_retry' } }],
      logs: { billing: info('billing') },
    });
    expect(verdict(r)).toMatchObject({ category: 'feature_flag', change_id: 'ff-77' });
  });
});

describe("a flag's name, in any spelling, in the errors that began as it flipped", () => {
  const spec = (trace: string): Omit<BundleSpec, 'start' | 'minutes'> => ({
    alert: { title: 'GuildJoinErrors', service: 'guilds', at: 106 },
    series: [
      { metric: 'guilds_join_failures_per_second', service: 'guilds', level: 0.3, shifts: [{ at: 100.5, to: 40 }] },
      { metric: 'guilds_request_duration_p99_seconds', service: 'guilds', level: 0.2 },
    ],
    changes: [
      { id: 'rel-90', service: 'guilds', type: 'deploy', at: 40, summary: 'guilds 2.0: new roster page' },
      { id: 'flag-guilds-roster-sharding', service: 'guilds', type: 'feature_flag', at: 100, summary: 'roster sharding: 100%' },
    ],
    logs: { guilds: [...info('guilds'), ...every(100.5, 150, 0.5, 'error', `join failed\n${trace}`)] },
  });

  it('blames the flag when the stack traces name its feature (RosterShardingResolver)', async () => {
    const r = await run(spec('java.lang.IllegalStateException: no shard for region\n\tat com.example.guilds.RosterShardingResolver.resolve(RosterShardingResolver.kt:41)'));
    expect(verdict(r)).toMatchObject({ category: 'feature_flag', service: 'guilds', change_id: 'flag-guilds-roster-sharding' });
  });

  it('does not blame it on timing alone when the errors name something else', async () => {
    const r = await run(spec('java.net.SocketTimeoutException: connect timed out\n\tat com.example.guilds.DirectoryClient.fetch(DirectoryClient.kt:88)'));
    expect(verdict(r).change_id).toBeNull();
  });
});

describe('work per request that steps up as a release takes effect', () => {
  const spec = (queriesAfter: number): Omit<BundleSpec, 'start' | 'minutes'> => ({
    alert: { title: 'CatalogSlow', service: 'catalog', at: 132 },
    series: [
      { metric: 'catalog_db_queries_per_request', service: 'catalog', level: 4, shifts: [{ at: 60, to: queriesAfter }] },
      { metric: 'catalog_request_duration_p99_seconds', service: 'catalog', level: 0.3, shifts: [{ at: 61, to: 0.5 }, { at: 120, to: 2.4 }] },
    ],
    changes: [
      { id: 'rel-5', service: 'catalog', type: 'deploy', at: 59.5, summary: 'catalog 7.1: listing badges', diff: patch('catalog/views.py', ['    qs = Item.objects.all()'], ['    qs = Item.objects.filter(active=True)']) },
      { id: 'rel-6', service: 'catalog', type: 'deploy', at: 110, summary: 'catalog 7.2: translations' },
    ],
  });

  it('blames the release when each request began to run many more queries with it', async () => {
    const r = await run(spec(36));
    expect(verdict(r)).toMatchObject({ category: 'deploy', service: 'catalog', change_id: 'rel-5' });
  });

  it('does not, when the work per request stayed flat', async () => {
    const r = await run(spec(4));
    expect(verdict(r).change_id).not.toBe('rel-5');
  });
});

describe('a slow leak, long before the onset', () => {
  // `wander`: how far the memory of the pods before moves about its level (a collector's sawtooth), and of the new ones besides their growth.
  const pods = (grow: number, wander = 0.01): SeriesSpec[] => [
    { metric: 'container_memory_working_set_bytes', service: 'ingest', labels: { pod: 'ingest-old-a' }, level: 4e8, noise: wander, until: 30 },
    { metric: 'container_memory_working_set_bytes', service: 'ingest', labels: { pod: 'ingest-old-b' }, level: 4e8, noise: wander, until: 30 },
    { metric: 'container_memory_working_set_bytes', service: 'ingest', labels: { pod: 'ingest-new-a' }, level: 2.5e8, noise: 0.01, from: 30.5, slope: grow },
    { metric: 'container_memory_working_set_bytes', service: 'ingest', labels: { pod: 'ingest-new-b' }, level: 2.5e8, noise: 0.01, from: 30.5, slope: grow },
  ];
  const spec = (grow: number, wander?: number): Omit<BundleSpec, 'start' | 'minutes'> => ({
    alert: { title: 'IngestLagging', service: 'ingest', at: 128 },
    series: [...pods(grow, wander), { metric: 'ingest_consumer_lag_seconds', service: 'ingest', level: 2, shifts: [{ at: 120, to: 340 }] }],
    changes: [
      { id: 'rel-12', service: 'ingest', type: 'deploy', at: 30, summary: 'ingest 3.1: drop duplicate events' },
      { id: 'cfg-8', service: 'ingest', type: 'config', at: 95, summary: 'log sampling 10% -> 5%' },
    ],
    logs: { ingest: [...info('ingest'), ...every(118, 150, 1, 'warn', 'OOMKilled: container ingest exceeded its memory limit')] },
  });

  it('blames the release whose new pods grew steadily while the ones before held flat', async () => {
    const r = await run(spec(1.2e7));
    expect(verdict(r)).toMatchObject({ category: 'deploy', service: 'ingest', change_id: 'rel-12' });
  });

  it('does not, when the new pods held flat too', async () => {
    const r = await run(spec(0));
    expect(verdict(r).change_id).not.toBe('rel-12');
  });

  it('blames it for a smaller climb that rose in nearly every tenth, while the pods before wandered about their level', async () => {
    // Two fifths more by the onset, climbing all the way; the pods before moved a fifth up and down around theirs.
    const r = await run(spec(1.1e6, 0.2));
    expect(verdict(r)).toMatchObject({ category: 'deploy', service: 'ingest', change_id: 'rel-12' });
  });

  it('does not, when the new pods wandered as much as the ones before and never climbed', async () => {
    const r = await run({ ...spec(0, 0.2), series: [...pods(0, 0.2).map((p) => ({ ...p, noise: 0.2 })), { metric: 'ingest_consumer_lag_seconds', service: 'ingest', level: 2, shifts: [{ at: 120, to: 340 }] }] });
    expect(verdict(r).change_id).not.toBe('rel-12');
  });

  it('does not, when the new pods climbed only to where the ones before sat and levelled off there', async () => {
    // A fresh pod fills its heap and caches for most of its life, to the level its kind settles
    // at, and levels off there before the pods are moved to other nodes (at minute 110).
    const warm = pods(0).map((p) => (p.from === undefined ? p : { ...p, slope: 2.8e6, slopeFrom: 30.5, slopeUntil: 85, until: 110 }));
    const moved = ['ingest-moved-a', 'ingest-moved-b'].map((pod): SeriesSpec => ({ metric: 'container_memory_working_set_bytes', service: 'ingest', labels: { pod }, level: 4e8, noise: 0.01, from: 110.5 }));
    const r = await run({ ...spec(0), series: [...warm, ...moved, { metric: 'ingest_consumer_lag_seconds', service: 'ingest', level: 2, shifts: [{ at: 120, to: 340 }] }] });
    expect(verdict(r).change_id).not.toBe('rel-12');
  });

  it('reads each metric the pods hold apart: descriptors that climb on every new pod are a leak while their memory holds', async () => {
    const held = (metric: string, pod: string, level: number, spec: Partial<SeriesSpec> = {}): SeriesSpec => ({ metric, service: 'ingest', labels: { pod }, level, noise: 0.02, ...spec });
    const r = await run({
      ...spec(0),
      series: [
        ...['ingest-old-a', 'ingest-old-b'].flatMap((pod) => [
          held('app_connections_open', pod, 12, { until: 30 }),
          held('jvm_memory_used_bytes', pod, 3e8, { until: 30 }),
          held('process_open_fds', pod, 40, { until: 30 }),
        ]),
        ...['ingest-new-a', 'ingest-new-b', 'ingest-new-c'].flatMap((pod) => [
          held('app_connections_open', pod, 12, { from: 30.5 }),
          held('jvm_memory_used_bytes', pod, 3e8, { from: 30.5 }),
          held('process_open_fds', pod, 40, { from: 30.5, slope: 5 }),
        ]),
        { metric: 'ingest_consumer_lag_seconds', service: 'ingest', level: 2, shifts: [{ at: 120, to: 340 }] },
      ],
    });
    expect(verdict(r)).toMatchObject({ category: 'deploy', service: 'ingest', change_id: 'rel-12' });
  });

  it('reads a small count on the pods before it as flat beside the climb of the pods it started', async () => {
    // Connections held per pod: one old pod moved from 1 to 1.5 (half again, one unit), while
    // the pods the release started climbed elevenfold.
    const conns = (pod: string, spec: Partial<SeriesSpec>): SeriesSpec => ({ metric: 'hikaricp_connections_active', service: 'payouts', labels: { pod }, level: 1, ...spec });
    const r = await run({
      alert: { title: 'PayoutsFailing', service: 'payouts', at: 128 },
      series: [
        conns('payouts-old-a', { noise: 0.05, until: 30, shifts: [{ at: 15, to: 1.5 }] }),
        conns('payouts-old-b', { noise: 0.05, until: 30 }),
        conns('payouts-new-a', { level: 2, noise: 0.02, from: 30.5, slope: 0.25 }),
        conns('payouts-new-b', { level: 2, noise: 0.02, from: 30.5, slope: 0.25 }),
        { metric: 'payout_errors_per_second', service: 'payouts', level: 0.1, shifts: [{ at: 120, to: 12 }] },
      ],
      changes: [
        { id: 'rel-412', service: 'payouts', type: 'deploy', at: 30, summary: 'payouts 4.12: reserve check first' },
        { id: 'cfg-44', service: 'payouts', type: 'config', at: 95, summary: 'log sampling 10% -> 5%' },
      ],
      logs: { payouts: [...info('payouts'), ...every(118, 150, 1, 'error', 'HikariPool-1 - Connection is not available, request timed out after 30000ms')] },
    });
    expect(verdict(r)).toMatchObject({ category: 'deploy', service: 'payouts', change_id: 'rel-412' });
  });

  it('does not read memory summed over instances as a leak when the instances grew in number with it', async () => {
    // One series for the service, summed over its pods: it grows in steps because the autoscaler adds pods.
    const stairs = (level: number): Array<{ at: number; to: number }> => Array.from({ length: 9 }, (_, k) => ({ at: 35 + 10 * k, to: level * (1 + 0.1 * (k + 1)) }));
    const spec = (podsGrow: boolean): Omit<BundleSpec, 'start' | 'minutes'> => ({
      alert: { title: 'IngestLagging', service: 'ingest', at: 128 },
      series: [
        { metric: 'container_memory_working_set_bytes', service: 'ingest', level: 2e9, noise: 0.005, shifts: stairs(2e9) },
        { metric: 'kube_hpa_status_current_replicas', service: 'ingest', level: 4, noise: 0, shifts: podsGrow ? stairs(4) : [] },
        { metric: 'ingest_consumer_lag_seconds', service: 'ingest', level: 2, shifts: [{ at: 120, to: 340 }] },
      ],
      changes: [{ id: 'rel-12', service: 'ingest', type: 'deploy', at: 30, summary: 'ingest 3.1: drop duplicate events' }],
      logs: { ingest: [...info('ingest'), ...every(118, 150, 1, 'warn', 'consumer lag above 300s')] },
    });
    expect(verdict(await run(spec(true))).change_id ?? null).toBeNull();
    // The same memory with the pod count flat is a leak.
    expect(verdict(await run(spec(false))).change_id).toBe('rel-12');
  });
});

describe('a staged rollout that the symptoms follow', () => {
  const spec = (steps: number[]): Omit<BundleSpec, 'start' | 'minutes'> => ({
    alert: { title: 'ScoringSlow', service: 'scoring', at: 126 },
    series: [
      { metric: 'scoring_request_duration_p99_seconds', service: 'scoring', level: 0.2, shifts: steps.map((at, i) => ({ at, to: 0.2 + 0.5 * (i + 1) })) },
      { metric: 'scoring_cpu_usage_cores', service: 'scoring', level: 2, shifts: steps.map((at, i) => ({ at, to: 2 + 1.5 * (i + 1) })) },
    ],
    changes: [
      { id: 'ff-a', service: 'scoring', type: 'feature_flag', at: 60, summary: 'deep rerank 0% -> 25%', attributes: { flag: 'scoring.deep_rerank' } },
      { id: 'ff-b', service: 'scoring', type: 'feature_flag', at: 90, summary: 'deep rerank 25% -> 60%', attributes: { flag: 'scoring.deep_rerank' } },
      { id: 'ff-c', service: 'scoring', type: 'feature_flag', at: 115, summary: 'deep rerank 60% -> 100%', attributes: { flag: 'scoring.deep_rerank' } },
      { id: 'rel-3', service: 'scoring', type: 'deploy', at: 75, summary: 'scoring 9.4: metrics labels' },
    ],
  });

  it('names the rollout when the symptoms step up at its stages', async () => {
    const r = await run(spec([60.5, 90.5, 115.5]));
    expect(verdict(r).category).toBe('feature_flag');
    expect(['ff-a', 'ff-b', 'ff-c']).toContain(verdict(r).change_id);
  });

  it('does not, when the steps fall between its stages', async () => {
    const r = await run(spec([68, 103, 122]));
    expect(['ff-a', 'ff-b', 'ff-c']).not.toContain(verdict(r).change_id);
  });
});

describe('a moved schedule acts when it fires', () => {
  // Minute 100 of the bundle is 10:40 UTC.
  const spec = (cron: string): Omit<BundleSpec, 'start' | 'minutes'> => ({
    alert: { title: 'AccountsSlow', service: 'accounts', at: 110 },
    series: [
      { metric: 'accounts_request_duration_p99_seconds', service: 'accounts', level: 0.15, shifts: [{ at: 100.5, to: 1.9 }] },
      { metric: 'pg_cpu_utilization_ratio', service: 'maindb', level: 0.3, shifts: [{ at: 100.5, to: 0.97 }] },
      { metric: 'exporter_cpu_cores', service: 'exporter', level: 0.05, shifts: [{ at: 100.5, to: 1.2 }] },
    ],
    changes: [
      { id: 'infra-61', service: 'exporter', type: 'infra', at: 20, summary: 'exporter CronJob schedule moved', diff: patch('k8s/exporter/cronjob.yaml', ['  schedule: "0 3 * * *"'], [`  schedule: "${cron}"`]) },
      { id: 'rel-44', service: 'accounts', type: 'deploy', at: 92, summary: 'accounts 5.5: avatar upload size hint' },
    ],
    logs: { maindb: [...info('maindb'), ...every(100.5, 150, 1, 'warn', 'canceling statement due to statement timeout')] },
  });

  it('blames the change whose new schedule fired as the symptoms began', async () => {
    const r = await run(spec('40 10 * * *'));
    expect(verdict(r)).toMatchObject({ category: 'infrastructure', service: 'exporter', change_id: 'infra-61' });
  });

  it('rules it out when the schedule fires only after the onset', async () => {
    const r = await run(spec('30 13 * * *'));
    expect(verdict(r).change_id).not.toBe('infra-61');
  });
});

describe("a caller's errors that name the paged service are its view of the symptom", () => {
  const release = {
    id: 'rel-402',
    service: 'portal',
    type: 'deploy',
    at: 96,
    summary: 'portal 8.1: dashboard layout',
    diff: patch('portal/views/home.tmpl', ['  <div class="grid-2">'], ['  <div class="grid-3">']),
  };
  const series: SeriesSpec[] = [
    { metric: 'ledger_http_errors_ratio', service: 'ledger', level: 0.001, shifts: [{ at: 100, to: 0.05 }] },
    { metric: 'portal_http_errors_ratio', service: 'portal', level: 0.0004, shifts: [{ at: 100, to: 0.004 }] },
  ];
  const page = { title: 'LedgerErrors', service: 'ledger', at: 106 };

  it('does not blame the caller whose new warnings say the paged service failed it', async () => {
    const logs = {
      ledger: [...info('ledger'), ...every(100, 150, 1, 'error', 'statement cancelled: request timeout')],
      portal: [...info('portal'), ...every(100, 150, 3, 'warn', 'ledger call failed with status 500, will retry')],
    };
    const r = await run({ alert: page, series, changes: [release], logs });
    expect(verdict(r).change_id).not.toBe('rel-402');
  });

  it('still weighs the caller reacting when its own new errors name nothing of the paged service', async () => {
    const logs = {
      ledger: [...info('ledger'), ...every(100, 150, 1, 'error', 'statement cancelled: request timeout')],
      portal: [...info('portal'), ...every(100, 150, 3, 'error', 'template render failed: missing partial header')],
    };
    const r = await run({ alert: page, series, changes: [release], logs });
    const supported = r.toolCalls.filter((c) => c.name === 'note_hypothesis' && String(c.input['statement']).includes('rel-402')).map((c) => String(c.input['statement']));
    expect(supported.join(' ')).toMatch(/portal got worse right after it/);
  });
});

describe('a structured log names the peer in its fields, not its message', () => {
  // The paged storefront reports an upstream error; only the field says which upstream: the
  // quote service, whose calls to an outside carrier API failed while it changed nothing.
  const series: SeriesSpec[] = [
    { metric: 'http_server_errors_ratio', service: 'shopfront', level: 0.001, shifts: [{ at: 100, to: 0.09 }] },
    { metric: 'http_server_errors_ratio', service: 'quoter', level: 0.002, shifts: [{ at: 100, to: 0.4 }] },
    { metric: 'http_client_errors_ratio', service: 'quoter', labels: { upstream: 'parcelwave' }, level: 0.003, shifts: [{ at: 100, to: 0.5 }] },
    { metric: 'http_client_errors_ratio', service: 'quoter', labels: { upstream: 'boxly' }, level: 0.003 },
  ];
  const quoterLogs = [...info('quoter'), ...every(100, 150, 1, 'warn', 'rates call to parcelwave failed: 503 Service Unavailable')];
  const page = { title: 'ShopfrontErrors', service: 'shopfront', at: 106 };

  it('follows the field to the dependency that failed', async () => {
    const logs = { shopfront: [...every(0, 150, 2, 'info', 'request served', { route: '/cart' }), ...every(100, 150, 1, 'error', 'upstream error', { upstream: 'quoter', status: '502' })], quoter: quoterLogs };
    const r = await run({ alert: page, series, changes: [], logs });
    expect(verdict(r).category).toBe('dependency');
  });

  it('does not, when the line names no upstream anywhere and the calls failed only later', async () => {
    // Unlinked, a caller's failing calls count only when they failed as the incident began.
    const later = series.map((s) => (s.service === 'quoter' && s.shifts ? { ...s, shifts: [{ at: 112, to: s.shifts[0]?.to ?? 0 }] } : s));
    const lateLogs = [...info('quoter'), ...every(112, 150, 1, 'warn', 'rates call to parcelwave failed: 503 Service Unavailable')];
    const logs = { shopfront: [...every(0, 150, 2, 'info', 'request served', { route: '/cart' }), ...every(100, 150, 1, 'error', 'upstream error', { status: '502' })], quoter: lateLogs };
    const r = await run({ alert: page, series: later, changes: [], logs });
    expect(verdict(r).category).not.toBe('dependency');
  });
});

describe('a change whose effect showed at once, long before the incident began', () => {
  // A rate limit cut on the intake API made it refuse more at once; the paged sender broke
  // an hour and a half later with nothing explaining the wait.
  const limit = {
    id: 'cfg-880',
    service: 'intake',
    type: 'config',
    at: 98,
    summary: 'intake: lower per-user rate limit',
    diff: patch('deploy/intake/values.yaml', ['  rate_limit_per_minute: 600'], ['  rate_limit_per_minute: 200']),
  };
  const series = (effectAt: number): SeriesSpec[] => [
    { metric: 'http_requests_total', service: 'intake', labels: { code: '429' }, level: 0.5, counter: true, shifts: [{ at: effectAt, to: 12 }] },
    { metric: 'http_requests_total', service: 'intake', labels: { code: '200' }, level: 40, counter: true },
    { metric: 'sender_errors_ratio', service: 'sender', level: 0.002, shifts: [{ at: 190, to: 0.3 }] },
    { metric: 'sender_request_duration_p99_seconds', service: 'sender', level: 0.2, shifts: [{ at: 190, to: 4 }] },
  ];
  const logs = {
    sender: [...every(0, 240, 2, 'info', 'sender handled request ok'), ...every(190, 240, 1, 'error', 'sender intake call failed: 429 too many requests')],
    intake: every(0, 240, 2, 'info', 'intake handled request ok'),
  };
  const page = { title: 'SenderErrors', service: 'sender', at: 196 };

  it('is not blamed for what began an hour and a half later', async () => {
    const r = await run({ minutes: 240, alert: page, series: series(99), changes: [limit], logs });
    expect(verdict(r).change_id).not.toBe('cfg-880');
  });

  it('is blamed when it took effect as the incident began', async () => {
    const r = await run({ minutes: 240, alert: page, series: series(189), changes: [{ ...limit, at: 188 }], logs });
    expect(verdict(r).change_id).toBe('cfg-880');
  });
});

describe('load beyond capacity: the bottleneck is what the paged service waits on', () => {
  // On-sale traffic: the paged API's calls time out on its seat store's pool, and the seat
  // store's CPU climbs with the load; the API's own CPU rises as it scales with demand.
  const base: SeriesSpec[] = [
    { metric: 'http_requests_per_second', service: 'booking-api', level: 200, shifts: [{ at: 98, to: 2400 }] },
    { metric: 'store_commands_per_second', service: 'seatstore', level: 3000, shifts: [{ at: 98, to: 30000 }] },
    { metric: 'container_cpu_usage_cores', service: 'booking-api', level: 1.5, shifts: [{ at: 98, to: 12 }] },
    // Busy, though not plainly at a ceiling any reader of the name alone could tell.
    { metric: 'container_cpu_usage_cores', service: 'seatstore', level: 0.1, shifts: [{ at: 98, to: 0.8 }] },
    { metric: 'http_server_errors_ratio', service: 'booking-api', level: 0.001, shifts: [{ at: 100, to: 0.3 }] },
  ];
  const page = { title: 'BookingErrors', service: 'booking-api', at: 106 };
  const logs = { 'booking-api': [...info('booking-api'), ...every(100, 150, 1, 'error', 'hold seats failed: pool wait timeout')] };

  it('names the store the paged service timed out on', async () => {
    const series = [...base, { metric: 'pool_wait_timeouts_per_second', service: 'booking-api', labels: { pool: 'seatstore' }, level: 0.01, shifts: [{ at: 100, to: 800 }] }];
    const r = await run({ alert: page, series, changes: [], logs });
    expect(verdict(r)).toMatchObject({ category: 'capacity', service: 'seatstore' });
  });

  it('names the paged service when its errors name nothing it waits on', async () => {
    const series = [...base, { metric: 'pool_wait_timeouts_per_second', service: 'booking-api', level: 0.01, shifts: [{ at: 100, to: 800 }] }];
    const r = await run({ alert: page, series, changes: [], logs });
    expect(verdict(r)).toMatchObject({ category: 'capacity', service: 'booking-api' });
  });
});

describe('a release whose pods the orchestrator kills for memory', () => {
  // The gateway's release at minute 30 keeps state per connection: its new pods' memory climbs
  // until the orchestrator kills them (its events name the process), and the clients they drop
  // reconnect at once, a storm the session service (paged) cannot take. The gateway has no
  // symptom of its own in the metrics; the kills in the orchestrator's events are its own.
  it('is the release, not load on the service the reconnects reached', async () => {
    const pod = (name: string, spec: Partial<SeriesSpec>): SeriesSpec => ({ metric: 'container_memory_working_set_bytes', service: 'ws-gw', labels: { pod: name }, level: 1e9, noise: 0.01, ...spec });
    const r = await run({
      alert: { title: 'SessionResumeErrors', service: 'sessions', at: 118 },
      series: [
        pod('ws-gw-old-a', { until: 31 }),
        pod('ws-gw-old-b', { until: 31 }),
        pod('ws-gw-new-a', { from: 30.5, slope: 3.5e7 }),
        pod('ws-gw-new-b', { from: 30.5, slope: 3.5e7 }),
        { metric: 'http_requests_per_second', service: 'sessions', level: 60, noise: 0.03, shifts: [{ at: 111, to: 150 }] },
        { metric: 'container_cpu_usage_cores', service: 'sessions', level: 1.9, noise: 0.02, shifts: [{ at: 111, to: 3.4 }] },
        { metric: 'http_5xx_ratio', service: 'sessions', level: 0.002, shifts: [{ at: 111.5, to: 0.08 }] },
        { metric: 'http_requests_per_second', service: 'push', level: 40, noise: 0.03, shifts: [{ at: 111, to: 75 }] },
      ],
      changes: [
        { id: 'dep-881', service: 'ws-gw', type: 'deploy', at: 30, summary: 'ws-gw 4.21: websocket library with compression' },
        { id: 'dep-817', service: 'sessions', type: 'deploy', at: 60, summary: 'sessions: log field rename' },
      ],
      logs: {
        'k8s-events': [...every(0, 150, 5, 'info', 'Pulled image for pod'), ...every(110, 150, 1, 'warn', 'OOMKilling node/ip-10-4-1-7: Memory cgroup out of memory: Killed process 7163 (ws-gw)')],
        sessions: [...info('sessions'), ...every(111.5, 150, 0.5, 'error', 'resume rejected: 503 overloaded')],
      },
    });
    expect(verdict(r)).toMatchObject({ category: 'deploy', service: 'ws-gw', change_id: 'dep-881' });
  });
});
