// The tool calls that gather the case, each choosing its arguments from what earlier
// results said. Lists that come back truncated are paged on while the budget allows.
import { SECTION_ITEMS, type SectionItem, type ToolResultOf, type Truncation } from '../../protocol/results/index.js';
import type { SreToolName } from '../../protocol/tools.js';
import { ONSET_PRECISION_MS, type Case, type Movement } from './case.js';
import { iso, time } from './json.js';
import { departure } from './onset.js';
import { fromOpening, latestRun, openedAt } from './opening.js';
import { VERSION_LABEL } from './versions.js';
import { countsPagedOutcome } from './page-rule.js';
import {
  nextOffset,
  readChangePoints,
  readChanges,
  readLogFiles,
  readMatches,
  readPage,
  readSeriesList,
  readSeriesValues,
  readTemplates,
  resultOf,
  type ChangeInfo,
  type ChangePointInfo,
  type SeriesInfo,
  type SeriesValues,
  type TemplateInfo,
} from './read.js';
import { needsRate, rateOf, sumRates } from './counters.js';
import { readDiff } from './read-diff.js';
import type { Replay } from './replay.js';
import { classify, SIGNATURE_PATTERN } from './signatures.js';
import { searchEveryFile } from './search-files.js';
import { Topology } from './topology.js';

/** Calls kept back for the verdict: hypotheses, the diagnosis, a correction, an action. */
export const RESERVE = 8;
const MAX_PAGES = 3;
/** How much history before the page the metrics are read over, at least. */
const LOOKBACK_MS = 100 * 60_000;
const LOOKAHEAD_MS = 10 * 60_000;
const LATE_LOOK_MS = 5 * 60_000;
const MAX_POINTS = 240;
const RESULT_CHARS = 14_000;
const MAX_SERIES_READ = 40;

export interface Overview {
  ok: boolean;
  error: string | null;
  case: Case;
  span: { start: number; end: number } | null;
}

function spanOf(result: ToolResultOf<'describe_bundle'>): { start: number; end: number } | null {
  const start = time(result.time_span?.start ?? null);
  const end = time(result.time_span?.end ?? null);
  return start === null || end === null ? null : { start, end };
}

/** The items of a result and of the pages that follow it, while the budget allows; a page that fails ends the paging. */
async function pageOn<Name extends Extract<SreToolName, 'describe_bundle' | 'list_changes' | 'detect_changes'>, T>(
  r: Replay,
  name: Name,
  first: ToolResultOf<Name>,
  read: (result: ToolResultOf<Name>) => T[],
  input: (offset: number) => Record<string, unknown>,
): Promise<T[]> {
  const items = read(first);
  let result = first;
  for (let page = 0; page < MAX_PAGES && r.left > RESERVE; page++) {
    const offset = nextOffset(result as { truncated?: Truncation });
    if (offset === null) break;
    const next = resultOf(name, await r.call(name, input(offset)));
    if (next === null) break;
    result = next;
    items.push(...read(next));
  }
  return items;
}

/** describe_bundle's series section, read as series entries (none when it lists another section). */
type Section = 'series' | 'logs' | 'skipped';

/** The items of one section in a section's result, read by that section's own schema. */
function itemsOf<S extends Section>(section: S): (result: ToolResultOf<'describe_bundle'>) => Array<SectionItem<S>> {
  return (result) => {
    const parsed = SECTION_ITEMS[section].safeParse(result.section === section ? result.items : []);
    return parsed.success ? (parsed.data as Array<SectionItem<S>>) : [];
  };
}

/**
 * A list of the overview in full: the overview shows the first items of each list, or none
 * when the lists are too long to show together; the rest is read by its section, page by page.
 */
async function wholeSection<S extends Section>(r: Replay, section: S, shown: ReadonlyArray<SectionItem<S>>, total: number | undefined): Promise<Array<SectionItem<S>>> {
  if (total === undefined || shown.length >= total) return [...shown];
  const more = resultOf('describe_bundle', await r.call('describe_bundle', { section, offset: shown.length }));
  if (more === null) return [...shown];
  return [...shown, ...(await pageOn(r, 'describe_bundle', more, itemsOf(section), (offset) => ({ section, offset })))];
}

