// A bundle on disk. The small formats are parsed once and cached; logs are streamed on every call.
// Nothing here throws for bad content: every reader reports to one problem log instead.

import { parseAlertmanagerContext, parseAlertmanagerJson, parseIncidentYaml } from './alert.js';
import { parseChanges } from './changes.js';
import { parseDiff } from './diff.js';
import { diffPathForId, normalizeBundlePath } from './diff-links.js';
import { buildIndex } from './index-builder.js';
import { readLogIndex } from './log-index-file.js';
import { mapLogFile } from './log-map.js';
import { walkLogEvents } from './log-walk.js';
import { readLogEvents, type LogReadOptions } from './logs.js';
import { parseMetricsCsv } from './metrics-csv.js';
import { parsePrometheusJson } from './metrics-prometheus.js';
import { describeError, ProblemLog } from './problems.js';
import { BinaryContent, readTextFile } from './read-text.js';
import { parseRecordedProblems } from './recorded-problems.js';
import { finishSeries, type SeriesDraft } from './series.js';
import type { Alert, Bundle, BundleFile, BundleIndex, BundleProblem, Change, Diff, LogEvent, LogMap, Series, WalkedEvent, WalkRange } from './types.js';

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The log pass was aborted', 'AbortError');
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

export class FileBundle implements Bundle {
  readonly root: string;
  readonly files: readonly BundleFile[];
  readonly #rootName: string;
  readonly #problems = new ProblemLog();
  #alert: Promise<Alert | null> | undefined;
  #series: Promise<readonly Series[]> | undefined;
  #changes: Promise<readonly Change[]> | undefined;
  #diffs: Promise<readonly Diff[]> | undefined;
  readonly #diffByPath = new Map<string, Promise<Diff | null>>();
  #index: Promise<BundleIndex> | undefined;
  #recorded: Promise<void> | undefined;
  readonly #logMaps = new Map<string, Promise<LogMap>>();

  /** `refused`: what the opening left unread and why (a symbolic link that leads out of the root). */
  constructor(root: string, files: readonly BundleFile[], rootName: string, refused: readonly BundleProblem[] = []) {
    this.root = root;
    this.files = files;
    this.#rootName = rootName;
    for (const problem of refused) this.#problems.add(problem);
  }

  problems(): readonly BundleProblem[] {
    return this.#problems.list();
  }

