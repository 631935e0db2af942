// A database's event stream says once that its instance restarted on a host hardware failure,
// and that database's commit latency leads the incident a minute later, its callers failing
// with it. One line, but what it is about degraded right after it: the host is the cause, not
// the caller's config edited four minutes before. The same line twenty minutes before anything
// moved is one complaint, and names nothing.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('host-failed-once', { start: '2037-02-17T17:00:00Z', minutes: 150, stepSeconds: 60 });

const series: SeriesSpec[] = [
  { metric: 'commit_latency_ms', service: 'yard-db', level: 2, noise: 0.1, shifts: [{ at: 100, to: 50 }] },
  { metric: 'cpu_utilization_percent', service: 'yard-db', level: 35, noise: 0.05, shifts: [{ at: 100, to: 99 }] },
  { metric: 'http_error_ratio', service: 'gates', level: 0.003, noise: 0.1, shifts: [{ at: 100, to: 0.25 }] },
  { metric: 'http_error_ratio', service: 'cranes', level: 0.001, noise: 0.1, shifts: [{ at: 100, to: 0.18 }] },
  { metric: 'http_requests_per_second', service: 'gates', level: 30, noise: 0.04 },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'cfg-cranes-19',
    service: 'cranes',
    type: 'config',
    at: 96,
    summary: 'twin-lift max weight delta 10t -> 12t',
    diff: patch('config/cranes/prod.yaml', ['twin_lift:', '  max_weight_delta_t: 10'], ['twin_lift:', '  max_weight_delta_t: 12']),
  },
];

const logsWith = (at: number): BundleSpec['logs'] => ({
  'yard-db': [
    ...every(0, 150, 10, 'info', 'Automated backup window checked'),
    { at, level: 'warn', message: 'The DB instance has been restarted due to a host hardware failure.' },
  ],
  gates: [...every(0, 150, 1, 'info', 'gate transaction created'), ...every(100.2, 150, 0.5, 'error', 'could not create gate transaction: statement timeout on yard-db')],
  cranes: [...every(0, 150, 1, 'info', 'move persisted'), ...every(100.3, 150, 0.5, 'error', 'persist timed out against yard-db')],
});

const alert = { title: 'GateTransactionErrors', service: 'gates', at: 108 };

describe('a host failure logged once', () => {
  it('is the cause when what it is about degraded right after it', async () => {
    const r = await run({ alert, series, changes, logs: logsWith(99.1) });
    expect(verdict(r)).toMatchObject({ category: 'infrastructure', service: 'yard-db', change_id: null });
  });

  it('names nothing when it came long before anything moved', async () => {
    const r = await run({ alert, series, changes, logs: logsWith(78) });
    expect(verdict(r).category).not.toBe('infrastructure');
  });
});