/** A job that scrapes other things' numbers (`rds-exporter`, `node_exporter`), not a service of its own. */
const EXPORTER = /(^|[-_])exporter$/i;

/**
 * Series an exporter scraped, filed under its job for want of a service label, are about what
 * their labels name: `aws_rds_cpu{job="rds-exporter", db_cluster="hosting-db"}` measures
 * hosting-db, when the changes or the logs know hosting-db as a service. A label no other part
 * of the bundle names leaves the series where it was filed.
 */
function aboutTheirSubject(series: readonly SeriesInfo[], named: ReadonlyArray<string | null>): SeriesInfo[] {
  const known = new Set([...named, ...series.map((info) => info.service)].filter((s): s is string => s !== null && !EXPORTER.test(s)));
  return series.map((info) => {
    if (info.service === null || !EXPORTER.test(info.service)) return info;
    const subject = Object.entries(info.labels).find(([key, value]) => key !== 'job' && key !== 'service' && known.has(value))?.[1];
    return subject === undefined ? info : { ...info, service: subject };
  });
}

export async function describe(r: Replay): Promise<Overview> {
  const reply = await r.call('describe_bundle', {});
  const result = resultOf('describe_bundle', reply);
  const page = result === null ? null : readPage(result);
  const listed = readSeriesList(await wholeSection(r, 'series', result?.series ?? [], result?.counts?.series));
  const logs = await wholeSection(r, 'logs', result?.logs ?? [], result?.counts?.logs);
  const series = aboutTheirSubject(listed, [...readChanges(result?.changes ?? []).map((change) => change.service), ...readLogFiles(logs).flatMap((log) => log.services)]);
  const skipped = await wholeSection(r, 'skipped', result?.skipped ?? [], result?.counts?.skipped);
  const services = result?.services ?? [];
  const span = result === null ? null : spanOf(result);
  const alertAt = page?.startedAt ?? span?.end ?? 0;
  const topology = new Topology(services, series);
  const owners = [...new Set(series.map((info) => info.service).filter((s): s is string => s !== null))].sort();
  // A page may name the service a little differently from its telemetry (`checkout-api` for `checkout`).
  const named = topology.canonical(page?.service ?? null, owners);
  const mentioned = named === null || services.includes(named) ? [] : [...topology.mentions(named)];
  const paged = mentioned.length === 1 ? (mentioned[0] as string) : named;
  return {
    ok: result !== null,
    error: result !== null ? null : reply.isError ? reply.text : 'its result could not be read',
    span,
    case: {
      page,
      alertAt,
      paged,
      topology,
      series,
      changes: readChanges(result?.changes ?? []).map((change) => ({ ...change, service: topology.canonical(change.service, owners) })),
      movements: [],
      diffs: new Map(),
      templates: [],
      templateOwners: new Map(),
      logWindow: null,
      signatures: [],
      placements: [],
      peerSeries: new Map(),
      atLimit: new Map(),
      points: [],
      logFiles: readLogFiles(logs),
      unread: skipped,
      identifierHits: new Map(),
      growth: new Map(),
      fills: [],
      ceilings: new Map(),
      reserves: new Map(),
      reserveHistory: new Map(),
      partHistory: new Map(),
      versions: new Map(),
      undos: new Map(),
      values: new Map(),
    },
  };
}

export async function listChanges(r: Replay, c: Case): Promise<ChangeInfo[]> {
  const owners = [...new Set(c.series.map((info) => info.service).filter((s): s is string => s !== null))].sort();
  const result = resultOf('list_changes', await r.call('list_changes', { limit: 200 }));
  if (result === null) return [];
  const changes = await pageOn(r, 'list_changes', result, (page) => readChanges(page.changes), (offset) => ({ limit: 200, offset }));
  return changes.map((change) => ({ ...change, service: c.topology.canonical(change.service, owners) }));
}