  /** A file's text, or null (reported) when it cannot be read. */
  async #read(file: BundleFile): Promise<string | null> {
    try {
      return await readTextFile(file.absPath, file.gzip);
    } catch (error) {
      this.#problems.add({ path: file.path, message: error instanceof BinaryContent ? `not read: ${error.message}` : `cannot be read: ${describeError(error)}` });
      return null;
    }
  }

  #ofKind(...kinds: BundleFile['kind'][]): BundleFile[] {
    return this.files.filter((file) => kinds.includes(file.kind));
  }

  alert(): Promise<Alert | null> {
    this.#alert ??= this.#loadAlert();
    return this.#alert;
  }

  async #loadAlert(): Promise<Alert | null> {
    let page: Alert | null = null;
    for (const file of this.#ofKind('alert_yaml')) {
      const text = await this.#read(file);
      page ??= text === null ? null : parseIncidentYaml(text, file.path, this.#problems);
    }
    for (const file of this.#ofKind('alert_json')) {
      const text = await this.#read(file);
      if (text === null) continue;
      // With incident.yaml as the page, the Alertmanager alerts beside it are context.
      if (page === null) page = parseAlertmanagerJson(text, file.path, this.#problems);
      else page.others.push(...parseAlertmanagerContext(text, file.path, this.#problems));
    }
    return page;
  }

  series(): Promise<readonly Series[]> {
    this.#series ??= this.#loadSeries();
    return this.#series;
  }

  async #loadSeries(): Promise<readonly Series[]> {
    const taken = new Set<string>();
    const series: Series[] = [];
    for (const file of this.#ofKind('metrics_json', 'metrics_csv')) {
      const text = await this.#read(file);
      if (text === null) continue;
      const drafts: SeriesDraft[] =
        file.kind === 'metrics_json'
          ? parsePrometheusJson(text, file.path, this.#rootName, this.#problems)
          : parseMetricsCsv(text, file.path, this.#rootName, this.#problems);
      for (const draft of drafts) series.push(finishSeries(draft, taken));
    }
    return series;
  }

  changes(): Promise<readonly Change[]> {
    this.#changes ??= this.#loadChanges();
    return this.#changes;
  }

  async #loadChanges(): Promise<readonly Change[]> {
    const filePaths = this.files.map((file) => file.path);
    const diffPaths = this.#ofKind('diff').map((file) => file.path);
    const all: Change[] = [];
    const ids = new Set<string>();
    for (const file of this.#ofKind('changes')) {
      const text = await this.#read(file);
      if (text === null) continue;
      for (const change of parseChanges(text, { path: file.path, filePaths, diffPaths }, this.#problems)) {
        if (ids.has(change.id) && !all.some((other) => other.id === change.id && other.file === change.file)) {
          this.#problems.add({ path: file.path, message: `change id ${change.id} is also used in another changes file` });
        }
        ids.add(change.id);
        all.push(change);
      }
    }
    return all.sort((a, b) => (a.at === null ? (b.at === null ? 0 : 1) : b.at === null ? -1 : a.at - b.at));
  }

  /** The parsed diff at a bundle path, cached; its change id comes from the change that points at it. */
  #diffAt(path: string): Promise<Diff | null> {
    let diff = this.#diffByPath.get(path);
    if (!diff) {
      diff = this.#loadDiff(path);
      this.#diffByPath.set(path, diff);
    }
    return diff;
  }

  async #loadDiff(path: string): Promise<Diff | null> {
    const file = this.files.find((candidate) => candidate.path === path);
    if (!file) return null;
    const text = await this.#read(file);
    if (text === null) return null;
    const diff = parseDiff(text, file.path, this.#problems);
    const owner = (await this.changes()).find((change) => change.diff === file.path);
    return { ...diff, changeId: owner?.id ?? null };
  }

  diffs(): Promise<readonly Diff[]> {
    this.#diffs ??= Promise.all(this.#ofKind('diff').map((file) => this.#diffAt(file.path))).then((list) =>
      list.filter((diff): diff is Diff => diff !== null),
    );
    return this.#diffs;
  }

  async diffFor(changeIdOrPath: string): Promise<Diff | null> {
    const change = (await this.changes()).find((candidate) => candidate.id === changeIdOrPath);
    if (change) return change.diff === null ? null : this.#diffAt(change.diff);
    const path = normalizeBundlePath(changeIdOrPath);
    const file = this.files.find((candidate) => candidate.path === path);
    if (file) return file.kind === 'diff' ? this.#diffAt(file.path) : null;
    const byName = diffPathForId(changeIdOrPath, this.#ofKind('diff').map((candidate) => candidate.path));
    return byName === null ? null : this.#diffAt(byName);
  }

  logEvents(file: BundleFile, options: LogReadOptions = {}): AsyncIterable<LogEvent> {
    return readLogEvents(file, this.#problems, options);
  }

  walkLog(file: BundleFile, visit: (event: WalkedEvent) => void, options: { signal?: AbortSignal; range?: WalkRange } = {}): Promise<void> {
    return walkLogEvents(file, this.#problems, visit, options).then(() => undefined);
  }

  async logMap(file: BundleFile, options: { signal?: AbortSignal } = {}): Promise<LogMap> {
    for (let attempt = 0; ; attempt++) {
      const pending = this.#logMaps.get(file.path) ?? this.#mapLog(file, options.signal);
      try {
        return await pending;
      } catch (error) {
        // Another caller's abort cut the shared pass short: walk again for this one.
        if (attempt > 0 || options.signal?.aborted || !isAbort(error)) throw error;
      }
    }
  }

  #mapLog(file: BundleFile, signal: AbortSignal | undefined): Promise<LogMap> {
    const pending = this.#storedMap(file).then((stored) => stored ?? this.#walkMap(file, signal));
    this.#logMaps.set(file.path, pending);
    pending.catch(() => {
      if (this.#logMaps.get(file.path) === pending) this.#logMaps.delete(file.path);
    });
    return pending;
  }

  /** The map built when the log was uploaded, its walk's problems reported as the walk would; null when there is none to trust. */
  async #storedMap(file: BundleFile): Promise<LogMap | null> {
    if (file.logIndex === undefined) return null;
    const stored = await readLogIndex(file.logIndex, file);
    if (stored === null) return null;
    for (const problem of stored.problems) this.#problems.add(problem);
    return stored.map;
  }

  #walkMap(file: BundleFile, signal: AbortSignal | undefined): Promise<LogMap> {
    return mapLogFile(file, this.#problems, { signal }).then((map) => {
      // A pass cut short by an abort is not the file's map: the next call walks it again.
      if (signal?.aborted) throw abortError(signal);
      return map;
    });
  }

  /** What the bundle's assembler recorded in problems.json, joined to the problem log once. */
  #loadRecorded(): Promise<void> {
    this.#recorded ??= (async () => {
      for (const file of this.#ofKind('problems')) {
        const text = await this.#read(file);
        if (text !== null) parseRecordedProblems(text, file.path, this.#problems);
      }
    })();
    return this.#recorded;
  }

  index(options: { signal?: AbortSignal } = {}): Promise<BundleIndex> {
    if (this.#index) return this.#index;
    const pending = this.#loadRecorded().then(() => buildIndex(this, options.signal));
    this.#index = pending;
    // A cancelled pass is not the index: the next call starts again.
    pending.catch(() => {
      if (this.#index === pending) this.#index = undefined;
    });
    return pending;
  }
}
