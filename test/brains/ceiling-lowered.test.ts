// A ceiling that came down. The ledger database's volume takes a nightly-style burst every
// hour (a compaction): it writes 2,600 ops/s for five minutes and goes back to 900. At minute
// 90 an infrastructure change upgrades the volume's module, which drops its provisioned IOPS
// to the default: nothing shows until the next burst, which stops flat at 1,500 ops/s; the
// one at minute 180 is longer, the writes queue, and the posting API behind them slows until
// it pages. A release of the posting API ten minutes before is what the paged service's own
// history offers instead.
import { describe, expect, it } from 'vitest';
import { cadence } from '../../src/brains/triage/ceiling.js';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-03-11T04:00:00Z';

const run = syntheticRunner('ceiling-lowered', { start: START, minutes: 240, stepSeconds: 60 });

/** Hourly bursts of writes: those before the change reach `before`, those after stop at 1,500; with `tapering`, each comes down over minutes. */
function writes(before: number, tapering = false): SeriesSpec {
  const down = (at: number, to: number): Array<{ at: number; to: number }> =>
    tapering && to > 1500 ? [{ at, to: 0.8 * to }, { at: at + 2, to: 0.65 * to }, { at: at + 4, to: 900 }] : [{ at, to: 900 }];
  const burst = (at: number, length: number, to: number): Array<{ at: number; to: number }> => [{ at, to }, ...down(at + length, to)];
  return {
    metric: 'volume_write_ops_per_second',
    service: 'ledger-db',
    level: 900,
    noise: 0.01,
    shifts: [...burst(0, 5, before), ...burst(60, 5, before), ...burst(120, 5, 1500), ...burst(180, 25, 1500)],
  };
}

function series(before: number, tapering = false): SeriesSpec[] {
  return [
    writes(before, tapering),
    { metric: 'volume_write_latency_seconds', service: 'ledger-db', level: 0.001, noise: 0.05, shifts: [{ at: 120, to: 0.04 }, { at: 125, to: 0.001 }, { at: 180, to: 0.06 }, { at: 205, to: 0.001 }] },
    { metric: 'http_request_duration_seconds_p99', service: 'posting-api', level: 0.08, noise: 0.05, shifts: [{ at: 180, to: 1.6 }, { at: 206, to: 0.08 }] },
    { metric: 'http_requests_per_second', service: 'posting-api', level: 70, noise: 0.04 },
    { metric: 'http_requests_per_second', service: 'statement-svc', level: 20, noise: 0.04 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'infra-vol-7',
    service: 'ledger-db',
    type: 'infra',
    at: 90,
    summary: 'volume module 2.x -> 3.0, cost tags',
    diff: patch('envs/prod/ledger/volumes.tf', ['  iops       = 4000', '  throughput = 250'], ['  tags       = local.cost_tags']),
  },
  {
    id: 'rel-posting-31',
    service: 'posting-api',
    type: 'deploy',
    at: 170,
    summary: 'posting-api 3.1.0: clearer validation messages',
    diff: patch('src/posting/validate.go', ['\treturn fmt.Errorf("bad amount")'], ['\treturn fmt.Errorf("amount must be positive, got %d", amount)']),
  },
  {
    id: 'rel-statement-9',
    service: 'statement-svc',
    type: 'deploy',
    at: 150,
    summary: 'statement-svc 0.9.2: footer copy',
    diff: patch('web/footer.ts', ["  const note = 'Thanks'"], ["  const note = 'Thank you'"]),
  },
];

const logs: BundleSpec['logs'] = {
  'posting-api': [...every(0, 240, 2, 'info', 'posting accepted'), ...every(181, 205, 1, 'warn', 'ledger write slow: 1.2 s')],
};

const alert = { title: 'posting-api p99 above 1s', service: 'posting-api', at: 190 };

describe('a ceiling a change lowered, met when demand peaked', () => {
  it('is the change between the last higher peak and the flat top, though it came long before', async () => {
    const r = await run({ alert, series: series(2600), changes, logs });
    expect(r.diagnosis?.root_cause.category).toBe('infrastructure');
    expect(r.diagnosis?.root_cause.change_id).toBe('infra-vol-7');
  });

  it('is found when the peaks before it came down over minutes, above the later ceiling on their way', async () => {
    const r = await run({ alert, series: series(2600, true), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('infra-vol-7');
  });

  it('is not blamed when the peaks before it stopped at the same level', async () => {
    const r = await run({ alert, series: series(1500), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('infra-vol-7');
  });
});

describe('a counted rate of a few events a step', () => {
  it('is a cadence, too coarse to stop flat at a ceiling', () => {
    // One setpoint every ten minutes, read a minute at a time; and a busy writer.
    expect(cadence(1 / 600, 60_000)).toBe(true);
    expect(cadence(0.04, 60_000)).toBe(true);
    expect(cadence(25, 60_000)).toBe(false);
    expect(cadence(0.1, 60_000)).toBe(false);
  });
});
