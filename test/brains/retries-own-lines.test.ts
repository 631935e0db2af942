// Retries are the changed service's own doing. A config change raises the retries of the
// verifier's webhooks; minutes later another service, the collector, begins to log that a
// third party rate-limits it (`status=429 retry_after_s=1`). Those lines say "retry", but they
// are the collector's, about its own calls: they are not what the verifier's edit would cause,
// and they are not cited as its consequence.
import { describe, expect, it } from 'vitest';
import { saidOf, syntheticRunner } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-06-15T08:00:00Z';

const run = syntheticRunner('retries-own-lines', { start: START, minutes: 150, stepSeconds: 60 });

function series(): SeriesSpec[] {
  return [
    { metric: 'http_requests_error_ratio', service: 'verifier', level: 0.004, noise: 0.05, shifts: [{ at: 95, to: 0.2 }] },
    { metric: 'http_requests_per_second', service: 'verifier', level: 80, noise: 0.03 },
    { metric: 'payments_failed_ratio', service: 'collector', level: 0.002, noise: 0.05, shifts: [{ at: 96, to: 0.3 }] },
    { metric: 'http_requests_per_second', service: 'collector', level: 40, noise: 0.03 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'cfg-verifier-12',
    service: 'verifier',
    type: 'config',
    at: 90,
    summary: 'verifier: webhook retries 3 -> 5',
    diff: [
      'diff --git a/config/verifier/production.yml b/config/verifier/production.yml',
      '--- a/config/verifier/production.yml',
      '+++ b/config/verifier/production.yml',
      '@@ -12,5 +12,5 @@ verification:',
      '   webhook:',
      '     path: /webhooks/partner',
      '-    max_retries: 3',
      '+    max_retries: 5',
      '     backoff_seconds: 20',
      '',
    ].join('\n'),
  },
];

const logs: BundleSpec['logs'] = {
  verifier: every(0, 150, 1, 'info', 'verification completed'),
  collector: [...every(0, 150, 1, 'info', 'payment initiated'), ...every(92, 150, 0.5, 'warn', 'partner rate limit hit, backing off status=429 retry_after_s=1')].sort((a, b) => a.at - b.at),
};

const alert = { title: 'Collector payment failures above 10%', service: 'collector', at: 100 };

describe('the lines that show a retries edit at work', () => {
  it('are the changed service’s own, not another service’s retries against a third party', async () => {
    const r = await run({ alert, series: series(), changes, logs });
    const cited = saidOf(r, 'cfg-verifier-12');
    expect(cited).not.toContain('the logs show what its edit would cause');
  });
});
