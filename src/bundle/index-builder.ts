// The bundle index: one pass over every file, so a tool can say what the bundle holds (services,
// time span, series, changes, diffs, log volumes and levels) without reading it again.
// Logs are walked in event batches, two files at a time: parsing is the bottleneck, not the disk.

import { logFormat, readLogEventBatches } from './logs.js';
import type { ProblemSink } from './problems.js';
import type { Bundle, BundleFile, BundleIndex, LogFileSummary } from './types.js';

/** A log line may carry a service of its own; beyond this many per file the rest are not listed. */
const MAX_SERVICES_PER_LOG = 200;
const LOG_CONCURRENCY = 2;

export interface IndexSource extends Bundle {
  problemLog(): ProblemSink;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The index pass was aborted', 'AbortError');
}

async function summarizeLog(file: BundleFile, problems: ProblemSink, signal: AbortSignal | undefined): Promise<LogFileSummary> {
  const stats = { events: 0, malformed: 0 };
  const services = new Set<string>();
  const levels: Record<string, number> = {};
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for await (const batch of readLogEventBatches(file, problems, { signal, stats })) {
    for (const event of batch) {
      if (event.t !== null) {
        if (event.t < start) start = event.t;
        if (event.t > end) end = event.t;
      }
      if (event.level !== null) levels[event.level] = (levels[event.level] ?? 0) + 1;
      if (services.size < MAX_SERVICES_PER_LOG) services.add(event.service);
    }
  }
  return {
    file: file.path,
    format: logFormat(file),
    gzip: file.gzip,
    bytes: file.size,
    events: stats.events,
    services: [...services].sort(),
    levels,
    start: Number.isFinite(start) ? start : null,
    end: Number.isFinite(end) ? end : null,
    malformed: stats.malformed,
  };
}

async function summarizeLogs(files: readonly BundleFile[], problems: ProblemSink, signal: AbortSignal | undefined): Promise<LogFileSummary[]> {
  const out: LogFileSummary[] = new Array<LogFileSummary>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length && !signal?.aborted) {
      const k = next++;
      const file = files[k];
      if (file) out[k] = await summarizeLog(file, problems, signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOG_CONCURRENCY, files.length) }, worker));
  return out;
}

export async function buildIndex(bundle: IndexSource, signal?: AbortSignal): Promise<BundleIndex> {
  if (signal?.aborted) throw abortError(signal);
  const [alert, series, changes, diffs] = await Promise.all([bundle.alert(), bundle.series(), bundle.changes(), bundle.diffs()]);
  const logFiles = bundle.files.filter((file) => file.kind === 'log_text' || file.kind === 'log_jsonl');
  const logs = await summarizeLogs(logFiles, bundle.problemLog(), signal);
  if (signal?.aborted) throw abortError(signal);

  const services = new Set<string>();
  const times: number[] = [];
  if (alert?.service) services.add(alert.service);
  if (alert?.startedAt != null) times.push(alert.startedAt);
  const seriesIndex = series.map((one) => {
    if (one.service) services.add(one.service);
    const first = one.samples[0]?.t ?? null;
    const last = one.samples[one.samples.length - 1]?.t ?? null;
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
    problems: [...bundle.problems()],
  };
}
