// A host failure belongs to what runs on the host. When one node's clock jumps, the
// services that log the failure are the verifiers refusing tokens stamped in the future;
// the cause is the issuer whose pod runs on that node. The node is the one whose own clock
// metrics moved; what runs there is read from series labels and from log lines naming it.
import { describe, expect, it } from 'vitest';
import { hostOf } from '../../src/brains/triage/placement.js';
import { type Run, syntheticRunner } from './helpers.js';
import { every, patch, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2034-05-02T06:00:00Z';

const run = syntheticRunner('placement', { start: START, minutes: 150 });

const verdict = (r: Run): { category?: string; service?: string | null } => ({ category: r.diagnosis?.root_cause.category, service: r.diagnosis?.root_cause.service });

const REFUSED = 'rejected bearer token: token is not valid yet (iat in the future)';

/** Two verifiers refuse tokens from `from` on; the issuer logs as usual. */
function logs(from: number, issuerFields: Record<string, string> | undefined): BundleSpec['logs'] {
  return {
    'ledger-gw': [...every(0, 150, 2, 'info', 'request served'), ...every(from, 150, 0.5, 'warn', REFUSED)],
    'audit-trail': [...every(1, 150, 2, 'info', 'event stored'), ...every(from + 0.2, 150, 1, 'warn', REFUSED)],
    'stamp-issuer': every(0, 150, 1, 'info', 'token minted', issuerFields),
  };
}

function series(clockShifts: SeriesSpec['shifts'], placed: boolean): SeriesSpec[] {
  const out: SeriesSpec[] = [
    { metric: 'http_requests_total', service: 'ledger-gw', labels: { code: '401' }, level: 0.2, counter: true, shifts: [{ at: 95, to: 9 }] },
    { metric: 'http_requests_total', service: 'ledger-gw', labels: { code: '200' }, level: 40, counter: true },
    { metric: 'http_requests_total', service: 'audit-trail', labels: { code: '401' }, level: 0.1, counter: true, shifts: [{ at: 95, to: 4 }] },
    { metric: 'tokens_minted_total', service: 'stamp-issuer', level: 12, counter: true },
  ];
  if (!placed) return out;
  return [
    ...out,
    { metric: 'node_clock_offset_seconds', service: '', labels: { instance: 'wk-17.prod.internal:9100' }, level: 0.002, noise: 0.2, shifts: clockShifts },
    { metric: 'node_clock_offset_seconds', service: '', labels: { instance: 'wk-12.prod.internal:9100' }, level: 0.002, noise: 0.2 },
    { metric: 'kube_pod_info', service: 'stamp-issuer', labels: { node: 'wk-17', pod: 'stamp-issuer-7f9c-x2' }, level: 1, noise: 0 },
    { metric: 'kube_pod_info', service: 'ledger-gw', labels: { node: 'wk-12', pod: 'ledger-gw-55d1-q8' }, level: 1, noise: 0 },
  ];
}

// A release of the paged verifier shortly before, harmless by its diff: the decoy.
const decoy = { id: 'rel-88', service: 'ledger-gw', type: 'deploy', at: 84, summary: 'ledger-gw: wording of the receipts page', diff: patch('web/receipt.ts', ["  title: 'Receipt'"], ["  title: 'Your receipt'"]) };

describe('a host whose clock jumped', () => {
  it('is the fault of the issuer placed on it, not of the verifiers that log the refusals', async () => {
    const r = await run({
      alert: { title: 'ledger-gw 401 ratio above 5%', service: 'ledger-gw', at: 105 },
      series: series([{ at: 95, to: 140 }], true),
      changes: [decoy],
      logs: logs(95, undefined),
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'stamp-issuer' });
    expect(JSON.stringify(r.diagnosis?.evidence)).toContain('kube_pod_info');
  });

  it('is placed on the measured workload, though the host\'s own daemons log its name too', async () => {
    // The kubelet, chronyd and the kernel each log lines naming wk-17: four names on the host,
    // of which only the issuer is a workload the bundle measures. The node exporter's own
    // clock series (its `service`) would otherwise take the blame.
    const daemons: BundleSpec['logs'] = {
      kubelet: every(0, 150, 20, 'info', 'kubelet: node wk-17 status Ready, pods=31'),
      chronyd: every(94, 150, 30, 'warn', "chronyd: wk-17: Can't synchronise: no selectable sources"),
      kernel: every(94.5, 95, 1, 'warn', "kernel: wk-17: clocksource: Marking clocksource 'kvm-clock' as unstable"),
    };
    const r = await run({
      alert: { title: 'ledger-gw 401 ratio above 5%', service: 'ledger-gw', at: 105 },
      series: series([{ at: 95, to: 140 }], true).map((x) => (x.service === '' ? { ...x, service: 'node-exporter' } : x)),
      changes: [decoy],
      logs: { ...logs(95, undefined), ...daemons },
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'stamp-issuer' });
  });

  it('is placed by the pod a series names, though the series belongs to the exporter that scraped it', async () => {
    // kube-state-metrics reports every pod's node; its `job` makes it the series' service.
    const scraped = series([{ at: 95, to: 140 }], true).map((s) => (s.metric === 'kube_pod_info' ? { ...s, service: 'kube-state-metrics', labels: { ...s.labels, created_by_name: `${s.service}-7f9c` } } : s));
    const r = await run({ alert: { title: 'ledger-gw 401 ratio above 5%', service: 'ledger-gw', at: 105 }, series: scraped, changes: [decoy], logs: logs(95, undefined) });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'stamp-issuer' });
  });

  it('is placed by the issuer’s own log lines naming the node when no series does', async () => {
    const r = await run({
      alert: { title: 'ledger-gw 401 ratio above 5%', service: 'ledger-gw', at: 105 },
      series: series([{ at: 95, to: 140 }], true).filter((s) => s.metric !== 'kube_pod_info'),
      changes: [decoy],
      logs: logs(95, { node: 'wk-17', pod: 'stamp-issuer-7f9c-x2' }),
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'stamp-issuer' });
  });

  it('dates the failure by the clock when the refusals begin only once the drift passes the leeway', async () => {
    const r = await run({
      alert: { title: 'ledger-gw 401 ratio above 5%', service: 'ledger-gw', at: 118 },
      series: series([{ at: 60, to: 3 }, { at: 80, to: 6 }, { at: 100, to: 9 }], true),
      changes: [decoy],
      logs: logs(110, undefined),
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'stamp-issuer' });
  });

  it('stays with the services that log it when nothing says which host it is', async () => {
    const r = await run({
      alert: { title: 'ledger-gw 401 ratio above 5%', service: 'ledger-gw', at: 105 },
      series: series(undefined, false),
      changes: [decoy],
      logs: logs(95, undefined),
    });
    expect(verdict(r).service).not.toBe('stamp-issuer');
  });
});

