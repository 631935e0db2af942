import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { triage } from './helpers.js';
import { every, patch, writeBundle, type BundleSpec } from './synthetic.js';
import { tempDir } from './transform.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

async function diagnose(spec: BundleSpec): Promise<{ category?: string; service?: string | null; change_id?: string | null }> {
  const dir = tempDir('saturation');
  made.push(dir);
  const run = await triage(writeBundle(dir, spec));
  return { ...run.diagnosis?.root_cause, description: undefined } as { category?: string; service?: string | null; change_id?: string | null };
}

const START = '2033-07-02T11:00:00Z';
const quiet = (service: string): Array<{ at: number; level: string; message: string }> => every(0, 150, 3, 'info', `${service} heartbeat ok`);

describe('load is context and saturation is the symptom', () => {
  it('calls a queue worker swamped by more enqueued work capacity', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'TranscoderBacklogHigh', service: 'transcoder', at: 112 },
      series: [
        { metric: 'transcoder_tasks_enqueued_total', service: 'transcoder', level: 40, counter: true, shifts: [{ at: 95, to: 95 }] },
        { metric: 'transcoder_worker_busy_ratio', service: 'transcoder', level: 0.6, noise: 0.03, shifts: [{ at: 97, to: 1.0 }] },
        { metric: 'transcoder_queue_depth', service: 'transcoder', level: 20, shifts: [{ at: 99, to: 4000 }] },
        { metric: 'vault_cpu_utilisation_ratio', service: 'vault', level: 0.3 },
      ],
      changes: [
        {
          id: 'cfg-71',
          service: 'vault',
          type: 'config',
          at: 40,
          summary: 'Rotate the log file daily',
          diff: patch('vault/logging.yaml', ['rotate: weekly'], ['rotate: daily']),
        },
      ],
      logs: {
        transcoder: [
          ...quiet('transcoder'),
          ...every(100, 150, 0.5, 'warn', 'task waited in queue longer than 120s'),
          ...every(104, 150, 0.5, 'error', 'enqueue rejected: queue full'),
        ],
      },
    });
    expect(verdict).toMatchObject({ category: 'capacity', service: 'transcoder', change_id: null });
  });

  it('calls an HTTP service whose CPU saturated under more arrivals capacity', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'LedgerSlow', service: 'ledger', at: 110 },
      series: [
        { metric: 'ledger_http_requests_total', service: 'ledger', level: 120, counter: true, shifts: [{ at: 98, to: 300 }] },
        { metric: 'ledger_cpu_utilisation_ratio', service: 'ledger', level: 0.45, noise: 0.03, shifts: [{ at: 99, to: 0.99 }] },
        { metric: 'ledger_request_duration_p99_seconds', service: 'ledger', level: 0.12, shifts: [{ at: 100, to: 1.9 }] },
      ],
      changes: [],
      logs: { ledger: [...quiet('ledger'), ...every(101, 150, 0.5, 'warn', 'worker pool exhausted, request waited 900ms')] },
    });
    expect(verdict).toMatchObject({ category: 'capacity', service: 'ledger', change_id: null });
  });

  it('does not call load that stayed within capacity the cause when a risky change preceded the onset', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'AtlasErrors', service: 'atlas', at: 112 },
      series: [
        { metric: 'atlas_http_requests_total', service: 'atlas', level: 100, counter: true, shifts: [{ at: 70, to: 150 }] },
        { metric: 'atlas_cpu_utilisation_ratio', service: 'atlas', level: 0.3, noise: 0.03, shifts: [{ at: 70, to: 0.42 }] },
        { metric: 'atlas_request_duration_p99_seconds', service: 'atlas', level: 0.2, shifts: [{ at: 101, to: 1.8 }] },
        { metric: 'atlasdb_cpu_utilisation_ratio', service: 'atlasdb', level: 0.3, noise: 0.03, shifts: [{ at: 101, to: 0.8 }] },
      ],
      changes: [
        {
          id: 'deploy-atlas-9',
          service: 'atlas',
          type: 'deploy',
          at: 100,
          summary: 'Read results straight from the store',
          diff: patch('atlas/results.py', ['    cached = cache.get(key)', '    if cached:', '        return cached'], ['    return store.load(key)']),
        },
      ],
      logs: { atlas: [...quiet('atlas'), ...every(101, 150, 0.5, 'warn', 'slow store read atlasdb took 1500ms')] },
    });
    expect(verdict.category).not.toBe('capacity');
    expect([null, 'deploy-atlas-9']).toContain(verdict.change_id ?? null);
  });

  it('does not call load capacity when nothing saturated', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'BeaconTraffic', service: 'beacon', at: 110 },
      series: [
        { metric: 'beacon_messages_enqueued_total', service: 'beacon', level: 50, counter: true, shifts: [{ at: 98, to: 160 }] },
        { metric: 'beacon_worker_busy_ratio', service: 'beacon', level: 0.2, noise: 0.03 },
        { metric: 'beacon_queue_depth', service: 'beacon', level: 5 },
      ],
      changes: [],
      logs: { beacon: quiet('beacon') },
    });
    expect(verdict.category).not.toBe('capacity');
  });
});

