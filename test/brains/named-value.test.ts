// A change no metric ties to the symptoms, named by the errors that began with them. At minute
// 100 the producer of a queue switches its records to a wire format the consumer's library
// cannot read; the consumer fails on the first such record, restarts and fails again, and its
// output stops. The producer's own series never move: the only link is the consumer's errors,
// which print the value the change set (`cbor`), never the setting's key.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-03-14T08:00:00Z';

const run = syntheticRunner('named-value', { start: START, minutes: 160, stepSeconds: 30 });

const series: SeriesSpec[] = [
  { metric: 'records_produced_per_second', service: 'tide-sampler', level: 42, noise: 0.04 },
  { metric: 'container_cpu_usage_cores', service: 'tide-sampler', level: 0.6, noise: 0.05 },
  { metric: 'records_consumed_per_second', service: 'surge-model', level: 42, noise: 0.04, shifts: [{ at: 100.5, to: 0 }] },
  { metric: 'forecasts_published_per_second', service: 'surge-model', level: 0.2, shifts: [{ at: 100.5, to: 0 }] },
  { metric: 'forecast_age_seconds', service: 'surge-model', level: 60, shifts: [{ at: 101, to: 400 }, { at: 106, to: 900 }, { at: 112, to: 1500 }] },
  { metric: 'consumer_group_lag', service: 'tide-bus', labels: { group: 'surge-model' }, level: 15, shifts: [{ at: 101, to: 2500 }, { at: 110, to: 25000 }] },
  { metric: 'http_requests_per_second', service: 'coast-portal', level: 90, noise: 0.05 },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-surge-9',
    service: 'surge-model',
    type: 'deploy',
    at: 78,
    summary: 'surge-model 9.1.0: finer grid near estuaries',
    diff: patch('model/grid.py', ['GRID_KM = 2.0'], ['GRID_KM = 1.5']),
  },
  {
    id: 'cfg-sampler-52',
    service: 'tide-sampler',
    type: 'config',
    at: 99.5,
    summary: 'tide-sampler: compact record encoding',
    diff: patch('deploy/tide-sampler/values.yaml', ['    wire_format: json'], ['    wire_format: cbor']),
  },
  {
    id: 'rel-portal-31',
    service: 'coast-portal',
    type: 'deploy',
    at: 96,
    summary: 'coast-portal 3.1: new map legend',
    diff: patch('web/legend.ts', ["  const title = 'Surge'"], ["  const title = 'Storm surge'"]),
  },
];

/** The consumer's errors from the first record it cannot read, with or without the value in them. */
function logs(failure: string): BundleSpec['logs'] {
  return {
    'tide-sampler': every(0, 160, 1, 'info', 'flushed batch records=2520'),
    'surge-model': [
      ...every(0, 100.5, 1, 'info', 'forecast published'),
      ...every(30, 160, 20, 'warn', 'gauge reading late, excluded'),
      ...every(100.5, 160, 0.5, 'error', failure),
      ...every(100.6, 160, 0.5, 'info', 'starting surge-model 9.1.0'),
    ],
    'tide-bus': every(0, 160, 2, 'info', 'segment rolled'),
  };
}

const alert = { title: 'surge forecasts stale', service: 'surge-model', at: 115 };

describe('a change whose only link to the symptoms is the errors that name what it set', () => {
  it('is the cause when the consumer that failed at the onset prints the value it set', async () => {
    const r = await run({ alert, series, changes, logs: logs('consumer loop failed: UnsupportedFormatError: no decoder for cbor records, exiting') });
    expect(r.diagnosis?.root_cause.category).toBe('config');
    expect(r.diagnosis?.root_cause.change_id).toBe('cfg-sampler-52');
    expect(JSON.stringify(r.diagnosis)).toContain('cbor, which it set');
  });

  it('is not blamed when the errors do not name it', async () => {
    const r = await run({ alert, series, changes, logs: logs('consumer loop failed: UnsupportedFormatError: no decoder for record, exiting') });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('cfg-sampler-52');
  });
});
