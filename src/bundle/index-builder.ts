// The bundle index: one pass over every file, so a tool can say what the bundle holds (services,
// time span, series, changes, diffs, log volumes and levels) without reading it again. Each log
// is walked once as bytes (log-map.ts), which also maps it in blocks for later windowed reads;
// files go one after the other, since the walk is bound by the CPU, not the disk.

import type { Bundle, BundleIndex, LogFileSummary } from './types.js';

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
    problems: [...bundle.problems()],
  };
}