describe('the host a label names', () => {
  it('drops the port and the domain, keeps an address whole, and refuses names without an index', () => {
    expect(hostOf('ip-10-31-14-207.eu-central-1.compute.internal:9100')).toBe('ip-10-31-14-207');
    expect(hostOf('10.0.3.4:9100')).toBe('10.0.3.4');
    expect(hostOf('wk-17')).toBe('wk-17');
    expect(hostOf('payments-db')).toBeNull();
    // A machine's full name, or a name with a port, names a machine whatever it looks like.
    expect(hostOf('routes-db-a.ridewatch.internal')).toBe('routes-db-a');
    expect(hostOf('db-primary:9100')).toBe('db-primary');
    expect(hostOf('api.payments.example')).toBe('api');
  });

  it('takes any name under a key that only holds a machine, a Kubernetes node', () => {
    expect(hostOf('scada-node-c', true)).toBe('scada-node-c');
    expect(hostOf('scada-node-c')).toBeNull();
  });
});

describe("a database whose primary's disk fails during the morning ramp", () => {
  // The morning ramp lifts traffic 2.7-fold. At 95 the disk under routes-db's primary stalls:
  // its kernel logs NVMe timeouts, its write latency is three hundred times, commits fall to a
  // tenth while connections pile up. The node exporter's series are filed under routes-db and
  // carry the machine's full name. Busy as the morning is, the database was not overrun: it
  // did a tenth of its work.
  it('is the infrastructure of the database, not load beyond it', async () => {
    const host = 'routes-db-a.fleet.internal';
    const r = await run({
      alert: { title: 'parent-app 503s', service: 'parent-app', at: 104 },
      series: [
        { metric: 'http_server_requests_per_second', service: 'parent-app', level: 100, shifts: [{ at: 93, to: 270 }] },
        { metric: 'http_server_requests_per_second', service: 'eta-service', level: 60, shifts: [{ at: 93, to: 160 }] },
        { metric: 'http_server_error_ratio', service: 'parent-app', level: 0.002, shifts: [{ at: 95.5, to: 0.2 }] },
        { metric: 'pg_stat_activity_count', service: 'routes-db', labels: { state: 'active' }, level: 30, shifts: [{ at: 95, to: 200 }] },
        { metric: 'pg_stat_database_xact_commit_per_second', service: 'routes-db', level: 4000, shifts: [{ at: 95, to: 400 }] },
        { metric: 'node_disk_write_latency_seconds', service: 'routes-db', labels: { instance: host, device: 'nvme1n1' }, level: 0.001, shifts: [{ at: 95, to: 0.36 }] },
        { metric: 'node_disk_io_time_ratio', service: 'routes-db', labels: { instance: host, device: 'nvme1n1' }, level: 0.18, noise: 0.02, shifts: [{ at: 95, to: 0.95 }] },
      ],
      changes: [{ id: 'rel-1881', service: 'eta-service', type: 'deploy', at: 92, summary: 'eta-service: smoothing constant for arrival estimates' }],
      logs: {
        'routes-db-a-kern': [...every(0, 150, 5, 'info', '[routes-db-a] systemd: Started session'), ...every(94.9, 150, 0.5, 'error', '[routes-db-a] nvme nvme1: I/O 939 QID 6 timeout, completion polled')],
        'routes-db': [...every(0, 150, 2, 'info', 'checkpoint complete'), ...every(95.2, 150, 0.5, 'warn', 'duration: 4199.1 ms  statement: INSERT INTO position_fix VALUES ($1, $2)')],
        'parent-app': [...every(0, 150, 2, 'info', 'request ok'), ...every(95.5, 150, 0.5, 'error', 'eta lookup failed: upstream 503')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'routes-db' });
  });
});

describe("a gateway host whose network card loses its link", () => {
  // The PLC gateway's host edge-gw-02 flaps its NIC from 95: the kernel says so, Modbus reads
  // through it time out. The line controller (paged) logs each timed-out command with the
  // gateway it called (`gateway=edge-gw-02`): it calls that host, it does not run on it.
  it('is the infrastructure of the gateway on that host, not of the caller that names it', async () => {
    const r = await run({
      alert: { title: 'line-control 504s', service: 'line-control', at: 104 },
      series: [
        { metric: 'modbus_request_timeouts_per_second', service: 'plc-gateway', labels: { host: 'edge-gw-02' }, level: 0.002, shifts: [{ at: 95, to: 5 }] },
        { metric: 'modbus_request_timeouts_per_second', service: 'plc-gateway', labels: { host: 'edge-gw-01' }, level: 0.002 },
        { metric: 'node_network_receive_errs_per_second', service: 'plc-gateway', labels: { host: 'edge-gw-02', device: 'eno2' }, level: 0.01, shifts: [{ at: 95, to: 33 }] },
        { metric: 'http_request_error_ratio', service: 'line-control', level: 0.002, shifts: [{ at: 95.5, to: 0.07 }] },
      ],
      changes: [{ id: 'rel-1290', service: 'line-control', type: 'deploy', at: 91, summary: 'line-control: ticket template wording' }],
      logs: {
        'edge-gateways-syslog': [...every(0, 150, 5, 'info', '[edge-gw-01] systemd: Started session'), ...every(94.9, 150, 2, 'error', '[edge-gw-02] kernel: ixgbe 0000:03:00.1 eno2: NIC Link is Down')],
        'line-control': [...every(0, 150, 2, 'info', 'cure cycle started'), ...every(95.5, 150, 0.5, 'error', 'cure cycle command timed out press=P11 gateway=edge-gw-02 timeout_ms=3000')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'plc-gateway' });
  });
});

describe('a node whose network card fails under a cache primary and one replica of a relay', () => {
  // From 95 the NIC of node ip-10-7-3-41 drops transmits and resets itself. The node carries the
  // primary of the menu cache and one of three replicas of the display relay: both are measured
  // there and both see the packet loss. The menu service (which the paged sync calls) times out
  // on the cache and reconnects to it; nobody reports losing the relay. The page follows the
  // workload that others lost, not every workload that shared the host.
  const nodeOf = (i: number): string => `ip-10-7-${i}-41`;
  const bundle: Parameters<typeof run>[0] = {
    alert: { title: 'pos-sync menu sync failures above 10%', service: 'pos-sync', at: 106 },
    series: [
      ...[0, 1, 2].map((i): SeriesSpec => ({ metric: 'redis_connected_clients', service: 'menu-cache', labels: { instance: `menu-cache-${i}`, node: nodeOf(i + 3) }, level: 40, noise: 0.05 })),
      ...[0, 1, 2].map((i): SeriesSpec => ({ metric: 'relay_sockets_open', service: 'display-relay', labels: { pod: `display-relay-5c-${i}`, node: nodeOf(i + 1) }, level: 200, noise: 0.05 })),
      { metric: 'node_netstat_tcp_retrans_segs_per_second', service: 'nodes', labels: { node: nodeOf(3) }, level: 4, shifts: [{ at: 95, to: 380 }] },
      { metric: 'node_netstat_tcp_retrans_segs_per_second', service: 'nodes', labels: { node: nodeOf(1) }, level: 4 },
      { metric: 'menu_cache_call_seconds_p99', service: 'menu-api', level: 0.003, shifts: [{ at: 95, to: 0.2 }] },
      { metric: 'http_error_ratio', service: 'display-relay', level: 0.001, shifts: [{ at: 95, to: 0.012 }] },
      { metric: 'sync_failure_ratio', service: 'pos-sync', level: 0.003, shifts: [{ at: 95.5, to: 0.2 }] },
    ],
    changes: [{ id: 'rel-3310', service: 'menu-api', type: 'deploy', at: 86, summary: 'menu-api: allergen labels in the menu payload' }],
    logs: {
      kernel: [
        ...every(0, 150, 5, 'info', `[${nodeOf(2)}] systemd: Started session`),
        ...every(95, 150, 2, 'warn', `[${nodeOf(3)}] kernel: ena 0000:00:06.0 eth0: Found a Tx that wasn't completed on time, qid 0, index 521.`),
        ...every(95.1, 150, 2, 'error', `[${nodeOf(3)}] kernel: ena 0000:00:06.0 eth0: Trigger reset is on`),
      ],
      'menu-api': [
        ...every(0, 150, 1, 'info', 'menu served'),
        ...every(95.2, 150, 0.5, 'warn', 'Reconnecting, last destination was menu-cache-master.pos.svc/10.7.3.41:6379'),
        ...every(95.3, 150, 0.5, 'warn', 'cache command timed out, falling back to the database'),
      ],
      'display-relay': every(0, 150, 2, 'info', 'display socket opened', { node: nodeOf(3) }),
      'pos-sync': [...every(0, 150, 1, 'info', 'menu sync ok'), ...every(95.5, 150, 0.5, 'error', 'menu sync failed: menu-api 504')],
    },
  };

  it('is the infrastructure of the cache its callers lost, not of the relay beside it', async () => {
    expect(verdict(await run(bundle))).toEqual({ category: 'infrastructure', service: 'menu-cache' });
  });

  it('names the card in the remedy: move the workload off that node', async () => {
    const r = await run(bundle);
    expect(r.diagnosis?.remediation?.[0]?.action).toBe('failover');
    expect(JSON.stringify(r.diagnosis?.remediation)).toContain(nodeOf(3));
  });
});

describe('a host whose disk fails', () => {
  it('is the fault of the cache node on it, named by the node kernel log and the series labels', async () => {
    const shard = (instance: string, node: string, failing: boolean): SeriesSpec[] => [
      { metric: 'shardcache_errors_per_second', service: 'shard-cache', labels: { instance, node }, level: 0.05, shifts: failing ? [{ at: 95, to: 40 }] : [] },
      { metric: 'node_disk_read_latency_seconds', service: 'shard-cache', labels: { instance, node, device: 'nvme1n1' }, level: 0.0004, shifts: failing ? [{ at: 95, to: 0.9 }] : [] },
    ];
    const r = await run({
      alert: { title: 'map-api 503s', service: 'map-api', at: 104 },
      series: [
        ...shard('shard-cache-0', 'ip-10-4-1-22', false),
        ...shard('shard-cache-1', 'ip-10-4-1-23', false),
        ...shard('shard-cache-2', 'ip-10-4-2-17', true),
        { metric: 'http_error_ratio', service: 'map-api', level: 0.002, shifts: [{ at: 95.5, to: 0.3 }] },
      ],
      changes: [{ id: 'rel-8841', service: 'map-api', type: 'deploy', at: 91, summary: 'map-api: style JSON for the night theme' }],
      logs: {
        'kernel-ip-10-4-2-17': [...every(0, 150, 5, 'info', 'systemd: Started session'), ...every(94.8, 150, 0.5, 'error', 'blk_update_request: I/O error, dev nvme1n1, sector 17319108 op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 0')],
        'map-api': [...every(0, 150, 2, 'info', 'tile served'), ...every(95.6, 150, 0.5, 'error', 'upstream shard-cache-2 failed: read timeout')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'shard-cache' });
  });
});

describe('a host no label places', () => {
  it('is the failure of the service whose own disk metrics went wrong with it, not of the journal that logged it', async () => {
    const r = await run({
      alert: { title: 'alarm-engine stale stations above 20', service: 'alarm-engine', at: 104 },
      series: [
        { metric: 'node_disk_io_time_seconds_per_second', service: 'mq-broker', labels: { pod: 'mq-broker-0', device: 'nvme1n1' }, level: 0.07, shifts: [{ at: 95, to: 0.95 }] },
        { metric: 'mqtt_puback_latency_seconds_p99', service: 'mq-broker', labels: { pod: 'mq-broker-0' }, level: 0.015, shifts: [{ at: 95, to: 8.6 }] },
        { metric: 'alarm_stations_stale', service: 'alarm-engine', level: 2, shifts: [{ at: 96, to: 140 }] },
      ],
      changes: [{ id: 'rel-77', service: 'alarm-engine', type: 'deploy', at: 90, summary: 'alarm-engine: SMS wording' }],
      logs: {
        'ip-10-12-2-47': [
          ...every(0, 150, 5, 'info', 'systemd: Started session'),
          ...every(95, 150, 0.2, 'error', 'kernel: nvme nvme1: I/O 311 QID 2 timeout, aborting'),
          ...every(96, 150, 0.5, 'error', 'kernel: INFO: task mosquitto:881 blocked for more than 120 seconds.'),
        ],
        'alarm-engine': [...every(0, 150, 2, 'info', 'scan done'), ...every(96, 150, 0.5, 'warn', 'station stale: no telemetry for 400s broker_hint=mq-broker-0')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'mq-broker' });
  });
});

describe('a file server that stops answering', () => {
  it('is the storage under the service whose I/O wait and NFS round trips moved with it', async () => {
    const r = await run({
      alert: { title: 'results delivery delay above 10 min', service: 'results-portal', at: 106 },
      series: [
        { metric: 'nfs_client_rpc_rtt_seconds_p99', service: 'msg-router', labels: { server: 'nas-01', op: 'COMMIT' }, level: 0.002, shifts: [{ at: 95, to: 1.9 }] },
        { metric: 'node_cpu_iowait_ratio', service: 'msg-router', labels: { instance: 'int-01' }, level: 0.01, shifts: [{ at: 95, to: 0.56 }] },
        { metric: 'msg_queue_depth', service: 'msg-router', level: 15, shifts: [{ at: 96, to: 4800 }] },
        { metric: 'results_delivery_delay_seconds_p95', service: 'results-portal', level: 40, shifts: [{ at: 97, to: 900 }] },
      ],
      changes: [{ id: 'rel-229', service: 'results-portal', type: 'deploy', at: 99, summary: 'results-portal: print layout' }],
      logs: {
        'int-01-kernel': [...every(0, 150, 10, 'info', 'systemd: Started session'), ...every(95.2, 150, 20, 'warn', 'kernel: nfs: server nas-01 not responding, still trying')],
        'msg-router': [...every(0, 150, 2, 'info', 'message routed'), ...every(95.5, 150, 0.5, 'warn', 'store write took 3100ms')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'msg-router' });
  });
});

describe('a host whose journal fills the page', () => {
  it('is placed by the workload that names the host in its own lines, not by the journal or the peers its messages mention', async () => {
    // The node's kernel journal (read first) names the host on every line, well over a page of
    // them; the store's own JSON lines carry `host`, and their messages name a keyspace that
    // shares its name with another service.
    const journal = [
      ...every(0, 150, 0.5, 'info', 'kernel: TCP: request_sock_TCP: possible SYN flooding on port 7000 (host=store-node-4)'),
      ...every(95, 150, 0.5, 'warn', 'kernel: nvme nvme1: I/O 878 QID 3 timeout, aborting (host=store-node-4)'),
    ];
    const r = await run({
      alert: { title: 'profile-api timeouts', service: 'profile-api', at: 106 },
      series: [
        { metric: 'node_disk_io_time_ratio', service: 'node-exporter', labels: { instance: 'store-node-4:9100', device: 'nvme1n1' }, level: 0.1, noise: 0.02, shifts: [{ at: 95, to: 1 }] },
        { metric: 'node_disk_io_time_ratio', service: 'node-exporter', labels: { instance: 'store-node-2:9100', device: 'nvme1n1' }, level: 0.1, noise: 0.02 },
        { metric: 'store_read_latency_seconds_p99', service: 'profile-store', level: 0.004, shifts: [{ at: 95.5, to: 0.35 }] },
        { metric: 'http_request_duration_seconds_p99', service: 'profile-api', level: 0.05, shifts: [{ at: 96, to: 2 }] },
        { metric: 'http_requests_per_second', service: 'ledger', level: 30 },
      ],
      changes: [],
      logs: {
        'a-node-journal': journal,
        'profile-store': every(0, 150, 1, 'info', 'compacted sstable of keyspace ledger', { host: 'store-node-4' }),
        'profile-api': [...every(0, 150, 2, 'info', 'profile served'), ...every(96.2, 150, 0.5, 'error', 'query timed out after 2s (coordinator store-node-4)')],
      },
    });
    expect(verdict(r)).toEqual({ category: 'infrastructure', service: 'profile-store' });
  });
});
