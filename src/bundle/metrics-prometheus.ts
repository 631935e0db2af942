// `metrics/*.json`: the body of Prometheus `GET /api/v1/query_range` (a matrix). An instant query's
// vector, the bare `data` object or the bare `result` list are read too.

import type { ProblemSink } from './problems.js';
import { describeError } from './problems.js';
import { fileSeriesName, folderService, parseSampleValue, serviceFromLabels, type SeriesDraft } from './series.js';
import { parseTime } from './time.js';
import type { Sample } from './types.js';

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resultList(doc: unknown, path: string, problems: ProblemSink): unknown[] | null {
  if (Array.isArray(doc)) return doc;
  if (!isFields(doc)) return null;
  if (doc.status === 'error') {
    problems.add({ path, message: `Prometheus returned an error: ${String(doc.error ?? doc.errorType ?? 'unknown')}` });
    return [];
  }
  const data = isFields(doc.data) ? doc.data : doc;
  return Array.isArray(data.result) ? data.result : null;
}

function labelsOf(metric: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!isFields(metric)) return labels;
  for (const [key, value] of Object.entries(metric)) {
    if (typeof value === 'string') labels[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') labels[key] = String(value);
  }
  return labels;
}

export function parsePrometheusJson(source: string, path: string, rootName: string, problems: ProblemSink): SeriesDraft[] {
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch (error) {
    problems.add({ path, message: `not valid JSON: ${describeError(error)}` });
    return [];
  }
  const results = resultList(doc, path, problems);
  if (results === null) {
    problems.add({ path, message: 'expected a Prometheus query_range response ({"data":{"result":[…]}})' });
    return [];
  }
  const drafts: SeriesDraft[] = [];
  let badSamples = 0;
  for (const result of results) {
    if (!isFields(result)) {
      problems.add({ path, message: 'a result entry is not an object; skipped' });
      continue;
    }
    const labels = labelsOf(result.metric);
    const name = labels.__name__ || fileSeriesName(path);
    delete labels.__name__;
    const raw = Array.isArray(result.values) ? result.values : Array.isArray(result.value) ? [result.value] : [];
    const samples: Sample[] = [];
    for (const pair of raw) {
      const t = Array.isArray(pair) ? parseTime(pair[0]) : null;
      const value = Array.isArray(pair) ? parseSampleValue(pair[1]) : { v: null, ok: false };
      if (t === null || !value.ok) {
        badSamples += 1;
        if (t === null) continue;
      }
      samples.push({ t, v: value.v });
    }
    drafts.push({ name, service: serviceFromLabels(labels) ?? folderService(path, rootName), labels, file: path, samples });
  }
  if (badSamples > 0) problems.add({ path, message: `${badSamples} malformed sample(s): bad time skipped, bad value read as a gap` });
  return drafts;
}
