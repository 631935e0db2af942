// A rollback named by what the release it undid had touched. At minute 20 a release of the
// RSVP service renames a column (`party_size` to `headcount`) with its migration, and runs
// fine for two hours. At minute 150 it is rolled back for an unrelated reason: the schema stays
// migrated, and the old build asks for `party_size` again, which no longer exists. The rollback
// has no diff of its own; the errors name what it touches, the other way round.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('rollback-names', { start: '2040-04-12T09:00:00Z', minutes: 200 });

const series: SeriesSpec[] = [
  { metric: 'rsvp_core_http_5xx_ratio', service: 'rsvp-core', level: 0.001, noise: 0.2, shifts: [{ at: 150.5, to: 0.6 }] },
  { metric: 'rsvp_core_http_requests_per_second', service: 'rsvp-core', level: 40, noise: 0.05 },
  { metric: 'bff_http_5xx_ratio', service: 'web-bff', level: 0.001, noise: 0.2, shifts: [{ at: 151, to: 0.4 }] },
  { metric: 'bff_http_requests_per_second', service: 'web-bff', level: 60, noise: 0.05 },
];

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-315',
    service: 'rsvp-core',
    type: 'deploy',
    at: 20,
    summary: 'rsvp-core 3.15.0: party headcount (V87)',
    diff: patch(
      'src/main/resources/db/migration/V87__party_headcount.sql',
      [],
      ['ALTER TABLE guest_party RENAME COLUMN party_size TO headcount;'],
    ).concat(
      '\n',
      patch('src/main/kotlin/rsvp/PartyRepository.kt', ['    select id, party_size from guest_party where event_id = ?'], ['    select id, headcount from guest_party where event_id = ?']),
    ),
  },
  { id: 'rel-bff-82', service: 'web-bff', type: 'deploy', at: 130, summary: 'web-bff 8.2.0: confirmation page copy', diff: patch('src/routes/confirm.ts', ["  title: 'Thanks!',"], ["  title: 'Thank you!',"]) },
  { id: 'rb-314', service: 'rsvp-core', type: 'rollback', at: 150, summary: 'roll rsvp-core back to 3.14.2: heap climbing since 3.15.0', attributes: { reverts: 'rel-315' } },
];

const logs: BundleSpec['logs'] = {
  'rsvp-core': [
    ...every(0, 200, 1, 'info', 'GET /events/{id}/parties 200'),
    ...every(150.3, 200, 0.2, 'error', 'SQL Error: 0, SQLState: 42703 ERROR: column "party_size" does not exist'),
  ],
  'web-bff': [...every(0, 200, 1, 'info', 'render rsvp page'), ...every(151, 200, 0.5, 'error', 'upstream error: rsvp-core returned 500')],
};

describe('a rollback with no diff of its own', () => {
  it('is named by errors that name what the release it undid had touched', async () => {
    const r = await run({ alert: { title: 'RsvpCoreErrorRate', service: 'rsvp-core', at: 160 }, series, changes, logs });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'rsvp-core', change_id: 'rb-314' });
  });
});
