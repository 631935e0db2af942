// A release whose cost only shows at peak, against the crowd that reached it. The failing
// requests' stack traces run through a file the release created: the crowd found the
// release's flaw, and the release is named though its diff "shows no risky edit". A setting
// moved by a small factor cannot explain a crowd many times larger; and a service that only
// got busier because more came in did not degrade.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2035-03-09T06:00:00Z';
const run = syntheticRunner('peak', { start: START, minutes: 150 });

/** The quiz starts at minute 95: arrivals twenty-fold, the pool's waiters pile up, errors and latency follow. */
const crowd: SeriesSpec[] = [
  { metric: 'http_requests_per_second', service: 'quiz-session', level: 40, shifts: [{ at: 95, to: 880 }] },
  { metric: 'hikaricp_connections_pending', service: 'quiz-session', level: 4, shifts: [{ at: 95.5, to: 170 }] },
  { metric: 'http_error_ratio', service: 'quiz-session', level: 0.003, shifts: [{ at: 95.5, to: 0.11 }] },
  { metric: 'http_request_duration_seconds_p99', service: 'quiz-session', level: 0.25, shifts: [{ at: 95.5, to: 4.8 }] },
  { metric: 'pg_cpu_utilization_ratio', service: 'quiz-db', level: 0.3, noise: 0.02, shifts: [{ at: 95.5, to: 0.42 }] },
];

/** A release half an hour before: a new repository class, called from every save. */
function release(file: string): string {
  return [
    patch('src/main/kotlin/quiz/SaveService.kt', ['        answers.upsert(attemptId, answer)'], ['        answers.upsert(attemptId, answer)', '        progress.increment(attempt.roomId)']),
    `diff --git a/${file} b/${file}`,
    'new file mode 100644',
    '--- /dev/null',
    `+++ b/${file}`,
    '@@ -0,0 +1,6 @@',
    '+package quiz',
    '+@Repository',
    '+class RoomProgressRepository(private val jdbc: JdbcTemplate) {',
    '+    fun increment(roomId: Long) = jdbc.update("update quiz_rooms set saved = saved + 1 where id = ?", roomId)',
    '+}',
    '+',
    '',
  ].join('\n');
}

const changes = (file: string): BundleSpec['changes'] => [
  { id: 'deploy-610', service: 'quiz-session', type: 'deploy', at: 65, summary: 'quiz-session 3.2.0: live progress per room', diff: release(file) },
];

/** Errors from the quiz's start whose stack trace runs through `frame`. */
function logs(frame: string): BundleSpec['logs'] {
  return {
    'quiz-session': [
      ...every(0, 150, 2, 'info', 'answer saved'),
      ...every(95.6, 150, 0.3, 'error', `save failed: canceling statement due to lock timeout\n\tat quiz.${frame}\n\tat quiz.SaveService.save(SaveService.kt:41)`),
      ...every(96, 150, 0.5, 'error', 'HikariPool-1 - Connection is not available, request timed out after 5000ms.'),
    ],
  };
}

const alert = { title: 'quiz-session 5xx above 5%', service: 'quiz-session', at: 104 };

describe('a release whose cost shows only at peak', () => {
  it('is named when the failing requests run through a file it created', async () => {
    const file = 'src/main/kotlin/quiz/RoomProgressRepository.kt';
    const r = await run({ alert, series: crowd, changes: changes(file), logs: logs('RoomProgressRepository.increment(RoomProgressRepository.kt:4)') });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'quiz-session', change_id: 'deploy-610' });
  });

  it('is not, when the failures come from code that was there before it: the crowd outgrew the service', async () => {
    const file = 'src/main/kotlin/quiz/RoomProgressRepository.kt';
    const r = await run({ alert, series: crowd, changes: changes(file), logs: logs('AnswerRepository.upsert(AnswerRepository.kt:88)') });
    expect(verdict(r)).toEqual({ category: 'capacity', service: 'quiz-session', change_id: null });
  });
});

