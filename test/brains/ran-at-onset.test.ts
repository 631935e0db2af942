// A job whose code a release made costlier per run, found at its next run. A reminder batch is
// released in the evening with a query whose condition wraps the indexed due date in a function;
// nothing runs it overnight. At 05:30 the batch starts (its log begins then, long after the
// others'), every clinic's query reads the whole table, the shared database runs out of CPU and
// the booking API, paged, slows as the morning's bookings come. A release of the booking API
// twelve minutes before the run is a decoy. A batch released with a harmless edit is no cause.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('ran-at-onset', { start: '2047-02-17T02:00:00Z', minutes: 240 });

const series: SeriesSpec[] = [
  { metric: 'pg_cpu_utilization_ratio', service: 'clinic-db', level: 0.2, noise: 0.03, shifts: [{ at: 210, to: 0.95 }] },
  { metric: 'http_requests_per_second', service: 'appointment-api', level: 20, noise: 0.03 },
  { metric: 'http_request_duration_seconds_p99', service: 'appointment-api', level: 0.12, noise: 0.04, shifts: [{ at: 211, to: 2.4 }] },
];

const changes = (from: string, to: string): BundleSpec['changes'] => [
  { id: 'rel-2290', service: 'reminder-batch', type: 'deploy', at: 5, summary: 'reminder-batch 2.9.0: due day in clinic time zone', diff: patch('app/queries/due_query.rb', [from], [to]) },
  { id: 'rel-2301', service: 'appointment-api', type: 'deploy', at: 198, summary: 'appointment-api: wording of the slot picker', diff: patch('app/views/slots.rb', ["  TITLE = 'Pick a slot'"], ["  TITLE = 'Choose a time'"]) },
];

const logs: BundleSpec['logs'] = {
  'appointment-api': [...every(0, 240, 1, 'info', 'GET /slots 200'), ...every(212, 240, 0.5, 'warn', 'ActiveRecord::QueryCanceled: canceling statement due to statement timeout')],
  'clinic-db': every(0, 240, 5, 'info', 'checkpoint complete'),
  // The batch logs only while it runs.
  'reminder-batch': every(210, 240, 1, 'info', 'clinic processed'),
};

describe('a job whose code a release made costlier per run', () => {
  it('is named when its next run began as the symptoms began', async () => {
    const r = await run({
      alert: { title: 'appointment-api slow', service: 'appointment-api', at: 225 },
      series,
      changes: changes('      .where(due_at: @from..@to)', `      .where("date_trunc('day', vaccinations.due_at AT TIME ZONE clinics.tz) BETWEEN ? AND ?", @from, @to)`),
      logs,
    });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'reminder-batch', change_id: 'rel-2290' });
  });

  it('is named when only its work, rising from nothing, shows its next run began, its logs having run all along', async () => {
    const r = await run({
      alert: { title: 'appointment-api slow', service: 'appointment-api', at: 225 },
      series: [...series, { metric: 'reminder_batch_clinics_per_second', service: 'reminder-batch', level: 0, noise: 0, shifts: [{ at: 210, to: 4 }] }],
      changes: changes('      .where(due_at: @from..@to)', `      .where("date_trunc('day', vaccinations.due_at AT TIME ZONE clinics.tz) BETWEEN ? AND ?", @from, @to)`),
      logs: { ...logs, 'reminder-batch': every(0, 240, 5, 'info', 'scheduler heartbeat') },
    });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'reminder-batch', change_id: 'rel-2290' });
  });

  it('is not, when its edit costs nothing more per run', async () => {
    const r = await run({ alert: { title: 'appointment-api slow', service: 'appointment-api', at: 225 }, series, changes: changes('      .limit(500)', '      .limit(400)'), logs });
    expect(verdict(r).change_id).not.toBe('rel-2290');
  });
});
