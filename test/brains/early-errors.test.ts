// A defect that failed a few requests from the start. At minute 20 a release of the tariff
// service splits stays at midnight from the wrong date: the few stays that cross midnight fail
// (422s step from nearly none to a steady trickle, below the alert), and at minute 150, local
// midnight, every open stay crosses it and the exits fail. The release is hours from the onset
// and its diff shows nothing a rule knows; its own errors, there from the moment it took
// effect, tie it to the incident. The same step with traffic tripling across it is more
// requests, not a defect.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec } from './synthetic.js';

const run = syntheticRunner('early-errors', { start: '2039-01-15T21:00:00Z', minutes: 180 });

function bundle(rush: boolean): Omit<BundleSpec, 'start' | 'minutes'> {
  return {
    alert: { title: 'gate exits failing', service: 'gates', at: 155 },
    series: [
      { metric: 'http_responses_per_second', service: 'tariffs', labels: { status: '422' }, level: 0.002, noise: 0.2, shifts: [{ at: 20.5, to: 0.06 }, { at: 150, to: 5.2 }] },
      { metric: 'http_responses_per_second', service: 'tariffs', labels: { status: '200' }, level: 5, noise: 0.05, shifts: rush ? [{ at: 20.5, to: 16 }, { at: 150, to: 0.3 }] : [{ at: 150, to: 0.3 }] },
      { metric: 'http_inbound_requests_per_second', service: 'tariffs', level: 5, noise: 0.05, shifts: rush ? [{ at: 20.5, to: 16 }] : [] },
      { metric: 'gate_exit_failures_per_second', service: 'gates', level: 0.01, noise: 0.3, shifts: [{ at: 150.5, to: 4.8 }] },
      { metric: 'http_inbound_requests_per_second', service: 'gates', level: 6, noise: 0.05 },
    ],
    changes: [
      {
        id: 'rel-3041',
        service: 'tariffs',
        type: 'deploy',
        at: 20,
        summary: 'tariffs 4.3.0: split stays at local midnight',
        diff: patch('src/split.py', ['    day_end = local_midnight(segment.start, site.tz)'], ['    day_end = datetime.combine(segment.start.date(), time.max, tzinfo=site.tz)']),
      },
      { id: 'cfg-1202', service: 'gates', type: 'config', at: 142, summary: 'gates: barrier open pulse 800ms', diff: patch('gates/values.yaml', ['  pulseMs: 600'], ['  pulseMs: 800']) },
      { id: 'batch-cron', service: 'settlement', type: 'config', at: 60, summary: 'settlement: report recipients', diff: patch('cron/settlement.yaml', ['  to: ops@example.com'], ['  to: ops@example.com, finance@example.com']) },
    ],
    logs: {
      tariffs: [...every(0, 180, 1, 'info', 'price computed'), ...every(21, 150, 7, 'warn', 'stay segment has negative duration, returning 422'), ...every(150, 180, 0.2, 'warn', 'stay segment has negative duration, returning 422')],
      gates: [...every(0, 180, 1, 'info', 'exit opened'), ...every(150.5, 180, 0.2, 'error', 'price lookup failed: tariffs returned 422')],
    },
  };
}

describe('a release whose own errors began with it, long before the incident', () => {
  it('is named', async () => {
    expect(verdict(await run(bundle(false)))).toEqual({ category: 'deploy', service: 'tariffs', change_id: 'rel-3041' });
  });

  it('is not tied to it by errors that rose with its traffic', async () => {
    const r = await run(bundle(true));
    const said = JSON.stringify(r.toolCalls.filter((call) => call.name === 'note_hypothesis'));
    expect(said).not.toContain('was there from the start');
  });
});