describe('a service that got busier only because more came in', () => {
  // The proctoring service released two minutes before the quiz began; at the start its
  // arrivals grew thirty-fold and its CPU four-fold. It did not degrade: it is no rival.
  it('is not on the incident\'s path', async () => {
    const file = 'src/main/kotlin/quiz/RoomProgressRepository.kt';
    const proctor: SeriesSpec[] = [
      { metric: 'http_requests_per_second', service: 'proctor', level: 10, shifts: [{ at: 95, to: 300 }] },
      { metric: 'cpu_usage_cores', service: 'proctor', level: 1.2, noise: 0.05, shifts: [{ at: 95.5, to: 4.8 }] },
      { metric: 'http_request_duration_seconds_p99', service: 'proctor', level: 0.2 },
    ];
    const r = await run({
      alert,
      series: [...crowd, ...proctor],
      changes: [
        ...changes(file),
        { id: 'deploy-613', service: 'proctor', type: 'deploy', at: 93, summary: 'proctor 2.7.0: snapshot every 20 s', diff: patch('proctor/settings.py', ['SNAPSHOT_S = 30'], ['SNAPSHOT_S = 20']) },
      ],
      logs: logs('RoomProgressRepository.increment(RoomProgressRepository.kt:4)'),
    });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'quiz-session', change_id: 'deploy-610' });
  });
});

describe('a setting moved by a small factor, against a crowd many times larger', () => {
  // The box office opens at minute 95: holds go from 50 to 800 a second into a service that
  // pins its CPU and sheds. Two minutes before, the caller's payment session TTL went from 10
  // to 8 minutes: a quarter more refreshes at most.
  const onsale: SeriesSpec[] = [
    { metric: 'hold_requests_per_second', service: 'seat-hold', level: 50, shifts: [{ at: 95, to: 800 }] },
    { metric: 'seat_hold_cpu_utilization_ratio', service: 'seat-hold', level: 0.35, noise: 0.02, shifts: [{ at: 95.5, to: 0.99 }] },
    { metric: 'seat_hold_request_duration_seconds_p99', service: 'seat-hold', level: 0.12, shifts: [{ at: 95.5, to: 2.6 }] },
    { metric: 'http_5xx_ratio', service: 'checkout-api', level: 0.002, shifts: [{ at: 96, to: 0.09 }] },
    { metric: 'http_requests_per_second', service: 'checkout-api', level: 30, shifts: [{ at: 95, to: 420 }] },
  ];
  const ttl = {
    id: 'cfg-88',
    service: 'checkout-api',
    type: 'config',
    at: 93,
    summary: 'checkout: payment session TTL 10m -> 8m',
    diff: patch('config/checkout-api/prod.env', ['PAYMENT_SESSION_TTL=10m'], ['PAYMENT_SESSION_TTL=8m']),
  };
  it('is not what the load is blamed on', async () => {
    const r = await run({
      alert: { title: 'seat-hold p99 above 1s', service: 'seat-hold', at: 104 },
      series: onsale,
      changes: [ttl],
      logs: {
        'seat-hold': [...every(0, 150, 2, 'info', 'hold placed'), ...every(96, 150, 0.3, 'warn', 'adaptive limiter: hold queue full, request shed')],
        'checkout-api': every(0, 150, 2, 'info', 'checkout ok'),
      },
    });
    expect(verdict(r)).toEqual({ category: 'capacity', service: 'seat-hold', change_id: null });
  });
});