/** Change points near the page, across every series (what moved, roughly when). */
export async function detect(r: Replay, c: Case, from: number): Promise<ChangePointInfo[]> {
  const args = { from: iso(from), to: iso(c.alertAt + LOOKAHEAD_MS), limit: 200 };
  const result = resultOf('detect_changes', await r.call('detect_changes', args));
  if (result === null) return [];
  return pageOn(r, 'detect_changes', result, readChangePoints, (offset) => ({ ...args, offset }));
}

const NICE_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].map((s) => s * 1000);

/** A series' own resolution, rounded down to the steps exporters use (gaps make the raw estimate too coarse). */
function nativeStep(info: SeriesInfo): number | null {
  if (info.start === null || info.end === null || info.samples < 2) return null;
  const raw = (info.end - info.start) / (info.samples - 1);
  return [...NICE_STEPS_MS].reverse().find((step) => step <= raw * 1.05) ?? raw;
}

/** How long before the page a change makes its service's metrics worth reading. */
const CHANGED_LOOK_MS = 2 * 3600_000;

/**
 * The series worth a close look: the paged service's, those that moved near the page
 * (strongest first), and those of every service changed shortly before the page, since
 * each change is weighed against its own service's signals.
 */
export function seriesToRead(c: Case, points: readonly ChangePointInfo[]): SeriesInfo[] {
  const strength = new Map<string, number>();
  for (const p of points) strength.set(p.series, Math.max(strength.get(p.series) ?? 0, p.z));
  const changed = new Set(c.changes.filter((x) => x.at <= c.alertAt && x.at >= c.alertAt - CHANGED_LOOK_MS && x.service !== null).map((x) => x.service as string));
  const chosen = c.series.filter((s) => strength.has(s.id) || (s.service !== null && (s.service === c.paged || changed.has(s.service))));
  // Read in order of what matters (the budget may end before the list does): series that moved,
  // the paged service's first, strongest first; then the quiet ones of the paged and changed services.
  const rank = (s: SeriesInfo): number => (strength.has(s.id) ? 0 : 2) + (s.service === c.paged ? 0 : 1);
  return chosen
    .sort((a, b) => rank(a) - rank(b) || (strength.get(b.id) ?? 0) - (strength.get(a.id) ?? 0) || (a.id < b.id ? -1 : 1))
    .slice(0, MAX_SERIES_READ);
}

/** The ceiling of a share (a success or hit ratio: 1, or 100 as a percentage), or null for any other series. */
function shareCeiling(info: SeriesInfo, series: SeriesValues): number | null {
  // A success read as a share (a probe's pass or fail, averaged per step) is bounded as an availability is.
  if (info.meaning.measures !== 'availability' && !(info.meaning.worseWhen === 'down' && series.values.every((v) => v === null || (v >= 0 && v <= 1)))) return null;
  let top = -Infinity;
  for (const v of series.values) {
    if (v === null) continue;
    if (v < 0) return null;
    top = Math.max(top, v);
  }
  return top <= 1 ? 1 : top <= 100 && /(pct|percent|ratio|rate)/i.test(info.name) ? 100 : null;
}

/** When a series left its normal band around the page, as a movement of the case. */
function movementOf(c: Case, info: SeriesInfo, whole: SeriesValues, display: string, rate: boolean): Movement | null {
  // A build's series that a rollout took off and a rollback put back is read from its latest run.
  const rerun = Object.keys(info.labels).some((key) => VERSION_LABEL.test(key)) ? latestRun(whole, c.alertAt) : null;
  const series = rerun === null ? whole : fromOpening(whole, rerun);
  // An alert can fire on the first bad minutes, before a slower signal has moved far: look a little later too.
  const ceiling = shareCeiling(info, series);
  const moved = departure(series, c.alertAt, c.alertAt, ceiling) ?? departure(series, c.alertAt + LATE_LOOK_MS, c.alertAt, ceiling);
  if (!moved) return null;
  // A histogram bucket's rate shifts between buckets whenever latency moves: context, never the symptom itself.
  const bucket = 'le' in info.labels;
  // A deviation (a clock's offset) is worse moving away from zero, whichever way.
  const away = info.meaning.deviation && Math.abs(moved.after) > Math.abs(moved.before);
  // A series whose name leaves its direction open is bad news when it counts, moving the page's way, the outcome the page counts.
  const counted = info.meaning.worseWhen === null && countsPagedOutcome(c.page?.rules ?? [], info.labels, moved.direction);
  const symptom = !bucket && (moved.direction === info.meaning.worseWhen || away || counted);
  return { ...moved, info, kind: info.meaning.measures, symptom, peers: c.topology.seriesPeers(info), display, rate };
}