describe('where the load went', () => {
  it('is the worker whose queue piled up, though nothing names it, not a router busy in cores', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'TimeToReadySlow', service: 'clinic-portal', at: 110 },
      series: [
        { metric: 'time_to_ready_seconds_p90', service: 'clinic-portal', level: 40, shifts: [{ at: 97, to: 800 }] },
        // The hub replays its backlog: arrivals at the router rise from two sources.
        { metric: 'inbound_messages_per_second', service: 'msg-router', labels: { source: 'hub' }, level: 9, shifts: [{ at: 95, to: 50 }] },
        { metric: 'http_requests_per_second', service: 'msg-router', level: 10, shifts: [{ at: 95, to: 56 }] },
        // The router works harder but is fine: just under one core, with no ceiling named.
        { metric: 'container_cpu_usage_cores', service: 'msg-router', level: 0.5, noise: 0.02, shifts: [{ at: 95.5, to: 0.98 }] },
        // The validator, which no label or log ties to the portal, piles the work up.
        { metric: 'validation_queue_depth', service: 'rx-check', level: 8, shifts: [{ at: 96, to: 20000 }] },
      ],
      changes: [],
      logs: { 'clinic-portal': [...quiet('clinic-portal'), ...every(98, 150, 0.5, 'warn', 'prescription still not ready after 600s')] },
    });
    expect(verdict).toMatchObject({ category: 'capacity', service: 'rx-check' });
  });
});

describe('requests piling up in flight', () => {
  it('name the paged service out of room, not a queue behind it that grew with the same crowd', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'SeatHoldSlow', service: 'seat-lock', at: 110 },
      series: [
        { metric: 'http_requests_per_second', service: 'seat-lock', level: 50, shifts: [{ at: 95, to: 800 }] },
        { metric: 'http_requests_per_second', service: 'box-office', level: 70, shifts: [{ at: 95, to: 1100 }] },
        { metric: 'http_request_duration_seconds_p99', service: 'seat-lock', level: 0.1, shifts: [{ at: 96, to: 4 }] },
        { metric: 'seat_lock_inflight_requests', service: 'seat-lock', level: 12, shifts: [{ at: 96, to: 4000 }] },
        { metric: 'container_cpu_usage_cores', service: 'seat-lock', level: 4, noise: 0.02, shifts: [{ at: 95.5, to: 31.8 }] },
        // Confirmation mails pile up too, a few minutes later: more buyers, more mail.
        { metric: 'ticket_mail_queue_depth', service: 'ticket-mail', level: 5, shifts: [{ at: 97, to: 420 }] },
      ],
      changes: [],
      logs: { 'seat-lock': [...quiet('seat-lock'), ...every(96.5, 150, 0.5, 'warn', 'shedding: hold queue full')] },
    });
    expect(verdict).toMatchObject({ category: 'capacity', service: 'seat-lock' });
  });
});

describe('users at the front door', () => {
  it('are demand, and the load is named where it ran out of room: the workers whose queue piled up', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'JudgeVerdictsSlow', service: 'judge-front', at: 112 },
      series: [
        // The contest opens: the front door's own requests rise eightfold.
        { metric: 'http_requests_per_second', service: 'judge-front', level: 80, shifts: [{ at: 95, to: 700 }] },
        { metric: 'verdict_wait_seconds_p95', service: 'judge-front', level: 3, shifts: [{ at: 97, to: 240 }] },
        { metric: 'judge_queue_pending_messages', service: 'judge-workers', level: 0, noise: 0, shifts: [{ at: 98, to: 1000 }] },
        { metric: 'container_cpu_usage_cores', service: 'judge-workers', level: 16, noise: 0.02, shifts: [{ at: 97.5, to: 150 }] },
      ],
      changes: [],
      logs: { 'judge-front': [...quiet('judge-front'), ...every(97.5, 150, 0.5, 'warn', 'verdict still pending after 120s')] },
    });
    expect(verdict).toMatchObject({ category: 'capacity', service: 'judge-workers' });
  });
});

