// A month-end batch: a scheduler enqueues a burst of statements, the workers take them from a
// queue held in a single-threaded store, and the store's main thread pins at full while the
// workers' own CPU stays low. The oldest waiting job's age climbs until the page. The room ran
// out in the store; the jobs piling up in the workers are what wait on it. A config change of
// the workers fifty minutes before (a retry backoff) is a decoy, and one of their queues held
// a few more jobs as it landed: a backlog counts work waiting, not room the change took.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('busy-at-ceiling', { start: '2037-01-31T22:00:00Z', minutes: 180, stepSeconds: 60 });

const BATCH = 120;

function spec(withDecoy: boolean): Omit<BundleSpec, 'start' | 'minutes'> {
  const series: SeriesSpec[] = [
    { metric: 'statements_enqueued_per_second', service: 'scheduler', level: 0.2, noise: 0.1, shifts: [{ at: BATCH, to: 900 }, { at: BATCH + 3, to: 0.2 }] },
    { metric: 'store_main_thread_busy_ratio', service: 'job-store', level: 0.15, noise: 0.03, shifts: [{ at: BATCH + 1, to: 0.995 }] },
    { metric: 'store_commands_per_second', service: 'job-store', level: 9000, noise: 0.05, shifts: [{ at: BATCH + 1, to: 26000 }] },
    { metric: 'jobs_completed_per_second', service: 'statement-worker', level: 20, noise: 0.05, shifts: [{ at: BATCH + 1, to: 380 }] },
    { metric: 'jobs_oldest_waiting_age_seconds', service: 'statement-worker', level: 4, noise: 0.2, slope: 40, slopeFrom: BATCH + 1 },
    { metric: 'store_command_duration_seconds_p99', service: 'statement-worker', level: 0.001, noise: 0.1, shifts: [{ at: BATCH + 1, to: 0.2 }] },
    { metric: 'container_cpu_usage_ratio', service: 'statement-worker', level: 0.1, noise: 0.05, shifts: [{ at: BATCH + 1, to: 0.3 }] },
    { metric: 'queue_jobs_waiting', service: 'statement-worker', labels: { queue: 'render' }, level: 9, noise: 0.05, shifts: [{ at: 70, to: 14 }, { at: BATCH + 1, to: 5000 }] },
    { metric: 'mails_sent_per_second', service: 'mailer', level: 15, noise: 0.05, shifts: [{ at: BATCH + 2, to: 200 }] },
  ];
  const changes: BundleSpec['changes'] = withDecoy
    ? [
        {
          id: 'cfg-mail-retries',
          service: 'statement-worker',
          type: 'config',
          at: 70,
          summary: 'mail stage: 5 attempts with exponential backoff',
          diff: patch('src/queues/mail.ts', ['    attempts: 3,', "    backoff: { type: 'fixed', delay: 60_000 },"], ['    attempts: 5,', "    backoff: { type: 'exponential', delay: 30_000 },"]),
        },
      ]
    : [{ id: 'rel-mailer-9', service: 'mailer', type: 'deploy', at: 40, summary: 'mailer 9: plain-text alternative part' }];
  const logs: BundleSpec['logs'] = {
    'statement-worker': [...every(0, 180, 1, 'info', 'job completed'), ...every(BATCH + 4, 180, 0.5, 'warn', 'job stalled: lock renewal came late')],
    scheduler: every(0, 180, 10, 'info', 'recurring run checked'),
  };
  return { alert: { title: 'StatementDeliveryLag', service: 'statement-worker', at: BATCH + 30 }, series, changes, logs };
}

describe('load that ran out of room in the store a worker waits on', () => {
  it('is capacity of the store whose busy share pinned, not of the worker where jobs pile up', async () => {
    const r = await run(spec(false));
    expect(verdict(r)).toMatchObject({ category: 'capacity', service: 'job-store', change_id: null });
  });

  it('is not the worker\'s config change under which one of its queues held a few more jobs', async () => {
    const r = await run(spec(true));
    expect(verdict(r)).toMatchObject({ category: 'capacity', service: 'job-store', change_id: null });
  });
});