/** Reads the chosen series around the page and finds when each left its normal band; counters are read as summed rates. */
export async function readMovements(r: Replay, c: Case, chosen: readonly SeriesInfo[], from: number, budget: number): Promise<Movement[]> {
  const to = c.alertAt + LOOKAHEAD_MS;
  const steps = chosen.map(nativeStep).filter((s): s is number => s !== null && s > 0);
  const step = steps.length > 0 ? Math.min(...steps) : 60_000;
  const points = Math.min(MAX_POINTS, Math.max(60, Math.ceil((to - from) / step) + 2));
  const perCall = Math.max(1, Math.floor(RESULT_CHARS / (points * 8 + 300)));
  const byId = new Map(chosen.map((s) => [s.id, s]));
  const movements: Movement[] = [];
  const counters: Array<{ info: SeriesInfo; rate: SeriesValues }> = [];
  const pending = chosen.map((s) => s.id);
  let calls = 0;
  while (pending.length > 0 && calls < budget && r.left > RESERVE) {
    const batch = pending.splice(0, perCall);
    calls += 1;
    const result = resultOf('query_metrics', await r.call('query_metrics', { series: batch, from: iso(from), to: iso(to), max_points: points, limit: batch.length }));
    if (result === null) continue;
    const values = readSeriesValues(result);
    const returned = new Set(values.map((v) => v.id));
    pending.unshift(...batch.filter((id) => !returned.has(id)).slice(0, returned.size === 0 ? 0 : batch.length));
    for (const series of values) {
      const info = byId.get(series.id);
      if (!info) continue;
      const hints = { counter: series.counter === true, transformed: series.transformed === true };
      if (hints.transformed || needsRate(info, series.values, hints)) {
        // A histogram's buckets are counts per bound, not a latency: their rates are left aside.
        if (!('le' in info.labels)) counters.push({ info, rate: hints.transformed ? series : rateOf(series) });
        continue;
      }
      c.values.set(series.id, series);
      const moved = movementOf(c, info, series, series.id, false);
      if (moved) movements.push(moved);
    }
  }
  for (const group of sumRates(counters)) {
    c.values.set(group.ref, group.values);
    const moved = movementOf(c, group.info, group.values, group.display, true);
    if (moved) movements.push(moved);
  }
  return movements.flatMap((m) => afterOpening(c, m));
}

/**
 * A move of a service's series as the service opened (its traffic rose from nothing) is its
 * day starting: the series is read again from the opening on, and moves only if it left the
 * level the open service kept.
 */
function afterOpening(c: Case, m: Movement): Movement[] {
  if (m.kind === 'traffic' || m.info.service === null) return [m];
  const opened = openedAt(c, m.info.service);
  if (opened === null || Math.abs(m.onset - opened) > Math.max(2 * m.stepMs, ONSET_PRECISION_MS)) return [m];
  const values = c.values.get(m.series);
  if (values === undefined) return [m];
  const again = movementOf(c, m.info, fromOpening(values, opened), m.display, m.rate);
  return again === null ? [] : [again];
}

/** Own series read per dependency, and dependencies looked at. */
const PEER_SERIES = 8;
const MAX_PEERS = 2;

/**
 * The dependencies the symptoms name that have series of their own in the bundle: read
 * them, to see whether the dependency itself degraded or only the calls to it did.
 */
export async function readPeerSeries(r: Replay, c: Case, symptoms: readonly Movement[], from: number): Promise<void> {
  const peers = [...new Set(symptoms.flatMap((m) => c.topology.labelPeers(m.info)))].filter((p) => p !== c.paged).sort().slice(0, MAX_PEERS);
  const wanted = peers.flatMap((peer) => c.series.filter((s) => s.service === peer && !('le' in s.labels)).slice(0, PEER_SERIES));
  if (wanted.length === 0) return;
  const before = new Set(c.values.keys());
  const moved = await readMovements(r, c, wanted, from, 1);
  for (const s of wanted) {
    if (!c.values.has(s.id) || before.has(s.id)) continue;
    c.peerSeries.set(s.id, moved.find((m) => m.info.id === s.id) ?? null);
  }
}

