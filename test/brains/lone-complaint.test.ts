// One line of complaint is not a platform failure. A rollback of the issuing service at minute
// 100 meets a schema its newer release had migrated, and its requests fail from that minute.
// In the same minute an unrelated catch logger prints, once, that a device's clock was skewed. A
// single line, on no host the bundle places anything on and moving no metric of its kind, does
// not outweigh the rollback the failures began with.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('lone-complaint', { start: '2036-04-30T08:00:00Z', minutes: 160, stepSeconds: 30 });

const series: SeriesSpec[] = [
  { metric: 'checkout_success_ratio', service: 'web-shop', level: 0.96, noise: 0.005, shifts: [{ at: 100, to: 0.64 }] },
  { metric: 'http_requests_per_second', service: 'web-shop', level: 20, noise: 0.03 },
  { metric: 'rails_5xx_ratio', service: 'issuance', level: 0.001, noise: 0.1, shifts: [{ at: 100, to: 0.34 }] },
  { metric: 'catches_logged_per_minute', service: 'catch-log', level: 12, noise: 0.05 },
];

const changes: BundleSpec['changes'] = [
  { id: 'rel-issuance-391', service: 'issuance', type: 'deploy', at: 40, summary: 'issuance 3.9.1: rename holder birth date column', diff: patch('db/migrate/rename.rb', ['  # none'], ['  rename_column :licences, :dob, :holder_dob']) },
  { id: 'rb-issuance-384', service: 'issuance', type: 'rollback', at: 99.5, summary: 'roll issuance back to 3.8.4', attributes: { reverts: 'rel-issuance-391' } },
];

const logs: BundleSpec['logs'] = {
  'web-shop': [...every(0, 160, 1, 'info', 'licence sold'), ...every(100.2, 160, 0.5, 'error', 'licence issuance failed, cancelling payment')],
  issuance: [...every(0, 160, 1, 'info', 'licence issued'), ...every(100.1, 160, 0.5, 'error', "ActiveModel::UnknownAttributeError (unknown attribute 'holder_dob' for Licence.)")],
  'catch-log': [...every(0, 160, 2, 'info', 'catch recorded'), { at: 100.3, level: 'error', message: 'photos.Uploader - S3 PutObject failed: RequestTimeTooSkewed (device clock)' }],
};

describe('one line of complaint', () => {
  it('does not outweigh the rollback the failures began with', async () => {
    const r = await run({ alert: { title: 'Licence checkout failing', service: 'web-shop', at: 115 }, series, changes, logs });
    expect(verdict(r)).toMatchObject({ category: 'deploy', service: 'issuance', change_id: 'rb-issuance-384' });
  });
});