describe('a release under a surge that filled no ceiling', () => {
  it('is not outweighed by load when nothing ran out of room', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'BetsSlow', service: 'bet-api', at: 110 },
      series: [
        { metric: 'http_requests_per_second', service: 'bet-api', level: 300, shifts: [{ at: 95, to: 700 }] },
        { metric: 'http_requests_per_second', service: 'purse', level: 200, shifts: [{ at: 95, to: 450 }] },
        { metric: 'container_cpu_usage_cores', service: 'purse', level: 1.3, noise: 0.02, shifts: [{ at: 96, to: 2.9 }] },
        { metric: 'http_request_duration_seconds_p99', service: 'bet-api', level: 0.1, shifts: [{ at: 97, to: 2.2 }] },
        { metric: 'http_request_duration_seconds_p99', service: 'promo', level: 0.05, shifts: [{ at: 96.5, to: 1 }] },
        { metric: 'http_error_ratio', service: 'promo', level: 0.001, shifts: [{ at: 96.5, to: 0.1 }] },
      ],
      changes: [
        {
          id: 'rel-71',
          service: 'promo',
          type: 'deploy',
          at: 94,
          summary: 'promo 5.2: eligibility rules per market',
          diff: patch('promo/rules.py', ['    rules = rules_for(market)'], ['    rules = rules_for(market, with_history=True)']),
        },
      ],
      logs: {
        promo: [...quiet('promo'), ...every(96.6, 150, 0.5, 'error', 'slow eligibility evaluation')],
        'bet-api': [...every(0, 150, 2, 'info', 'stake debited from purse'), ...every(97.2, 150, 0.5, 'error', 'promo call timed out')],
      },
    });
    expect(verdict).toMatchObject({ category: 'deploy', change_id: 'rel-71' });
  });
});

describe('a crowd that built up for the better part of an hour', () => {
  it('is the load on the tier that hit its ceiling as it rose, though the page came forty minutes later', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'LiveManifestErrors', service: 'live-edge', at: 106 },
      series: [
        { metric: 'edge_requests_per_second', service: 'live-edge', level: 60000, shifts: [{ at: 60, to: 400000 }] },
        { metric: 'shield_requests_per_second', service: 'manifest-shield', level: 2500, shifts: [{ at: 61, to: 9800 }] },
        { metric: 'shield_cpu_utilization_ratio', service: 'manifest-shield', level: 0.36, noise: 0.02, shifts: [{ at: 59, to: 0.97 }] },
        { metric: 'edge_5xx_ratio', service: 'live-edge', level: 0.001, shifts: [{ at: 100, to: 0.06 }] },
        { metric: 'shield_5xx_ratio', service: 'manifest-shield', level: 0.001, shifts: [{ at: 99.5, to: 0.08 }] },
      ],
      changes: [],
      logs: { 'live-edge': [...quiet('live-edge'), ...every(100.2, 150, 0.5, 'error', 'upstream manifest-shield returned 503 for live manifest')] },
    });
    expect(verdict).toMatchObject({ category: 'capacity', service: 'manifest-shield' });
  });
});

describe('where the crowd went', () => {
  it('is the tier whose own traffic surged to its ceiling, not a pipeline whose backlog grew with the volume', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'LiveEdgeErrors', service: 'cdn-edge', at: 108 },
      series: [
        { metric: 'edge_requests_per_second', service: 'cdn-edge', level: 60000, shifts: [{ at: 90, to: 400000 }] },
        { metric: 'shield_requests_per_second', service: 'shield', level: 2500, shifts: [{ at: 91, to: 9800 }] },
        { metric: 'shield_cpu_utilization_ratio', service: 'shield', level: 0.36, noise: 0.02, shifts: [{ at: 92, to: 0.97 }] },
        { metric: 'logship_backlog_bytes', service: 'log-relay', level: 2e6, shifts: [{ at: 96, to: 3e8 }] },
        { metric: 'edge_5xx_ratio', service: 'cdn-edge', level: 0.001, shifts: [{ at: 98, to: 0.06 }] },
      ],
      changes: [],
      logs: {
        'cdn-edge': [...quiet('cdn-edge'), ...every(98.2, 150, 0.5, 'error', 'upstream answered 503 for live manifest')],
        'log-relay': [...quiet('log-relay'), ...every(96.5, 150, 1, 'warn', 'cdn-edge access log backlog growing')],
      },
    });
    expect(verdict).toMatchObject({ category: 'capacity', service: 'shield' });
  });
});