/** Where the history read starts: well before the page, and before the earliest move on the paged service. */
export function readFrom(c: Case, points: readonly ChangePointInfo[], dataStart: number | null): number {
  // Coarse data needs a longer look back to see enough normal points.
  const steps = c.series
    .map(nativeStep)
    .filter((s): s is number => s !== null)
    .sort((a, b) => a - b);
  const typical = steps[Math.floor(steps.length / 2)] ?? 60_000;
  let from = c.alertAt - Math.max(LOOKBACK_MS, 40 * typical);
  const own = points.filter((p) => p.service === c.paged && p.onset <= c.alertAt && p.onset >= c.alertAt - 3 * 3600_000);
  for (const p of own) from = Math.min(from, p.onset - 45 * 60_000);
  return dataStart === null ? from : Math.max(from, dataStart);
}

/** Log templates around a pivot, an hour either side, and the window they were mined over. */
export async function logTemplates(r: Replay, pivot: number, alertAt: number): Promise<Pick<Case, 'templates' | 'logWindow'>> {
  // An hour either side of the onset keeps large logs cheap. Every level: a level filter
  // would also narrow the time span the rates are compared over.
  const window = { from: pivot - 60 * 60_000, to: Math.max(pivot, alertAt) + 30 * 60_000 };
  const result = resultOf('log_patterns', await r.call('log_patterns', { pivot: iso(pivot), from: iso(window.from), to: iso(window.to), limit: 60 }));
  return { templates: result === null ? [] : readTemplates(result), logWindow: result === null ? null : { ...window, pivot } };
}

/** Asks who logged the example line of each template given (the search reads the line's service). */
export async function templateOwners(r: Replay, c: Case, templates: readonly TemplateInfo[]): Promise<void> {
  const asked = templates.filter((t) => t.firstSeen !== null);
  if (asked.length === 0) return;
  const replies = await r.calls(
    asked.map((t) => ({
      name: 'search_logs',
      input: { pattern: t.sample, file: t.example.replace(/:\d+$/, ''), from: iso(t.firstSeen as number), to: iso((t.firstSeen as number) + 1000), max_matches: 1 },
    })),
  );
  replies.forEach((reply, i) => {
    const template = asked[i];
    const result = resultOf('search_logs', reply);
    const service = result === null ? null : (readMatches(result).matches[0]?.service ?? null);
    if (template && service !== null) c.templateOwners.set(template.example, c.topology.canonical(service) ?? service);
  });
}

/**
 * Platform failures logged around the onset, and up to the page: a host whose clock began
 * to drift at the onset has its stamps refused only once the drift passes the verifiers'
 * leeway, well after it.
 */
export async function signatures(r: Replay, c: Case, onset: number, alertAt: number): Promise<Case['signatures']> {
  const window = { pattern: SIGNATURE_PATTERN, regex: true, ignore_case: true, from: iso(onset - 30 * 60_000), to: iso(Math.max(onset + 20 * 60_000, Math.min(alertAt, onset + 90 * 60_000))) };
  const matches = await searchEveryFile(r, window, 50, RESERVE + 2);
  return (matches ?? []).map((m) => classify(m, c.topology)).filter((hit): hit is NonNullable<typeof hit> => hit !== null);
}

export async function readDiffs(r: Replay, c: Case, changes: readonly ChangeInfo[]): Promise<void> {
  const wanted = changes.filter((change) => change.diff !== null && !c.diffs.has(change.id));
  if (wanted.length === 0) return;
  const replies = await r.calls(wanted.map((change) => ({ name: 'get_diff', input: { change_id: change.id, limit: 5 } })));
  replies.forEach((reply, i) => {
    const result = resultOf('get_diff', reply);
    const diff = result === null ? null : readDiff(result);
    const change = wanted[i];
    if (diff && change) c.diffs.set(change.id, diff);
  });
}
