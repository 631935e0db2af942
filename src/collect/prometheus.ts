// Metrics from Prometheus's HTTP API. Discovery first: the paged service's series (GET
// /api/v1/series with matchers on service, job and app), its neighbours (services its
// series name, and services whose series name it), the metric types (/api/v1/metadata)
// and the scrape interval (/api/v1/targets); then one query_range per chosen signal, each
// written as metrics/<service>/<name>.json in the query_range body's shape.
import { parseDuration } from '../bundle/index.js';
import { baseUrl, endpoint, getJson } from './http.js';
import { SourceError } from './problems.js';
import { chooseSignals, chooseStep, rateRange, type Labels, type ServiceSeries, type SignalQuery } from './signals.js';
import type { Window } from './window.js';

export const SERVICE_LABELS = ['service', 'job', 'app'] as const;

/** Label names that, by convention, name another service a series talks to. */
const PEER_LABEL = /(upstream|downstream|peer|target|dest|backend|dependency|remote|callee|caller|client|server|service)/i;
const NOT_PEER = new Set(['instance', 'job', '__name__', 'le', 'quantile']);

export interface Discovery {
  services: string[];
  serviceLabel: string;
  stepSeconds: number;
  queries: SignalQuery[];
  /** Services that were found but left out by the cap. */
  leftOut: string[];
  /** Queries left out by the cap. */
  droppedQueries: number;
}

interface Context {
  base: URL;
  window: Window;
  timeoutMs: number;
  signal?: AbortSignal;
}

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function timeParams(window: Window): Array<[string, string]> {
  return [
    ['start', (window.since / 1000).toFixed(3)],
    ['end', (window.until / 1000).toFixed(3)],
  ];
}

/** `data` of a Prometheus answer, or a SourceError with what it said. */
function dataOf(body: unknown, what: string): unknown {
  if (!isFields(body)) throw new SourceError(`${what}: not a Prometheus API answer (is it the right URL?)`);
  if (body.status !== 'success') throw new SourceError(`${what}: ${String(body.errorType ?? 'error')}: ${String(body.error ?? 'no reason given')}`);
  return body.data;
}

async function api(context: Context, path: string, params: Array<[string, string]>): Promise<unknown> {
  const body = await getJson(endpoint(context.base, path, params), { timeoutMs: context.timeoutMs, ...(context.signal ? { signal: context.signal } : {}) });
  return dataOf(body, `${context.base.origin}/${path}`);
}

function labelSets(data: unknown): Labels[] {
  if (!Array.isArray(data)) return [];
  return data.filter(isFields).map((item) => Object.fromEntries(Object.entries(item).filter((entry): entry is [string, string] => typeof entry[1] === 'string')));
}

function matcherValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

async function seriesOf(context: Context, matchers: readonly string[]): Promise<Labels[]> {
  if (matchers.length === 0) return [];
  return labelSets(await api(context, 'api/v1/series', [...matchers.map((m): [string, string] => ['match[]', m]), ...timeParams(context.window)]));
}

/** The paged service's series and the label that names it there. */
async function pagedSeries(context: Context, service: string): Promise<ServiceSeries> {
  const series = await seriesOf(context, SERVICE_LABELS.map((label) => `{${label}=${matcherValue(service)}}`));
  if (series.length === 0) {
    throw new SourceError(`has no series with service, job or app = "${service}" between ${new Date(context.window.since).toISOString()} and ${new Date(context.window.until).toISOString()}`);
  }
  const counts = SERVICE_LABELS.map((label) => [label, series.filter((labels) => labels[label] === service).length] as const);
  const label = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'job';
  return { service, label, series: series.filter((labels) => labels[label] === service) };
}

async function metricTypes(context: Context): Promise<Map<string, string>> {
  const types = new Map<string, string>();
  const data = await api(context, 'api/v1/metadata', [['limit_per_metric', '1']]).catch(() => null);
  if (!isFields(data)) return types;
  for (const [name, entries] of Object.entries(data)) {
    const first: unknown = Array.isArray(entries) ? entries[0] : undefined;
    if (isFields(first) && typeof first.type === 'string') types.set(name, first.type);
  }
  return types;
}

/** The paged service's scrape interval (the shortest of its targets'), or null when the server does not say. */
async function scrapeInterval(context: Context, target: ServiceSeries): Promise<number | null> {
  const data = await api(context, 'api/v1/targets', [['state', 'active']]).catch(() => null);
  const targets = isFields(data) && Array.isArray(data.activeTargets) ? data.activeTargets.filter(isFields) : [];
  const intervals = (own: boolean): number[] =>
    targets
      .filter((item) => !own || (isFields(item.labels) && item.labels[target.label] === target.service))
      .map((item) => (typeof item.scrapeInterval === 'string' ? parseDuration(item.scrapeInterval) : null))
      .filter((ms): ms is number => ms !== null && ms > 0);
  const own = intervals(true);
  const any = own.length > 0 ? own : intervals(false);
  return any.length > 0 ? Math.min(...any) : null;
}

