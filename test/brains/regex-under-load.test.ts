// A release whose new validation runs a backtracking pattern on every landing report. At a
// quiet hour the reports are few and each costs under a second of CPU; when the fleet lands,
// hours later, the landing route's traffic is six times what it was and the service runs out
// of CPU. The load came on that route alone, one of several the service counts by route, so
// every route is read. A later release of the same service only adds a label to a counter; the
// requests of one small route happen to triple after it, which is demand moving between
// routes, not work its code multiplies.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('regex-under-load', { start: '2048-10-02T12:00:00Z', minutes: 320 });

const route = (uri: string, level: number, shifts: SeriesSpec['shifts'] = []): SeriesSpec => ({ metric: 'http_server_requests_per_second', service: 'catch-report-api', labels: { uri }, level, noise: 0.04, shifts });

const series: SeriesSpec[] = [
  route('/v3/reports/act', 3.8),
  route('/v3/reports/far', 1.8),
  route('/v3/reports/dca', 2.6),
  route('/v3/reports/por', 0.04, [{ at: 190, to: 0.13 }]),
  route('/v3/reports/lan', 0.5, [{ at: 290, to: 3.1 }]),
  { metric: 'container_cpu_cfs_throttled_ratio', service: 'catch-report-api', level: 0.01, noise: 0.1, shifts: [{ at: 292, to: 0.6 }] },
  { metric: 'http_server_request_duration_seconds_p99', service: 'catch-report-api', level: 0.9, noise: 0.04, shifts: [{ at: 293, to: 6.5 }] },
  { metric: 'ers_gateway_forward_errors_per_second', service: 'vessel-gateway', level: 0.01, noise: 0.1, shifts: [{ at: 294, to: 1.4 }] },
  { metric: 'ers_gateway_messages_received_per_second', service: 'vessel-gateway', level: 6, noise: 0.04, shifts: [{ at: 290, to: 8.5 }] },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'dep-31',
    service: 'catch-report-api',
    type: 'deploy',
    at: 70,
    summary: 'catch-report-api 4.22.0: screen free-text remarks',
    diff: patch('src/main/kotlin/catch/RemarksValidator.kt', ['class RemarksValidator {'], ['class RemarksValidator {', '    private val pattern = Regex("(?i).*?((?:\\\\w+\\\\s?)+)protected.*")']),
  },
  { id: 'dep-40', service: 'catch-report-api', type: 'deploy', at: 188, summary: 'catch-report-api 4.22.1: flag_state tag on reports_accepted_total', diff: patch('src/main/kotlin/catch/Metrics.kt', ['    counter("reports_accepted_total")'], ['    counter("reports_accepted_total", "flag_state", flag)']) },
];

const logs: BundleSpec['logs'] = {
  'catch-report-api': [...every(0, 320, 1, 'info', 'report accepted'), ...every(293, 320, 0.5, 'warn', 'slow validation report=LAN took=4200ms')],
  'vessel-gateway': [...every(0, 320, 1, 'info', 'message forwarded'), ...every(294, 320, 0.5, 'error', 'forward to catch-report-api timed out')],
};

describe('a release whose new pattern backtracks, found by the landing crowd', () => {
  it('is named: its edit costs most under load, and the load came on one of its routes', async () => {
    const r = await run({ alert: { title: 'ERS forwarding errors', service: 'vessel-gateway', at: 305 }, series, changes, logs });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'catch-report-api', change_id: 'dep-31' });
  });
});
