// A flag turned on just before a crowd. Tickets for a last week go on sale at minute 120 and
// holds jump from 20 to 290 a second; the seat service's connection pool pins and its holds
// time out. Twenty minutes before, a flag sent 5% of one kind of hold to a new picker, code a
// release shipped the day before behind that flag. The new code does nothing the diff shows
// to be costly: a flag that turns on code, with nothing known against that code, did not make
// the service weaker, and the crowd is what ran it out of room. When the code behind the flag
// runs a query per seat, the flag did make each hold heavier, and it is named.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('flag-before-crowd', { start: '2039-09-14T07:00:00Z', minutes: 200 });

const series: SeriesSpec[] = [
  { metric: 'storefront_sessions_active', service: 'storefront', level: 900, noise: 0.05, shifts: [{ at: 120, to: 5200 }] },
  { metric: 'seat_hold_requests_per_second', service: 'seat-inventory', level: 20, noise: 0.05, shifts: [{ at: 120, to: 290 }] },
  { metric: 'seat_holds_completed_per_second', service: 'seat-inventory', level: 20, noise: 0.05, shifts: [{ at: 120, to: 150 }] },
  { metric: 'hikaricp_connections_active', service: 'seat-inventory', level: 6, noise: 0.1, shifts: [{ at: 121, to: 40 }] },
  { metric: 'hikaricp_connections_max', service: 'seat-inventory', level: 40, noise: 0 },
  { metric: 'seat_hold_duration_seconds_p99', service: 'seat-inventory', level: 0.08, noise: 0.05, shifts: [{ at: 121, to: 3 }] },
  { metric: 'reservation_http_5xx_ratio', service: 'reservation-api', level: 0.002, noise: 0.1, shifts: [{ at: 122, to: 0.4 }] },
  { metric: 'reservation_http_requests_per_second', service: 'reservation-api', level: 25, noise: 0.05, shifts: [{ at: 120, to: 330 }] },
];

/** The release of the day before: the new picker, behind the flag, and what it does per seat. */
function release(perSeatQuery: boolean): string {
  const pick = perSeatQuery
    ? ['+            for (Seat seat : block.seats()) {', '+                scores.add(jdbc.queryForObject("SELECT score FROM sightline WHERE seat = ?", Double.class, seat.code()));', '+            }']
    : ['+            block = block.bestBySightline(table);'];
  return [
    'diff --git a/src/main/java/seats/HoldService.java b/src/main/java/seats/HoldService.java',
    '--- a/src/main/java/seats/HoldService.java',
    '+++ b/src/main/java/seats/HoldService.java',
    `@@ -58,4 +58,${6 + pick.length} @@ public class HoldService {`,
    '     public Hold bestAvailable(PerformanceId perf, int size) {',
    '         SeatBlock block = legacy.pick(maps.get(perf), size);',
    '+        if (flags.isEnabled("seats.best-available-v2", perf)) {',
    ...pick,
    '+        }',
    '         return holdSeats(perf, block.seatCodes());',
    '     }',
    '',
  ].join('\n');
}

const changes = (perSeatQuery: boolean): BundleSpec['changes'] => [
  { id: 'rel-seats-581', service: 'seat-inventory', type: 'deploy', at: -900, summary: 'seat-inventory 5.8.1: best-available v2 behind a flag (off)', diff: release(perSeatQuery) },
  { id: 'flag-bav2-5', service: 'seat-inventory', type: 'feature_flag', at: 100, summary: 'seats.best-available-v2: 0% -> 5%', attributes: { flag: 'seats.best-available-v2' } },
];

const logs: BundleSpec['logs'] = {
  'seat-inventory': [...every(0, 200, 1, 'info', 'hold placed'), ...every(121, 200, 0.5, 'error', 'hold failed: Connection is not available, request timed out after 3000ms')],
  'reservation-api': [...every(0, 200, 1, 'info', 'POST /reservations 201'), ...every(122, 200, 0.5, 'error', 'POST /reservations 503: hold timed out')],
};

const alert = { title: 'reservation-api 5xx above 5%', service: 'reservation-api', at: 126 };

describe('a flag turned on just before a crowd', () => {
  it('is not blamed for the room the crowd used up, when nothing is known against the code it turns on', async () => {
    const r = await run({ alert, series, changes: changes(false), logs });
    expect(verdict(r)).toEqual({ category: 'capacity', service: 'seat-inventory', change_id: null });
  });

  it('is, when the code it turns on runs a query per seat', async () => {
    const r = await run({ alert, series, changes: changes(true), logs });
    expect(verdict(r).change_id).toBe('flag-bav2-5');
  });
});
