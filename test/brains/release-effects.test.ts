// What a release visibly did, read the way an on-call engineer reads it: the pods of the new
// version against the old ones; a number the service hands out that moved a thousandfold as
// it rolled out; the memory each worker takes raised until the workers were killed for it.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const run = syntheticRunner('release-effects', { start: '2035-05-12T14:00:00Z', minutes: 150 });

describe('a release read pod by pod, old version against new', () => {
  // The hold service rolls out 6.2.0 from minute 89 to 97, one pod a minute or two; at minute
  // 92.5 its latency jumps and the locker API (paged) times out on it. Whether the old pods
  // were as slow as the new ones decides whether the release is the cause.
  function pods(oldSick: boolean): SeriesSpec[] {
    const out: SeriesSpec[] = [];
    for (let i = 0; i < 4; i++) {
      const replaced = 91 + i * 1.5;
      out.push({
        metric: 'request_duration_seconds_p99_by_pod',
        service: 'holds',
        labels: { pod: `holds-old-${i}`, version: '6.1.0' },
        level: 0.12,
        until: replaced + 1,
        shifts: oldSick ? [{ at: 92.5, to: 2.6 }] : [],
      });
      out.push({
        metric: 'request_duration_seconds_p99_by_pod',
        service: 'holds',
        labels: { pod: `holds-new-${i}`, version: '6.2.0' },
        level: 0.12,
        from: 89 + i * 1.5,
        shifts: [{ at: 92.5, to: 2.6 }],
      });
    }
    return out;
  }
  const series = (oldSick: boolean): SeriesSpec[] => [
    ...pods(oldSick),
    { metric: 'http_request_duration_seconds_p99', service: 'holds', level: 0.12, shifts: [{ at: 92.5, to: 2.6 }] },
    { metric: 'http_requests_per_second', service: 'holds', level: 150 },
    { metric: 'http_error_ratio', service: 'lockers', level: 0.003, shifts: [{ at: 93, to: 0.05 }] },
    { metric: 'http_requests_per_second', service: 'lockers', level: 230 },
  ];
  // Paged on the hold service itself, its own symptom right after its release says no more than
  // the release's timing; paged on the locker API, the release's timing and path point at it.
  const spec = (oldSick: boolean, paged: 'holds' | 'lockers'): Parameters<typeof run>[0] => ({
    alert: paged === 'holds' ? { title: 'holds p99 above 1s', service: 'holds', at: 98 } : { title: 'locker API 5xx above 2%', service: 'lockers', at: 98 },
    series: series(oldSick),
    changes: [
      {
        id: 'deploy-3391',
        service: 'holds',
        type: 'deploy',
        at: 89,
        summary: 'holds 6.2.0: hold time per carrier',
        diff: patch('holds/config.py', ['HOLD_HOURS = 48'], ['HOLD_HOURS = {"dhl": 72, "default": 48}']),
      },
    ],
    logs: {
      lockers: [...every(0, 150, 2, 'info', 'locker opened'), ...every(93, 150, 0.5, 'error', 'holds call timed out after 2000ms')],
      holds: every(0, 150, 2, 'info', 'hold placed'),
    },
  });

  it('is named when only the pods it started are slow', async () => {
    expect(verdict(await run(spec(false, 'holds')))).toEqual({ category: 'deploy', service: 'holds', change_id: 'deploy-3391' });
  });

  it('is not named when the pods still on the old version were as slow', async () => {
    const r = await run(spec(true, 'lockers'));
    expect(verdict(r)).toEqual({ category: 'unknown', service: null, change_id: null });
  });
});

