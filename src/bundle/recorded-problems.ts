// `problems.json` at the bundle root: what whoever assembled the bundle could not get — a
// Prometheus that did not answer, a repository that was not one, a log cut to its cap
// (`incident collect` writes it). Each entry joins the bundle's own problems, so a missing
// source is said wherever the bundle is described instead of being silently absent.
//
// Shape: `{"problems": [{"source": "prometheus http://…", "path": "metrics/", "message": "…"}]}`
// (a bare list, and plain strings as entries, are read too). `path` says which part of the
// bundle is affected; without it the entry is reported against `problems.json`.

import { describeError, type ProblemSink } from './problems.js';

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export function parseRecordedProblems(source: string, path: string, problems: ProblemSink): void {
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch (error) {
    problems.add({ path, message: `not valid JSON: ${describeError(error).split('\n')[0] ?? ''}` });
    return;
  }
  const list = Array.isArray(doc) ? doc : isFields(doc) && Array.isArray(doc.problems) ? doc.problems : null;
  if (list === null) {
    problems.add({ path, message: 'expected {"problems": [{"source", "message"}, …]}' });
    return;
  }
  for (const entry of list) {
    const plain = text(entry);
    if (plain !== null) {
      problems.add({ path, message: plain });
      continue;
    }
    if (!isFields(entry)) continue;
    const message = text(entry.message);
    if (message === null) continue;
    const from = text(entry.source);
    problems.add({ path: text(entry.path) ?? path, message: from === null ? message : `${from}: ${message}` });
  }
}
