// A change nothing names, tied to the symptoms by its undoing. The stats service's release at
// minute 30 runs a blocking scan on the shared cache for every roster change; no metric or log
// of the lobby names the stats service. From minute 60, as the evening's roster changes pick
// up, the lobby's reads from the cache time out and its ready checks fail; the overlay's flag
// turned on at 55, with a few errors of its own, and the lobby's own release at 50 sit nearer.
// At 80 the responders roll the stats release back, and the lobby's timeouts stop at once.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-09-12T16:00:00Z';

const run = syntheticRunner('undo-ties-off-path', { start: START, minutes: 120, stepSeconds: 30 });

/** The lobby's cache timeouts from minute 60: ending at the rollback (`ends`), or going on. */
function series(ends: boolean): SeriesSpec[] {
  const timeouts = [{ at: 60, to: 160 }, ...(ends ? [{ at: 81, to: 0.5 }] : [])];
  return [
    { metric: 'lobby_cache_command_timeouts_per_second', service: 'match-lobby', level: 0.5, noise: 0.1, shifts: timeouts },
    { metric: 'lobby_ready_checks_failed_per_second', service: 'match-lobby', level: 0.07, noise: 0.1, shifts: [{ at: 60, to: 4 }, ...(ends ? [{ at: 81, to: 0.07 }] : [])] },
    { metric: 'lobby_requests_per_second', service: 'match-lobby', level: 300, noise: 0.03 },
    { metric: 'overlay_request_errors_ratio', service: 'stream-overlay', level: 0.001, noise: 0.1, shifts: [{ at: 56, to: 0.03 }] },
    { metric: 'overlay_requests_per_second', service: 'stream-overlay', level: 40, noise: 0.03, shifts: [{ at: 55, to: 78 }] },
    { metric: 'stats_roster_updates_per_second', service: 'player-stats', level: 2, noise: 0.05 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-stats-219',
    service: 'player-stats',
    type: 'deploy',
    at: 30,
    summary: 'player-stats 2.19: refresh team aggregates on roster change',
    diff: patch('src/roster.ts', ['  await refreshTeam(teamId);'], ['  const keys = await cache.keys(`stats:team:${teamId}:*`);', '  await Promise.all(keys.map((key) => refreshKey(key)));']),
  },
  {
    id: 'rel-lobby-88',
    service: 'match-lobby',
    type: 'deploy',
    at: 50,
    summary: 'match-lobby 8.8: emote wheel and a cache client patch release',
    diff: patch('package.json', ['    "cache-client": "5.3.1",'], ['    "cache-client": "5.3.2",']),
  },
  { id: 'flag-overlay-kda', service: 'stream-overlay', type: 'feature_flag', at: 55, summary: 'live K/D/A on broadcast overlays' },
  { id: 'rb-stats-218', service: 'player-stats', type: 'rollback', at: 80, summary: 'roll player-stats back to 2.18', attributes: { reverts: 'rel-stats-219' } },
];

function logs(ends: boolean): BundleSpec['logs'] {
  return {
    'match-lobby': [...every(0, 120, 1, 'info', 'lobby ready check ok'), ...every(60.2, ends ? 80.5 : 120, 0.5, 'error', 'session lookup failed: cache command timed out after 250 ms')],
    'stream-overlay': [...every(0, 120, 2, 'info', 'overlay frame rendered'), ...every(56.3, 120, 3, 'warn', 'overlay stats fetch slow')],
  };
}

const alert = { title: 'Lobby ready checks failing', service: 'match-lobby', at: 70 };

describe('a change nothing names, whose undoing ended the symptoms', () => {
  it('is tied to them by the undo, and named', async () => {
    const r = await run({ alert, series: series(true), changes, logs: logs(true) });
    expect(r.diagnosis?.root_cause.change_id).toBe('rel-stats-219');
  });

  it('stays off the path when the symptoms went on after the undo', async () => {
    const r = await run({ alert, series: series(false), changes, logs: logs(false) });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('rel-stats-219');
  });
});
