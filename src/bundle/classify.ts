// What a bundle file is, from its path alone. By folder first (`metrics/`, `logs/`, `diffs/`,
// `runbooks/` at any depth, file names free), then by the well-known names at the root, then by
// extension. A file given by itself has its own folder as a hint (`…/logs/api.log` → a log).

import type { BundleFileKind } from './types.js';

type Folder = 'metrics' | 'logs' | 'diffs' | 'runbooks';

const FOLDERS: ReadonlyMap<string, Folder> = new Map<string, Folder>([
  ['metrics', 'metrics'],
  ['metric', 'metrics'],
  ['logs', 'logs'],
  ['log', 'logs'],
  ['diffs', 'diffs'],
  ['diff', 'diffs'],
  ['patches', 'diffs'],
  ['runbooks', 'runbooks'],
  ['runbook', 'runbooks'],
]);

const ROOT_NAMES: ReadonlyMap<string, BundleFileKind> = new Map<string, BundleFileKind>([
  ['incident.yaml', 'alert_yaml'],
  ['incident.yml', 'alert_yaml'],
  ['alert.json', 'alert_json'],
  ['changes.yaml', 'changes'],
  ['changes.yml', 'changes'],
  ['changes.json', 'changes'],
  ['problems.json', 'problems'],
]);

/** True for a folder name that holds metrics (whose name is then no service). */
export function isMetricsFolder(name: string): boolean {
  return FOLDERS.get(name.toLowerCase()) === 'metrics';
}

function byFolder(folder: Folder, name: string): BundleFileKind {
  switch (folder) {
    case 'metrics':
      if (/\.json$/.test(name)) return 'metrics_json';
      if (/\.csv$/.test(name)) return 'metrics_csv';
      return 'unknown';
    case 'logs':
      return /\.(?:jsonl|ndjson)$/.test(name) ? 'log_jsonl' : 'log_text';
    case 'diffs':
      return 'diff';
    case 'runbooks':
      return 'runbook';
  }
}

function byExtension(name: string): BundleFileKind {
  if (/\.(?:patch|diff)$/.test(name)) return 'diff';
  if (/\.(?:jsonl|ndjson)$/.test(name)) return 'log_jsonl';
  if (/\.log$/.test(name)) return 'log_text';
  if (/\.md$/.test(name)) return 'runbook';
  return 'unknown';
}

/**
 * Classifies a bundle-relative posix path. `rootHints` are the names of the bundle root and the
 * folders above it, for a bundle given as a list of files: a file at the root that nothing else
 * recognises takes its kind from them (`…/metrics/checkout/p99.json` given alone is still metrics).
 */
export function classifyPath(path: string, rootHints: readonly string[] = []): BundleFileKind {
  const segments = path.split('/');
  const base = segments.pop() ?? '';
  const lower = base.toLowerCase();
  // `api.log.gz` is classified as `api.log`, `p99.json.gz` as `p99.json`.
  const name = lower.endsWith('.gz') ? lower.slice(0, -3) : lower;
  for (const segment of segments) {
    const folder = FOLDERS.get(segment.toLowerCase());
    if (folder) return byFolder(folder, name);
  }
  if (segments.length > 0) return byExtension(name);
  const known = ROOT_NAMES.get(name) ?? byExtension(name);
  if (known !== 'unknown') return known;
  for (const hint of rootHints) {
    const folder = FOLDERS.get(hint.toLowerCase());
    if (folder) return byFolder(folder, name);
  }
  return 'unknown';
}
