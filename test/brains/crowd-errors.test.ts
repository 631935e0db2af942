// Errors that came with a crowd. Before midnight the exits at the gates double (minute 120),
// and the few card payments declined at an exit double with them, leaving their band only at
// minute 128 (a thin count is slow to show its rise). At 150 a price lookup breaks and most
// exits fail. The declines are the same share of a bigger crowd: they date nothing, so the
// tariff release at 145 came before the incident, not after it.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch } from './synthetic.js';

const run = syntheticRunner('crowd-errors', { start: '2039-03-01T21:00:00Z', minutes: 180 });

describe('an error count that rose with the crowd, a quarter hour after it', () => {
  it('does not date the incident', async () => {
    const r = await run({
      alert: { title: 'gate exits failing', service: 'gates', at: 156 },
      series: [
        { metric: 'exit_events_per_second', service: 'gates', level: 0.9, noise: 0.05, shifts: [{ at: 120, to: 2.2 }] },
        { metric: 'exit_failures_per_second', service: 'gates', labels: { reason: 'declined' }, level: 0.02, noise: 0.15, shifts: [{ at: 128, to: 0.045 }] },
        { metric: 'exit_failures_per_second', service: 'gates', labels: { reason: 'price_unavailable' }, level: 0.02, noise: 0.15, shifts: [{ at: 150.5, to: 2.1 }] },
        { metric: 'http_responses_per_second', service: 'tariffs', labels: { status: '422' }, level: 0.002, noise: 0.2, shifts: [{ at: 150, to: 5.1 }] },
        { metric: 'http_inbound_requests_per_second', service: 'tariffs', level: 5, noise: 0.05 },
      ],
      changes: [
        {
          id: 'rel-3052',
          service: 'tariffs',
          type: 'deploy',
          at: 145,
          summary: 'tariffs 4.4.0: night tariff from the site calendar',
          diff: patch('src/night.py', ['    return site.night_start'], ['    return calendar.night_start(site, day)']),
        },
      ],
      logs: {
        tariffs: [...every(0, 180, 1, 'info', 'price computed'), ...every(150, 180, 0.2, 'error', 'night tariff lookup failed: calendar has no entry for day, returning 422')],
        gates: [...every(0, 180, 1, 'info', 'exit opened'), ...every(150.5, 180, 0.2, 'error', 'price lookup failed: tariffs returned 422')],
      },
    });
    const said = JSON.stringify(r.toolCalls.filter((call) => call.name === 'note_hypothesis'));
    expect(said).not.toMatch(/rel-3052[^"]*after the onset/);
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'tariffs', change_id: 'rel-3052' });
  });
});
