// A small service exporter for the live tests: checkout and payments, each at
// /<service>/metrics in the Prometheus text format, with traffic simulated from a clock
// (requests per second, a latency histogram, status codes, a DB pool), so each scrape sees
// counters that grow as real ones do.
//
// An incident is read over tens of minutes, and a test has seconds: the exporter first
// replays its recent history fast. Each scrape during the replay moves that service's own
// clock on by `replayStepMs` and stamps its samples with that time (the text format's
// explicit timestamps, which Prometheus honours), until the clock reaches the present;
// from then on samples are live. Checkout's DB pool is cut from 40 to 8 at `degradeAt`:
// requests queue for a connection, latency climbs and some time out with 500s.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const BOUNDS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Share of requests at or under each bound (then +Inf = 1). */
const HEALTHY = [0.3, 0.7, 0.95, 0.995, 1, 1, 1, 1];
const DEGRADED = [0.01, 0.02, 0.04, 0.08, 0.15, 0.45, 0.93, 0.97];
const RPS = 40;

type Service = 'checkout' | 'payments';

interface ServiceState {
  /** This service's clock: epoch ms of its last sample. */
  clock: number;
  buckets: number[];
  count: number;
  sum: number;
  ok: number;
  failed: number;
  clientOk: number;
  clientFailed: number;
}

export interface ExporterOptions {
  /** How far back the replayed history starts. */
  historyMs: number;
  /** Simulated time per scrape while replaying. */
  replayStepMs: number;
  /** When checkout's pool is cut (epoch ms); null: never. */
  degradeAt: number | null;
}

export class TestExporter {
  #server: Server | null = null;
  readonly #options: ExporterOptions;
  readonly #state: Record<Service, ServiceState>;
  /** Epoch ms from which checkout is healthy again; null: not yet. */
  #recoveredAt: number | null = null;
  port = 0;

  constructor(options: ExporterOptions) {
    this.#options = options;
    const start = Date.now() - options.historyMs;
    const fresh = (): ServiceState => ({ clock: start, buckets: BOUNDS.map(() => 0), count: 0, sum: 0, ok: 0, failed: 0, clientOk: 0, clientFailed: 0 });
    this.#state = { checkout: fresh(), payments: fresh() };
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      const service: Service | null = req.url?.startsWith('/checkout/') ? 'checkout' : req.url?.startsWith('/payments/') ? 'payments' : null;
      if (service === null) {
        res.writeHead(404).end();
        return;
      }
      const stamp = this.#advance(service);
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(this.#text(service, stamp));
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
  }

  /** Whether both services' clocks have reached the present. */
  live(): boolean {
    const now = Date.now();
    return Object.values(this.#state).every((state) => state.clock >= now - this.#options.replayStepMs);
  }

  recover(): void {
    this.#recoveredAt = Date.now();
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #degraded(at: number): boolean {
    const { degradeAt } = this.#options;
    return degradeAt !== null && at >= degradeAt && (this.#recoveredAt === null || at < this.#recoveredAt);
  }

  /** Moves a service's clock on and counts what happened; the explicit timestamp to stamp, or null when live. */
  #advance(service: Service): number | null {
    const state = this.#state[service];
    const now = Date.now();
    const replaying = state.clock + this.#options.replayStepMs < now;
    const next = replaying ? state.clock + this.#options.replayStepMs : now;
    const seconds = Math.max(0, (next - state.clock) / 1000);
    state.clock = next;
    const requests = RPS * seconds;
    // Payments itself stays healthy: the fault is checkout's own pool.
    const bad = service === 'checkout' && this.#degraded(next);
    (bad ? DEGRADED : HEALTHY).forEach((share, index) => (state.buckets[index] = (state.buckets[index] ?? 0) + share * requests));
    state.count += requests;
    state.sum += requests * (bad ? 1.4 : 0.06);
    const errorShare = bad ? 0.08 : 0.002;
    state.failed += requests * errorShare;
    state.ok += requests * (1 - errorShare);
    state.clientOk += requests * 0.999;
    state.clientFailed += requests * 0.001;
    return replaying ? next : null;
  }

  #text(service: Service, stamp: number | null): string {
    const s = this.#state[service];
    const at = stamp === null ? '' : ` ${stamp}`;
    const lines = [
      '# HELP http_request_duration_seconds Time to serve a request.',
      '# TYPE http_request_duration_seconds histogram',
      ...BOUNDS.map((le, i) => `http_request_duration_seconds_bucket{le="${le}"} ${(s.buckets[i] ?? 0).toFixed(0)}${at}`),
      `http_request_duration_seconds_bucket{le="+Inf"} ${s.count.toFixed(0)}${at}`,
      `http_request_duration_seconds_sum ${s.sum.toFixed(3)}${at}`,
      `http_request_duration_seconds_count ${s.count.toFixed(0)}${at}`,
      '# HELP http_requests_total Requests served, by status code.',
      '# TYPE http_requests_total counter',
      `http_requests_total{code="200"} ${s.ok.toFixed(0)}${at}`,
      `http_requests_total{code="500"} ${s.failed.toFixed(0)}${at}`,
    ];
    if (service === 'checkout') {
      const bad = this.#degraded(s.clock);
      lines.push(
        '# HELP db_pool_max_open_connections The pool size.',
        '# TYPE db_pool_max_open_connections gauge',
        `db_pool_max_open_connections ${bad ? 8 : 40}${at}`,
        '# HELP db_pool_in_use_connections Connections in use.',
        '# TYPE db_pool_in_use_connections gauge',
        `db_pool_in_use_connections ${bad ? 8 : 9}${at}`,
        '# HELP payments_client_requests_total Calls to other services.',
        '# TYPE payments_client_requests_total counter',
        `payments_client_requests_total{upstream="payments",code="200"} ${s.clientOk.toFixed(0)}${at}`,
        `payments_client_requests_total{upstream="payments",code="500"} ${s.clientFailed.toFixed(0)}${at}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
}
