// Demand that grew into a ceiling the bundle declares in ways a reader must pair up. In the
// first case a consumer's pods each climb to the one CPU core a single series declares for
// every pod (`pod="per-pod"`), while the events they must process keep rising: the work
// flattens and the service that reads its state refuses. In the second the
// page watches a queue's age that its broker exports, not the paged worker: the worker's
// autoscaler reached its maximum as the morning's prescriptions rose, and the age paged.
// Releases of the consumer and of the paged service are decoys in both.
import { describe, expect, it } from 'vitest';
import { statedOnset, syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-04-08T04:00:00Z';
const run = syntheticRunner('ceiling-each-pod', { start: START, minutes: 240, stepSeconds: 60 });
const at = (minute: number): number => Date.parse(START) + minute * 60_000;

const pods = [0, 1, 2, 3].map(
  (i): SeriesSpec => ({ metric: 'pod_cpu_cores', service: 'projector', labels: { pod: `projector-${i}` }, level: 0.45, noise: 0.02, slope: 0.0055, slopeFrom: 60, slopeUntil: 160 }),
);

const perPod: SeriesSpec[] = [
  { metric: 'ingest_messages_per_second', service: 'dock-ingest', level: 1000, noise: 0.02, slope: 12, slopeFrom: 60 },
  { metric: 'projector_events_processed_per_second', service: 'projector', level: 1000, noise: 0.02, slope: 12, slopeFrom: 60, slopeUntil: 160 },
  ...pods,
  { metric: 'pod_cpu_limit_cores', service: 'projector', labels: { pod: 'per-pod' }, level: 1, noise: 0 },
  { metric: 'unlock_requests_per_second', service: 'rides-api', level: 1, noise: 0.03, slope: 0.012, slopeFrom: 60 },
  { metric: 'unlock_failures_per_second', service: 'rides-api', labels: { reason: 'stale_state' }, level: 0.01, noise: 0.1, shifts: [{ at: 175, to: 5 }] },
  { metric: 'http_request_duration_seconds_p99', service: 'rides-api', level: 0.12, noise: 0.03 },
];

const decoys = (consumer: string, paged: string, late: number): BundleSpec['changes'] => [
  { id: 'rel-c-7', service: consumer, type: 'deploy', at: 10, summary: `${consumer} 7.3: structured log field`, diff: patch('src/log.kt', ['    log.info("applied")'], ['    log.info("applied", kv("dock", id))']) },
  { id: 'rel-p-3', service: paged, type: 'deploy', at: late, summary: `${paged} 3.1: wording of the retry sheet`, diff: patch('src/sheet.ts', ["  title: 'Try again'"], ["  title: 'Please try again'"]) },
];

describe('demand grown into a declared ceiling', () => {
  it('pairs a limit declared once for every pod with each pod’s use', async () => {
    const logs: BundleSpec['logs'] = {
      'rides-api': [...every(0, 240, 1, 'info', 'unlock granted'), ...every(175, 240, 0.5, 'warn', 'unlock refused: dock state too old')],
      projector: every(0, 240, 2, 'info', 'batch applied'),
    };
    const r = await run({ alert: { title: 'Unlock failures high', service: 'rides-api', at: 190 }, series: perPod, changes: decoys('projector', 'rides-api', 165), logs });
    expect(verdict(r)).toMatchObject({ category: 'capacity', service: 'projector', change_id: null });
  });

  it('dates the incident from the series the page watches though another service exports it', async () => {
    const series: SeriesSpec[] = [
      { metric: 'prescriptions_downloaded_per_second', service: 'ingest', level: 6, noise: 0.03, slope: 0.35, slopeFrom: 30 },
      { metric: 'jobs_processed_per_second', service: 'dispenser', level: 6, noise: 0.03, slope: 0.3, slopeFrom: 30, slopeUntil: 150 },
      { metric: 'jobs_in_flight', service: 'dispenser', level: 7, noise: 0.05, slope: 0.35, slopeFrom: 30, slopeUntil: 150 },
      { metric: 'go_goroutines', service: 'dispenser', level: 60, noise: 0.03, slope: 1.5, slopeFrom: 30, slopeUntil: 150 },
      { metric: 'hpa_current_replicas', service: 'dispenser', level: 2, noise: 0, shifts: [{ at: 70, to: 3 }, { at: 95, to: 5 }, { at: 120, to: 7 }, { at: 146, to: 8 }] },
      { metric: 'hpa_max_replicas', service: 'dispenser', level: 8, noise: 0 },
      { metric: 'job_duration_seconds_p99', service: 'dispenser', level: 2.6, noise: 0.03 },
      { metric: 'queue_oldest_message_age_seconds', service: 'broker', labels: { queue: 'jobs' }, level: 5, noise: 0.05, slope: 20, slopeFrom: 150 },
      { metric: 'queue_messages_ready', service: 'broker', labels: { queue: 'jobs' }, level: 20, noise: 0.05, slope: 60, slopeFrom: 150 },
    ];
    const logs: BundleSpec['logs'] = { dispenser: every(0, 240, 1, 'info', 'job done') };
    const links = ['https://prometheus.example/graph?g0.expr=queue_oldest_message_age_seconds+%3E+600'];
    const r = await run({ alert: { title: 'Dispensing queue lag high', service: 'dispenser', at: 200, links }, series, changes: decoys('ingest', 'dispenser', 110), logs });
    expect(statedOnset(r)).toBeGreaterThanOrEqual(at(140));
    expect(verdict(r)).toMatchObject({ category: 'capacity', service: 'dispenser', change_id: null });
  });

  // The use is exported as an average over the pods that hold a partition
  // (`…_cpu_usage_cores_avg_per_active_pod`) beside the one core each may use
  // (`…_cpu_limit_cores`): how it was averaged is no part of what it counts.
  it('pairs a use averaged per pod with the limit of each', async () => {
    const series: SeriesSpec[] = [
      { metric: 'collector_events_received_per_second', service: 'meter-collector', level: 1200, noise: 0.02, shifts: [{ at: 150, to: 11000 }] },
      { metric: 'mep_events_processed_per_second', service: 'meter-events', level: 1200, noise: 0.02, shifts: [{ at: 150, to: 5100 }] },
      { metric: 'mep_cpu_usage_cores_avg_per_active_pod', service: 'meter-events', level: 0.27, noise: 0.02, shifts: [{ at: 150, to: 0.98 }] },
      { metric: 'mep_cpu_limit_cores', service: 'meter-events', level: 1, noise: 0 },
      { metric: 'mep_event_process_time_ms', service: 'meter-events', level: 1.9, noise: 0.05 },
      { metric: 'restore_verification_delay_seconds', service: 'oms-bridge', level: 6, noise: 0.1, slope: 8, slopeFrom: 152 },
    ];
    const logs: BundleSpec['logs'] = {
      'meter-events': every(0, 240, 1, 'info', 'batch committed'),
      'oms-bridge': [...every(0, 240, 2, 'info', 'feeder verified'), ...every(160, 240, 1, 'warn', 'restore verification delayed: newest meter event is old')],
    };
    const r = await run({ alert: { title: 'Restore verification delayed', service: 'oms-bridge', at: 200 }, series, changes: decoys('meter-events', 'meter-collector', 143), logs });
    expect(verdict(r)).toMatchObject({ category: 'capacity', service: 'meter-events', change_id: null });
  });
});