describe('a command nobody sent before', () => {
  it('is new work a release started, not demand beyond the store', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'BetPlacementSlow', service: 'wager-api', at: 110 },
      series: [
        { metric: 'store_commands_per_second', service: 'kv-main', labels: { cmd: 'scan_all' }, level: 0.01, noise: 0, shifts: [{ at: 95.5, to: 100 }] },
        { metric: 'store_cpu_main_thread_ratio', service: 'kv-main', level: 0.37, noise: 0.02, shifts: [{ at: 96, to: 0.99 }] },
        { metric: 'http_requests_per_second', service: 'wager-api', level: 300, shifts: [{ at: 94, to: 420 }] },
        { metric: 'http_requests_per_second', service: 'odds-feed', level: 200, shifts: [{ at: 94, to: 280 }] },
        { metric: 'http_request_duration_seconds_p99', service: 'wager-api', level: 0.1, shifts: [{ at: 96.5, to: 2.5 }] },
        { metric: 'http_request_duration_seconds_p99', service: 'bonus', level: 0.05, shifts: [{ at: 96, to: 1.1 }] },
        { metric: 'http_error_ratio', service: 'bonus', level: 0.001, shifts: [{ at: 96, to: 0.08 }] },
      ],
      changes: [
        { id: 'rel-4471', service: 'bonus', type: 'deploy', at: 95, summary: 'bonus 3.2: load promotions per request', attributes: { finished_at: '2033-07-02T12:38:00Z' } },
      ],
      logs: {
        bonus: [...quiet('bonus'), ...every(96.2, 150, 0.5, 'error', 'slow eligibility evaluation')],
        'kv-main': [...quiet('kv-main'), ...every(96.3, 150, 0.5, 'warn', 'slowlog entry: SCAN_ALL took 180ms')],
        'wager-api': [...quiet('wager-api'), ...every(96.7, 150, 0.5, 'error', 'bonus call timed out; kv-main slow')],
      },
    });
    expect(verdict.category).not.toBe('capacity');
  });
});

describe('a deadline-night ramp', () => {
  it('is load on the fixed-size tier whose queue piled up an hour after the ramp began', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'UploadsTimingOut', service: 'forms-portal', at: 104 },
      series: [
        { metric: 'http_requests_per_second', service: 'forms-portal', level: 40, shifts: [{ at: 45, to: 110 }] },
        { metric: 'http_requests_per_second', service: 'case-api', level: 22, shifts: [{ at: 44, to: 60 }] },
        { metric: 'http_requests_per_second', service: 'scan-worker', level: 2, shifts: [{ at: 42, to: 5.2 }] },
        { metric: 'scan_queue_depth', service: 'scan-worker', level: 2, shifts: [{ at: 95, to: 440 }] },
        { metric: 'http_request_duration_seconds_p99', service: 'forms-portal', level: 0.6, shifts: [{ at: 96, to: 16 }] },
      ],
      changes: [{ id: 'rel-1207', service: 'forms-portal', type: 'deploy', at: 88, summary: 'forms-portal: holiday banner' }],
      logs: { 'forms-portal': [...quiet('forms-portal'), ...every(96.3, 150, 0.5, 'error', 'upload scan timed out after 30s')] },
    });
    expect(verdict).toMatchObject({ category: 'capacity', service: 'scan-worker' });
  });
});

describe('a usage at the limit declared beside it', () => {
  // A deadline rush: arrivals six-fold at the portal and the upload API behind it. The API's
  // autoscaler reaches its maximum of 10 replicas; its CPU, counted in cores, has no ceiling of
  // its own. The portal (paged) only passes the API's 503s through.
  const rush = (maxReplicas: number, names = { current: 'kube_hpa_status_current_replicas', max: 'kube_hpa_spec_max_replicas' }): Parameters<typeof diagnose>[0] => ({
    start: START,
    minutes: 150,
    alert: { title: 'exam-portal 5xx above 2%', service: 'exam-portal', at: 112 },
    series: [
      { metric: 'http_requests_per_second', service: 'exam-portal', level: 200, shifts: [{ at: 90, to: 1200 }] },
      { metric: 'container_cpu_usage_cores', service: 'exam-portal', level: 1, noise: 0.05, shifts: [{ at: 90, to: 2.4 }] },
      { metric: 'http_error_ratio', service: 'exam-portal', level: 0.001, shifts: [{ at: 101, to: 0.04 }] },
      { metric: 'http_requests_per_second', service: 'upload-api', level: 60, shifts: [{ at: 90, to: 420 }] },
      { metric: 'container_cpu_usage_cores', service: 'upload-api', level: 3, noise: 0.1, shifts: [{ at: 90, to: 19 }] },
      { metric: names.current, service: 'upload-api', level: 3, noise: 0, shifts: [{ at: 90, to: 10 }] },
      { metric: names.max, service: 'upload-api', level: maxReplicas, noise: 0 },
      { metric: 'http_request_duration_seconds_p99', service: 'upload-api', level: 0.9, shifts: [{ at: 100.5, to: 2.6 }] },
    ],
    changes: [],
    logs: {
      'upload-api': [...quiet('upload-api'), ...every(101, 150, 0.3, 'warn', 'request shed: in-flight limit reached')],
      'exam-portal': [...quiet('exam-portal'), ...every(101, 150, 0.5, 'error', 'upstream returned 503')],
    },
  });

  it('is the service out of room, though the paged one only passes its errors through', async () => {
    expect(await diagnose(rush(10))).toMatchObject({ category: 'capacity', service: 'upload-api', change_id: null });
  });

  it('is read the same when the replicas are the deployment\'s and the maximum its autoscaler\'s', async () => {
    const names = { current: 'kube_deployment_status_replicas_available', max: 'kube_horizontalpodautoscaler_spec_max_replicas' };
    expect(await diagnose(rush(10, names))).toMatchObject({ category: 'capacity', service: 'upload-api', change_id: null });
  });

  it('is not reached while the limit stands well above the usage', async () => {
    expect(await diagnose(rush(40))).not.toMatchObject({ service: 'upload-api' });
  });
});

