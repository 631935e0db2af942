// The tools' JSON results as the records the investigation reasons about. Each reader
// takes a parsed result and keeps only what it can read; a field a tool left out is
// absent here too, never guessed.
import { arr, num, obj, str, time, type Json } from './json.js';

export interface Page {
  title: string;
  service: string | null;
  startedAt: number | null;
  summary: string | null;
}

export interface SeriesInfo {
  id: string;
  name: string;
  labels: Record<string, string>;
  service: string | null;
  samples: number;
  start: number | null;
  end: number | null;
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
  attributes: Json;
}

export interface ChangePointInfo {
  series: string;
  service: string | null;
  onset: number;
  direction: 'up' | 'down';
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
  /** The raw line of the example (with its service tag or fields). */
  sample: string;
  levels: Record<string, number>;
}

export interface LogMatch {
  ref: string;
  t: number | null;
  service: string | null;
  level: string | null;
  text: string;
}

const LABEL = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** `name{a="x",b="y"}` as its name and labels. */
export function parseSeriesId(id: string): { name: string; labels: Record<string, string> } {
  const brace = id.indexOf('{');
  if (brace < 0) return { name: id, labels: {} };
  const labels: Record<string, string> = {};
  for (const match of id.slice(brace).matchAll(LABEL)) labels[match[1] as string] = (match[2] as string).replace(/\\(.)/g, '$1');
  return { name: id.slice(0, brace), labels };
}

export function readPage(json: unknown): Page | null {
  const page = obj(obj(json)['page']);
  const title = str(page['title']);
  if (title === null && str(page['service']) === null) return null;
  return { title: title ?? '', service: str(page['service']), startedAt: time(page['started_at']), summary: str(page['summary']) };
}

export function readSeriesList(items: unknown): SeriesInfo[] {
  const out: SeriesInfo[] = [];
  for (const item of arr(items)) {
    const node = obj(item);
    const id = str(node['id']);
    if (id === null) continue;
    const { name, labels } = parseSeriesId(id);
    out.push({ id, name, labels, service: str(node['service']), samples: num(node['samples']) ?? 0, start: time(node['start']), end: time(node['end']) });
  }
  return out;
}

export function readLogFiles(items: unknown): LogFileInfo[] {
  return arr(items).flatMap((item) => {
    const node = obj(item);
    const file = str(node['file']);
    return file === null ? [] : [{ file, services: arr(node['services']).map(str).filter((s): s is string => s !== null), start: time(node['start']), end: time(node['end']) }];
  });
}

export function readChanges(items: unknown): ChangeInfo[] {
  const out: ChangeInfo[] = [];
  for (const item of arr(items)) {
    const node = obj(item);
    const id = str(node['id']);
    const at = time(node['at']);
    if (id === null || at === null) continue;
    out.push({
      id,
      service: str(node['service']),
      type: (str(node['type']) ?? 'deploy').toLowerCase(),
      at,
      finishedAt: time(node['finished_at']),
      summary: str(node['summary']) ?? '',
      diff: str(node['diff']),
      attributes: obj(node['attributes']),
    });
  }
  return out;
}

export function readChangePoints(json: unknown): ChangePointInfo[] {
  const out: ChangePointInfo[] = [];
  for (const item of arr(obj(json)['change_points'])) {
    const node = obj(item);
    const series = str(node['series']);
    const onset = time(node['onset']);
    if (series === null || onset === null) continue;
    out.push({
      series,
      service: str(node['service']),
      onset,
      direction: node['direction'] === 'down' ? 'down' : 'up',
      relative: num(node['relative_change']),
      z: num(node['z']) ?? 0,
      meaning: str(node['direction_meaning']),
    });
  }
  return out;
}

export function readSeriesValues(json: unknown): SeriesValues[] {
  const root = obj(json);
  const grid = obj(root['grid']);
  const start = time(grid['start']);
  const step = num(grid['step_seconds']);
  if (start === null || step === null) return [];
  return arr(root['series']).flatMap((item) => {
    const node = obj(item);
    const id = str(node['id']);
    if (id === null) return [];
    const values = arr(node['values']).map((v) => num(v));
    const counter = node['kind'] === 'counter';
    const transformed = node['transform'] === 'rate' || root['transform'] === 'rate';
    return [{ id, service: str(node['service']), start, stepMs: step * 1000, values, counter, transformed }];
  });
}

export function readTemplates(json: unknown): TemplateInfo[] {
  return arr(obj(json)['templates']).flatMap((item) => {
    const node = obj(item);
    const template = str(node['template']);
    const example = str(node['example']);
    if (template === null || example === null) return [];
    const levels: Record<string, number> = {};
    for (const [level, count] of Object.entries(obj(node['levels']))) if (typeof count === 'number') levels[level] = count;
    return [
      {
        template,
        flag: str(node['flag']) ?? 'steady',
        before: num(node['before']) ?? 0,
        after: num(node['after']) ?? num(node['count']) ?? 0,
        firstSeen: time(node['first_seen']),
        example,
        sample: str(node['sample']) ?? '',
        levels,
      },
    ];
  });
}

export function readMatches(json: unknown): { total: number; matches: LogMatch[] } {
  const root = obj(json);
  const matches = arr(root['matches']).flatMap((item) => {
    const node = obj(item);
    const ref = str(node['ref']);
    return ref === null ? [] : [{ ref, t: time(node['t']), service: str(node['service']), level: str(node['level']), text: str(node['text']) ?? '' }];
  });
  return { total: num(root['total_matches']) ?? matches.length, matches };
}

/** The exact argument a truncated result says to page on with, when it names an offset. */
export function nextOffset(json: unknown): number | null {
  const truncated = obj(obj(json)['truncated']);
  const hint = str(truncated['hint']);
  if (hint === null) return null;
  const match = /offset:\s*(\d+)/.exec(hint);
  return match ? Number(match[1]) : null;
}

export interface PivotLevels {
  id: string;
  /** Median level before and after the pivot (p50 of each side). */
  before: number;
  after: number;
}

/** The levels either side of the pivot that query_metrics compared, per series. */
export function readPivots(json: unknown): PivotLevels[] {
  return arr(obj(json)['series']).flatMap((item) => {
    const node = obj(item);
    const id = str(node['id']);
    const pivot = obj(node['pivot']);
    const before = num(obj(pivot['before'])['p50']);
    const after = num(obj(pivot['after'])['p50']);
    return id === null || before === null || after === null ? [] : [{ id, before, after }];
  });
}