describe('a release that shifts the time it stamps', () => {
  // The decoder's release reads a summer-time bit and subtracts an hour: the samples it
  // decodes are stamped an hour in the past (its offset from the sender goes from 0 to
  // -3600 s) and the aggregator (paged) rejects them as too late. Moving away from zero is
  // the decoder's own symptom, downwards as much as upwards.
  it('is named from its offset moving away from zero, whichever way', async () => {
    const r = await run({
      alert: { title: 'scada-aggregator incomplete windows above 10%', service: 'scada-aggregator', at: 104 },
      series: [
        { metric: 'decoder_sample_clock_offset_seconds', service: 'telemetry-decoder', labels: { site: 'north' }, level: 0.3, noise: 0.05, shifts: [{ at: 95, to: -3600 }] },
        { metric: 'decoder_sample_clock_offset_seconds', service: 'telemetry-decoder', labels: { site: 'south' }, level: 0.3, noise: 0.05 },
        { metric: 'aggregator_samples_rejected_per_second', service: 'scada-aggregator', level: 0.2, shifts: [{ at: 95.5, to: 40 }] },
        { metric: 'aggregator_windows_incomplete_ratio', service: 'scada-aggregator', level: 0.01, shifts: [{ at: 96, to: 0.38 }] },
      ],
      changes: [
        { id: 'deploy-52', service: 'telemetry-decoder', type: 'deploy', at: 94.5, summary: 'telemetry-decoder 2.7: time tag compliance fixes', diff: patch('src/cp56.rs', ['    Ok(ts)'], ['    if summer { ts = ts - Duration::hours(1); }', '    Ok(ts)']) },
      ],
      logs: {
        'scada-aggregator': [...every(0, 150, 2, 'info', 'window closed'), ...every(95.6, 150, 0.3, 'warn', 'sample rejected: older than late window site=north')],
        'telemetry-decoder': every(0, 150, 2, 'info', 'frame decoded'),
      },
    });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'telemetry-decoder', change_id: 'deploy-52' });
  });
});

describe('a release that leaks a connection per call', () => {
  // The release adds a method that takes a connection and never gives it back. The pool's
  // connections in use (a handful before) climb steadily from the rollout until the pool is
  // full an hour later; then checkouts time out. The leak detector's warnings name the new
  // method in their stack frames. A setting changed five minutes before the errors is the decoy.
  const climb = (at: number): Array<{ at: number; to: number }> => Array.from({ length: 12 }, (_, i) => ({ at: at + 5 * i, to: 4.5 + (25.5 * (i + 1)) / 12 }));
  const pool = (pod: string): SeriesSpec => ({ metric: 'hikaricp_connections_active', service: 'loan-api', labels: { pod }, level: 4.5, noise: 0.3, shifts: climb(40) });
  const diff = [
    'diff --git a/src/main/java/lend/HoldService.java b/src/main/java/lend/HoldService.java',
    '--- a/src/main/java/lend/HoldService.java',
    '+++ b/src/main/java/lend/HoldService.java',
    '@@ -80,3 +80,9 @@',
    '     }',
    '+    public boolean expireIfStale(long holdId) throws SQLException {',
    '+        Connection conn = dataSource.getConnection();',
    '+        PreparedStatement st = conn.prepareStatement(EXPIRE_SQL);',
    '+        st.setLong(1, holdId);',
    '+        return st.executeUpdate() > 0;',
    '+    }',
    ' }',
    '',
  ].join('\n');
  it('is named from the leak warnings naming its new method, over a setting cut just before the errors', async () => {
    const r = await run({
      alert: { title: 'loan-api checkout errors above 5%', service: 'loan-api', at: 106 },
      series: [
        pool('loan-api-1'),
        pool('loan-api-2'),
        { metric: 'hikaricp_connections_pending', service: 'loan-api', level: 0.2, shifts: [{ at: 100, to: 40 }] },
        { metric: 'http_server_errors_ratio', service: 'loan-api', level: 0.002, shifts: [{ at: 100, to: 0.2 }] },
      ],
      changes: [
        { id: 'deploy-305', service: 'loan-api', type: 'deploy', at: 40, summary: 'loan-api 5.7: release expired holds at checkout', diff },
        { id: 'cfg-204', service: 'loan-api', type: 'config', at: 97, summary: 'checkout timeout 60s -> 30s', diff: patch('config/loans.yaml', ['checkout_timeout_seconds: 60'], ['checkout_timeout_seconds: 30']) },
      ],
      logs: {
        'loan-api': [
          ...every(0, 150, 2, 'info', 'checkout ok'),
          ...every(48, 150, 3, 'warn', 'Apparent connection leak detected\n\tat lend.HoldService.expireIfStale(HoldService.java:82)\n\tat lend.CheckoutController.checkout(CheckoutController.java:40)'),
          ...every(100, 150, 0.5, 'error', 'checkout failed: Connection is not available, request timed out after 30000ms'),
        ],
      },
    });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'loan-api', change_id: 'deploy-305' });
  });
});

