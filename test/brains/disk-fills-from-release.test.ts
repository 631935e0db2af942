// A release whose pods fill their own disks. The intake service's release at minute 30 changes
// its base image and loses the setting that sent its logs to the collector: from then on each
// pod writes debug logs to its local disk, which climbs steadily until, at minute 150, the pods
// pass their local-storage limit and are evicted one after another, and the check-in service
// that calls them fails, which pages. Check-in's own setting changed half an hour before.
import { describe, expect, it } from 'vitest';
import { syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2037-01-16T06:00:00Z';

const run = syntheticRunner('disk-fills', { start: START, minutes: 180, stepSeconds: 60 });

const GB = 1e9;

/** Each pod's local disk: level before, and (with `fills`) climbing from the release to its 2 GB limit at minute 150. */
function series(fills: boolean): SeriesSpec[] {
  const disk = (pod: string): SeriesSpec => ({
    metric: 'pod_ephemeral_storage_used_bytes',
    service: 'intake',
    labels: { pod },
    level: 0.2 * GB,
    noise: 0.01,
    ...(fills ? { slope: 0.015 * GB, slopeFrom: 30, slopeUntil: 150 } : {}),
  });
  return [
    disk('intake-a'),
    disk('intake-b'),
    { metric: 'pod_ephemeral_storage_limit_bytes', service: 'intake', level: 2 * GB, noise: 0 },
    { metric: 'replicas_available', service: 'intake', level: 3, noise: 0, shifts: [{ at: 150, to: 1 }] },
    { metric: 'intake_requests_per_second', service: 'intake', level: 30, noise: 0.03 },
    { metric: 'checkin_http_5xx_ratio', service: 'checkin', labels: { upstream: 'intake' }, level: 0.001, noise: 0.1, shifts: [{ at: 150, to: 0.11 }] },
    { metric: 'checkin_requests_per_second', service: 'checkin', level: 25, noise: 0.03 },
  ];
}

const changes: BundleSpec['changes'] = [
  {
    id: 'rel-intake-9902',
    service: 'intake',
    type: 'deploy',
    at: 30,
    summary: 'intake: move to the shared ruby base image',
    diff: patch('Dockerfile', ['FROM ruby:3.2-slim', 'ENV RAILS_LOG_TO_STDOUT=1 RAILS_LOG_LEVEL=info'], ['FROM registry.internal/base/ruby:3.3']),
  },
  {
    id: 'cfg-checkin-77',
    service: 'checkin',
    type: 'config',
    at: 120,
    summary: 'checkin: batch receipts every 30 s instead of 60 s',
    diff: patch('config/checkin.yaml', ['receipt_batch_seconds: 60'], ['receipt_batch_seconds: 30']),
  },
];

const logs: BundleSpec['logs'] = {
  checkin: [...every(0, 180, 1, 'info', 'dock check-in recorded'), ...every(150.3, 180, 0.5, 'error', 'receipt post failed: intake unavailable')],
  events: every(150.5, 170, 5, 'warn', 'Evicted pod intake: pod ephemeral local storage usage exceeds the total limit of containers'),
};

const alert = { title: 'checkin error rate high', service: 'checkin', at: 160 };

describe('a release whose pods fill their own disks', () => {
  it('is named from the disk that climbed since it, though the evictions came two hours later', async () => {
    const r = await run({ alert, series: series(true), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).toBe('rel-intake-9902');
  });

  it('is not, when the disks held level', async () => {
    const r = await run({ alert, series: series(false), changes, logs });
    expect(r.diagnosis?.root_cause.change_id).not.toBe('rel-intake-9902');
  });
});
