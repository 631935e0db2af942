// A party that goes on answering, fast and with success, but with nothing in its answers: a
// quote partner returns empty offers. Its calls come back eight times faster as the quotes
// fail, while the caller's other partner holds; the caller logs each empty answer at debug
// (as it always did, now and then, for the other partner too). Eight minutes before, the
// caller itself deployed. No error, no slow call: the party is the cause all the same, and
// only the lines after the onset say whom the empty answers came from.
//
// Faster calls are no such news where nothing in the logs says what came back, nor where the
// calls stopped being made (which another rule reads: what a service receives from a party fell).
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('hollow-answers', { start: '2037-05-14T17:00:00Z', minutes: 180, stepSeconds: 60 });

const seriesWith = (brightlineCalls: SeriesSpec['shifts']): SeriesSpec[] => [
  { metric: 'quote_call_duration_seconds', service: 'quotes', labels: { partner: 'brightline' }, level: 0.42, noise: 0.05, shifts: [{ at: 100, to: 0.05 }] },
  { metric: 'quote_call_duration_seconds', service: 'quotes', labels: { partner: 'coralbid' }, level: 0.31, noise: 0.05 },
  { metric: 'quote_calls_per_second', service: 'quotes', labels: { partner: 'brightline' }, level: 40, noise: 0.04, ...(brightlineCalls ? { shifts: brightlineCalls } : {}) },
  { metric: 'quote_calls_per_second', service: 'quotes', labels: { partner: 'coralbid' }, level: 38, noise: 0.04 },
  { metric: 'quoted_ratio', service: 'quotes', level: 0.86, noise: 0.02, shifts: [{ at: 100, to: 0.41 }] },
  { metric: 'http_requests_per_second', service: 'storefront', level: 60, noise: 0.04 },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'deploy-quotes-311',
    service: 'quotes',
    type: 'deploy',
    at: 92,
    summary: 'quotes: log the consent string version with each partner call',
    diff: patch('src/quotes/partners.ts', ['  log.debug("calling partner", { partner });'], ['  log.debug("calling partner", { partner, consentVersion });']),
  },
];

const logsWith = (emptyAnswers: boolean): BundleSpec['logs'] => ({
  quotes: [
    ...every(0, 180, 1, 'info', 'quote served'),
    // The other partner answers empty now and then all along: the template's first example names it.
    ...every(3, 180, 20, 'debug', 'partner answer without offers', { partner: 'coralbid', status: '200' }),
    ...(emptyAnswers ? every(100.3, 180, 0.5, 'debug', 'partner answer without offers', { partner: 'brightline', status: '200' }) : []),
  ],
  storefront: every(0, 180, 1, 'info', 'page rendered'),
});

const alert = { title: 'QuotedRatioLow', service: 'quotes', at: 110 };

describe('a party that answers without doing the work', () => {
  it('is the cause though its calls got faster and none of them failed', async () => {
    const r = await run({ alert, series: seriesWith(undefined), changes, logs: logsWith(true) });
    expect(verdict(r)).toMatchObject({ category: 'dependency', change_id: null });
    expect(r.diagnosis?.summary).toContain('brightline');
  });

  it('is not, when no new line says what came back from it', async () => {
    const r = await run({ alert, series: seriesWith(undefined), changes, logs: logsWith(false) });
    expect(verdict(r).category).not.toBe('dependency');
  });

  it('is not read into calls that stopped being made: those fell, they were not answered', async () => {
    const r = await run({ alert, series: seriesWith([{ at: 100, to: 2 }]), changes, logs: logsWith(true) });
    expect(r.diagnosis?.root_cause.description ?? '').not.toContain('faster');
  });
});