describe('a release that stopped closing its session on one path', () => {
  // The release replaces a `with` block by a session closed by hand, and an early `raise` for
  // an unknown plan skips the close. The pool's checked-out connections (a handful before)
  // climb from the rollout until the pool is empty an hour later; then the lookups time out
  // and the caller (paged) fails. No log line names the leak. A release of the caller minutes
  // before the errors is the decoy.
  const climb = Array.from({ length: 12 }, (_, i) => ({ at: 40 + 5 * i, to: 6 + (24 * (i + 1)) / 12 }));
  const diff = patch(
    'plans/service.py',
    ['        with self.Session() as session:', '            plan = session.get(Plan, plan_id)', '            return Coverage(plan)'],
    ['        session = self.Session()', '        plan = session.get(Plan, plan_id)', '        if plan is None:', '            raise NotFound("plan")', '        result = Coverage(plan)', '        session.close()', '        return result'],
  );
  it('is the release, read from its diff and the checkouts that climbed since it', async () => {
    const r = await run({
      alert: { title: 'ClaimsRejected', service: 'claims-api', at: 106 },
      series: [
        { metric: 'sqlalchemy_pool_checkedout', service: 'coverage', level: 6, noise: 0.2, shifts: climb },
        { metric: 'request_latency_seconds_p99', service: 'coverage', level: 0.2, shifts: [{ at: 100, to: 10 }] },
        { metric: 'errors_per_second', service: 'coverage', level: 0.2, shifts: [{ at: 100, to: 20 }] },
        { metric: 'errors_per_second', service: 'claims-api', level: 0.2, shifts: [{ at: 100, to: 15 }] },
      ],
      changes: [
        { id: 'deploy-61', service: 'coverage', type: 'deploy', at: 40, summary: 'coverage 2.3: 404 for unknown plans', diff },
        { id: 'deploy-67', service: 'claims-api', type: 'deploy', at: 97, summary: 'claims-api 4.7: pend claims with unknown codes' },
      ],
      logs: {
        coverage: [...every(0, 150, 2, 'info', 'coverage ok'), ...every(100, 150, 0.5, 'error', 'coverage lookup failed: QueuePool limit of size 30 overflow 0 reached, connection timed out')],
        'claims-api': [...every(0, 150, 2, 'info', 'claim accepted'), ...every(100.2, 150, 0.5, 'error', 'claim rejected: coverage returned 503')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'coverage', change_id: 'deploy-61' });
  });
});

describe('a consumer whose poll batch was raised tenfold', () => {
  // The worker's batch size goes from 50 to 1000 records per poll at 40. It holds while
  // batches are small; when the evening final fills them (95), each batch outlasts the poll
  // interval, the consumers are kicked out before committing and reprocess the same records:
  // records processed ten-fold, lag climbing, the wallet (paged) waiting on settlements. The
  // client's own warning names `max.poll.records`, spelt with dots where the file has dashes.
  const diff = patch('settlement/application.properties', ['spring.kafka.consumer.max-poll-records=50'], ['spring.kafka.consumer.max-poll-records=1000']);
  it('is the setting, named from the warnings that spell its key, though the final brought more load', async () => {
    const r = await run({
      alert: { title: 'SettlementsDelayed', service: 'wallet', at: 106 },
      series: [
        { metric: 'http_server_requests_per_second', service: 'wallet', level: 100, shifts: [{ at: 94, to: 150 }] },
        { metric: 'settlement_records_processed_per_second', service: 'settlement-worker', level: 20, shifts: [{ at: 95, to: 210 }] },
        { metric: 'kafka_consumergroup_lag', service: 'settlement-worker', labels: { consumergroup: 'settlement' }, level: 5, shifts: [{ at: 95, to: 40_000 }] },
        { metric: 'wallet_pending_settlement_age_seconds', service: 'wallet', level: 4, shifts: [{ at: 96, to: 900 }] },
      ],
      changes: [
        { id: 'cfg-7781', service: 'settlement-worker', type: 'config', at: 40, summary: 'settlement consumer: bigger poll batches', diff },
        { id: 'rel-6633', service: 'results-ingest', type: 'deploy', at: 90, summary: 'results-ingest: score feed parser' },
      ],
      logs: {
        'settlement-worker': [
          ...every(0, 150, 2, 'info', 'settled bet batch'),
          ...every(95.5, 150, 0.5, 'warn', 'consumer poll timeout has expired. This means the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms; reduce the maximum size of batches returned in poll() with max.poll.records'),
        ],
        wallet: [...every(0, 150, 2, 'info', 'balance read'), ...every(96, 150, 1, 'warn', 'settlement pending longer than 600s')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'config', service: 'settlement-worker', change_id: 'cfg-7781' });
  });
});

describe('a rollout whose first pods show before its record', () => {
  // The release's record says 95; its first pods were already opening a connection per call
  // at 93.5, creeping up until the whole fleet did. The purchase errors come ten minutes
  // later. The release is not "after the onset". (A step at the onset would be the incident
  // itself, and a change minutes after it is after it: reasoning.test.ts.)
  it('is weighed, and the incident dated from the rollout', async () => {
    const client = [
      'diff --git a/internal/upstream/client.go b/internal/upstream/client.go',
      '--- a/internal/upstream/client.go',
      '+++ b/internal/upstream/client.go',
      '@@ -10,6 +10,6 @@',
      '-var shared = &http.Client{Timeout: 2 * time.Second}',
      ' func call(req *http.Request) (*http.Response, error) {',
      '+\tc := &http.Client{Timeout: 2 * time.Second}',
      '-\treturn shared.Do(req)',
      '+\treturn c.Do(req)',
      ' }',
      '',
    ].join('\n');
    const r = await run({
      alert: { title: 'store-api purchase errors above 2%', service: 'store-api', at: 108 },
      series: [
        // Creeping up as the first pods start, then the whole fleet.
        {
          metric: 'upstream_connections_opened_per_second',
          service: 'store-api',
          level: 20,
          shifts: [
            { at: 93.5, to: 90 },
            { at: 94, to: 300 },
            { at: 94.5, to: 700 },
            { at: 95, to: 1500 },
            { at: 95.5, to: 2400 },
          ],
        },
        { metric: 'http_error_ratio', service: 'store-api', level: 0.002, shifts: [{ at: 105, to: 0.03 }] },
        { metric: 'http_requests_per_second', service: 'store-api', level: 300 },
      ],
      changes: [{ id: 'deploy-883', service: 'store-api', type: 'deploy', at: 95, summary: 'store-api 3.41: per-upstream mTLS clients', diff: client }],
      logs: { 'store-api': [...every(0, 150, 2, 'info', 'purchase ok'), ...every(105.2, 150, 0.3, 'error', 'dial tcp 10.2.0.7:443: connect: cannot assign requested address')] },
    });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'store-api', change_id: 'deploy-883' });
    const onset = r.diagnosis?.timeline.find((e) => /^Onset/.test(e.event));
    expect(Date.parse(onset?.at ?? '')).toBe(Date.parse(START) + 95 * 60_000);
  });
});