/** Services the paged one talks to or hears from, nearest first. */
async function neighbours(context: Context, paged: ServiceSeries): Promise<string[]> {
  const known = new Set(labelValues(await api(context, `api/v1/label/${paged.label}/values`, timeParams(context.window)).catch(() => [])));
  known.delete(paged.service);
  const named: string[] = [];
  // Services its own series name (an `upstream="payments"` on checkout's client metrics).
  for (const labels of paged.series) {
    for (const [key, value] of Object.entries(labels)) {
      if (key !== paged.label && !NOT_PEER.has(key) && known.has(value) && !named.includes(value)) named.push(value);
    }
  }
  // Services whose series name it (payments' `client="checkout"`), through the peer-like labels the server has.
  const labelNames = labelValues(await api(context, 'api/v1/labels', timeParams(context.window)).catch(() => []));
  const peerLabels = labelNames.filter((name) => PEER_LABEL.test(name) && name !== paged.label && !NOT_PEER.has(name));
  if (peerLabels.length > 0) {
    const callers = await seriesOf(context, peerLabels.slice(0, 20).map((name) => `{${name}=${matcherValue(paged.service)}}`)).catch(() => []);
    for (const labels of callers) {
      const caller = labels[paged.label];
      if (caller !== undefined && caller !== paged.service && !named.includes(caller)) named.push(caller);
    }
  }
  return named;
}

function labelValues(data: unknown): string[] {
  return Array.isArray(data) ? data.filter((item): item is string => typeof item === 'string') : [];
}

export interface DiscoverOptions {
  url: string;
  service: string;
  window: Window;
  timeoutMs: number;
  signal?: AbortSignal;
  maxPoints: number;
  maxQueries: number;
  maxServices: number;
}

export function prometheusBase(url: string): URL {
  const base = baseUrl(url);
  if (base === null) throw new SourceError(`${url} is not an http(s) URL`);
  return base;
}

/** What to query: the signals of the paged service and its neighbours, ranked and capped. */
export async function discover(options: DiscoverOptions): Promise<Discovery> {
  const context: Context = { base: prometheusBase(options.url), window: options.window, timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) };
  const paged = await pagedSeries(context, options.service);
  const [types, scrapeMs, near] = await Promise.all([metricTypes(context), scrapeInterval(context, paged), neighbours(context, paged)]);
  const chosen = near.slice(0, Math.max(0, options.maxServices - 1));
  const stepSeconds = chooseStep(options.window.until - options.window.since, options.maxPoints, scrapeMs);
  const range = rateRange(stepSeconds, scrapeMs);
  const queries = chooseSignals(paged, types, range);
  for (const [index, service] of chosen.entries()) {
    const series = await seriesOf(context, [`{${paged.label}=${matcherValue(service)}}`]).catch(() => [] as Labels[]);
    // A neighbour's signals come after the paged service's of the same rank, nearest neighbour first.
    queries.push(...chooseSignals({ service, label: paged.label, series }, types, range, 0.1 * (index + 1)));
  }
  const ranked = [...queries].sort((a, b) => a.rank - b.rank || a.file.localeCompare(b.file));
  const kept = ranked.slice(0, options.maxQueries);
  return {
    services: [options.service, ...chosen],
    serviceLabel: paged.label,
    stepSeconds,
    queries: kept,
    leftOut: near.slice(chosen.length),
    droppedQueries: ranked.length - kept.length,
  };
}

export interface RangeResult {
  /** The query_range body to write, with at most `maxSeries` series. */
  body: { status: 'success'; data: { resultType: string; result: unknown[] } };
  series: number;
  cut: number;
}

function peak(result: unknown): number {
  if (!isFields(result) || !Array.isArray(result.values)) return Number.NEGATIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const pair of result.values) {
    const v = Array.isArray(pair) ? Number(pair[1]) : Number.NaN;
    if (Number.isFinite(v) && v > max) max = v;
  }
  return max;
}

/** One query_range over the window; beyond `maxSeries` series, those that peak highest are kept. */
export async function queryRange(
  options: { url: string; query: string; window: Window; stepSeconds: number; timeoutMs: number; signal?: AbortSignal; maxSeries: number },
): Promise<RangeResult> {
  const context: Context = { base: prometheusBase(options.url), window: options.window, timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) };
  const data = await api(context, 'api/v1/query_range', [
    ['query', options.query],
    ...timeParams(options.window),
    ['step', String(options.stepSeconds)],
    ['timeout', `${Math.max(1, Math.floor(options.timeoutMs / 1000))}s`],
  ]);
  const result = isFields(data) && Array.isArray(data.result) ? data.result : [];
  const resultType = isFields(data) && typeof data.resultType === 'string' ? data.resultType : 'matrix';
  const kept = result.length > options.maxSeries ? [...result].sort((a, b) => peak(b) - peak(a)).slice(0, options.maxSeries) : result;
  return { body: { status: 'success', data: { resultType, result: kept } }, series: kept.length, cut: result.length - kept.length };
}
