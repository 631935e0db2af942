// A release that multiplied the work each unit makes, found by the afternoon's load. It begins to
// re-emit every tracked item on each status frame: its emitted events step up twentyfold the
// moment it rolls out while the frames it takes in hold level, and at a quiet hour nothing
// notices. Hours later a storm raises the number of tracked items tenfold, the events follow
// at twenty times the old cost, and the console tier that fans them out runs out of CPU. When the
// events did not step at the release, the same storm is load against a ceiling.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('stepped-work', { start: '2042-12-08T08:00:00Z', minutes: 300 });

const series = (stepped: boolean): SeriesSpec[] => [
  { metric: 'frames_processed_per_second', service: 'tag-tracker', level: 12, noise: 0.02 },
  // Rolled back at 260: the items stay many, the events fall back to what they cost before.
  { metric: 'events_emitted_per_second', service: 'tag-tracker', level: 0.1, noise: 0.05, shifts: stepped ? [{ at: 40, to: 2.4 }, { at: 220, to: 55 }, { at: 262, to: 2.6 }] : [{ at: 220, to: 2.6 }] },
  { metric: 'items_active_count', service: 'tag-tracker', level: 20, noise: 0.05, shifts: [{ at: 215, to: 450 }] },
  { metric: 'cpu_utilization_ratio', service: 'console-hub', level: 0.2, noise: 0.03, shifts: stepped ? [{ at: 221, to: 0.98 }, { at: 263, to: 0.3 }] : [{ at: 221, to: 0.3 }] },
  { metric: 'ws_messages_sent_per_second', service: 'console-hub', level: 4, noise: 0.05, shifts: stepped ? [{ at: 220, to: 2000 }, { at: 262, to: 100 }] : [{ at: 220, to: 100 }] },
  { metric: 'http_request_duration_seconds_p99', service: 'console-hub', level: 0.2, noise: 0.05, shifts: stepped ? [{ at: 222, to: 4.5 }, { at: 264, to: 0.25 }] : [] },
];

const logs: BundleSpec['logs'] = {
  'tag-tracker': every(0, 300, 1, 'info', 'status frame processed'),
  'console-hub': [...every(0, 300, 1, 'info', 'pushed update to consoles'), ...every(223, 263, 0.5, 'warn', 'event loop lag above 500ms, dropping slow consoles')],
};

const changes: BundleSpec['changes'] = [
  { id: 'deploy-90', service: 'tag-tracker', type: 'deploy', at: 40, summary: 'tag-tracker 3.4.0: track items by frame' },
  { id: 'cfg-12', service: 'console-hub', type: 'config', at: 150, summary: 'console-hub: log sampling 1% → 5%' },
  { id: 'deploy-95', service: 'console-hub', type: 'deploy', at: 205, summary: 'console-hub 8.2.1: new column in the item list' },
  { id: 'rb-99', service: 'tag-tracker', type: 'rollback', at: 260, summary: 'roll back deploy-90', attributes: { reverts: 'deploy-90' } },
];

describe('a release that multiplied the work each unit makes', () => {
  it('is the release, when one of its traffic series stepped up as it rolled out while its input held', async () => {
    const r = await run({ alert: { title: 'console-hub p99 latency high', service: 'console-hub', at: 232 }, series: series(true), changes, logs });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'tag-tracker', change_id: 'deploy-90' });
  });

  it('is not blamed when nothing it sends stepped at the release', async () => {
    const r = await run({ alert: { title: 'console-hub p99 latency high', service: 'console-hub', at: 232 }, series: series(false), changes, logs });
    expect(verdict(r).change_id).not.toBe('deploy-90');
  });
});

