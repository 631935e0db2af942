// What JSON and CSV metrics share: sample values, the service rule, the series id, and a builder
// that keeps ids unique across the whole bundle.

import { isMetricsFolder } from './classify.js';
import type { Sample, Series } from './types.js';

/** A sample value: numbers and numeric strings; NaN, ±Inf and anything else non-finite is a gap (null). */
export function parseSampleValue(raw: unknown): { v: number | null; ok: boolean } {
  if (typeof raw === 'number') return { v: Number.isFinite(raw) ? raw : null, ok: true };
  if (typeof raw !== 'string') return { v: null, ok: raw === null || raw === undefined };
  const text = raw.trim();
  if (text === '' || /^[+-]?(?:nan|inf|infinity)$/i.test(text)) return { v: null, ok: true };
  const v = Number(text);
  return Number.isFinite(v) ? { v, ok: true } : { v: null, ok: false };
}

/** The folder a metrics file sits in, when it names a service: `metrics/checkout/p99.json` → checkout. */
export function folderService(path: string, rootName: string): string | null {
  const segments = path.split('/');
  const folder = segments.length >= 2 ? segments[segments.length - 2] : rootName;
  return folder && !isMetricsFolder(folder) ? folder : null;
}

/** A series' name without its file extension(s): `metrics/p99_seconds.json.gz` → p99_seconds. */
export function fileSeriesName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.replace(/\.gz$/i, '').replace(/\.[^.]+$/, '') || base;
}

export function serviceFromLabels(labels: Record<string, string>): string | null {
  return labels.service || labels.job || labels.app || null;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `name{a="1",b="2"}` with labels sorted, as Prometheus prints a series. */
export function seriesKey(name: string, labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return name;
  return `${name}{${keys.map((k) => `${k}="${escapeLabel(labels[k] ?? '')}"`).join(',')}}`;
}

export interface SeriesDraft {
  name: string;
  service: string | null;
  labels: Record<string, string>;
  file: string;
  samples: Sample[];
}

/**
 * The id of a series: its name and labels; a service that came from the folder is part of it
 * (two folders may hold the same unlabelled metric), and a clash left after that is broken by file.
 */
export function finishSeries(draft: SeriesDraft, taken: Set<string>): Series {
  const idLabels =
    draft.service !== null && serviceFromLabels(draft.labels) === null ? { ...draft.labels, service: draft.service } : draft.labels;
  let id = seriesKey(draft.name, idLabels);
  if (taken.has(id)) id = `${id}@${draft.file}`;
  for (let n = 2; taken.has(id); n++) id = `${seriesKey(draft.name, idLabels)}@${draft.file}#${n}`;
  taken.add(id);
  const samples = [...draft.samples].sort((a, b) => a.t - b.t);
  return { id, name: draft.name, service: draft.service, labels: draft.labels, file: draft.file, samples };
}