describe('a surge a setting started, and that its revert ended', () => {
  // The scheduler's setting at 95 refreshes six times as often: its calls to the bank API
  // grow sixfold and the API's shared quota runs out. Reverting the setting at 120 ends it.
  it('is the setting, not load beyond capacity', async () => {
    const back = (to: number, level: number): Array<{ at: number; to: number }> => [{ at: 95.5, to }, { at: 121, to: level }];
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'aggregator-api 503 above 5%', service: 'aggregator-api', at: 104 },
      series: [
        { metric: 'bank_calls_per_second', service: 'sync-scheduler', level: 40, shifts: back(240, 40) },
        { metric: 'http_requests_per_second', service: 'aggregator-api', level: 60, shifts: back(90, 60) },
        { metric: 'bank_quota_utilization_ratio', service: 'sync-scheduler', level: 0.35, noise: 0.02, shifts: back(0.99, 0.35) },
        { metric: 'http_error_ratio', service: 'aggregator-api', level: 0.003, shifts: [{ at: 96, to: 0.2 }, { at: 122, to: 0.003 }] },
      ],
      changes: [
        { id: 'cfg-902', service: 'sync-scheduler', type: 'config', at: 95, summary: 'premium tier: hourly background refresh', diff: patch('config/production.yaml', ['refresh_interval: 6h'], ['refresh_interval: 1h']) },
        { id: 'cfg-905', service: 'sync-scheduler', type: 'config', at: 120, summary: 'revert cfg-902', attributes: { reverts: 'cfg-902' }, diff: patch('config/production.yaml', ['refresh_interval: 1h'], ['refresh_interval: 6h']) },
      ],
      logs: {
        'sync-scheduler': [...quiet('sync-scheduler'), ...every(96, 121, 0.3, 'warn', 'bank answered 429 Too Many Requests, retry after 30s')],
        'aggregator-api': [...quiet('aggregator-api'), ...every(96.2, 121, 0.5, 'error', 'refresh failed: upstream quota exhausted')],
      },
    });
    expect(verdict).toMatchObject({ category: 'config', change_id: 'cfg-902' });
  });
});

