// Which queries to run for a service, chosen from the series the server actually has, by
// Prometheus conventions rather than from a list of metric names: a histogram
// (`x_bucket` with `le`) gives its p50/p95/p99 through histogram_quantile over the rate of
// its buckets; a counter (`_total`, or typed counter) gives its rate, split by a status
// label when it has one, plus its error ratio; a gauge and a summary are read as they are.
// RED signals (rate, errors, duration) rank first, USE signals (utilisation, saturation)
// next, the rest after, so a cap on the number of queries drops the least telling.

export type Labels = Readonly<Record<string, string>>;

export interface SignalQuery {
  /** Bundle path of the result: `metrics/<service>/<name>.json`; its base name names a derived series. */
  file: string;
  query: string;
  service: string;
  /** Lower is more telling; queries run (and survive a cap) in this order. */
  rank: number;
}

export interface ServiceSeries {
  service: string;
  /** The label that carries the service name on its series: service, job or app. */
  label: string;
  series: readonly Labels[];
}

/** Labels that name a single process or a bound, never kept when summing a family. */
const PER_INSTANCE = new Set(['instance', 'pod', 'pod_name', 'container', 'node', 'host', 'hostname', 'id', 'uid', 'le', 'quantile', 'job', 'app', 'service', 'namespace', 'endpoint', 'exported_job', 'exported_instance']);
/** A label with at most this many values may split a sum (status codes, upstreams, methods). */
const SMALL_LABEL = 5;
const STATUS_LABELS = ['code', 'status', 'status_code', 'response_code', 'http_status', 'grpc_code', 'outcome', 'result'];
/** Status values that are failures, as a PromQL regex (RE2, anchored by =~). */
const BAD_STATUS = '5..|5xx|(?i:error|errors|err|fail|failed|failure|timeout|unavailable|internal|deadlineexceeded|unknown|aborted)';
/** Names whose series are bookkeeping, not behaviour. */
const NOT_SIGNALS = /(^scrape_|_created$|_info$|_timestamp(_seconds)?$|start_time_seconds$|^promhttp_|^prometheus_)/;
const LATENCY_WORDS = /(duration|latency|_seconds|_ms|elapsed|wait|time)/;
const ERROR_WORDS = /(error|fail|exception|timeout|reject|drop|panic|retr|refused|unavailable)/;
const REQUEST_WORDS = /(request|call|quer|rpc|operation|message|job|order|payment|transaction)/;
const SATURATION_WORDS = /(pool|queue|conn|inflight|in_flight|active|pending|thread|goroutine|open_fds|fds|saturat|utiliz|usage|memory|resident|heap|cpu|busy|backlog|depth|lag)/;
const RUNTIME_NOISE = /^(go_gc_|go_memstats_|go_sched_|go_godebug|go_cgo|process_virtual_memory_max|process_max_fds|nodejs_|python_gc_)/;

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function selector(name: string, serviceLabel: string, service: string, extra = ''): string {
  return `${name}{${serviceLabel}=${quote(service)}${extra}}`;
}

/** Labels of a family small enough to split its sum by. */
function smallLabels(series: readonly Labels[], serviceLabel: string): string[] {
  const values = new Map<string, Set<string>>();
  for (const labels of series) {
    for (const [key, value] of Object.entries(labels)) {
      if (key === '__name__' || key === serviceLabel || PER_INSTANCE.has(key)) continue;
      let set = values.get(key);
      if (!set) values.set(key, (set = new Set()));
      set.add(value);
    }
  }
  return [...values].filter(([, set]) => set.size <= SMALL_LABEL).map(([key]) => key).sort();
}

function byClause(labels: readonly string[]): string {
  return `sum by (${labels.join(', ')})`;
}

interface Family {
  name: string;
  series: Labels[];
}

function families(series: readonly Labels[]): Map<string, Family> {
  const out = new Map<string, Family>();
  for (const labels of series) {
    const name = labels['__name__'];
    if (!name) continue;
    let family = out.get(name);
    if (!family) out.set(name, (family = { name, series: [] }));
    family.series.push(labels);
  }
  return out;
}