describe('a release that changed a number its service hands out', () => {
  // The signer's release reads its link lifetime as milliseconds where the old code read
  // seconds: the lifetime it issues goes from 900 to 0.9 as it rolls out, the signer itself is
  // healthy, and the edge (paged) refuses the expired links.
  it('is named from the thousandfold move of what it issues', async () => {
    const r = await run({
      alert: { title: 'downloads 403 ratio above 2%', service: 'edge', at: 100 },
      series: [
        { metric: 'signer_issued_ttl_seconds_avg', service: 'signer', level: 900, noise: 0.001, shifts: [{ at: 93.5, to: 0.9 }] },
        { metric: 'http_request_duration_seconds_p99', service: 'signer', level: 0.012 },
        { metric: 'http_error_ratio', service: 'signer', level: 0.0003 },
        { metric: 'edge_error_ratio', service: 'edge', level: 0.004, shifts: [{ at: 94, to: 0.35 }] },
        { metric: 'http_requests_per_second', service: 'edge', level: 400 },
      ],
      changes: [
        { id: 'deploy-88', service: 'billing', type: 'deploy', at: 86, summary: 'billing 11.3: new SKU', diff: patch('billing/sku.py', ['SKUS = ["std"]'], ['SKUS = ["std", "ext"]']) },
        {
          id: 'deploy-90',
          service: 'signer',
          type: 'deploy',
          at: 93,
          summary: 'signer 3.8.0: drop arrow, use datetime',
          diff: patch(
            'signer/signing.py',
            ['    ttl = settings.LINK_TTL  # seconds', '    return arrow.utcnow().shift(seconds=ttl).int_timestamp'],
            ['    ttl = timedelta(milliseconds=settings.LINK_TTL)', '    return int((datetime.now(timezone.utc) + ttl).timestamp())'],
          ),
        },
      ],
      logs: {
        edge: [...every(0, 150, 1, 'info', 'GET /dl 200'), ...every(94, 150, 0.2, 'warn', 'GET /dl 403 reason=SignatureExpired')],
        signer: every(0, 150, 1, 'info', 'signed link'),
      },
    });
    expect(verdict(r)).toEqual({ category: 'deploy', service: 'signer', change_id: 'deploy-90' });
  });
});

