// A crowd at an opening hour. Enrolment opens: the portal, the API behind it and the ledger
// behind that all take fifty times their usual traffic at once, and the ledger's connection
// pool runs out. A flag on the portal went on eight minutes before; the overnight batch that
// also writes to the ledger was paused for the rush. Neither explains a crowd that came in
// through the portal's own front door: this is load beyond what the ledger can take.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('opening-crowd', { start: '2041-02-03T10:00:00Z', minutes: 150 });

const series: SeriesSpec[] = [
  { metric: 'http_requests_per_second', service: 'enrol-portal', level: 90, noise: 0.05, shifts: [{ at: 99, to: 5000 }] },
  { metric: 'http_requests_per_second', service: 'enrol-api', level: 28, noise: 0.05, shifts: [{ at: 99.5, to: 1590 }] },
  { metric: 'http_error_ratio', service: 'enrol-api', level: 0.001, shifts: [{ at: 100.5, to: 0.4 }] },
  { metric: 'http_request_duration_seconds_p99', service: 'enrol-api', level: 0.4, noise: 0.05, shifts: [{ at: 100.5, to: 5.1 }] },
  // The ledger's calls by caller: the API's rose with the crowd, the paused batch's fell away.
  { metric: 'ledger_requests_per_second', service: 'seat-book', labels: { caller: 'enrol-api' }, level: 9, noise: 0.05, shifts: [{ at: 100, to: 860 }] },
  { metric: 'ledger_requests_per_second', service: 'seat-book', labels: { caller: 'night-batch' }, level: 2, noise: 0.05, shifts: [{ at: 96, to: 0.1 }] },
  { metric: 'db_pool_connections_active', service: 'seat-book', level: 3, noise: 0.1, shifts: [{ at: 100, to: 24 }] },
  { metric: 'db_pool_connections_pending', service: 'seat-book', level: 0.5, noise: 0.2, shifts: [{ at: 100.5, to: 170 }] },
  { metric: 'container_cpu_usage_cores', service: 'seat-book', level: 0.15, noise: 0.05, shifts: [{ at: 100, to: 1.0 }] },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'flag-live-counts',
    service: 'enrol-portal',
    type: 'feature_flag',
    at: 92,
    summary: 'enrol-portal live_section_counts: on',
    attributes: { flag: 'live_section_counts' },
    diff: patch('portal/sections.py', ['    counts = cached_counts(section)'], ['    if flags.enabled("live_section_counts"):', '        counts = catalog.snapshot_counts(section)', '    else:', '        counts = cached_counts(section)']),
  },
  { id: 'deploy-311', service: 'enrol-api', type: 'deploy', at: 20, summary: 'enrol-api 5.2.0: error body format' },
];

const logs: BundleSpec['logs'] = {
  'seat-book': [...every(0, 150, 1, 'info', 'seat reserved'), ...every(100.5, 150, 0.5, 'warn', 'Connection is not available, request timed out after 5000ms')],
  'enrol-api': [...every(0, 150, 1, 'info', 'enrolment accepted'), ...every(100.6, 150, 0.5, 'error', 'seat-book returned 503')],
  'enrol-portal': every(0, 150, 1, 'info', 'GET /sections 200'),
};

describe('a crowd at an opening hour, with a flag on the front door just before', () => {
  it('is load beyond what the ledger can take, not the flag', async () => {
    const r = await run({ alert: { title: 'enrol-api error ratio above 5%', service: 'enrol-api', at: 104 }, series, changes, logs });
    expect(verdict(r)).toEqual({ category: 'capacity', service: 'seat-book', change_id: null });
  });
});

describe('a network that drops packets', () => {
  it('is not a crowd: retransmits and drops per second are failures, not traffic', async () => {
    const { seriesMeaning } = await import('../../src/hands/analysis/series-meaning.js');
    for (const name of ['node_netstat_Tcp_RetransSegs_per_second', 'node_network_receive_drop_total', 'node_network_transmit_drops_per_second']) {
      expect(seriesMeaning(name).measures, name).toBe('errors');
    }
    expect(seriesMeaning('http_requests_per_second').measures).toBe('traffic');
  });
});
