// A third party whose token endpoint fails while its API health endpoint, the one its probe
// reads, keeps passing. The caller's token refreshes begin to fail, and its logs quote the
// party's own answer (`503 temporarily_unavailable`). Five minutes before, the caller's
// config raised a retry count on another of its paths, and nothing shows those retries at
// work. The probe holding is no evidence that the party was well: it answered that it was not.
// Where the caller's lines quote no answer of the party's (a reset on the way to it), the
// probe holding still speaks against the party.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('peer-refused', { start: '2037-03-09T06:00:00Z', minutes: 180, stepSeconds: 30 });

const probe = { instance: 'https://api.quillpay.example/v1/health', job: 'blackbox' };

const series: SeriesSpec[] = [
  { metric: 'token_refresh_errors_per_second', service: 'payouts', labels: { provider: 'quillpay' }, level: 0, noise: 0, shifts: [{ at: 100, to: 0.07 }] },
  { metric: 'payouts_sent_per_second', service: 'payouts', level: 4, noise: 0.05 },
  { metric: 'payout_failure_ratio', service: 'payouts', level: 0.01, noise: 0.1, shifts: [{ at: 104, to: 0.9 }] },
  { metric: 'probe_success', service: 'quillpay', labels: probe, level: 1, noise: 0 },
  { metric: 'probe_duration_seconds', service: 'quillpay', labels: probe, level: 0.2, noise: 0.05 },
  { metric: 'ledger_entries_per_second', service: 'ledger', level: 30, noise: 0.05 },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'cfg-hook-retries',
    service: 'payouts',
    type: 'config',
    at: 95,
    summary: 'payouts: status webhook retries 3 -> 5',
    diff: patch('config/payouts/production.yml', ['    max_retries: 3'], ['    max_retries: 5']),
  },
];

const logsWith = (failure: string): BundleSpec['logs'] => ({
  payouts: [
    ...every(0, 180, 0.5, 'info', 'payout sent provider=quillpay'),
    ...every(100.2, 180, 0.5, 'error', failure),
    ...every(104.2, 180, 0.5, 'error', 'payout failed provider=quillpay status=401 error=invalid_token'),
  ],
  ledger: every(0, 180, 1, 'info', 'ledger entry posted'),
});

const alert = { title: 'PayoutFailureRatioHigh', service: 'payouts', at: 110 };

describe('a party whose callers quote its own refusal', () => {
  it('is the cause though the probe of its health endpoint held', async () => {
    const r = await run({ alert, series, changes, logs: logsWith('quillpay token refresh failed (503 temporarily_unavailable); no valid token') });
    expect(verdict(r)).toMatchObject({ category: 'dependency', service: 'quillpay', change_id: null });
  });

  it('is not, when the failing lines quote no answer of its own', async () => {
    const r = await run({ alert, series, changes, logs: logsWith('quillpay token refresh failed: connection reset by peer; no valid token') });
    expect(verdict(r).category).not.toBe('dependency');
  });
});