describe('a config that raised the memory each worker takes', () => {
  // At minute 40 each sort thread is given 4G instead of 768M; jobs started after it reach the
  // sort phase half an hour later and are killed for memory; the orchestrator (paged) counts
  // the failed stages. The platform's events log the kills: they are the config's effect.
  it('is named, not the platform that killed the workers', async () => {
    const r = await run({
      alert: { title: 'align stage failures', service: 'orchestrator', at: 90 },
      series: [
        { metric: 'stage_failures_per_minute', service: 'orchestrator', level: 0, noise: 0, shifts: [{ at: 82, to: 2.5 }] },
        { metric: 'container_terminated_per_minute', service: 'aligner', labels: { reason: 'OOMKilled' }, level: 0, noise: 0, shifts: [{ at: 81.5, to: 2 }] },
        { metric: 'jobs_running', service: 'aligner', level: 12 },
      ],
      changes: [
        { id: 'cfg-3302', service: 'aligner', type: 'config', at: 40, summary: 'aligner: sort in memory', diff: patch('k8s/aligner/params.env', ['SORT_MEM_PER_THREAD=768M'], ['SORT_MEM_PER_THREAD=4G']) },
        { id: 'deploy-884', service: 'orchestrator', type: 'deploy', at: 60, summary: 'orchestrator: chat notifications', diff: patch('notify.py', ['CHANNEL = "ops"'], ['CHANNEL = "pipeline"']) },
      ],
      logs: {
        'kube-events': every(81, 150, 1.5, 'warn', 'OOMKilled: container sort in pod align-0042 exited with code 137 (limit 48Gi)'),
        orchestrator: [...every(0, 150, 2, 'info', 'stage finished'), ...every(82, 150, 1, 'error', 'stage align failed: exit code 137')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'config', service: 'aligner', change_id: 'cfg-3302' });
  });
});

describe('a flag whose service floods the paged one', () => {
  // At minute 95 a flag makes the scheduler look up stock for every pending refill on every
  // tick: the inventory service's lookups from the scheduler go from 4 to 210 a second while
  // its other callers hold, its pool runs dry and it slows. The scheduler's own heap grows a
  // little too, which is where its path is first read from; the flood is still its doing.
  it('is named, not load beyond what the paged service can take', async () => {
    const lookups = (caller: string, level: number, to?: number): SeriesSpec => ({
      metric: 'stock_lookups_per_second',
      service: 'inventory',
      labels: { caller },
      level,
      ...(to === undefined ? {} : { shifts: [{ at: 95, to }] }),
    });
    const r = await run({
      alert: { title: 'inventory p99 above 1s', service: 'inventory', at: 104 },
      series: [
        lookups('scheduler', 4, 210),
        lookups('pos', 60),
        lookups('rx', 30),
        { metric: 'http_requests_per_second', service: 'inventory', level: 95, shifts: [{ at: 95, to: 300 }] },
        { metric: 'hikaricp_connections_pending', service: 'inventory', level: 0.5, shifts: [{ at: 95.5, to: 60 }] },
        { metric: 'http_request_duration_seconds_p99', service: 'inventory', level: 0.12, shifts: [{ at: 95.5, to: 2.7 }] },
        { metric: 'jvm_memory_used_bytes', service: 'scheduler', labels: { area: 'heap' }, level: 510e6, noise: 0.01, shifts: [{ at: 95, to: 640e6 }] },
      ],
      changes: [
        { id: 'deploy-5524', service: 'inventory', type: 'deploy', at: 87, summary: 'inventory: pool library patch bump', diff: patch('build.gradle', ["implementation 'com.zaxxer:HikariCP:5.1.0'"], ["implementation 'com.zaxxer:HikariCP:5.1.1'"]) },
        { id: 'flag-live-stock', service: 'scheduler', type: 'feature_flag', at: 95, summary: 'live stock lookup for pending refills: on' },
      ],
      logs: {
        inventory: [...every(0, 150, 2, 'info', 'lookup ok'), ...every(95.6, 150, 0.3, 'error', 'Connection is not available, request timed out after 3000ms')],
        scheduler: [...every(0, 150, 2, 'info', 'tick done'), ...every(96, 150, 1, 'warn', 'inventory call slow')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'feature_flag', service: 'scheduler', change_id: 'flag-live-stock' });
  });
});

describe('a release whose own new message is what the errors print', () => {
  // The consumer's release turns "skip undecodable events" into a fatal log line with a new
  // message; from the first event it decodes, it crashes, and its lag grows. Paged on the
  // consumer itself, its timing and place alone say nothing: the message it added does.
  const handler = (fatal: string): string =>
    patch(
      'internal/consumer/consumer.go',
      ['\t\tc.log.Warnf("skipping undecodable hold event offset=%d: %v", msg.Offset, err)', '\t\tc.dlq.Publish(msg)'],
      [`\t\tc.log.Fatalf("${fatal} offset=%d partition=%d: %v", msg.Offset, msg.Partition, err)`],
    );
  const spec = (fatal: string): Parameters<typeof run>[0] => ({
    alert: { title: 'holds consumer crash looping', service: 'holds', at: 110 },
    series: [
      { metric: 'kafka_consumergroup_lag', service: 'holds', labels: { group: 'holds' }, level: 40, shifts: [{ at: 92, to: 2600 }] },
      { metric: 'kube_pod_container_status_restarts_total', service: 'holds', level: 0.001, noise: 0, counter: true, shifts: [{ at: 92, to: 0.05 }] },
    ],
    changes: [{ id: 'deploy-7120', service: 'holds', type: 'deploy', at: 90, summary: 'holds 3.4.0: numeric branch ids', diff: handler(fatal) }],
    logs: {
      holds: [
        ...every(0, 150, 1, 'info', 'hold ready notice sent'),
        ...every(91.5, 150, 0.5, 'fatal', 'decode hold event offset=8812300 partition=4: json: cannot unmarshal string into Go struct field of type int64'),
      ],
    },
  });

  it('is named', async () => {
    expect(verdict(await run(spec('decode hold event')))).toEqual({ category: 'deploy', service: 'holds', change_id: 'deploy-7120' });
  });

  it('is not named from a message it did not add', async () => {
    expect(verdict(await run(spec('could not handle event')))).toEqual({ category: 'unknown', service: null, change_id: null });
  });
});

describe('clients coming back after the service cut them off', () => {
  // From minute 100 the gateway drops idle chargers (its disconnects rise, the chargers
  // connected to it fall) and every charger boots again: its boot messages grow thirtyfold and
  // its CPU with them. The sessions service (paged) cannot reach the chargers. The surge is the
  // cut's effect, not demand beyond what the gateway can take.
  it('is not load beyond capacity', async () => {
    const r = await run({
      alert: { title: 'session starts failing', service: 'sessions', at: 112 },
      series: [
        { metric: 'ocpp_disconnects_per_second', service: 'gateway', labels: { reason: 'idle_timeout' }, level: 0.01, shifts: [{ at: 100, to: 6 }] },
        { metric: 'ocpp_connected_chargers', service: 'gateway', level: 30000, noise: 0.005, shifts: [{ at: 100.5, to: 24000 }] },
        { metric: 'ocpp_messages_per_second', service: 'gateway', labels: { action: 'BootNotification' }, level: 0.3, shifts: [{ at: 100.5, to: 9 }] },
        { metric: 'ocpp_messages_per_second', service: 'gateway', labels: { action: 'StatusNotification' }, level: 40, shifts: [{ at: 100.5, to: 90 }] },
        { metric: 'container_cpu_utilization_ratio', service: 'gateway', level: 0.55, noise: 0.02, shifts: [{ at: 100.5, to: 0.97 }] },
        { metric: 'http_error_ratio', service: 'sessions', level: 0.01, shifts: [{ at: 100.5, to: 0.2 }] },
      ],
      changes: [],
      logs: {
        gateway: [...every(0, 150, 1, 'info', 'heartbeat ok'), ...every(100, 150, 0.2, 'warn', 'charger disconnected: read deadline exceeded')],
        sessions: [...every(0, 150, 2, 'info', 'session started'), ...every(100.5, 150, 0.5, 'error', 'start failed: charger offline')],
      },
    });
    expect(verdict(r).category).not.toBe('capacity');
  });
});

describe('a label that names a query', () => {
  // The validator's database time is split by query; one query slowed and the logs name it.
  // A query is something the service does, not a party it calls: no dependency is named for it.
  it('is no dependency', async () => {
    const r = await run({
      alert: { title: 'validation p99 above 1.5s', service: 'gates', at: 104 },
      series: [
        { metric: 'validation_db_query_duration_seconds', service: 'gates', labels: { query: 'find_pass_by_media' }, level: 0.002, shifts: [{ at: 95, to: 0.78 }] },
        { metric: 'validation_db_query_duration_seconds', service: 'gates', labels: { query: 'find_staff_badge' }, level: 0.002 },
        { metric: 'http_request_duration_seconds_p99', service: 'gates', level: 0.01, shifts: [{ at: 95, to: 1.9 }] },
      ],
      changes: [],
      logs: { gates: [...every(0, 150, 1, 'info', 'gate opened'), ...every(95, 150, 0.3, 'warn', 'slow query find_pass_by_media took 812ms')] },
    });
    expect(verdict(r).category).not.toBe('dependency');
  });
});

describe('a release whose service got worse in the same minute as several others', () => {
  // The market opens at minute 95: the gateway (paged), the router and the quote feed all slow
  // in that minute. The feed released four minutes before; its diff shows nothing that could
  // harm. Its getting worse with everyone else is the open, not its release.
  it('is not blamed for it', async () => {
    const r = await run({
      alert: { title: 'order rejects above 2%', service: 'gateway', at: 101 },
      series: [
        { metric: 'order_reject_ratio', service: 'gateway', level: 0.002, shifts: [{ at: 95, to: 0.06 }] },
        { metric: 'order_ack_latency_seconds_p99', service: 'gateway', level: 0.03, shifts: [{ at: 95, to: 0.08 }] },
        { metric: 'route_latency_seconds_p99', service: 'router', level: 0.04, shifts: [{ at: 95, to: 0.4 }] },
        { metric: 'tick_to_publish_seconds_p99', service: 'feed', level: 0.002, shifts: [{ at: 95, to: 0.02 }] },
        { metric: 'process_cpu_cores', service: 'feed', level: 2, noise: 0.02, shifts: [{ at: 95, to: 5.5 }] },
        { metric: 'risk_check_seconds_p99', service: 'risk', level: 0.003, shifts: [{ at: 95, to: 0.02 }] },
      ],
      changes: [
        { id: 'deploy-5571', service: 'feed', type: 'deploy', at: 91, summary: 'feed: decode limit-up/limit-down bands', diff: patch('feed/luld.py', ['BANDS = {}'], ['BANDS = load_bands()']) },
      ],
      logs: {
        gateway: [...every(0, 150, 1, 'info', 'order accepted'), ...every(95, 150, 0.3, 'error', 'order rejected by router')],
        feed: every(0, 150, 1, 'info', 'tick published'),
      },
    });
    expect(verdict(r).change_id).toBeNull();
  });
});

describe('an undo judged on what the page fired on', () => {
  // At minute 90 the router's ack timeout is cut tenfold; at the open (96) venue latency rises
  // as it does every day, acks now time out and orders are rejected. The revert at 115 ends the
  // rejects while the open's latency stays high: the undo helped with what the page was about.
  it('counts as easing the symptoms, and names the change', async () => {
    const open = (level: number, to: number): Array<{ at: number; to: number }> => [{ at: 96, to }];
    const r = await run({
      alert: { title: 'OrderRejectRatioHigh', service: 'gateway', at: 102 },
      series: [
        { metric: 'order_reject_ratio', service: 'gateway', level: 0.002, shifts: [{ at: 96, to: 0.12 }, { at: 116, to: 0.003 }] },
        { metric: 'order_ack_latency_seconds_p99', service: 'gateway', level: 0.03, shifts: open(0.03, 0.4) },
        { metric: 'orders_received_per_second', service: 'gateway', level: 40, shifts: open(40, 110) },
        { metric: 'order_ack_latency_seconds_p50', service: 'gateway', level: 0.01, shifts: open(0.01, 0.12) },
        { metric: 'gateway_cpu_utilization_ratio', service: 'gateway', level: 0.5, noise: 0.01, shifts: open(0.5, 0.97) },
        { metric: 'child_orders_per_second', service: 'router', level: 60, shifts: [{ at: 96, to: 190 }, { at: 116, to: 80 }] },
        { metric: 'venue_ack_latency_seconds_p99', service: 'router', level: 0.045, shifts: open(0.045, 0.38) },
      ],
      changes: [
        { id: 'cfg-2207', service: 'router', type: 'config', at: 90, summary: 'tighten child ack handling', diff: patch('sor/routing.yaml', ['  child_ack_timeout_ms: 2000'], ['  child_ack_timeout_ms: 200']) },
        { id: 'cfg-2209', service: 'router', type: 'config', at: 115, summary: 'revert cfg-2207', attributes: { reverts: 'cfg-2207' }, diff: patch('sor/routing.yaml', ['  child_ack_timeout_ms: 200'], ['  child_ack_timeout_ms: 2000']) },
      ],
      logs: {
        router: [...every(0, 150, 1, 'info', 'child order acked'), ...every(96, 115, 0.2, 'warn', 'child ack timeout, cancelling and rerouting')],
        gateway: [...every(0, 150, 1, 'info', 'order accepted'), ...every(96.5, 115, 0.3, 'error', 'order rejected by router')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'config', service: 'router', change_id: 'cfg-2207' });
  });
});

describe('a release after which what each request carries grew a little', () => {
  // The label service releases at minute 88 (a log field); from minute 90 its labels are a
  // quarter bigger, and from minute 91 the packing API (paged) fails its label calls. A
  // payload a quarter bigger is work per request, weighed as a mechanism on its own terms
  // (half again at least), not harm the release did.
  it('is not blamed for it', async () => {
    const r = await run({
      alert: { title: 'packing-api 5xx above 2%', service: 'packing-api', at: 97 },
      series: [
        { metric: 'http_error_ratio', service: 'packing-api', level: 0.002, shifts: [{ at: 91, to: 0.07 }] },
        { metric: 'http_request_duration_seconds_p99', service: 'packing-api', level: 0.2, shifts: [{ at: 91, to: 2.4 }] },
        { metric: 'label_payload_bytes', service: 'label-service', labels: { quantile: '0.5' }, level: 6200, noise: 0.01, shifts: [{ at: 90, to: 7900 }] },
        { metric: 'http_requests_per_second', service: 'label-service', level: 40, noise: 0.03 },
      ],
      changes: [
        { id: 'dep-512', service: 'label-service', type: 'deploy', at: 88, summary: 'label-service 5.1.2: log the carrier code', diff: patch('label/render.py', ['log.info("label rendered")'], ['log.info("label rendered", carrier=carrier.code)']) },
      ],
      logs: {
        'packing-api': [...every(0, 150, 1, 'info', 'parcel packed'), ...every(91, 150, 0.3, 'error', 'label call failed: upstream connect error')],
        'label-service': every(0, 150, 1, 'info', 'label rendered'),
      },
    });
    expect(verdict(r).change_id).toBeNull();
  });
});

describe("the paged service's own calls out to a peer", () => {
  // At minute 95 the upload gateway's retries to the object store climb from nothing as its
  // writes fail, and the store throttles everyone; it had put a canary in three minutes before.
  // A series of the paged service that names the store counts its calls out, not the store's
  // calls in: the canary's case is its timing and its place, not a flood.
  it('are no flood from that peer', async () => {
    const r = await run({
      alert: { title: 'upload-gw 5xx above 2%', service: 'upload-gw', at: 101 },
      series: [
        { metric: 'objgw_client_retries_per_second', service: 'upload-gw', level: 0.1, noise: 0.2, shifts: [{ at: 95, to: 30 }] },
        { metric: 'http_5xx_ratio', service: 'upload-gw', level: 0.001, shifts: [{ at: 95, to: 0.05 }] },
        { metric: 'http_requests_per_second', service: 'upload-gw', level: 120, noise: 0.03 },
        { metric: 'objgw_throttled_per_second', service: 'objgw', labels: { client: 'thumbs' }, level: 0.2, noise: 0.2, shifts: [{ at: 95, to: 200 }] },
      ],
      changes: [
        { id: 'rel-716', service: 'objgw', type: 'deploy', at: 92, summary: 'objgw 2.30.0 canary', diff: patch('objgw/server.go', ['\tlog.Info("started")'], ['\tlog.Info("started", "version", version)']) },
      ],
      logs: {
        'upload-gw': [...every(0, 150, 2, 'info', 'part stored'), ...every(95.5, 150, 0.3, 'error', 'part upload failed after 3 retries: 503 SlowDown')],
      },
    });
    expect(verdict(r).change_id).toBeNull();
  });
});

describe('work that rose from nothing as a release rolled out', () => {
  // The encoder's release at minute 93 samples a quality score on the side: a series that was
  // nothing before it. The evening's uploads nearly double from minute 95 and the encoder's
  // queue piles up. That new series puts the encoder on the causal path; it is not a second
  // finding against the release as well.
  it('is counted once, and does not name the release on its own', async () => {
    const r = await run({
      alert: { title: 'EncodeQueueWaitHigh', service: 'encode-scheduler', at: 104 },
      series: [
        { metric: 'quality_samples_per_minute', service: 'encoder', level: 0, shifts: [{ at: 94, to: 12 }] },
        { metric: 'encode_jobs_submitted_per_second', service: 'encode-scheduler', level: 1.6, noise: 0.03, shifts: [{ at: 95, to: 3.0 }] },
        { metric: 'audio_jobs_per_second', service: 'audio-norm', level: 1.5, noise: 0.03, shifts: [{ at: 95, to: 2.8 }] },
        { metric: 'encode_queue_depth', service: 'encode-scheduler', level: 0.3, shifts: [{ at: 96, to: 2000 }] },
        { metric: 'encode_wait_seconds_p95', service: 'encode-scheduler', level: 4, shifts: [{ at: 96.5, to: 600 }] },
      ],
      changes: [
        { id: 'dep-9146', service: 'encoder', type: 'deploy', at: 93, summary: 'encoder 4.9: sample a quality score on 1% of frames', diff: patch('encoder/quality.go', ['\tsampleRate := 0.0'], ['\tsampleRate := 0.01']) },
      ],
      logs: {
        'encode-scheduler': [...every(0, 150, 2, 'info', 'job dispatched'), ...every(96.5, 150, 0.5, 'warn', 'no free GPU slot, job queued')],
      },
    });
    expect(verdict(r).change_id).toBeNull();
  });
});

describe('a config read at start-up, put into effect by the next release', () => {
  // At minute 20 the comments service's config grows its page batch tenfold; the service reads
  // its config only when it starts, so nothing moves. The release at minute 90 (a logging
  // library bump) restarts it: from then each response is eight times the bytes and the
  // latency climbs. The release is the occasion; the config is the change.
  const spec = (configEdit: boolean): Omit<BundleSpec, 'start' | 'minutes'> => ({
    alert: { title: 'comments-api p99 above 1.5s', service: 'comments-api', at: 104 },
    series: [
      { metric: 'http_response_size_bytes', service: 'comments-api', labels: { quantile: '0.5' }, level: 27_000, noise: 0.02, shifts: [{ at: 91.5, to: 212_000 }] },
      { metric: 'http_request_duration_seconds_p99', service: 'comments-api', level: 0.3, noise: 0.03, shifts: [{ at: 92, to: 1.9 }] },
      { metric: 'http_requests_per_second', service: 'comments-api', level: 200, noise: 0.03 },
    ],
    changes: [
      {
        id: 'cfg-2c91',
        service: 'comments-api',
        type: 'config',
        at: 20,
        summary: 'comments-api: fewer round trips for long threads',
        diff: patch('deploy/comments-api/configmap.yaml', ['  batchSize: 50'], [configEdit ? '  batchSize: 500' : '  batchSize: 50', '  # tuned for long threads']),
      },
      { id: 'rel-3190', service: 'comments-api', type: 'deploy', at: 90, summary: 'comments-api 31.9: logging library patch bump', diff: patch('package.json', ['    "pino": "9.3.1",'], ['    "pino": "9.3.2",']) },
    ],
    logs: { 'comments-api': [...every(0, 150, 2, 'info', 'thread served'), ...every(92, 150, 0.5, 'warn', 'slow thread read')] },
  });

  it('is named, not the release that restarted the service', async () => {
    const r = await run(spec(true));
    expect(verdict(r)).toEqual({ category: 'config', service: 'comments-api', change_id: 'cfg-2c91' });
  });

  it('leaves the release standing when the config changed nothing that could harm', async () => {
    const r = await run(spec(false));
    expect(verdict(r).change_id).not.toBe('cfg-2c91');
  });
});
