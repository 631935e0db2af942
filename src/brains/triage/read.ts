// The tools' results as the records the investigation reasons about. A result is read
// through its tool's output schema (src/protocol/results): one that is an error, or does
// not match the schema, is a failed call and yields nothing. Fields are read, never words.
import { latencyBarIn, pageRules, rulesInText, type PageRule } from './page-rule.js';
import {
  parseSeriesId,
  readToolResult,
  type ChangeEntry,
  type ChangeRecord,
  type DetectChangesResult,
  type LogFileEntry,
  type LogPatternsResult,
  type Move,
  type QueryMetricsResult,
  type SearchLogsResult,
  type SeriesEntry,
  type SeriesMeaning,
  type ToolResultOf,
  type Truncation,
} from '../../protocol/results/index.js';
import type { SreToolName } from '../../protocol/tools.js';
import type { Json } from './json.js';
import { time } from './json.js';
import type { ToolReply } from './replay.js';

export { parseSeriesId };

/** Results already read against their tool's schema, per parsed result (the replay parses each once). */
const typedResults = new WeakMap<object, Map<string, unknown>>();

/**
 * A successful call's result as its fields; null when the call failed or its result does not
 * match the tool's schema. Read once per result: the replay of every step asks again. The
 * fields are shared between the steps that ask, so no reader may change them.
 */
export function resultOf<Name extends SreToolName>(name: Name, reply: ToolReply): ToolResultOf<Name> | null {
  if (reply.isError) return null;
  const json = reply.json;
  if (json === null || typeof json !== 'object') return readToolResult(name, json);
  let byTool = typedResults.get(json);
  if (byTool === undefined) typedResults.set(json, (byTool = new Map()));
  if (!byTool.has(name)) byTool.set(name, readToolResult(name, json));
  return byTool.get(name) as ToolResultOf<Name> | null;
}

export interface Page {
  title: string;
  service: string | null;
  startedAt: number | null;
  summary: string | null;
  /** The series the page's rule watches, when its links or its words state one. */
  rules: PageRule[];
  /** The latency, in seconds, the page's words say it fires above (`p99 above 1s`); null when they state none. */
  latencyBar: number | null;
}

export type { SeriesMeaning };

export interface SeriesInfo {
  id: string;
  name: string;
  labels: Record<string, string>;
  service: string | null;
  samples: number;
  start: number | null;
  end: number | null;
  meaning: SeriesMeaning;
}

export interface LogFileInfo {
  file: string;
  services: string[];
  /** When its first and last events were logged. */
  start: number | null;
  end: number | null;
}

export interface ChangeInfo {
  id: string;
  service: string | null;
  type: string;
  at: number;
  finishedAt: number | null;
  summary: string;
  diff: string | null;
  /** The release it ships, where its record says (stages of one rollout share it). */
  version?: string | null;
  commit?: string | null;
  attributes: Json;
}

export interface ChangePointInfo {
  series: string;
  service: string | null;
  onset: number;
  direction: Move;
  relative: number | null;
  z: number;
  /** What the tool says this move means: `worse`, `better`, `more load`, `less load`. */
  meaning: string | null;
}

export interface SeriesValues {
  id: string;
  service: string | null;
  start: number;
  stepMs: number;
  values: Array<number | null>;
  /** The tool says it is a counter (`kind: "counter"`). */
  counter?: boolean;
  /** The tool already turned it into a rate (`transform: "rate"`). */
  transformed?: boolean;
}

export interface TemplateInfo {
  template: string;
  flag: string;
  before: number;
  after: number;
  firstSeen: number | null;
  example: string;
  /** The message of a line of the template. */
  sample: string;
  /** The example line's structured fields besides its message (a peer is often named there). */
  fields: Record<string, string>;
  /** The field values most of its lines after the pivot carry: whom a spike is about. */
  fieldsAfter: Record<string, string>;
  levels: Record<string, number>;
}

/** Everything a template's example says: its words, its message and its fields' values, and those its lines after the pivot share. */
export function templateText(t: Pick<TemplateInfo, 'template' | 'sample' | 'fields' | 'fieldsAfter'>): string {
  return [t.template, t.sample, ...Object.values(t.fields), ...Object.values(t.fieldsAfter)].join(' ');
}

export interface LogMatch {
  ref: string;
  t: number | null;
  service: string | null;
  level: string | null;
  text: string;
}

