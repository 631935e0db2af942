// A crowd the paged service served with room to spare. At minute 60 boarding begins at one
// terminal: gate scans at the gate API climb elevenfold and its CPU from 18% to 32%, while its
// latency and errors stay flat. The edge proxy in front had a per-address rate limit added at
// minute 0 (meant for scrapers); every handheld at that terminal shares one address, and from
// minute 75 the crowd pushes it over the limit: the edge answers 429 on the gate route and the
// handhelds log it, until the page (scrapers had been refused since the limit took effect). The gate API's own release five minutes before the crowd
// is the nearer change; the crowd itself, a surge into a busier service, the nearer story.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-07-17T04:00:00Z';

const run = syntheticRunner('crowd-with-room', { start: START, minutes: 150, stepSeconds: 60 });

/** The gate API's CPU rises with the crowd to `cpu` (0.32: room to spare; 0.97: out of room). */
function series(cpu: number, limited: boolean): SeriesSpec[] {
  return [
    { metric: 'gate_scans_validated_per_second', service: 'gate-api', labels: { terminal: 'ARD' }, level: 0.8, noise: 0.05, shifts: [{ at: 60, to: 9 }] },
    { metric: 'gate_scans_validated_per_second', service: 'gate-api', labels: { terminal: 'POR' }, level: 0.7, noise: 0.05, shifts: [{ at: 62, to: 6 }] },
    { metric: 'process_cpu_usage_ratio', service: 'gate-api', level: 0.18, noise: 0.04, shifts: [{ at: 60, to: cpu }] },
    { metric: 'http_server_requests_seconds_p99', service: 'gate-api', level: 0.09, noise: 0.05, shifts: cpu > 0.9 ? [{ at: 75, to: 2.4 }] : [] },
    { metric: 'http_server_errors_ratio', service: 'gate-api', level: 0.001, noise: 0.1, shifts: cpu > 0.9 ? [{ at: 75, to: 0.2 }] : [] },
    { metric: 'edge_requests_per_second', service: 'port-edge', labels: { route: 'gate-scan' }, level: 1.5, noise: 0.04, shifts: [{ at: 60, to: 16 }] },
    { metric: 'edge_rejected_per_second', service: 'port-edge', labels: { route: 'gate-scan', status: '429' }, level: 0, noise: 0, shifts: limited ? [{ at: 75, to: 4 }] : [] },
    { metric: 'edge_rejected_per_second', service: 'port-edge', labels: { route: 'fare-search', status: '429' }, level: 0, noise: 0, shifts: [{ at: 1, to: 2 }] },
    { metric: 'edge_limiter_store_commands_per_second', service: 'port-edge', level: 0, noise: 0.04, shifts: [{ at: 1, to: 190 }] },
    { metric: 'fare_quotes_per_second', service: 'fare-svc', level: 12, noise: 0.04 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'cfg-edge-ratelimit',
    service: 'port-edge',
    type: 'config',
    at: 0,
    summary: 'port-edge: per-client-address rate limit 20 rps (fare scrapers)',
    diff: patch('edge/policies.yaml', ['policies: []'], ['policies:', '  - name: per_ip_limit', '    limit_by: client_address', '    requests_per_second: 20', '    store: limiter-store']),
  },
  {
    id: 'rel-gate-77',
    service: 'gate-api',
    type: 'deploy',
    at: 55,
    summary: 'gate-api 7.7: seat row in the scan result',
    diff: patch('src/scan/result.ts', ['  gate: string;'], ['  gate: string;', '  seatRow?: string;']),
  },
];

function logs(limited: boolean): BundleSpec['logs'] {
  return {
    'gate-devices': [
      ...every(0, 150, 3, 'info', 'heartbeat ok device=HH-ARD-04'),
      ...(limited ? every(75.5, 150, 0.5, 'error', 'scan validation failed: HTTP 429 Too Many Requests from port-edge device=HH-ARD-04') : []),
    ],
    'gate-api': every(0, 150, 2, 'info', 'scan validated'),
    // The scrapers the limit was meant for, refused from the moment it took effect.
    'port-edge': [...every(0, 150, 2, 'info', 'config watch: no change'), ...every(1.5, 150, 1, 'warn', 'request refused by policy per_ip_limit route=fare-search client=203.0.113.9')],
  };
}

const alert = { title: 'Gate scans failing at ARD', service: 'gate-api', at: 85 };

describe('a crowd the paged service served with room to spare', () => {
  it('is not load beyond its capacity, and does not date the incident: the rejections in front of it do', async () => {
    const r = await run({ alert, series: series(0.32, true), changes, logs: logs(true) });
    expect(r.diagnosis?.root_cause.category).not.toBe('capacity');
    const onset = r.diagnosis?.timeline.find((e) => e.event.startsWith('Onset:'));
    expect(onset?.event).toContain('edge_rejected_per_second{route="gate-scan"');
  });

  it('is load beyond its capacity when the crowd filled it and its requests failed', async () => {
    const r = await run({ alert, series: series(0.97, false), changes, logs: logs(false) });
    expect(r.diagnosis?.root_cause.category).toBe('capacity');
  });
});
