// Small synthetic bundles written from a few lines of description: series that hold a
// level with noise and shift at given times, changes, diffs and log lines. They pin down
// one piece of reasoning each, on names and times no fixture uses.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import YAML from 'yaml';

export interface SeriesSpec {
  metric: string;
  service: string;
  labels?: Record<string, string>;
  level: number;
  /** Noise as a share of the level. */
  noise?: number;
  /** From `at` (minutes from the start) the level becomes `to`. */
  shifts?: Array<{ at: number; to: number }>;
  /** A cumulative counter: `level` is its rate per second and the values add up (as `_total` series do). */
  counter?: boolean;
  /** The series exists only from / until these minutes (a pod that started or went away). */
  from?: number;
  until?: number;
  /** Growth per minute from the series' start (a leak), in the level's units. */
  slope?: number;
  /** The minutes the growth runs between (from the series' start, and without end, by default). */
  slopeFrom?: number;
  slopeUntil?: number;
}

export interface ChangeSpec {
  id: string;
  service: string;
  type: string;
  /** Minutes from the start. */
  at: number;
  summary: string;
  diff?: string;
  attributes?: Record<string, unknown>;
}

export interface BundleSpec {
  start: string;
  minutes: number;
  stepSeconds?: number;
  /** The page; without one the bundle has no incident.yaml. */
  alert: { title: string; service: string; at: number; links?: string[]; description?: string } | null;
  series: SeriesSpec[];
  changes: ChangeSpec[];
  logs?: Record<string, Array<{ at: number; level: string; message: string; fields?: Record<string, string> }>>;
}

function random(seed: string): () => number {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return () => {
    h = (Math.imul(h, 1664525) + 1013904223) >>> 0;
    return h / 4294967296;
  };
}

function put(root: string, path: string, content: string): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** A unified diff of one file: `removed` lines become `added` lines. */
export function patch(file: string, removed: readonly string[], added: readonly string[]): string {
  const context = ['  // context above', '  // context below'];
  return [
    `diff --git a/${file} b/${file}`,
    `--- a/${file}`,
    `+++ b/${file}`,
    `@@ -10,${removed.length + 2} +10,${added.length + 2} @@`,
    ` ${context[0]}`,
    ...removed.map((line) => `-${line}`),
    ...added.map((line) => `+${line}`),
    ` ${context[1]}`,
    '',
  ].join('\n');
}

export function writeBundle(root: string, spec: BundleSpec): string {
  const start = Date.parse(spec.start);
  const step = (spec.stepSeconds ?? 15) * 1000;
  const at = (minutes: number): string => new Date(start + minutes * 60_000).toISOString();
  if (spec.alert) {
    const { title, service, links, description } = spec.alert;
    const more = { ...(links === undefined ? {} : { links }), ...(description === undefined ? {} : { summary: title, description }) };
    put(root, 'incident.yaml', YAML.stringify({ title, service, severity: 'SEV2', started_at: at(spec.alert.at), ...more }));
  }
  // Labels go in their own columns, as the CSV export of a query with those labels has them.
  const keys = [...new Set(spec.series.flatMap((s) => Object.keys(s.labels ?? {})))].sort();
  const rows = [['timestamp', 'metric', 'value', 'service', ...keys].join(',')];
  for (const series of spec.series) {
    const next = random(`${series.metric}${JSON.stringify(series.labels ?? {})}`);
    let total = 0;
    for (let t = start; t <= start + spec.minutes * 60_000; t += step) {
      const minute = (t - start) / 60_000;
      if ((series.from !== undefined && minute < series.from) || (series.until !== undefined && minute > series.until)) continue;
      const shifted = (series.shifts ?? []).filter((s) => s.at <= minute).reduce((_, s) => s.to, series.level);
      const grown = Math.min(minute, series.slopeUntil ?? Infinity) - (series.slopeFrom ?? series.from ?? 0);
      const level = shifted + (series.slope ?? 0) * Math.max(0, grown);
      const noisy = level * (1 + (series.noise ?? 0.03) * (next() * 2 - 1));
      total += noisy * (step / 1000);
      const value = series.counter ? Math.round(total) : noisy;
      rows.push([new Date(t).toISOString(), series.metric, value.toFixed(6), series.service, ...keys.map((k) => series.labels?.[k] ?? '')].join(','));
    }
  }
  if (spec.series.length > 0) put(root, 'metrics/export.csv', `${rows.join('\n')}\n`);
  const changes = spec.changes.map((c) => ({
    id: c.id,
    service: c.service,
    type: c.type,
    at: at(c.at),
    summary: c.summary,
    ...(c.diff ? { diff: `diffs/${c.id}.diff` } : {}),
    ...(c.attributes ?? {}),
  }));
  put(root, 'changes.yaml', YAML.stringify(changes));
  for (const c of spec.changes) if (c.diff) put(root, `diffs/${c.id}.diff`, c.diff);
  for (const [service, lines] of Object.entries(spec.logs ?? {})) {
    // A service whose lines carry fields logs JSON lines, as structured loggers do.
    if (lines.some((line) => line.fields !== undefined)) {
      const records = lines.map((line) => JSON.stringify({ time: at(line.at), level: line.level, service, msg: line.message, ...line.fields }));
      put(root, `logs/${service}.jsonl`, `${records.join('\n')}\n`);
      continue;
    }
    const text = lines.map((line) => `${at(line.at)} ${line.level.toUpperCase()} ${line.message}`).join('\n');
    put(root, `logs/${service}.log`, `${text}\n`);
  }
  return root;
}

/**
 * Shifts that move a series in a straight line, a step a minute: `from` at minute `start`, `to`
 * at `start + minutes` (a cache refilling after a stampede, a hit share decaying).
 */
export function ramp(start: number, minutes: number, from: number, to: number): Array<{ at: number; to: number }> {
  return Array.from({ length: minutes + 1 }, (_, i) => ({ at: start + i, to: from + ((to - from) * i) / minutes }));
}

/** Log lines every `every` minutes over a span, for background noise or an error that starts. */
export function every(
  from: number,
  to: number,
  everyMinutes: number,
  level: string,
  message: string,
  fields?: Record<string, string>,
): Array<{ at: number; level: string; message: string; fields?: Record<string, string> }> {
  const out: Array<{ at: number; level: string; message: string; fields?: Record<string, string> }> = [];
  for (let m = from; m < to; m += everyMinutes) out.push({ at: m, level, message, ...(fields ? { fields } : {}) });
  return out;
}
