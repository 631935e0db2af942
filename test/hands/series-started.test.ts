// A rate of things started (exam launches started per minute, jobs started in all) counts work
// begun: demand, like requests. Failures among it that grow no faster are the same share of a
// bigger crowd. What is running now (a level, not a rate) is no such count.
import { describe, expect, it } from 'vitest';
import { seriesMeaning } from '../../src/hands/analysis/series-meaning.js';

describe('things started', () => {
  it.each(['launches_started_per_minute', 'checkouts_started_per_second', 'jobs_started_total'])('%s counts work begun: traffic', (name) => {
    expect(seriesMeaning(name)).toMatchObject({ measures: 'traffic', worseWhen: null, arrivals: true });
  });

  it.each(['restarts_total', 'kube_pod_container_status_restarts_total'])('%s is not work begun', (name) => {
    expect(seriesMeaning(name).arrivals).toBe(false);
  });
});
