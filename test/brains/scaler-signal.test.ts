// An autoscaler moved, the evening before, from CPU utilisation to requests per pod, with a
// target no pod reaches. All night it sits at its floor as on any night. At the morning rush
// the pods' CPU pins while each serves far under the new target, so the scaler adds none, and
// the front that calls them pages. The crowd is ordinary: the scaler that did not meet it is
// what changed. Where the replicas did climb with the crowd, to the scaler's maximum, it did
// its work: a crowd beyond the maximum is load beyond capacity, and the swap is not what left
// the service short.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('scaler-signal', { start: '2037-05-18T18:00:00Z', minutes: 720, stepSeconds: 60 });

const HPA = [
  'diff --git a/deploy/thumbs/hpa.yaml b/deploy/thumbs/hpa.yaml',
  '--- a/deploy/thumbs/hpa.yaml',
  '+++ b/deploy/thumbs/hpa.yaml',
  '@@ -6,12 +6,13 @@ spec:',
  '   minReplicas: 3',
  '   maxReplicas: 30',
  '   metrics:',
  '-    - type: Resource',
  '-      resource:',
  '-        name: cpu',
  '-        target:',
  '-          type: Utilization',
  '-          averageUtilization: 65',
  '+    - type: Pods',
  '+      pods:',
  '+        metric:',
  '+          name: thumbs_requests_per_second',
  '+        target:',
  '+          type: AverageValue',
  '+          averageValue: "900"',
  '   behavior:',
  '     scaleDown:',
  '       stabilizationWindowSeconds: 300',
  '',
].join('\n');

/** Minute 600 is the morning rush: demand six times the night's. */
const RUSH = 600;

function spec(replicasClimb: boolean): Omit<BundleSpec, 'start' | 'minutes'> {
  const series: SeriesSpec[] = [
    { metric: 'http_requests_per_second', service: 'thumbs', level: 120, noise: 0.04, shifts: [{ at: RUSH, to: 720 }] },
    { metric: 'cpu_utilization_ratio', service: 'thumbs', level: 0.25, noise: 0.04, shifts: [{ at: RUSH, to: 0.97 }] },
    { metric: 'http_requests_error_ratio', service: 'thumbs', level: 0.001, noise: 0.1, shifts: [{ at: RUSH + 2, to: 0.3 }] },
    { metric: 'kube_horizontalpodautoscaler_status_desired_replicas', service: 'thumbs', level: 3, noise: 0, shifts: replicasClimb ? [{ at: RUSH + 1, to: 30 }] : [] },
    { metric: 'kube_horizontalpodautoscaler_spec_max_replicas', service: 'thumbs', level: 30, noise: 0 },
    { metric: 'http_requests_per_second', service: 'reader-api', level: 300, noise: 0.04, shifts: [{ at: RUSH, to: 1800 }] },
    { metric: 'http_request_duration_seconds_p99', service: 'reader-api', level: 0.25, noise: 0.05, shifts: [{ at: RUSH + 3, to: 4 }] },
    { metric: 'push_sent_per_second', service: 'pusher', level: 5, noise: 0.05, shifts: [{ at: RUSH - 5, to: 400 }, { at: RUSH + 10, to: 5 }] },
  ];
  const changes: BundleSpec['changes'] = [
    { id: 'cfg-hpa-rps', service: 'thumbs', type: 'config', at: 150, summary: 'thumbs HPA: scale on request rate instead of CPU', diff: HPA },
    { id: 'rel-reader-31', service: 'reader-api', type: 'deploy', at: 560, summary: 'reader-api 3.1: bookmark sync' },
    { id: 'rel-pusher-8', service: 'pusher', type: 'deploy', at: 520, summary: 'pusher 8: batch size 500 -> 1000' },
  ];
  const logs: BundleSpec['logs'] = {
    thumbs: [...every(0, 720, 2, 'info', 'tile served'), ...every(RUSH + 2, 720, 0.5, 'warn', 'shedding request: worker queue full')],
    'reader-api': [...every(0, 720, 2, 'info', 'page served'), ...every(RUSH + 3, 720, 0.5, 'error', 'upstream thumbs returned 503')],
  };
  return { alert: { title: 'ReaderLatencyHigh', service: 'reader-api', at: RUSH + 8 }, series, changes, logs };
}

describe('an autoscaler moved to another signal', () => {
  it('is named when the rush finds it at its floor with the pods pinned', async () => {
    const r = await run(spec(false));
    expect(verdict(r)).toMatchObject({ category: 'config', service: 'thumbs', change_id: 'cfg-hpa-rps' });
  });

  it('is not, when its replicas climbed with the rush to its maximum', async () => {
    const r = await run(spec(true));
    expect(verdict(r).change_id).not.toBe('cfg-hpa-rps');
  });
});
