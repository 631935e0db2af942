// A leak into a shared store: a writer's entries stop expiring, the store's memory climbs from
// that release for hours, and when it reaches its limit the store evicts what another service
// keeps there. The writer never looks sick; the paged service is the one whose entries went.
// With the same timing but entries that still expire, nothing ties the writer to the store.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { ramp, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2035-03-14T09:00:00Z';
const run = syntheticRunner('store-fill', { start: START, minutes: 200 });

function writerDiff(stillExpires: boolean): string {
  return [
    'diff --git a/src/scores/store.py b/src/scores/store.py',
    '--- a/src/scores/store.py',
    '+++ b/src/scores/store.py',
    '@@ -20,6 +20,8 @@ class ScoreStore:',
    '     def save(self, board, player, score):',
    '-        self.kv.set(f"sc:{board}:{player}", encode(score), ex=ENTRY_TTL)',
    '+        key = f"sb:{player}"',
    '+        self.kv.hset(key, board, encode(score))',
    ...(stillExpires ? ['+        self.kv.expire(key, ENTRY_TTL)'] : ['+        self.kv.hincrby(f"sb:count:{board}", "n", 1)']),
    '         return True',
    '',
  ].join('\n');
}

const GB = 1e9;

/** The store fills from minute 32 to its 6 GB limit at minute 170, or holds its level throughout; full, it evicts or (with no eviction) refuses writes. */
function series(fills: boolean, full: 'evicts' | 'refuses' = 'evicts', evictsAt = 170): SeriesSpec[] {
  const memory: SeriesSpec = fills
    ? { metric: 'kv_memory_used_bytes', service: 'kv-shared', level: 2.8 * GB, noise: 0.005, slope: 0.0232 * GB, slopeFrom: 32, slopeUntil: 170 }
    : { metric: 'kv_memory_used_bytes', service: 'kv-shared', level: 5.99 * GB, noise: 0.005, shifts: [{ at: 168, to: 6.0 * GB }] };
  return [
    memory,
    { metric: 'kv_memory_max_bytes', service: 'kv-shared', level: 6 * GB, noise: 0 },
    full === 'evicts'
      ? { metric: 'kv_evicted_keys_total', service: 'kv-shared', level: 0.01, counter: true, noise: 0.1, shifts: [{ at: evictsAt, to: 450 }] }
      : { metric: 'kv_errors_total', service: 'kv-shared', labels: { err: 'OOM' }, level: 0.01, counter: true, noise: 0.1, shifts: [{ at: 170, to: 900 }] },
    { metric: 'http_requests_per_second', service: 'game-api', level: 2000, noise: 0.03 },
    { metric: 'http_error_ratio', service: 'game-api', level: 0.002, noise: 0.1, shifts: [{ at: 171, to: 0.12 }] },
    { metric: 'http_requests_per_second', service: 'score-writer', level: 300, noise: 0.03 },
    { metric: 'process_resident_memory_bytes', service: 'score-writer', level: 0.4 * GB, noise: 0.02 },
  ];
}

function changes(stillExpires: boolean): BundleSpec['changes'] {
  return [
    { id: 'rel-sw-41', service: 'score-writer', type: 'deploy', at: 30, summary: 'score-writer 4.1: per-player scoreboard hash', diff: writerDiff(stillExpires) },
    { id: 'rel-api-9', service: 'game-api', type: 'deploy', at: 120, summary: 'game-api 9.2: wishlist endpoints' },
  ];
}

/** What else the store exports that could fill: its clients and the memory of each key group, flat. */
const parts: SeriesSpec[] = [
  { metric: 'kv_connected_clients', service: 'kv-shared', level: 400, noise: 0.02 },
  ...['carts', 'sessions', 'wishlists'].map((group): SeriesSpec => ({ metric: 'kv_key_group_memory_bytes', service: 'kv-shared', labels: { group }, level: 0.5 * GB, noise: 0.01 })),
];

const alert = { title: 'game-api error ratio above 5%', service: 'game-api', at: 176 };

