// The body of `incident collect`: flags checked into a plan before anything is read, the
// output folder chosen (an unfinished collection of the same plan here is continued),
// progress and problems on stderr, the bundle's path on stdout.
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CollectPlan, CollectProblem, Progress } from '../collect/index.js';
import { Cancelled, EXIT, InputError, type ExitCode } from '../errors.js';
import type { CollectFlags } from './commands/collect.js';
import { processIO } from './io.js';

/** Secrets of incident itself never reach a source's command (git, kubectl). */
const WITHHELD = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'INCIDENT_RUNTIME_KEY'];

export function commandEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of WITHHELD) delete out[name];
  return out;
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${flag} ${value} is not a positive whole number`, { hint: `e.g. ${flag} 50` });
  return n;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

export function parseSize(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = SIZE_UNITS[(match?.[2] ?? '').toLowerCase()];
  const bytes = match && unit !== undefined ? Math.round(Number(match[1]) * unit) : Number.NaN;
  if (!Number.isFinite(bytes) || bytes < 1024) throw new InputError(`${flag} ${value} is not a size of 1KiB or more`, { hint: `e.g. ${flag} 16MiB, 512KiB` });
  return bytes;
}

function checkUrl(value: string | undefined, flag: string, baseUrl: (text: string) => URL | null): void {
  if (value !== undefined && baseUrl(value) === null) throw new InputError(`${flag} ${value} is not an http(s) URL`, { hint: `like ${flag} http://127.0.0.1:9090` });
}

function gitServices(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.lastIndexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new InputError(`--git-service ${pair} is not prefix=service`, { hint: 'e.g. --git-service services/cart/=cart or --git-service checkout-api=checkout' });
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** Every flag checked, every path made absolute: the plan is what the manifest keys on. */
export async function planFromFlags(flags: CollectFlags): Promise<CollectPlan> {
  const { DEFAULT_LIMITS, baseUrl, checkTimeSpec } = await import('../collect/index.js');
  const { parseTimeout } = await import('./options.js');
  for (const [flag, spec] of [['--since', flags.since], ['--until', flags.until]] as const) {
    const problem = checkTimeSpec(spec);
    if (problem !== null) throw new InputError(`${flag} ${spec} ${problem}`, { hint: 'give a time (2026-11-20T14:00:00Z), a duration ago (3h), now-30m, alert-1h or alert+15m' });
  }
  if (flags.startedAt !== undefined && checkTimeSpec(flags.startedAt) !== null) {
    throw new InputError(`--started-at ${flags.startedAt} is not a time`, { hint: 'give an RFC 3339 time or epoch seconds' });
  }
  checkUrl(flags.alertmanager, '--alertmanager', baseUrl);
  checkUrl(flags.prometheus, '--prometheus', baseUrl);
  const timeoutMs = (await parseTimeout(flags.timeout)) ?? 30_000;
  const limits = {
    points: Math.max(2, positiveInt(flags.maxPoints, '--max-points')),
    queries: positiveInt(flags.maxQueries, '--max-queries'),
    seriesPerQuery: positiveInt(flags.maxSeries, '--max-series'),
    services: positiveInt(flags.maxServices, '--max-services'),
    logBytes: parseSize(flags.maxLogBytes, '--max-log-bytes'),
    patchBytes: parseSize(flags.maxPatchBytes, '--max-patch-bytes'),
    changesPerRepo: positiveInt(flags.maxChanges, '--max-changes'),
  };
  const alert: CollectPlan['alert'] =
    flags.alertmanager !== undefined
      ? { kind: 'alertmanager', url: flags.alertmanager, ...(flags.alert !== undefined ? { alertname: flags.alert } : {}), ...(flags.fingerprint !== undefined ? { fingerprint: flags.fingerprint } : {}) }
      : {
          kind: 'manual',
          service: flags.service ?? '',
          ...(flags.title !== undefined ? { title: flags.title } : {}),
          ...(flags.severity !== undefined ? { severity: flags.severity } : {}),
          ...(flags.startedAt !== undefined ? { startedAt: flags.startedAt } : {}),
        };
  return {
    out: flags.out === undefined ? '' : resolve(flags.out),
    alert,
    ...(flags.service !== undefined ? { service: flags.service } : {}),
    since: flags.since,
    until: flags.until,
    ...(flags.prometheus !== undefined ? { prometheus: flags.prometheus } : {}),
    ...(flags.git !== undefined && flags.git.length > 0
      ? { git: { repos: flags.git.map((repo) => resolve(repo)), ...(flags.gitRef !== undefined ? { ref: flags.gitRef } : {}), services: gitServices(flags.gitService) } }
      : {}),
    ...(flags.changes !== undefined ? { changes: flags.changes.map((file) => resolve(file)) } : {}),
    logs: flags.logs.map((spec) => ({ spec })),
    timeoutMs,
    limits: { ...DEFAULT_LIMITS, ...limits },
  };
}

function subjectOf(plan: CollectPlan): string {
  const alert = plan.alert;
  const name = alert?.kind === 'alertmanager' ? (alert.alertname ?? plan.service ?? 'alert') : (plan.service ?? 'incident');
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'incident';
}

/** An unfinished collection of this plan in the current folder, else a new folder named after the page and the time. */
async function defaultOut(plan: CollectPlan, cwd: string): Promise<string> {
  const { planKey, readManifest } = await import('../collect/index.js');
  const key = planKey({ ...plan, out: '' });
  const names = await readdir(cwd).catch(() => [] as string[]);
  for (const name of names.filter((candidate) => candidate.startsWith('incident-')).sort().reverse()) {
    const manifest = await readManifest(join(cwd, name));
    if (manifest !== null && manifest.key === key && !manifest.complete) return join(cwd, name);
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return join(cwd, `incident-${subjectOf(plan)}-${stamp}`);
}

export function stderrProgress(write: (line: string) => void): Progress {
  return {
    step: (line) => write(`collect: ${line}`),
    problem: (problem: CollectProblem) => write(`collect: problem: ${problem.source}: ${problem.message}${problem.path ? ` [${problem.path}]` : ''}`),
  };
}

export async function runCollect(plan: CollectPlan): Promise<ExitCode> {
  const io = processIO();
  const { collect } = await import('../collect/index.js');
  const out = plan.out === '' ? await defaultOut(plan, process.cwd()) : plan.out;
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await collect(
      { ...plan, out },
      { progress: stderrProgress((line) => io.stderr.write(`${line}\n`)), env: commandEnv(io.env), signal: controller.signal },
    );
    if (result.alreadyComplete) io.stderr.write(`collect: ${result.root} already holds this collection (delete it, or give another --out, to collect again)\n`);
    const data = result.files.filter((file) => /^(metrics|logs|diffs)\//.test(file) || file === 'changes.yaml');
    const asked = plan.prometheus !== undefined || (plan.git?.repos.length ?? 0) > 0 || (plan.changes?.length ?? 0) > 0 || (plan.logs?.length ?? 0) > 0;
    io.stderr.write(`collect: wrote ${result.files.length} files${result.problems.length > 0 ? `, ${result.problems.length} problems (in problems.json)` : ''}\n`);
    io.stdout.write(`${result.root}\n`);
    if (asked && data.length === 0) {
      io.stderr.write('incident: no source gave anything (see the problems above); the bundle holds only the page and what failed\n');
      return EXIT.runtime;
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof Cancelled) throw new Cancelled(`interrupted: run the same command again to continue the collection in ${out}`);
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