// A setting that multiplied the work each unit makes. A validator's cache of manifests is cut
// from five minutes to five seconds: its fetches step up twelvefold the moment it reloads while
// the scans it validates hold level, and the database behind the manifests has room for that at
// a quiet hour. The day's boarding peak brings ten times the scans, the database runs out of
// CPU and the gates time out. A release of the gates just before the peak changes a message.
describe('a setting that multiplied the work each unit makes', () => {
  const series: SeriesSpec[] = [
    { metric: 'validator_requests_per_second', service: 'pass-validator', level: 5, noise: 0.03, shifts: [{ at: 200, to: 50 }] },
    { metric: 'validator_manifest_fetches_per_second', service: 'pass-validator', level: 0.35, noise: 0.05, shifts: [{ at: 41, to: 4.3 }, { at: 200, to: 43 }] },
    { metric: 'validator_manifest_cache_hit_ratio', service: 'pass-validator', level: 0.93, noise: 0.01, shifts: [{ at: 41, to: 0.08 }] },
    { metric: 'validator_request_duration_seconds_p99', service: 'pass-validator', level: 0.2, noise: 0.03, shifts: [{ at: 202, to: 1.3 }] },
    { metric: 'db_cpu_utilization_ratio', service: 'manifest-db', level: 0.15, noise: 0.03, shifts: [{ at: 41, to: 0.22 }, { at: 201, to: 0.99 }] },
    { metric: 'gate_scan_to_open_seconds_p95', service: 'gate-controller', level: 0.8, noise: 0.03, shifts: [{ at: 203, to: 2.9 }] },
    { metric: 'gate_scans_per_second', service: 'gate-controller', level: 5, noise: 0.03, shifts: [{ at: 200, to: 50 }] },
  ];
  const logs: BundleSpec['logs'] = {
    'pass-validator': [...every(0, 300, 1, 'info', 'pass validated'), ...every(204, 300, 0.5, 'warn', 'manifest fetch failed: timeout after 1200ms')],
    'gate-controller': every(0, 300, 1, 'info', 'gate opened'),
  };
  const changes = (from: string, to: string): BundleSpec['changes'] => [
    { id: 'cfg-611', service: 'pass-validator', type: 'config', at: 40, summary: 'shorter manifest cache', diff: patch('deploy/pass-validator/config.yaml', ['  cache:', `    ${from}`], ['  cache:', `    ${to}`]) },
    { id: 'rel-27', service: 'gate-controller', type: 'deploy', at: 188, summary: 'gate-controller: wording of the manual-check screen', diff: patch('ui/strings.ts', ["  manual: 'Manual check'"], ["  manual: 'Please see staff'"]) },
  ];
  const alert = { title: 'boarding gates falling back to manual check', service: 'gate-controller', at: 215 };

  it('is the setting, when its edit reads as risky and the work it makes stepped up as it reloaded', async () => {
    const r = await run({ alert, series, changes: changes('ttl: 300s', 'ttl: 5s'), logs });
    expect(verdict(r)).toEqual({ category: 'config', service: 'pass-validator', change_id: 'cfg-611' });
  });

  // The same setting, but no crowd came: the scans held level to the onset, and the database
  // ran out by itself. The work the setting multiplied had fitted for hours; it does not explain the wait.
  it('is not, when the load it would wait for never came', async () => {
    const flat = series.map((x): SeriesSpec => (x.metric === 'validator_requests_per_second' || x.metric === 'gate_scans_per_second' ? { ...x, shifts: [] } : x.metric === 'validator_manifest_fetches_per_second' ? { ...x, shifts: [{ at: 41, to: 4.3 }] } : x));
    const r = await run({ alert, series: flat, changes: changes('ttl: 300s', 'ttl: 5s'), logs });
    expect(verdict(r).change_id).not.toBe('cfg-611');
  });

  it('is not, when its edit is harmless', async () => {
    const r = await run({ alert, series, changes: changes('log_level: info', 'log_level: debug'), logs });
    expect(verdict(r).change_id).not.toBe('cfg-611');
  });
});


// What stepped at the release is the requests one small route receives: demand moving between
// routes, which a release that only adds a label to a counter cannot multiply. Hours later a
// crowd on every route runs the service out of CPU: load, not the release.
describe('requests received on one route that stepped at a release', () => {
  it('are not work the release multiplied', async () => {
    const route = (uri: string, level: number, shifts: SeriesSpec['shifts'] = []): SeriesSpec => ({ metric: 'http_server_requests_per_second', service: 'report-api', labels: { uri }, level, noise: 0.04, shifts });
    const series: SeriesSpec[] = [
      route('/v3/reports/act', 3.8, [{ at: 220, to: 19 }]),
      route('/v3/reports/far', 1.8, [{ at: 220, to: 9 }]),
      route('/v3/reports/por', 0.04, [{ at: 62, to: 0.13 }]),
      { metric: 'container_cpu_usage_ratio', service: 'report-api', level: 0.2, noise: 0.04, shifts: [{ at: 221, to: 0.99 }] },
      { metric: 'http_server_request_duration_seconds_p99', service: 'report-api', level: 0.2, noise: 0.04, shifts: [{ at: 222, to: 3.5 }] },
    ];
    const changes: BundleSpec['changes'] = [
      { id: 'dep-40', service: 'report-api', type: 'deploy', at: 60, summary: 'report-api: flag_state tag on reports_accepted_total', diff: patch('src/Metrics.kt', ['    counter("reports_accepted_total")'], ['    counter("reports_accepted_total", "flag_state", flag)']) },
    ];
    const logs: BundleSpec['logs'] = { 'report-api': [...every(0, 300, 1, 'info', 'report accepted'), ...every(223, 300, 0.5, 'warn', 'request queue full, shedding')] };
    const r = await run({ alert: { title: 'report-api p99 latency high', service: 'report-api', at: 232 }, series, changes, logs });
    expect(verdict(r).change_id).not.toBe('dep-40');
  });
});
