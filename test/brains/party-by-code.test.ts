// A reference lab, one of three the results service sends orders to, begins rejecting most of
// them. Its series are split by a label no list of party words holds (`lab="…"`), and the
// service's logs name it only by the account code it has with that lab (`acct=77120`), which
// the lab's own traffic series carries beside its name. A release of the results service
// twenty minutes before is a decoy with nothing risky in it. Where the split is by a zone (a
// place, not a party), the same failures name no dependency.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('party-by-code', { start: '2037-08-02T13:00:00Z', minutes: 180, stepSeconds: 60 });

function spec(key: string): Omit<BundleSpec, 'start' | 'minutes'> {
  const labs = [
    { name: 'coastal-path', code: '77120' },
    { name: 'ridgeline-dx', code: '40318' },
    { name: 'meridian-labs', code: '52007' },
  ];
  const series: SeriesSpec[] = labs.flatMap(({ name, code }, i): SeriesSpec[] => [
    { metric: 'lab_order_reject_ratio', service: 'results', labels: { [key]: name }, level: 0.01, noise: 0.1, shifts: i === 0 ? [{ at: 100, to: 0.55 }] : [] },
    { metric: 'lab_orders_sent_per_minute', service: 'results', labels: { [key]: name, acct: code }, level: 40, noise: 0.05 },
  ]);
  series.push(
    { metric: 'orders_pending_results', service: 'clinic-app', level: 30, noise: 0.05, slope: 4, slopeFrom: 101 },
    { metric: 'http_requests_per_second', service: 'clinic-app', level: 60, noise: 0.05 },
  );
  const changes: BundleSpec['changes'] = [
    { id: 'rel-results-14', service: 'results', type: 'deploy', at: 80, summary: 'results 1.14: show specimen photos', diff: patch('src/results/photos.py', ['    return None'], ['    return photo_url(order)']) },
  ];
  const logs: BundleSpec['logs'] = {
    results: [
      ...every(0, 180, 0.5, 'info', 'order sent acct=40318'),
      ...every(0, 180, 0.5, 'info', 'order sent acct=52007'),
      ...every(100.3, 180, 0.5, 'warn', 'order rejected acct=77120 code=HE (host processing error, resubmit)'),
    ],
    'clinic-app': every(0, 180, 1, 'info', 'results page served'),
  };
  return { alert: { title: 'LabResultsBacklog', service: 'clinic-app', at: 120 }, series, changes, logs };
}

describe('a party its callers name by a code it goes by', () => {
  it('is the dependency that failed, found through its code', async () => {
    const r = await run(spec('lab'));
    expect(verdict(r)).toMatchObject({ category: 'dependency', change_id: null });
  });

  it('is not, when the series are split by a place', async () => {
    const r = await run(spec('zone'));
    expect(verdict(r).category).not.toBe('dependency');
  });
});
