// A log file several services write to links none of them by itself. The platform log carries
// the report ingester's lines and the auth service's, each tagged with its writer. At minute 65
// the auth service raises its password hashing cost and its portal logins slow fourfold; at 79
// a load-balancer module upgrade cuts the idle timeout in front of the MQTT gateway below the
// vessels' keepalive, the gateway resets connections from minute 80 and reports arrive late at
// the ingester from 81, which pages. Nothing but the shared file ties the auth service to the
// ingester: its slower logins are its own affair, not where this incident began.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-11-03T06:00:00Z';

const run = syntheticRunner('shared-log-file', { start: START, minutes: 120, stepSeconds: 60 });

const series: SeriesSpec[] = [
  { metric: 'report_ingest_delay_seconds', service: 'report-ingest', labels: { quantile: '0.5' }, level: 4, noise: 0.05, shifts: [{ at: 81, to: 42 }] },
  { metric: 'reports_stored_per_second', service: 'report-ingest', level: 3, noise: 0.05 },
  { metric: 'lb_tcp_resets_per_second', service: 'mqtt-gw', level: 0.2, noise: 0.1, shifts: [{ at: 80, to: 14 }] },
  { metric: 'mqtt_sessions_connected', service: 'mqtt-gw', level: 800, noise: 0.01 },
  { metric: 'auth_request_duration_seconds', service: 'auth-svc', labels: { endpoint: '/portal/login', quantile: '0.99' }, level: 0.09, noise: 0.05, shifts: [{ at: 67, to: 0.36 }] },
  { metric: 'auth_request_duration_seconds', service: 'auth-svc', labels: { endpoint: '/mqtt/auth', quantile: '0.99' }, level: 0.01, noise: 0.05 },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-auth-36',
    service: 'auth-svc',
    type: 'deploy',
    at: 65,
    summary: 'auth-svc 3.6: portal passwords hashed with bcrypt cost 12',
    diff: patch('src/passwords.rs', ['const COST: u32 = 10;'], ['const COST: u32 = 12;']),
  },
  {
    id: 'tf-mqtt-nlb',
    service: 'mqtt-gw',
    type: 'infra',
    at: 79,
    summary: 'mqtt-gw: load balancer module 3.4 -> 4.1',
    diff: patch('infra/mqtt/lb.tf', ['  version = "3.4.0"'], ['  version = "4.1.0"', '  idle_timeout = 60']),
  },
];

const logs: BundleSpec['logs'] = {
  platform: [
    ...every(0, 120, 1, 'info', '[report-ingest] catch report stored delay_s=4'),
    ...every(0.3, 120, 1, 'info', '[auth-svc] POST /portal/login 200 90ms'),
    ...every(0.6, 120, 2, 'info', '[auth-svc] POST /mqtt/auth 200 9ms result=allow'),
    ...every(81.5, 120, 0.5, 'warn', '[report-ingest] late catch report delay_s=41'),
  ],
  'mqtt-gw': [...every(0, 120, 2, 'info', 'session keepalive ok'), ...every(80.2, 120, 0.25, 'warn', 'client disconnected reason=connection_reset idle_s=60')],
};

const alert = { title: 'Catch report ingest delay high', service: 'report-ingest', at: 95 };

describe('a log file several services write to', () => {
  it('does not link its writers: the incident begins where the ingester broke, after the load balancer change', async () => {
    const r = await run({ alert, series, changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('tf-mqtt-nlb');
    const onset = r.diagnosis?.timeline.find((e) => e.event.startsWith('Onset:'));
    expect(Date.parse(onset?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(START) + 79 * 60_000);
  });
});
