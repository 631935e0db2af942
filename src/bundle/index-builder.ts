// The bundle index: one pass over every file, so a tool can say what the bundle holds (services,
// time span, series, changes, diffs, log volumes and levels) without reading it again. Each log
// is walked once as bytes (log-map.ts), which also maps it in blocks for later windowed reads;
// files go one after the other, since the walk is bound by the CPU, not the disk.

import { isMoreProblemsNote } from './problems.js';
import { fileLooksBinary } from './read-text.js';
import type { Alert, Bundle, BundleFile, BundleIndex, BundleProblem, Change, Diff, LogFileSummary, Series } from './types.js';

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The index pass was aborted', 'AbortError');
}

export async function buildIndex(bundle: Bundle, signal?: AbortSignal): Promise<BundleIndex> {
  if (signal?.aborted) throw abortError(signal);
  const [alert, series, changes, diffs] = await Promise.all([bundle.alert(), bundle.series(), bundle.changes(), bundle.diffs()]);
  const logFiles = bundle.files.filter((file) => file.kind === 'log_text' || file.kind === 'log_jsonl');
  const logs: LogFileSummary[] = [];
  for (const file of logFiles) {
    if (signal?.aborted) break;
    logs.push((await bundle.logMap(file, { signal })).summary);
  }
  if (signal?.aborted) throw abortError(signal);

  const services = new Set<string>();
  const times: number[] = [];
  if (alert?.service) services.add(alert.service);
  if (alert?.startedAt != null) times.push(alert.startedAt);
  const seriesIndex = series.map((one) => {
    if (one.service) services.add(one.service);
    // Where the series has data: leading and trailing gaps (NaN padding) are not part of it.
    const numbered = one.samples.filter((sample) => sample.v !== null);
    const first = numbered[0]?.t ?? null;
    const last = numbered[numbered.length - 1]?.t ?? null;
    if (first !== null && last !== null) times.push(first, last);
    return {
      id: one.id,
      name: one.name,
      service: one.service,
      file: one.file,
      samples: one.samples.length,
      gaps: one.samples.filter((sample) => sample.v === null).length,
      start: first,
      end: last,
    };
  });
  for (const change of changes) {
    if (change.service) services.add(change.service);
    if (change.at !== null) times.push(change.at);
    if (change.finishedAt !== null) times.push(change.finishedAt);
  }
  for (const log of logs) {
    for (const service of log.services) services.add(service);
    if (log.start !== null && log.end !== null) times.push(log.start, log.end);
  }
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const t of times) {
    if (t < start) start = t;
    if (t > end) end = t;
  }
  return {
    root: bundle.root,
    alert,
    services: [...services].sort(),
    timeSpan: times.length > 0 ? { start, end } : null,
    series: seriesIndex,
    changes: changes.map((change) => ({ id: change.id, service: change.service, type: change.type, at: change.at, diff: change.diff })),
    diffs: diffs.map((diff) => ({ path: diff.path, changeId: diff.changeId, files: diff.files.length })),
    logs,
    runbooks: bundle.files.filter((file) => file.kind === 'runbook').map((file) => file.path),
    unknown: bundle.files.filter((file) => file.kind === 'unknown').map((file) => file.path),
    skipped: await skippedFiles(bundle.files, { alert, series, changes, diffs, logs }, bundle.problems()),
    problems: [...bundle.problems()],
  };
}

interface Read {
  alert: Alert | null;
  series: readonly Series[];
  changes: readonly Change[];
  diffs: readonly Diff[];
  logs: readonly LogFileSummary[];
}

/** Whether a file gave anything to the investigation, by its kind. */
function gaveNothing(file: BundleFile, read: Read, problems: readonly BundleProblem[]): boolean {
  const path = file.path;
  switch (file.kind) {
    case 'alert_yaml':
    case 'alert_json':
      // An Alertmanager file beside the page is context; it is skipped only when it could not be read.
      return read.alert?.source !== path && problems.some((p) => p.path === path && p.line === undefined);
    case 'metrics_json':
    case 'metrics_csv':
      return !read.series.some((s) => s.file === path && s.samples.some((sample) => sample.v !== null));
    case 'changes':
      return !read.changes.some((change) => change.file === path);
    case 'diff':
      return !read.diffs.some((diff) => diff.path === path && diff.files.length > 0);
    case 'log_text':
    case 'log_jsonl':
      return (read.logs.find((log) => log.file === path)?.events ?? 0) === 0;
    case 'runbook':
    case 'problems':
    case 'unknown':
      return false;
  }
}

const NOTHING: Record<BundleFile['kind'], string> = {
  alert_yaml: 'not an incident.yaml with title, service and started_at',
  alert_json: 'not an Alertmanager payload',
  metrics_json: 'holds no sample that could be read',
  metrics_csv: 'holds no sample that could be read',
  changes: 'holds no change that could be read',
  diff: 'no file changes found in this diff',
  log_text: 'no line starts with a timestamp (see the log layouts the bundle format accepts)',
  log_jsonl: 'no line is a JSON object with a time (time, ts, timestamp or @timestamp)',
  runbook: '',
  problems: '',
  unknown: '',
};

/**
 * The files that gave nothing, each with the first thing said about it (a problem of the
 * whole file first), else what its kind needed and it lacked; a log that is binary says so.
 */
async function skippedFiles(files: readonly BundleFile[], read: Read, problems: readonly BundleProblem[]): Promise<BundleIndex['skipped']> {
  const skipped: BundleIndex['skipped'] = [];
  for (const file of files) {
    if (!gaveNothing(file, read, problems)) continue;
    const own = problems.filter((p) => p.path === file.path);
    const whole = own.find((p) => p.line === undefined && !isMoreProblemsNote(p));
    const isLog = file.kind === 'log_text' || file.kind === 'log_jsonl';
    let reason = whole?.message.replace(/^not read: /, '') ?? NOTHING[file.kind];
    if (file.size === 0) reason = 'empty file';
    else if (isLog && whole === undefined && (await fileLooksBinary(file.absPath, file.gzip))) reason = 'binary data, not text';
    skipped.push({ path: file.path, reason });
  }
  return skipped;
}
