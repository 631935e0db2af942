// A request counter split by status: the share with a failing status is errors, client errors
// (401s, 429s) included, never demand; the rest is traffic.
import { describe, expect, it } from 'vitest';
import { seriesMeaning } from '../../src/hands/analysis/series-meaning.js';

describe('request counters labelled with a status', () => {
  it.each([
    ['code', '401'],
    ['code', '429'],
    ['status', '4xx'],
    ['status_code', '503'],
  ])('%s="%s" measures errors, worse when it rises', (key, value) => {
    expect(seriesMeaning('http_requests_total', { [key]: value })).toMatchObject({ measures: 'errors', worseWhen: 'up' });
  });

  it.each([
    ['outcome', 'http_5xx'],
    ['result', 'upstream-timeout'],
    ['status', 'grpc_unavailable'],
  ])('%s="%s" names a failure in one of its words: errors', (key, value) => {
    expect(seriesMeaning('claims_upstream_requests_per_second', { [key]: value })).toMatchObject({ measures: 'errors', worseWhen: 'up' });
  });

  // Delivery reports count what became of each message: those that expired undelivered or
  // bounced (SMPP's short states too) are failures, never demand.
  it.each([
    ['status', 'EXPIRED'],
    ['status', 'UNDELIV'],
    ['state', 'REJECTD'],
    ['result', 'bounced'],
  ])('a delivery report with %s="%s" measures errors', (key, value) => {
    expect(seriesMeaning('sms_delivery_reports_total', { [key]: value })).toMatchObject({ measures: 'errors', worseWhen: 'up' });
  });

  // Input a service could not take: frames of a version the running build cannot decode (a
  // rollback onto a build older than what the devices now send), records it could not parse.
  it.each([
    ['result', 'unsupported_version'],
    ['outcome', 'malformed_payload'],
    ['status', 'corrupt'],
    ['result', 'undecodable'],
    ['result', 'schema_incompatible'],
  ])('a frame counter with %s="%s" measures errors', (key, value) => {
    expect(seriesMeaning('decoder_frames_per_minute', { [key]: value })).toMatchObject({ measures: 'errors', worseWhen: 'up' });
  });

  it('a status label no signal reads still says which way is worse', () => {
    expect(seriesMeaning('batch_jobs', { response_code: 'aborted' })).toMatchObject({ worseWhen: 'up' });
  });

  it('a delivered report is traffic', () => {
    expect(seriesMeaning('sms_delivery_reports_total', { status: 'DELIVRD' })).toMatchObject({ measures: 'traffic' });
  });

  it('a word that negates it is no failure', () => {
    expect(seriesMeaning('http_requests_total', { outcome: 'no_error' })).toMatchObject({ measures: 'traffic' });
  });

  it('a success status is traffic', () => {
    expect(seriesMeaning('http_requests_total', { code: '200' })).toMatchObject({ measures: 'traffic' });
  });
});

describe('a dead-letter queue', () => {
  // Messages given up on pile there: each one a failure, not work waiting for a free worker.
  it.each(['pms_dead_letter_queue_depth', 'orders_dlq_messages', 'payments_deadletter_queue_size', 'ingest_poison_messages_total'])('%s measures errors and is no backlog', (name) => {
    expect(seriesMeaning(name)).toMatchObject({ measures: 'errors', worseWhen: 'up', backlog: false });
  });

  it('a work queue is still saturation and a backlog', () => {
    expect(seriesMeaning('jobs_queue_depth')).toMatchObject({ measures: 'saturation', worseWhen: 'up', backlog: true });
  });
});

describe('rejections', () => {
  it.each(['order_reject_ratio', 'orders_rejects_total', 'payments_rejected_total', 'admission_rejections_per_second'])('%s measures errors', (name) => {
    expect(seriesMeaning(name)).toMatchObject({ measures: 'errors', worseWhen: 'up' });
  });
});