/** The queries for one service's series; `rangeSeconds` is the rate window. */
export function chooseSignals(target: ServiceSeries, types: ReadonlyMap<string, string>, rangeSeconds: number, rankOffset = 0): SignalQuery[] {
  const { service, label } = target;
  const byName = families(target.series);
  const consumed = new Set<string>();
  const queries: SignalQuery[] = [];
  const range = `[${rangeSeconds}s]`;
  const folder = `metrics/${service.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
  const add = (file: string, query: string, rank: number): void => {
    queries.push({ file: `${folder}/${file}.json`, query, service, rank: rank + rankOffset });
  };

  // Histograms: the buckets carry the latency distribution; _count and _sum add nothing after it.
  for (const family of byName.values()) {
    if (!family.name.endsWith('_bucket') || !family.series.some((labels) => 'le' in labels)) continue;
    const base = family.name.slice(0, -'_bucket'.length);
    for (const part of ['_bucket', '_count', '_sum', '_created']) consumed.add(`${base}${part}`);
    if (NOT_SIGNALS.test(base)) continue;
    const timed = LATENCY_WORDS.test(base);
    const buckets = `rate(${selector(family.name, label, service)}${range})`;
    for (const [q, suffix, rank] of [[0.99, 'p99', 0], [0.95, 'p95', 1], [0.5, 'p50', 3]] as const) {
      add(`${base}_${suffix}`, `histogram_quantile(${q}, sum by (le, ${label}) (${buckets}))`, timed ? rank : rank + 3);
    }
  }

  // Summaries: their quantiles are already computed by the service.
  for (const family of byName.values()) {
    if (consumed.has(family.name) || !family.series.some((labels) => 'quantile' in labels)) continue;
    for (const part of ['', '_count', '_sum', '_created']) consumed.add(`${family.name}${part}`);
    if (NOT_SIGNALS.test(family.name)) continue;
    add(family.name, selector(family.name, label, service), LATENCY_WORDS.test(family.name) ? 1 : 4);
  }

  for (const family of byName.values()) {
    const { name } = family;
    if (consumed.has(name) || NOT_SIGNALS.test(name)) continue;
    const type = types.get(name) ?? types.get(name.replace(/_total$/, ''));
    const counter = type === 'counter' || (type === undefined && name.endsWith('_total'));
    const noise = RUNTIME_NOISE.test(name) ? 5 : 0;
    if (counter) {
      const base = name.replace(/_total$/, '');
      const split = smallLabels(family.series, label);
      const status = STATUS_LABELS.find((key) => split.includes(key));
      const all = `rate(${selector(name, label, service)}${range})`;
      if (status !== undefined) {
        // The error ratio reads 0 (not nothing) while no failure is counted yet.
        const bad = `rate(${selector(name, label, service, `, ${status}=~${quote(BAD_STATUS)}`)}${range})`;
        const sum = `sum by (${label})`;
        add(`${base}_error_ratio`, `(${sum} (${bad}) or ${sum} (${all}) * 0) / ${sum} (${all})`, 0 + noise);
      }
      const rank = ERROR_WORDS.test(base) ? 1 : status !== undefined || REQUEST_WORDS.test(base) ? 1 : SATURATION_WORDS.test(base) ? 2 : 4;
      add(`${base}_per_second`, `${byClause([label, ...split])} (${all})`, rank + noise);
      continue;
    }
    const rank = SATURATION_WORDS.test(name) ? 2 : ERROR_WORDS.test(name) ? 2 : name === 'up' ? 3 : 4;
    add(name, selector(name, label, service), rank + noise);
  }
  return queries;
}

/** The step that keeps a window under `maxPoints` per series, never finer than the scrape interval. */
export function chooseStep(windowMs: number, maxPoints: number, scrapeMs: number | null): number {
  const seconds = Math.ceil(windowMs / 1000 / Math.max(1, maxPoints - 1));
  return Math.max(1, seconds, Math.ceil((scrapeMs ?? 0) / 1000));
}

/** The rate window for a step: at least four scrapes and four steps, so every rate has samples to work with. */
export function rateRange(stepSeconds: number, scrapeMs: number | null): number {
  const scrape = Math.ceil((scrapeMs ?? 60_000) / 1000);
  return Math.max(4 * scrape, 4 * stepSeconds);
}
