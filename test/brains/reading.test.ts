// What the engine reads and how it dates the incident. A paged service with many series
// that all moved must not crowd out the series of a service changed just before the page:
// that service's own signals are how its change is weighed. And a neighbour that only got a
// little busier before the page did not degrade first: it does not move the onset earlier.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2035-04-02T13:00:00Z';

const run = syntheticRunner('reading', { start: START, minutes: 150, stepSeconds: 15 });

describe('a crowded paged service', () => {
  const ROUTES = ['/v1/validate', '/v1/refresh', '/v1/revoke', '/v1/introspect', '/v1/issue', '/v1/keys', '/v1/userinfo'];
  // Every route of the paged service slows and fails under a flood of validations from minute 96.
  const paged: SeriesSpec[] = ROUTES.flatMap((route): SeriesSpec[] => [
    { metric: 'http_request_duration_seconds_p99', service: 'token-svc', labels: { route }, level: 0.05, shifts: [{ at: 96, to: 1.9 }] },
    { metric: 'http_error_ratio', service: 'token-svc', labels: { route }, level: 0.002, shifts: [{ at: 96.5, to: 0.15 }] },
    { metric: 'http_requests_per_second', service: 'token-svc', labels: { route }, level: 40, shifts: [{ at: 96, to: 700 }] },
  ]);
  // The gateway in front: since its change, sessions are cut and every client reconnects.
  const gateway: SeriesSpec[] = [
    { metric: 'ws_disconnects_per_second', service: 'push-gateway', labels: { reason: 'idle_timeout' }, level: 0.5, shifts: [{ at: 95.5, to: 600 }] },
    { metric: 'ws_session_errors_ratio', service: 'push-gateway', level: 0.001, shifts: [{ at: 95.5, to: 0.4 }] },
  ];
  const changes: BundleSpec['changes'] = [
    {
      id: 'cfg-77',
      service: 'push-gateway',
      type: 'config',
      at: 95,
      summary: 'push-gateway: align idle timeout on platform default',
      diff: patch('deploy/push-gateway/values.yaml', ['  idleTimeoutSeconds: 3600'], ['  idleTimeoutSeconds: 60']),
    },
  ];
  const logs: BundleSpec['logs'] = {
    'push-gateway': every(0, 150, 2, 'info', 'session opened'),
    'token-svc': [...every(0, 150, 2, 'info', 'validated'), ...every(96.6, 150, 0.5, 'error', 'validate failed: worker pool exhausted')],
  };

  it("still reads the changed service's own series, and names its change", async () => {
    const r = await run({ alert: { title: 'token-svc validate latency', service: 'token-svc', at: 104 }, series: [...paged, ...gateway], changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('cfg-77');
  });
});

describe('a neighbour that only got busier first', () => {
  const series: SeriesSpec[] = [
    { metric: 'http_request_duration_seconds_p99', service: 'ledger-api', level: 0.1, shifts: [{ at: 96, to: 2.5 }] },
    { metric: 'http_error_ratio', service: 'ledger-api', level: 0.002, shifts: [{ at: 96, to: 0.12 }] },
    { metric: 'db_pool_pending', service: 'ledger-api', labels: { upstream: 'fx-rates' }, level: 0.5, shifts: [{ at: 96, to: 30 }] },
    // fx-rates' CPU goes from 8% to 14% well before: busier, nowhere near full.
    { metric: 'process_cpu_usage', service: 'fx-rates', level: 0.08, noise: 0.02, shifts: [{ at: 86, to: 0.14 }] },
    { metric: 'http_requests_per_second', service: 'fx-rates', level: 50 },
  ];
  const changes: BundleSpec['changes'] = [
    {
      id: 'deploy-880',
      service: 'ledger-api',
      type: 'deploy',
      at: 95,
      summary: 'ledger-api 7.1.0: hold the row lock across the fx call',
      diff: patch('src/ledger/post.py', ['    pool = Pool(max_connections=64)'], ['    pool = Pool(max_connections=4)']),
    },
  ];
  const logs: BundleSpec['logs'] = { 'ledger-api': [...every(0, 150, 2, 'info', 'posted'), ...every(96.5, 150, 0.5, 'error', 'timed out waiting for a pooled connection')] };

  it('does not date the incident: the change just before the paged service degraded is still in time', async () => {
    const r = await run({ alert: { title: 'ledger-api errors', service: 'ledger-api', at: 104 }, series, changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('deploy-880');
  });
});

describe('the paged service busier with the evening', () => {
  it('is dated by what its users feel, not by its CPU climbing with the dinner rush an hour before', async () => {
    const r = await run({
      alert: { title: 'tickets late on the kitchen screens', service: 'screen-gw', at: 104 },
      series: [
        // The rush: traffic and CPU climb from minute 40, as every evening.
        { metric: 'http_requests_per_second', service: 'screen-gw', level: 40, shifts: [{ at: 40, to: 90 }] },
        { metric: 'container_cpu_usage_cores', service: 'screen-gw', level: 0.8, noise: 0.03, shifts: [{ at: 40, to: 1.9 }] },
        // The incident: from minute 96 the parser pins its CPU and tickets arrive late.
        { metric: 'ticket_delivery_seconds_p95', service: 'screen-gw', level: 2, shifts: [{ at: 96, to: 95 }] },
        { metric: 'container_cpu_usage_cores', service: 'order-parser', level: 1, noise: 0.03, shifts: [{ at: 95.5, to: 4 }] },
      ],
      changes: [
        {
          id: 'rel-2290',
          service: 'order-parser',
          type: 'deploy',
          at: 95,
          summary: 'order-parser 4.3: structured modifiers',
          diff: patch('src/modifiers.ts', ['const MODS = null;'], ["const MODS = /^(\\s*(?:no|extra)?\\s*[\\w'-]+(?:\\s+[\\w'-]+)*\\s*,?)+$/i;"]),
        },
      ],
      logs: { 'screen-gw': [...every(0, 150, 2, 'info', 'ticket shown'), ...every(96.5, 150, 0.5, 'warn', 'ticket late on screen')] },
    });
    expect(r.diagnosis?.root_cause.change_id).toBe('rel-2290');
  });
});

describe('dating the incident', () => {
  const verdictOf = (r: Awaited<ReturnType<typeof run>>): { category?: string; service?: string | null; change_id?: string | null } => ({
    category: r.diagnosis?.root_cause.category,
    service: r.diagnosis?.root_cause.service,
    change_id: r.diagnosis?.root_cause.change_id,
  });

  it('is not moved earlier by a neighbour whose latency rose by a third', async () => {
    // The radio bridge's jitter buffer grew from 58 to 79 ms after its own release; ten minutes
    // later the provider behind it began refusing sessions, and the paged dispatcher degraded.
    const r = await run({
      alert: { title: 'dispatch-core offers unacknowledged', service: 'dispatch-core', at: 104 },
      series: [
        { metric: 'jitter_buffer_delay_seconds_p95', service: 'radio-gw', labels: { bridge: 'analog' }, level: 0.058, shifts: [{ at: 86, to: 0.079 }] },
        { metric: 'sip_invite_setup_seconds_p99', service: 'radio-gw', labels: { peer: 'talkcell' }, level: 0.38, shifts: [{ at: 95, to: 4.1 }] },
        { metric: 'sip_invite_setup_seconds_p99', service: 'radio-gw', labels: { peer: 'voxline' }, level: 0.35 },
        { metric: 'job_offer_ack_seconds_p95', service: 'dispatch-core', level: 6.7, shifts: [{ at: 95.5, to: 14.2 }] },
      ],
      changes: [{ id: 'rel-470', service: 'radio-gw', type: 'deploy', at: 84, summary: 'radio-gw: analog jitter buffer 60 -> 80 ms', diff: patch('config/bridge.yaml', ['jitter_ms: 60'], ['jitter_ms: 80']) }],
      logs: {
        'radio-gw': [...every(0, 150, 2, 'info', 'session up'), ...every(95.1, 150, 0.3, 'error', 'INVITE to talkcell failed: 503 Service Unavailable')],
        'dispatch-core': [...every(0, 150, 2, 'info', 'offer sent'), ...every(96, 150, 0.5, 'warn', 'offer not acknowledged radio-gw session failed')],
      },
    });
    expect(verdictOf(r).category).toBe('dependency');
  });

  it('is not moved earlier by an error count that grew only with the crowd', async () => {
    // The gates open at minute 40: card reads and their read errors grow sevenfold together.
    // At 95 the pass database's disk stalls and validations fail.
    const r = await run({
      alert: { title: 'gate-controller denials above 5%', service: 'gate-ctl', at: 104 },
      series: [
        { metric: 'rfid_reads_per_second', service: 'gate-ctl', level: 10, shifts: [{ at: 40, to: 70 }] },
        { metric: 'rfid_read_errors_per_second', service: 'gate-ctl', level: 0.11, shifts: [{ at: 40, to: 0.77 }] },
        { metric: 'gate_denied_ratio', service: 'gate-ctl', level: 0.01, shifts: [{ at: 95.5, to: 0.2 }] },
        { metric: 'node_disk_write_await_seconds', service: 'pass-db', labels: { device: 'nvme1n1' }, level: 0.0009, shifts: [{ at: 95, to: 0.16 }] },
        { metric: 'http_request_duration_seconds_p99', service: 'pass-check', level: 0.085, shifts: [{ at: 95, to: 2.6 }] },
      ],
      changes: [],
      logs: {
        'infra-events': [...every(0, 150, 10, 'info', 'instance healthy'), ...every(99, 150, 5, 'warn', 'EBS volume status changed volume=vol-0c41 attached_to=pass-db-0 status=impaired event=io-performance:degraded')],
        'pass-check': [...every(0, 150, 2, 'info', 'pass valid'), ...every(95.2, 150, 0.5, 'warn', 'slow validation 1055ms (db 788ms)')],
      },
    });
    expect(verdictOf(r)).toEqual({ category: 'infrastructure', service: 'pass-db', change_id: null });
  });
});