describe('a fan-out', () => {
  // How many recipients each event goes to: work per unit, which a change in what each event
  // does moves and demand does not.
  it.each(['party_update_fanout_recipients_avg', 'notify_fan_out_targets', 'fanout_calls_per_event'])('%s is work per unit, worse when it rises', (name) => {
    expect(seriesMeaning(name)).toMatchObject({ measures: 'other', worseWhen: 'up', perUnit: true });
  });

  it("a fan-out's configured batch or limit is a setting exported, not work", () => {
    expect(seriesMeaning('presence_fanout_batch_size')).toMatchObject({ perUnit: false });
    expect(seriesMeaning('fanout_max_recipients')).toMatchObject({ perUnit: false });
  });

  it('how long a fan-out lags or takes is a time, not work per unit', () => {
    expect(seriesMeaning('mdp_fanout_lag_seconds', { quantile: '0.99' })).toMatchObject({ measures: 'latency', perUnit: false });
    expect(seriesMeaning('notify_fanout_duration_ms')).toMatchObject({ perUnit: false });
  });
});

describe('work counted per unit of whatever the service handles', () => {
  it.each(['seat_ledger_redis_ops_per_reservation', 'checkout_db_queries_per_basket', 'ingest_retries_per_upload'])('%s is work per unit', (name) => {
    expect(seriesMeaning(name)).toMatchObject({ perUnit: true });
  });

  it.each(['http_requests_per_second', 'messages_per_minute', 'cpu_seconds_per_core', 'errors_per_1000'])('%s is a rate or a share, not work per unit', (name) => {
    expect(seriesMeaning(name)).toMatchObject({ perUnit: false });
  });
});

describe('lent capacity', () => {
  // Credits a burstable host earns and spends, a volume's burst balance: headroom that runs dry, worse when it falls.
  it.each(['aws_ec2_cpucredit_balance_average', 'cpu_credit_balance', 'CPUCreditBalance', 'aws_ebs_burst_balance_average', 'BurstBalance'])('%s measures availability, worse when it falls', (name) => {
    expect(seriesMeaning(name)).toMatchObject({ measures: 'availability', worseWhen: 'down' });
  });

  it('CPU credits spent are still CPU use', () => {
    expect(seriesMeaning('cpu_credit_usage')).toMatchObject({ measures: 'saturation', worseWhen: 'up' });
  });
});

describe('a reference to read a signal against', () => {
  // Last week's value, a forecast or a baseline moves with the calendar, not with the incident: neither load nor a symptom.
  it.each(['eps_prescriptions_downloaded_per_second:offset_7d', 'orders_per_minute_1w_ago', 'citations_forecast_per_minute', 'checkout_latency_baseline_seconds', 'rides_expected_per_hour'])('%s is a reference', (name) => {
    expect(seriesMeaning(name)).toMatchObject({ measures: 'other', worseWhen: null });
  });

  it('the live series beside it is still what it measures', () => {
    expect(seriesMeaning('eps_prescriptions_downloaded_per_second')).toMatchObject({ measures: 'traffic' });
  });
});

describe('short failure words hold only at the start of a word', () => {
  // `oom` inside `rooms` or `classroom`, `reset` inside `preset`: a count of rooms open is no
  // failure, and a leak of rooms must stay readable as one.
  it.each(['sfu_rooms_open', 'classroom_sessions_active', 'roombroker_rooms_reused_per_minute', 'audio_preset_changes_total'])('%s does not measure errors', (name) => {
    expect(seriesMeaning(name).measures).not.toBe('errors');
  });

  it.each(['keyrelease_denial_ratio', 'access_denials_per_minute'])('%s, a count of denials, measures errors', (name) => {
    expect(seriesMeaning(name)).toMatchObject({ measures: 'errors', worseWhen: 'up' });
  });

  it.each(['container_oom_events_total', 'oomkilled_total', 'tcp_connection_resets_total', 'kube_pod_oom_kills'])('%s measures errors', (name) => {
    expect(seriesMeaning(name)).toMatchObject({ measures: 'errors', worseWhen: 'up' });
  });
});