describe('a ramp an autoscaler took in until its maximum', () => {
  // Filing night: arrivals climb for an hour and a half; the validator's autoscaler adds
  // replicas with them until it stands at its maximum of 16, and only then does its queue pile
  // up and the portal (paged) time out. The ramp began long before the onset; the replicas
  // rising with it, to their limit, are what dates the wait.
  const night = (replicas: Array<{ at: number; to: number }>): Parameters<typeof diagnose>[0] => {
    const steps = (levels: number[]): Array<{ at: number; to: number }> => levels.map((to, i) => ({ at: 50 + i * 18, to }));
    return {
      start: START,
      minutes: 180,
      alert: { title: 'SubmitFailures', service: 'filing-portal', at: 140 },
      series: [
        { metric: 'http_requests_per_second', service: 'filing-portal', level: 300, shifts: steps([420, 560, 700, 860, 1000]) },
        { metric: 'http_requests_per_second', service: 'validator', level: 30, shifts: steps([42, 56, 70, 86, 100]) },
        { metric: 'kube_deployment_status_replicas_available', service: 'validator', level: 4, noise: 0, shifts: replicas },
        { metric: 'kube_horizontalpodautoscaler_spec_max_replicas', service: 'validator', level: 16, noise: 0 },
        { metric: 'validator_queue_depth', service: 'validator', level: 2, shifts: [{ at: 128, to: 900 }] },
        { metric: 'http_request_duration_seconds_p99', service: 'filing-portal', level: 0.9, shifts: [{ at: 128.5, to: 20 }] },
      ],
      changes: [{ id: 'rel-5520', service: 'filing-portal', type: 'deploy', at: 124, summary: 'filing-portal: deadline banner copy' }],
      logs: {
        validator: [...quiet('validator'), ...every(128.2, 180, 0.3, 'warn', 'submission rejected: worker queue full')],
        'filing-portal': [...quiet('filing-portal'), ...every(128.5, 180, 0.5, 'error', 'submit failed: validator timed out after 30s')],
      },
    };
  };

  it('is load beyond the validator, though the ramp began more than an hour before the onset', async () => {
    const scaled = [6, 8, 11, 14, 16].map((to, i) => ({ at: 50 + i * 18, to }));
    const v = await diagnose(night(scaled));
    expect(v).toMatchObject({ category: 'capacity', service: 'validator', change_id: null });
  });

  it('does not reach back that far when the replicas reached their maximum on their own, long after the ramp began', async () => {
    expect(await diagnose(night([{ at: 125, to: 16 }]))).not.toMatchObject({ category: 'capacity' });
  });
});

describe("a busy signal that rose with the morning's traffic", () => {
  // The gates open at 80: scans ten-fold, and the validator's CPU triples with them. At 92 a
  // release wraps the lookup's column in a function; from 93 its queries time out and the
  // gateway (paged) fails. The CPU that rose with the scans is the crowd being served, not the
  // incident: it does not date the onset, so the release is not "after" it.
  it('does not date the incident, and leaves the release before the onset', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'GateDenialsHigh', service: 'gate-gateway', at: 104 },
      series: [
        { metric: 'http_requests_per_second', service: 'gate-gateway', level: 5, shifts: [{ at: 80, to: 50 }] },
        { metric: 'http_requests_per_second', service: 'validator', level: 5, shifts: [{ at: 80, to: 50 }] },
        { metric: 'process_cpu_usage', service: 'validator', level: 0.06, noise: 0.004, shifts: [{ at: 81, to: 0.2 }] },
        { metric: 'http_server_requests_error_ratio', service: 'validator', level: 0.0003, shifts: [{ at: 93, to: 0.05 }] },
        { metric: 'gate_upstream_duration_seconds_p99', service: 'gate-gateway', level: 0.08, shifts: [{ at: 93.5, to: 0.9 }] },
      ],
      changes: [
        {
          id: 'rel-9301',
          service: 'validator',
          type: 'deploy',
          at: 92,
          summary: 'validator 4.2: match pass codes case-insensitively',
          diff: patch('validator/passes.py', ['    q = "SELECT id FROM passes WHERE code = %s"'], ['    q = "SELECT id FROM passes WHERE upper(code) = upper(%s)"']),
        },
      ],
      logs: {
        validator: [...quiet('validator'), ...every(93.1, 150, 0.4, 'error', 'scan validation failed: canceling statement due to statement timeout')],
        'gate-gateway': [...quiet('gate-gateway'), ...every(93.6, 150, 0.5, 'warn', 'gate denied: validator error')],
      },
    });
    expect(verdict).toMatchObject({ category: 'deploy', service: 'validator', change_id: 'rel-9301' });
  });
});