/** Empty text is no value. */
function text(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

export function meaningOf(fields: Pick<SeriesEntry, 'measures' | 'worse_when' | 'per_unit' | 'can_leak' | 'backlog' | 'arrivals' | 'hit_share' | 'miss_share' | 'deviation'>): SeriesMeaning {
  return {
    measures: fields.measures,
    worseWhen: fields.worse_when,
    perUnit: fields.per_unit === true,
    canLeak: fields.can_leak === true,
    backlog: fields.backlog === true,
    arrivals: fields.arrivals === true,
    hitShare: fields.hit_share === true,
    missShare: fields.miss_share === true,
    deviation: fields.deviation === true,
  };
}

export function readPage(result: ToolResultOf<'describe_bundle'>): Page | null {
  const page = result.page;
  if (page === undefined || page === null) return null;
  const title = text(page.title);
  if (title === null && text(page.service) === null) return null;
  return {
    title: title ?? '',
    service: text(page.service),
    startedAt: time(page.started_at),
    summary: text(page.summary),
    rules: [...pageRules(page.links), ...rulesInText(text(page.summary)), ...rulesInText(text(page.description))],
    latencyBar: latencyBarIn(title, text(page.summary), text(page.description)),
  };
}

export function readSeriesList(entries: readonly SeriesEntry[]): SeriesInfo[] {
  return entries.map((entry) => {
    const { name, labels } = parseSeriesId(entry.id);
    return { id: entry.id, name, labels, service: text(entry.service), samples: entry.samples, start: time(entry.start), end: time(entry.end), meaning: meaningOf(entry) };
  });
}

export function readLogFiles(entries: readonly LogFileEntry[]): LogFileInfo[] {
  return entries.map((entry) => ({ file: entry.file, services: entry.services.filter((s) => s !== ''), start: time(entry.start), end: time(entry.end) }));
}

/** Change records (describe_bundle's or list_changes'); one without a time it took effect is left out. */
export function readChanges(records: ReadonlyArray<ChangeEntry | ChangeRecord>): ChangeInfo[] {
  const out: ChangeInfo[] = [];
  for (const record of records) {
    const at = time(record.at);
    if (at === null) continue;
    const full = 'finished_at' in record ? record : null;
    out.push({
      id: record.id,
      service: text(record.service),
      type: (text(record.type) ?? 'deploy').toLowerCase(),
      at,
      finishedAt: time(full?.finished_at ?? null),
      summary: text(full?.summary ?? null) ?? '',
      diff: text(record.diff),
      version: text(full?.version ?? null),
      commit: text(full?.commit ?? null),
      attributes: full?.attributes ?? {},
    });
  }
  return out;
}

export function readChangePoints(result: DetectChangesResult): ChangePointInfo[] {
  const out: ChangePointInfo[] = [];
  for (const point of result.change_points) {
    const onset = time(point.onset);
    if (onset === null) continue;
    out.push({ series: point.series, service: text(point.service), onset, direction: point.direction, relative: point.relative_change, z: point.z, meaning: point.direction_meaning });
  }
  return out;
}

/** The series' values on the shared grid (none when the call asked for statistics only). */
export function readSeriesValues(result: QueryMetricsResult): SeriesValues[] {
  const start = time(result.grid?.start ?? null);
  const step = result.grid?.step_seconds;
  if (start === null || step === undefined) return [];
  return result.series.map((series) => ({
    id: series.id,
    service: text(series.service),
    start,
    stepMs: step * 1000,
    values: series.values ?? [],
    counter: series.kind === 'counter',
    transformed: series.transform === 'rate',
  }));
}

export function readTemplates(result: LogPatternsResult): TemplateInfo[] {
  // With `assign`, the templates are a map of ids to texts: no rows to read.
  if (!Array.isArray(result.templates)) return [];
  return result.templates.flatMap((row) => {
    if (row.template === '' || row.example === '') return [];
    const levels: Record<string, number> = {};
    for (const [level, count] of Object.entries(row.levels)) if (count !== undefined) levels[level] = count;
    return [
      {
        template: row.template,
        flag: row.flag ?? 'steady',
        before: row.before ?? 0,
        after: row.after ?? row.count,
        firstSeen: time(row.first_seen),
        example: row.example,
        sample: row.sample,
        fields: row.fields ?? {},
        fieldsAfter: row.fields_after ?? {},
        levels,
      },
    ];
  });
}

export function readMatches(result: SearchLogsResult): { total: number; matches: LogMatch[] } {
  const matches = result.matches.map((match) => ({ ref: match.ref, t: time(match.t), service: text(match.service), level: match.level, text: match.text }));
  return { total: result.total_matches, matches };
}

/** Matches per side of an instant, from the counts over time a search returned. */
export function countsAround(result: SearchLogsResult, at: number): { before: number; after: number } {
  const widthMs = result.over_time.bucket_seconds * 1000;
  let before = 0;
  let after = 0;
  for (const [start, count] of result.over_time.counts) {
    const t = time(start);
    if (t === null) continue;
    if (t + widthMs <= at) before += count;
    else if (t >= at) after += count;
  }
  return { before, after };
}

/** The offset a truncated result says to page on from; null when it is whole or paging cannot help. */
export function nextOffset(result: { truncated?: Truncation | undefined }): number | null {
  return result.truncated?.next_offset ?? null;
}
