// A flag that makes every booking lock one table. The release the day before shipped the new
// path dark: it locks `slot_holds` in SHARE ROW EXCLUSIVE mode and calls another service inside
// the same transaction. The flag turns it on at minute 60, at a quiet hour: the database's
// count of lock waits, none all morning, stands at a waiter or two from that minute. The
// morning's bookings grow by three quarters to minute 100, where one lane runs out: the
// database's sessions pin, bookings time out and the app's front pages. The load grew by
// less than twofold, an ordinary morning; the queue the lock made was there from the start.
// The app's front had a release two minutes before the onset. Without a count of lock waits in
// the bundle, nothing shows the lock at work before the rush.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, ramp, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('lock-waits-began', { start: '2038-06-07T06:00:00Z', minutes: 160 });

const RELEASE = [
  'diff --git a/src/main/kotlin/vet/BookingService.kt b/src/main/kotlin/vet/BookingService.kt',
  '--- a/src/main/kotlin/vet/BookingService.kt',
  '+++ b/src/main/kotlin/vet/BookingService.kt',
  '@@ -40,4 +40,12 @@ class BookingService(',
  '     fun book(req: BookingRequest): Booking {',
  '+        if (flags.isEnabled("booking.slot-hold-v2")) {',
  '+            return tx.execute {',
  '+                jdbc.execute("LOCK TABLE slot_holds IN SHARE ROW EXCLUSIVE MODE")',
  '+                val pet = petRecords.fetch(req.petId)',
  '+                holds.insert(req.slot, pet.id)',
  '+            }',
  '+        }',
  '         return legacyBook(req)',
  '     }',
  '',
].join('\n');

function spec(waitsCounted: boolean): Omit<BundleSpec, 'start' | 'minutes'> {
  const series: SeriesSpec[] = [
    { metric: 'http_requests_per_second', service: 'booking-svc', level: 40, noise: 0.03, shifts: ramp(60, 60, 40, 80) },
    { metric: 'http_requests_per_second', service: 'owner-bff', level: 55, noise: 0.03, shifts: ramp(60, 60, 55, 110) },
    { metric: 'http_request_duration_seconds_p99', service: 'owner-bff', level: 0.6, noise: 0.05, shifts: [{ at: 101, to: 6 }] },
    { metric: 'http_requests_per_second', service: 'front-desk', level: 20, noise: 0.03, shifts: ramp(60, 60, 20, 52) },
    { metric: 'pg_stat_activity_active', service: 'booking-db', level: 8, noise: 0.1, shifts: [{ at: 100, to: 100 }] },
    { metric: 'pg_cpu_utilization_ratio', service: 'booking-db', level: 0.3, noise: 0.05, shifts: ramp(60, 60, 0.3, 0.5) },
    { metric: 'hikaricp_connections_active', service: 'booking-svc', level: 5, noise: 0.1, shifts: [{ at: 100, to: 30 }] },
    { metric: 'hikaricp_connections_max', service: 'booking-svc', level: 30, noise: 0 },
  ];
  if (waitsCounted) series.push({ metric: 'pg_locks_waiting', service: 'booking-db', level: 0, noise: 0, shifts: [{ at: 61, to: 1 }, { at: 100, to: 60 }] });
  const changes: BundleSpec['changes'] = [
    { id: 'rel-booking-26', service: 'booking-svc', type: 'deploy', at: -1200, summary: 'booking-svc 2.6: slot hold v2 behind a flag (off)', diff: RELEASE },
    { id: 'flag-slot-hold-v2', service: 'booking-svc', type: 'feature_flag', at: 60, summary: 'booking.slot-hold-v2: on for all clinics', attributes: { flag: 'booking.slot-hold-v2' } },
    { id: 'rel-front-desk-9', service: 'front-desk', type: 'deploy', at: 95, summary: 'front-desk 9: printable invoices' },
    { id: 'rel-owner-bff-31', service: 'owner-bff', type: 'deploy', at: 98, summary: 'owner-bff 3.1: pet photo thumbnails' },
  ];
  const logs: BundleSpec['logs'] = {
    'booking-svc': [...every(0, 160, 1, 'info', 'booking confirmed'), ...every(100.5, 160, 0.5, 'error', 'booking failed: Connection is not available, request timed out after 30000ms')],
    'owner-bff': [...every(0, 160, 1, 'info', 'GET /slots 200'), ...every(101, 160, 0.5, 'error', 'POST /bookings 504')],
  };
  return { alert: { title: 'owner app booking errors above 5%', service: 'owner-bff', at: 110 }, series, changes, logs };
}

describe('lock waits that began as a change took effect', () => {
  it('name the flag that made every booking take the lock, though the rush that found its limit came forty minutes later', async () => {
    const r = await run(spec(true));
    expect(verdict(r)).toMatchObject({ category: 'feature_flag', service: 'booking-svc', change_id: 'flag-slot-hold-v2' });
  });

  it('are all that names it: without them the rush is read as load', async () => {
    const r = await run(spec(false));
    expect(verdict(r).change_id).not.toBe('flag-slot-hold-v2');
  });
});
