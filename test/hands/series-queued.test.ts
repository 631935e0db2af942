// "Queued" in a rate's name counts what was put in a queue (refunds queued per minute, jobs
// queued in all): arrivals, whose rise is demand or a failure's consequence, never a queue
// standing full. A queue's depth (what waits there now) stays a backlog.
import { describe, expect, it } from 'vitest';
import { seriesMeaning } from '../../src/hands/analysis/series-meaning.js';

describe('things queued', () => {
  it.each(['checkout_refunds_queued_per_minute', 'emails_queued_per_second', 'jobs_queued_total'])('%s counts arrivals: traffic', (name) => {
    expect(seriesMeaning(name)).toMatchObject({ measures: 'traffic', worseWhen: null, arrivals: true });
  });

  it.each(['jobs_queued', 'render_queue_depth', 'messages_queued_current'])('%s is what waits: a backlog that saturates', (name) => {
    expect(seriesMeaning(name)).toMatchObject({ measures: 'saturation' });
  });
});
