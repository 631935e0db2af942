// The live systems behind the bundle's reading interface. On first use the hands gather
// from Prometheus (series discovered from the server, query_range with the step chosen
// from the window, histograms as quantiles), git (log and show over the window) and the
// log commands, with the same readers `incident collect` uses, into a private folder; the
// tools then read that folder through the bundle readers, beside the session's own files.
// So every tool keeps its result shapes, bounds and redaction, and a diagnosis over live
// systems is the one `incident collect` + `incident diagnose` would give.
//
// The session's files win: their page is the page (else Alertmanager's, else the
// configured service), and a file they hold is not replaced by a gathered one. A source
// that fails is one of the bundle's problems (describe_bundle lists it), never a throw.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMappedBundle, type Alert, type Bundle, type MappedFile } from '../bundle/index.js';
import { collect, collectLimits, type AlertSource, type CollectPlan, type Progress } from '../collect/index.js';
import type { LiveConfig } from './config.js';

export interface LiveOptions {
  config: LiveConfig;
  /** The session's own files (the page, runbooks); may be empty. */
  mounted: Bundle;
  /** The environment log commands and git run with: the allow-listed variables and the credentials the sources name. */
  env: NodeJS.ProcessEnv;
  /** The name the bundle is shown under (the mount root). */
  root: string;
  /** What the gathering does and what failed, as it happens (the worker's log). */
  log?: (line: string) => void;
  /** Epoch ms taken as "now" (tests); default the clock. */
  now?: number;
}

export interface LiveBundle {
  bundle: Bundle;
  /** The folder the gathered files are in. */
  folder: string;
  /** Removes the gathered files. */
  close(): Promise<void>;
}

/** Files that carry the page: the session's, when it has one, stand for the gathered ones. */
const PAGE_FILES = new Set(['incident.yaml', 'incident.yml', 'alert.json']);

function iso(ms: number | null): string | undefined {
  return ms === null ? undefined : new Date(ms).toISOString();
}

/** Where the page comes from: the session's files, else Alertmanager, else the configured service. */
function alertSource(page: Alert | null, config: LiveConfig): AlertSource | null {
  if (page !== null) {
    const startedAt = iso(page.startedAt);
    return {
      kind: 'manual',
      service: page.service ?? config.service ?? '',
      title: page.title,
      ...(page.severity !== null ? { severity: page.severity } : {}),
      ...(startedAt !== undefined ? { startedAt } : {}),
    };
  }
  if (config.alertmanager !== undefined) return { kind: 'alertmanager', url: config.alertmanager, ...(config.alert !== undefined ? { alertname: config.alert } : {}) };
  if (config.service !== undefined) return { kind: 'manual', service: config.service };
  return null;
}

export function livePlan(config: LiveConfig, page: Alert | null, out: string): CollectPlan {
  const { limits } = config;
  const service = page?.service ?? config.service;
  return {
    out,
    alert: alertSource(page, config),
    ...(service !== undefined && service !== null ? { service } : {}),
    since: config.since,
    until: config.until,
    ...(config.prometheus !== undefined ? { prometheus: config.prometheus } : {}),
    ...(config.git.length > 0 ? { git: { repos: config.git, ...(config.gitRef !== undefined ? { ref: config.gitRef } : {}), services: config.gitServices } } : {}),
    logs: config.logs.map((spec) => ({ spec })),
    timeoutMs: config.timeoutMs,
    limits: collectLimits(limits),
  };
}

/** Gathers from the live systems and opens what was gathered, with the session's files, as one bundle. */
export async function openLiveBundle(options: LiveOptions): Promise<LiveBundle> {
  const page = await options.mounted.alert();
  const folder = await mkdtemp(join(tmpdir(), 'incident-live-'));
  const log = options.log ?? ((): void => undefined);
  const progress: Progress = {
    step: (line) => log(`live: ${line}`),
    problem: (problem) => log(`live: problem: ${problem.source}: ${problem.message}`),
  };
  try {
    const out = join(folder, 'bundle');
    const result = await collect(livePlan(options.config, page, out), { progress, env: options.env, ...(options.now !== undefined ? { now: options.now } : {}) });
    const own = new Set(options.mounted.files.map((file) => file.path));
    const entries: MappedFile[] = options.mounted.files.map((file) => ({ path: file.path, source: file.absPath }));
    for (const path of result.files) {
      if (own.has(path) || (page !== null && PAGE_FILES.has(path))) continue;
      entries.push({ path, source: join(out, ...path.split('/')) });
    }
    const bundle = await openMappedBundle(entries, options.root);
    return { bundle, folder, close: () => rm(folder, { recursive: true, force: true }) };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}
