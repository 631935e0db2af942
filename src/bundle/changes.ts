// `changes.yaml` / `changes.json`: deploys, config changes, feature flags, infra changes, rollbacks.
// A list, or `{changes: [...]}`. Fields the format names are mapped; every other field is kept as
// an attribute. In YAML a version such as `1.10` stays the text the author wrote, not the number 1.1.

import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { diffPathForId, resolveDeclaredDiff } from './diff-links.js';
import type { ProblemSink } from './problems.js';
import { describeError } from './problems.js';
import { parseTime } from './time.js';
import type { Change } from './types.js';

type Fields = Record<string, unknown>;

const AT_KEYS = ['at', 'started_at', 'startedAt', 'timestamp', 'time'] as const;
const FINISHED_KEYS = ['finished_at', 'finishedAt', 'completed_at', 'ended_at'] as const;
const TYPE_ALIASES: Record<string, string> = {
  deployment: 'deploy',
  release: 'deploy',
  configuration: 'config',
  config_change: 'config',
  flag: 'feature_flag',
  featureflag: 'feature_flag',
  feature: 'feature_flag',
  infrastructure: 'infra',
  rollout: 'deploy',
  revert: 'rollback',
};

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return null;
}

function normalizeType(value: unknown): string {
  const raw = text(value);
  if (raw === null) return 'unknown';
  const type = raw.toLowerCase().replace(/[\s-]+/g, '_');
  return TYPE_ALIASES[type] ?? type;
}

/** JSON-friendly attribute values: dates (unquoted YAML timestamps) become RFC 3339 text. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : null;
  if (Array.isArray(value)) return value.map(plain);
  if (isFields(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** The list of change records and, for YAML, the source text of each numeric scalar (by item, then key). */
function readDocument(source: string, path: string, problems: ProblemSink): { items: unknown[]; sources: Array<Map<string, string>> } | null {
  if (path.toLowerCase().replace(/\.gz$/, '').endsWith('.json')) {
    let doc: unknown;
    try {
      doc = JSON.parse(source);
    } catch (error) {
      problems.add({ path, message: `not valid JSON: ${describeError(error)}` });
      return null;
    }
    const items = Array.isArray(doc) ? doc : isFields(doc) && Array.isArray(doc.changes) ? doc.changes : null;
    return items ? { items, sources: [] } : null;
  }
  const doc = parseDocument(source);
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line;
    const message = `not valid YAML: ${error.message.split('\n')[0] ?? ''}`;
    problems.add(line === undefined ? { path, message } : { path, line, message });
    return null;
  }
  if (doc.contents === null) return { items: [], sources: [] };
  let seq: unknown = doc.contents;
  if (isMap(seq)) seq = seq.get('changes', true);
  if (!isSeq(seq)) return null;
  const js = doc.toJS() as unknown;
  const list = Array.isArray(js) ? js : isFields(js) && Array.isArray(js.changes) ? js.changes : [];
  const sources = seq.items.map((node) => {
    const numbers = new Map<string, string>();
    if (!isMap(node)) return numbers;
    for (const pair of node.items) {
      const value = pair.value as Node | null;
      if (isScalar(pair.key) && isScalar(value) && typeof value.value === 'number' && value.source !== undefined) {
        numbers.set(String(pair.key.value), value.source);
      }
    }
    return numbers;
  });
  return { items: list, sources };
}

export interface ChangeContext {
  path: string;
  filePaths: readonly string[];
  diffPaths: readonly string[];
}

export function parseChanges(source: string, context: ChangeContext, problems: ProblemSink): Change[] {
  const { path } = context;
  const read = readDocument(source, path, problems);
  if (read === null) {
    if (source.trim() !== '') problems.add({ path, message: 'expected a list of changes, or {changes: [...]}' });
    return [];
  }
  const changes: Change[] = [];
  const ids = new Set<string>();
  read.items.forEach((item, index) => {
    if (!isFields(item)) {
      problems.add({ path, message: `change #${index + 1} is not a mapping; skipped` });
      return;
    }
    const numbers = read.sources[index];
    const field = (key: string): string | null => numbers?.get(key) ?? text(item[key]);
    const used = new Set<string>(['id', 'service', 'type', 'version', 'author', 'commit', 'summary', 'diff']);
    const pick = (keys: readonly string[]): number | null => {
      for (const key of keys) {
        if (item[key] === undefined || item[key] === null) continue;
        used.add(key);
        return parseTime(item[key]);
      }
      return null;
    };
    let id = field('id');
    if (id === null) {
      id = `change-${index + 1}`;
      problems.add({ path, message: `change #${index + 1} has no id; called ${id}` });
    }
    if (ids.has(id)) problems.add({ path, message: `change id ${id} appears more than once` });
    ids.add(id);
    const at = pick(AT_KEYS);
    if (at === null) problems.add({ path, message: `change ${id} has no readable time (at, started_at, timestamp or time)` });
    const finishedAt = pick(FINISHED_KEYS);
    const declared = text(item.diff);
    let diff = declared === null ? null : resolveDeclaredDiff(declared, context.filePaths, context.diffPaths);
    if (declared !== null && diff === null) problems.add({ path, message: `change ${id}: diff ${declared} is not in the bundle` });
    diff ??= diffPathForId(id, context.diffPaths);
    const summary = field('summary') ?? text(item.description);
    if (field('summary') === null && summary !== null) used.add('description');
    const attributes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(item)) {
      if (!used.has(key)) attributes[key] = plain(value);
    }
    changes.push({
      id,
      service: field('service'),
      type: normalizeType(item.type),
      at,
      finishedAt,
      version: field('version'),
      author: field('author'),
      commit: field('commit'),
      summary,
      diff,
      attributes,
      file: path,
    });
  });
  // By time; changes without one go last, in file order.
  return changes.sort((a, b) => (a.at === null ? (b.at === null ? 0 : 1) : b.at === null ? -1 : a.at - b.at));
}