describe('a disk failing under one machine', () => {
  // One of three database replicas: its disk's read wait from a millisecond to 200, its I/O
  // wait up, while the other two hold. Half the reads through the pool hang; the quotes API
  // (paged) is slow. A release of the API just before, changing only rounding, is the decoy.
  const replicas = (failing: readonly string[]): Parameters<typeof diagnose>[0] => ({
    start: START,
    minutes: 150,
    alert: { title: 'QuotesLatencyHigh', service: 'quotes-api', at: 104 },
    series: [
      ...['db-replica-1', 'db-replica-2', 'db-primary'].flatMap((instance) => [
        { metric: 'node_disk_read_await_seconds', service: 'pricing-db', labels: { instance }, level: 0.001, noise: 0.0001, shifts: failing.includes(instance) ? [{ at: 95, to: 0.2 }] : [] },
        { metric: 'node_cpu_iowait_ratio', service: 'pricing-db', labels: { instance }, level: 0.01, noise: 0.001, shifts: failing.includes(instance) ? [{ at: 95, to: 0.55 }] : [] },
      ]),
      { metric: 'db_query_duration_seconds_p99', service: 'quotes-api', labels: { pool: 'pricing_ro' }, level: 0.03, shifts: [{ at: 95, to: 2.3 }] },
      { metric: 'http_server_request_duration_seconds_p99', service: 'quotes-api', level: 0.24, shifts: [{ at: 95, to: 3.1 }] },
    ],
    changes: [{ id: 'rel-7781', service: 'quotes-api', type: 'deploy', at: 91, summary: 'quotes-api: round prices to two decimals' }],
    logs: {
      'quotes-api': [...quiet('quotes-api'), ...every(95.2, 150, 0.5, 'error', 'quote failed: price lookup exceeded 2s deadline')],
      'pricing-db': [...quiet('pricing-db'), ...every(95.5, 150, 1, 'warn', 'duration: 2233.606 ms  statement: SELECT price FROM bunker_index WHERE port = $1')],
    },
  });

  it('is the infrastructure of the service on that machine', async () => {
    expect(await diagnose(replicas(['db-replica-1']))).toMatchObject({ category: 'infrastructure', service: 'pricing-db', change_id: null });
  });

  it('is not read from disks that all slowed together', async () => {
    expect(await diagnose(replicas(['db-replica-1', 'db-replica-2', 'db-primary']))).not.toMatchObject({ category: 'infrastructure' });
  });
});

describe("a duration histogram's totals that rose with the traffic", () => {
  // Clinics open at 80: the portal's requests eight-fold, and its duration histogram's `_count`
  // and `_sum` with them (as many more requests, each as fast). At 92 a release of the
  // coverage API blocks on its payer call; from 93 the portal's p99 climbs. The totals that
  // rose with the crowd do not date the incident, so the release is not "after" it.
  it('do not date the incident', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'PortalLatencyHigh', service: 'portal', at: 104 },
      series: [
        { metric: 'http_requests_per_second', service: 'portal', level: 10, shifts: [{ at: 80, to: 80 }] },
        { metric: 'http_request_duration_seconds_count', service: 'portal', counter: true, level: 10, shifts: [{ at: 80, to: 80 }] },
        { metric: 'http_request_duration_seconds_sum', service: 'portal', counter: true, level: 1, shifts: [{ at: 80, to: 8 }] },
        { metric: 'http_request_duration_seconds_p99', service: 'portal', level: 0.3, shifts: [{ at: 93, to: 6 }] },
        { metric: 'http_server_duration_seconds_p99', service: 'coverage-api', level: 0.2, shifts: [{ at: 92.5, to: 5 }] },
      ],
      changes: [
        {
          id: 'rel-6120',
          service: 'coverage-api',
          type: 'deploy',
          at: 92,
          summary: 'coverage-api 4.8: simplify the coverage cache',
          diff: patch('src/Coverage.cs', ['        var result = await _payer.CheckAsync(id, ct);'], ['        var result = _payer.CheckAsync(id, CancellationToken.None).GetAwaiter().GetResult();']),
        },
      ],
      logs: {
        'coverage-api': [...quiet('coverage-api'), ...every(93, 150, 0.5, 'warn', 'Heartbeat took longer than 00:00:01: thread pool starvation')],
        portal: [...quiet('portal'), ...every(93.5, 150, 0.5, 'error', 'GET /api/coverage timed out after 5000ms')],
      },
    });
    expect(verdict).toMatchObject({ category: 'deploy', service: 'coverage-api', change_id: 'rel-6120' });
  });
});

describe('a pool that filled with the evening before a release made each booking hold it longer', () => {
  // The evening ramp from 75 doubles bookings; the connection pool's busy count climbs with
  // it and crosses its band at 85. At 92 a release sends the confirmation SMS inside the
  // booking's save instead of enqueueing it: from 93 every request waits on the pool. The
  // busy count that rose with the ramp is the evening filling the service, not the incident.
  it('is the release, not load beyond the service', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'BookingsErrors', service: 'bookings-api', at: 104 },
      series: [
        { metric: 'http_requests_per_second', service: 'bookings-api', level: 22, shifts: [{ at: 75, to: 35 }, { at: 82, to: 48 }] },
        { metric: 'activerecord_pool_connections_busy', service: 'bookings-api', level: 7, noise: 0.03, shifts: [{ at: 85, to: 14 }, { at: 93, to: 29 }] },
        { metric: 'http_request_duration_seconds_p50', service: 'bookings-api', level: 0.05, shifts: [{ at: 93, to: 0.3 }] },
        { metric: 'http_requests_error_ratio', service: 'bookings-api', level: 0.0015, shifts: [{ at: 95, to: 0.12 }] },
      ],
      changes: [
        {
          id: 'rel-1450',
          service: 'bookings-api',
          type: 'deploy',
          at: 92,
          summary: 'bookings-api: confirm bookings to the tuner immediately',
          diff: patch('app/models/booking.rb', ['  def enqueue_confirmation', '    BookingConfirmationJob.perform_later(id)'], ['  def confirm_now', '    NotifyClient.new(timeout: 3).deliver(to: tuner.mobile)']),
        },
      ],
      logs: { 'bookings-api': [...quiet('bookings-api'), ...every(95, 150, 0.4, 'error', 'ActiveRecord::ConnectionTimeoutError: could not obtain a connection from the pool within 5.000 seconds')] },
    });
    expect(verdict).toMatchObject({ category: 'deploy', service: 'bookings-api', change_id: 'rel-1450' });
  });
});

