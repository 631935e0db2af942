// A bundle from live systems: the page, then the window, then each source in turn
// (Prometheus, git, changes files, logs), every step recorded in the folder's manifest
// as it finishes. A source that fails is a problem of the bundle (problems.json), said on
// the way, and the collection goes on; an interrupted one continues where it stopped when
// the same plan runs again.
import { readdir, readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { parseTime } from '../bundle/index.js';
import { Cancelled, InputError } from '../errors.js';
import { fetchAlert, incidentYaml, type Page } from './alert.js';
import { readChangesFile } from './changes-file.js';
import type { CommandOptions } from './command.js';
import { collectGit, type ChangeEntry } from './git.js';
import { collectLogs } from './logs.js';
import { Manifest, type StepRecord } from './manifest.js';
import { BundleOutput, STATE_DIR } from './output.js';
import { planKey, type CollectPlan } from './plan.js';
import { reasonOf, SourceError, type CollectProblem, type Progress } from './problems.js';
import { discover, queryRange, type Discovery } from './prometheus.js';
import { DEFAULT_SINCE, DEFAULT_UNTIL, needsAlert, resolveWindow, type Window } from './window.js';

export interface CollectOptions {
  progress: Progress;
  /** The environment commands (git, log commands) run with. */
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Epoch ms taken as "now" (tests); default the clock. */
  now?: number;
}

export interface CollectResult {
  root: string;
  /** Bundle paths written, across every run of this plan. */
  files: string[];
  problems: CollectProblem[];
  /** It continued a collection an earlier run had started. */
  resumed: boolean;
  /** An earlier run had already finished it: nothing was collected now. */
  alreadyComplete: boolean;
  page: Page | null;
  window: Window;
}

/** After this many failures in a row that are the server's (unreachable, too slow), its other queries are skipped. */
const MAX_SERVER_FAILURES = 2;

async function folderIsEmpty(root: string): Promise<boolean> {
  const names = await readdir(root).catch(() => [] as string[]);
  return names.every((name) => name === STATE_DIR);
}

function isServerFailure(error: unknown): boolean {
  return error instanceof SourceError && /cannot reach|did not answer within|answered HTTP 5\d\d/.test(error.message);
}

class Run {
  constructor(
    readonly plan: CollectPlan,
    readonly manifest: Manifest,
    readonly output: BundleOutput,
    readonly options: CollectOptions,
  ) {}

  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  checkAborted(): void {
    if (this.signal?.aborted) throw new Cancelled('interrupted');
  }

  /** A problem of the collection as a whole (not of one source's step), kept in the manifest at once. */
  async note(problem: CollectProblem): Promise<void> {
    const notes = this.manifest.state.steps['notes'] ?? { ok: true, files: [], problems: [] };
    if (notes.problems.some((known) => known.message === problem.message && known.source === problem.source)) return;
    this.options.progress.problem(problem);
    await this.manifest.record('notes', { ...notes, problems: [...notes.problems, problem] });
  }

  /** Runs a step unless an earlier run finished it; its failure is recorded as a problem, never thrown. */
  async step(id: string, source: string, path: string | undefined, work: () => Promise<StepRecord>): Promise<StepRecord> {
    const done = this.manifest.done(id);
    if (done) return done;
    this.checkAborted();
    let record: StepRecord;
    try {
      record = await work();
    } catch (error) {
      if (this.signal?.aborted) throw new Cancelled('interrupted');
      const problem: CollectProblem = { source, ...(path ? { path } : {}), message: reasonOf(error) };
      this.options.progress.problem(problem);
      record = { ok: false, files: [], problems: [problem] };
    }
    await this.manifest.record(id, record);
    return record;
  }

  commandOptions(): CommandOptions {
    return { env: this.options.env, timeoutMs: this.plan.timeoutMs, ...(this.signal ? { signal: this.signal } : {}) };
  }
}

async function collectAlertStep(run: Run): Promise<{ page: Page | null; failed: boolean }> {
  const source = run.plan.alert;
  if (source === null) return { page: null, failed: false };
  const label = source.kind === 'alertmanager' ? `alertmanager ${source.url}` : source.kind === 'payload' ? 'alertmanager webhook' : 'alert';
  const record = await run.step('alert', label, 'alert.json', async () => {
    const fetched = await fetchAlert(source, { timeoutMs: run.plan.timeoutMs, ...(run.signal ? { signal: run.signal } : {}), ...(run.plan.service ? { service: run.plan.service } : {}) });
    const files: string[] = [];
    if (fetched.payload !== null) {
      await run.output.write('alert.json', `${JSON.stringify(fetched.payload, null, 2)}\n`);
      files.push('alert.json');
    }
    const page = fetched.page;
    run.options.progress.step(`alert: ${page.title}${page.service ? ` (service ${page.service})` : ''}${page.startedAt !== null ? `, started ${new Date(page.startedAt).toISOString()}` : ''}`);
    const context = source.kind === 'payload' && source.alertmanager !== undefined ? `alertmanager ${source.alertmanager}` : label;
    const problems: CollectProblem[] = fetched.missing.map((message) => ({ source: context, path: 'alert.json', message }));
    for (const problem of problems) run.options.progress.problem(problem);
    return { ok: true, files, problems, data: page };
  });
  return { page: record.ok ? (record.data as Page) : null, failed: !record.ok };
}

/** The window: fixed by the first run, so a rerun reads the same hours. */
async function windowStep(run: Run, page: Page | null, alertFailed: boolean): Promise<Window> {
  if (run.manifest.state.window) return run.manifest.state.window;
  const now = run.options.now ?? Date.now();
  const context = { now, alertStart: page?.startedAt ?? null };
  let window: Window;
  try {
    window = resolveWindow(run.plan.since, run.plan.until, context);
  } catch (error) {
    // The window was to be read off the alert, and the alert could not be had: the default window, said.
    if (!(error instanceof InputError) || !alertFailed || !(needsAlert(run.plan.since) || needsAlert(run.plan.until))) throw error;
    window = resolveWindow(DEFAULT_SINCE, DEFAULT_UNTIL, context);
    await run.note({ source: 'window', message: `the alert could not be read, so the window is the last 3 hours instead of ${run.plan.since} to ${run.plan.until}` });
  }
  await run.manifest.setWindow(window);
  run.options.progress.step(`window: ${new Date(window.since).toISOString()} to ${new Date(window.until).toISOString()}`);
  return window;
}

async function prometheusSteps(run: Run, window: Window, service: string | null): Promise<string[]> {
  const url = run.plan.prometheus;
  if (url === undefined) return [];
  const source = `prometheus ${url}`;
  if (service === null) {
    await run.note({ source, path: 'metrics/', message: 'no service to collect metrics for: the alert names none (give --service)' });
    return [];
  }
  const limits = run.plan.limits;
  const discovered = await run.step('prometheus', source, 'metrics/', async () => {
    const found = await discover({
      url,
      service,
      window,
      timeoutMs: run.plan.timeoutMs,
      ...(run.signal ? { signal: run.signal } : {}),
      maxPoints: limits.points,
      maxQueries: limits.queries,
      maxServices: limits.services,
    });
    const problems: CollectProblem[] = [];
    if (found.droppedQueries > 0) problems.push({ source, path: 'metrics/', message: `${found.droppedQueries} more signals were left out by the query limit (${limits.queries})` });
    if (found.leftOut.length > 0) problems.push({ source, path: 'metrics/', message: `neighbours left out by the service limit (${limits.services}): ${found.leftOut.join(', ')}` });
    for (const problem of problems) run.options.progress.problem(problem);
    run.options.progress.step(`prometheus: ${found.queries.length} signals of ${found.services.join(', ')} (step ${found.stepSeconds}s)`);
    return { ok: true, files: [], problems, data: found };
  });
  if (!discovered.ok) return [];
  const found = discovered.data as Discovery;
  let failuresInRow = 0;
  let skipped = 0;
  for (const [index, query] of found.queries.entries()) {
    if (failuresInRow >= MAX_SERVER_FAILURES && !run.manifest.done(`metrics:${query.file}`)) {
      skipped += 1;
      continue;
    }
    const record = await run.step(`metrics:${query.file}`, source, query.file, async () => {
      try {
        const result = await queryRange({
          url,
          query: query.query,
          window,
          stepSeconds: found.stepSeconds,
          timeoutMs: run.plan.timeoutMs,
          maxSeries: limits.seriesPerQuery,
          ...(run.signal ? { signal: run.signal } : {}),
        });
        failuresInRow = 0;
        const problems: CollectProblem[] = [];
        if (result.cut > 0) problems.push({ source, path: query.file, message: `${result.cut} series cut (kept the ${result.series} that peak highest; raise the series limit to keep more)` });
        for (const problem of problems) run.options.progress.problem(problem);
        if (result.series === 0) {
          run.options.progress.step(`metrics ${index + 1}/${found.queries.length}: ${query.file}: no data`);
          return { ok: true, files: [], problems };
        }
        await run.output.write(query.file, `${JSON.stringify(result.body)}\n`);
        run.options.progress.step(`metrics ${index + 1}/${found.queries.length}: ${query.file} (${result.series} series)`);
        return { ok: true, files: [query.file], problems };
      } catch (error) {
        failuresInRow = isServerFailure(error) ? failuresInRow + 1 : 0;
        throw error;
      }
    });
    if (record.ok) failuresInRow = 0;
  }
  // Recorded as a failed step of its own, so a rerun tries those queries again and the note goes once they are done.
  if (skipped > 0) {
    const problem: CollectProblem = { source, path: 'metrics/', message: `${skipped} more queries were not tried after ${MAX_SERVER_FAILURES} failures in a row; run the same command again to retry them` };
    run.options.progress.problem(problem);
    await run.manifest.record('metrics:skipped', { ok: false, files: [], problems: [problem] });
  } else {
    await run.manifest.forget('metrics:skipped');
  }
  return found.services;
}

async function changeSteps(run: Run, window: Window, knownServices: ReadonlySet<string>): Promise<ChangeEntry[]> {
  const changes: ChangeEntry[] = [];
  const git = run.plan.git;
  for (const repo of git?.repos ?? []) {
    const source = `git ${repo}`;
    const record = await run.step(`git:${repo}`, source, 'changes.yaml', async () => {
      const found = await collectGit({
        repo,
        ref: git?.ref ?? 'HEAD',
        window,
        mapping: git?.services ?? {},
        knownServices,
        maxChanges: run.plan.limits.changesPerRepo,
        patchBytes: run.plan.limits.patchBytes,
        command: run.commandOptions(),
      });
      for (const [path, text] of found.patches) await run.output.write(path, text);
      for (const problem of found.problems) run.options.progress.problem(problem);
      run.options.progress.step(`git ${repo}: ${found.changes.length} changes (${found.changes.filter((c) => c.type === 'config').length} config)`);
      return { ok: true, files: [...found.patches.keys()], problems: found.problems, data: found.changes };
    });
    if (record.ok) changes.push(...(record.data as ChangeEntry[]));
  }
  for (const file of run.plan.changes ?? []) {
    const source = `changes ${file}`;
    const record = await run.step(`changes:${file}`, source, 'changes.yaml', async () => {
      const found = await readChangesFile(file);
      for (const [path, from] of found.patches) await run.output.write(path, await readFile(from));
      const problems: CollectProblem[] = found.skipped > 0 ? [{ source, message: `${found.skipped} entries without an id were skipped` }] : [];
      for (const problem of problems) run.options.progress.problem(problem);
      run.options.progress.step(`changes ${file}: ${found.changes.length} changes`);
      return { ok: true, files: [...found.patches.keys()], problems, data: found.changes };
    });
    if (record.ok) changes.push(...(record.data as ChangeEntry[]));
  }
  return changes;
}

async function logSteps(run: Run, window: Window): Promise<void> {
  const taken = new Set<string>();
  // Names taken by the logs of an earlier run stay theirs.
  for (const record of Object.values(run.manifest.state.steps)) {
    for (const file of record.files) if (file.startsWith('logs/')) taken.add(file.slice(5).replace(/\.(log|jsonl)$/, ''));
  }
  for (const spec of run.plan.logs ?? []) {
    await run.step(`logs:${spec.spec}`, `logs ${spec.spec}`, 'logs/', async () => {
      const result = await collectLogs(spec.spec, { output: run.output, window, maxBytes: run.plan.limits.logBytes, command: run.commandOptions(), taken, cwd: run.plan.cwd ?? process.cwd() });
      for (const line of result.notes) run.options.progress.step(`logs: ${line}`);
      for (const problem of result.problems) run.options.progress.problem(problem);
      // A source that wrote nothing at all failed; one that wrote something and said why it is short did not.
      return { ok: result.files.length > 0 || result.problems.length === 0, files: result.files, problems: result.problems };
    });
  }
}

/** Changes by id, the first kept when two sources give the same id. */
async function mergeChanges(changes: readonly ChangeEntry[], run: Run): Promise<ChangeEntry[]> {
  const seen = new Set<string>();
  const out: ChangeEntry[] = [];
  for (const change of changes) {
    if (seen.has(change.id)) {
      await run.note({ source: 'changes', path: 'changes.yaml', message: `change id ${change.id} came from two sources; the first was kept` });
      continue;
    }
    seen.add(change.id);
    out.push(change);
  }
  return out.sort((a, b) => (parseTime(a.at) ?? 0) - (parseTime(b.at) ?? 0));
}

export async function collect(plan: CollectPlan, options: CollectOptions): Promise<CollectResult> {
  const output = new BundleOutput(plan.out);
  const empty = await folderIsEmpty(output.root);
  const manifest = await Manifest.open(output, planKey(plan), empty);
  const resumed = Object.keys(manifest.state.steps).length > 0;
  const files = (): string[] => [...new Set(Object.values(manifest.state.steps).flatMap((record) => record.files))].sort();
  if (manifest.state.complete && manifest.state.window) {
    return { root: output.root, files: files(), problems: manifest.problems(), resumed: true, alreadyComplete: true, page: (manifest.done('alert')?.data as Page | undefined) ?? null, window: manifest.state.window };
  }
  await output.prepare();
  // Scratch files of an interrupted run are not part of anything.
  await output.clearScratch();
  if (resumed) options.progress.step(`continuing the collection in ${output.root}`);
  const run = new Run(plan, manifest, output, options);

  const { page, failed } = await collectAlertStep(run);
  const window = await windowStep(run, page, failed);
  if (plan.alert?.kind === 'manual') {
    const source = plan.alert;
    await run.step('incident.yaml', 'alert', 'incident.yaml', async () => {
      await output.write('incident.yaml', incidentYaml(source, page?.startedAt ?? window.until));
      return { ok: true, files: ['incident.yaml'], problems: [] };
    });
  }
  const service = plan.service ?? page?.service ?? null;
  const services = await prometheusSteps(run, window, service);
  const known = new Set([...(service ? [service] : []), ...services]);
  const changes = await mergeChanges(await changeSteps(run, window, known), run);
  await logSteps(run, window);

  run.checkAborted();
  const finalFiles = files();
  if (changes.length > 0) {
    await output.write('changes.yaml', stringify(changes));
    finalFiles.push('changes.yaml');
  }
  const problems = manifest.problems();
  if (problems.length > 0) {
    await output.write('problems.json', `${JSON.stringify({ problems }, null, 2)}\n`);
    finalFiles.push('problems.json');
  } else {
    await output.remove('problems.json');
  }
  await manifest.finish();
  await output.clearScratch();
  return { root: output.root, files: [...new Set(finalFiles)].sort(), problems, resumed, alreadyComplete: false, page, window };
}