describe('a shared store that filled', () => {
  it('names the writer whose entries stopped expiring as the store began to fill', async () => {
    const r = await run({ alert, series: series(true), changes: changes(false) });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'score-writer', change_id: 'rel-sw-41' });
  });

  it('names it too when the store began evicting a quarter hour before the errors, among series of its parts', async () => {
    const r = await run({ alert, series: [...series(true, 'evicts', 157), ...parts], changes: changes(false) });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'score-writer', change_id: 'rel-sw-41' });
  });

  it('names it too when the full store refuses writes instead of evicting', async () => {
    const r = await run({ alert, series: series(true, 'refuses'), changes: changes(false) });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'score-writer', change_id: 'rel-sw-41' });
  });

  it('names it too when the fill quickens as the writes of the day grow, dated from where memory left its level', async () => {
    // Slow at first, three times as fast by the evening: the line through the climb meets the
    // level before an hour after the release, though memory left it within minutes of it.
    const quickening = Array.from({ length: 139 }, (_, i) => ({ at: 32 + i, to: 2.8 * GB + 3.2 * GB * ((i + 8 * (i / 138)) / 146) ** 2 }));
    const filled = series(true).map((x) => (x.metric === 'kv_memory_used_bytes' ? { metric: x.metric, service: x.service, level: 2.8 * GB, noise: 0.003, shifts: quickening } : x));
    const r = await run({ alert, series: filled, changes: changes(false) });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'score-writer', change_id: 'rel-sw-41' });
  });

  it('names it too when a batch run’s crowd arrives as the store fills up: the crowd found it full', async () => {
    // The store's memory climbs from the release, then the batch's writes take it the rest of the way at once.
    const memory: SeriesSpec = { metric: 'kv_memory_used_bytes', service: 'kv-shared', level: 2.8 * GB, noise: 0.003, shifts: [...ramp(32, 134, 2.8 * GB, 4.9 * GB), { at: 167, to: 6 * GB }] };
    const crowd: SeriesSpec[] = series(true, 'refuses').map((x) =>
      x.metric === 'kv_memory_used_bytes' ? memory : x.metric === 'http_requests_per_second' && x.service === 'game-api' ? { ...x, shifts: [{ at: 166, to: 12_000 }] } : x,
    );
    crowd.push({ metric: 'kv_commands_processed_per_second', service: 'kv-shared', level: 5_000, noise: 0.03, shifts: [{ at: 166, to: 27_000 }] });
    crowd.push({ metric: 'http_requests_per_second', service: 'score-writer-batch', level: 50, noise: 0.03, shifts: [{ at: 166, to: 300 }] });
    const r = await run({ alert, series: crowd, changes: changes(false) });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'score-writer', change_id: 'rel-sw-41' });
  });

  it('names it too when the store drifted up before it and climbed only once its entries written before had expired', async () => {
    // Memory crept up through the morning; the release at 30 stops the new entries expiring,
    // and the store climbs in earnest an hour later, once those written before it have gone.
    const memory: SeriesSpec = { metric: 'kv_memory_used_bytes', service: 'kv-shared', level: 2.8 * GB, noise: 0.002, shifts: [...ramp(0, 90, 2.8 * GB, 3.05 * GB), ...ramp(91, 79, 3.05 * GB, 6 * GB)] };
    const drifted = series(true).map((x) => (x.metric === 'kv_memory_used_bytes' ? memory : x));
    const r = await run({ alert, series: drifted, changes: changes(false) });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'score-writer', change_id: 'rel-sw-41' });
  });

  it('names it too when the morning’s writes lifted the store a little before it came, so its climb is traced back before the release', async () => {
    // Memory drifts up with the morning's traffic from minute 12; the release at 30 stops the
    // new entries expiring and the store climbs steeply from there. Where memory left its band,
    // and the line through the whole rise, both fall minutes before the release.
    const memory: SeriesSpec = { metric: 'kv_memory_used_bytes', service: 'kv-shared', level: 2.8 * GB, noise: 0.002, shifts: [...ramp(12, 18, 2.8 * GB, 3.0 * GB), ...ramp(31, 139, 3.0 * GB, 6 * GB)] };
    const drifted = series(true).map((x) => (x.metric === 'kv_memory_used_bytes' ? memory : x));
    const r = await run({ alert, series: drifted, changes: changes(false) });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'score-writer', change_id: 'rel-sw-41' });
  });

  it('does not, when its entries still expire', async () => {
    const r = await run({ alert, series: series(true), changes: changes(true) });
    expect(verdict(r).change_id).not.toBe('rel-sw-41');
  });

  it('does not, when the store did not fill from its release', async () => {
    const r = await run({ alert, series: series(false), changes: changes(false) });
    expect(verdict(r).change_id).not.toBe('rel-sw-41');
  });
});