describe('a surge the same service took twice before', () => {
  // Bets come in waves before each race: eight-fold at 40, at 70 and at 100. The first two
  // passed with the calculator's update threads far from their maximum of 200; at 85 a release
  // changes how each bet is computed, and the third wave fills every thread. The same load was
  // taken twice the same day: it does not explain the incident alone. (The release's diff is
  // not in the bundle, so nothing names it either: the verdict stays open.)
  it('is not called load beyond capacity', async () => {
    const waves = (level: number, peak: number): Array<{ at: number; to: number }> => [
      { at: 40, to: peak },
      { at: 48, to: level },
      { at: 70, to: peak },
      { at: 78, to: level },
      { at: 100, to: peak },
    ];
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'BetsRejected', service: 'bet-placement', at: 110 },
      series: [
        { metric: 'http_server_requests_per_second', service: 'bet-placement', level: 100, shifts: waves(100, 800) },
        { metric: 'http_server_requests_per_second', service: 'wallet', level: 60, shifts: waves(60, 400) },
        { metric: 'executor_active_threads', service: 'pool-calculator', level: 8, noise: 0.05, shifts: [{ at: 40, to: 30 }, { at: 48, to: 8 }, { at: 70, to: 30 }, { at: 78, to: 8 }, { at: 100.5, to: 198 }] },
        { metric: 'executor_max_threads', service: 'pool-calculator', level: 200, noise: 0 },
        { metric: 'http_server_request_duration_seconds_p99', service: 'bet-placement', level: 0.2, shifts: [{ at: 101, to: 5 }] },
      ],
      changes: [
        {
          id: 'rel-6120',
          service: 'pool-calculator',
          type: 'deploy',
          at: 85,
          summary: 'pool-calculator 3.8: consistent approximates per meeting',
        },
      ],
      logs: {
        'pool-calculator': [...quiet('pool-calculator'), ...every(100.6, 150, 0.3, 'warn', 'slow pool update: lock held 2400ms, 180 waiters')],
        'bet-placement': [...quiet('bet-placement'), ...every(101, 150, 0.5, 'error', 'bet rejected: upstream_timeout from pool-calculator')],
      },
    });
    expect(verdict.category).not.toBe('capacity');
  });
});

describe('load the service took before', () => {
  // At minute 40 the encoders drained a burst: the jobs they dispatched rose near today's
  // level for a quarter of an hour, without running out of room. That is work served, which
  // a service at its ceiling caps; demand (the jobs submitted) never came near today's.
  it('is read on the work that arrived, not on the work it dispatched', async () => {
    const verdict = await diagnose({
      start: START,
      minutes: 150,
      alert: { title: 'EncodeQueueWaitHigh', service: 'encoder', at: 112 },
      series: [
        { metric: 'encode_jobs_submitted_per_second', service: 'encoder', level: 1.0, noise: 0.03, shifts: [{ at: 95, to: 2.6 }] },
        { metric: 'encode_jobs_dispatched_per_second', service: 'encoder', level: 1.0, noise: 0.03, shifts: [{ at: 40, to: 2.5 }, { at: 55, to: 1.0 }, { at: 95, to: 2.9 }] },
        { metric: 'encoder_slots_busy_ratio', service: 'encoder', level: 0.6, noise: 0.03, shifts: [{ at: 97, to: 1.0 }] },
        { metric: 'encode_queue_depth', service: 'encoder', level: 3, shifts: [{ at: 99, to: 2000 }] },
      ],
      changes: [],
      logs: {
        encoder: [...quiet('encoder'), ...every(100, 150, 0.5, 'warn', 'no free encoder slot, job queued')],
      },
    });
    expect(verdict).toMatchObject({ category: 'capacity', service: 'encoder', change_id: null });
  });
});
