// The shapes every bundle reader returns. Times are epoch milliseconds; `formatTime` prints them.

export type BundleFileKind =
  | 'alert_yaml'
  | 'alert_json'
  | 'metrics_json'
  | 'metrics_csv'
  | 'changes'
  | 'diff'
  | 'log_text'
  | 'log_jsonl'
  | 'runbook'
  /** `problems.json`: what whoever assembled the bundle could not get (a source that failed, data cut). */
  | 'problems'
  | 'unknown';

export interface BundleFile {
  /** posix path relative to the bundle root, e.g. 'logs/api.log.gz' */
  path: string;
  absPath: string;
  kind: BundleFileKind;
  size: number;
  /** content is gzip (by magic bytes or .gz) */
  gzip: boolean;
  /**
   * A file that may hold this log's map, built as it was uploaded (log-index-file.ts); used
   * only when it proves to be this file's, else the log is walked.
   */
  logIndex?: string;
}

/** A malformed line or file: counted and reported, never fatal. */
export interface BundleProblem {
  path: string;
  line?: number;
  message: string;
}

export interface Alert {
  /** 'incident.yaml' | 'alert.json' (the bundle-relative path it came from) */
  source: string;
  title: string;
  service: string | null;
  severity: string | null;
  startedAt: number | null;
  summary: string | null;
  /** The page's longer text when it says more than the summary (an alert's description often quotes its rule). */
  description: string | null;
  labels: Record<string, string>;
  links: string[];
  /** the other alerts of an Alertmanager payload: context, not the page */
  others: Array<{ title: string; service: string | null; startedAt: number | null; status: string | null }>;
}

/** v null = a gap (NaN, +Inf, -Inf, missing) */
export interface Sample {
  t: number;
  v: number | null;
}

export interface Series {
  /** stable unique key: name + sorted labels, e.g. 'http_request_duration_p99_seconds{service="checkout"}' */
  id: string;
  name: string;
  service: string | null;
  labels: Record<string, string>;
  /** bundle-relative path */
  file: string;
  /** sorted by t */
  samples: Sample[];
}

export type ChangeType = 'deploy' | 'config' | 'feature_flag' | 'infra' | 'rollback';

export interface Change {
  id: string;
  service: string | null;
  type: ChangeType | string;
  at: number | null;
  finishedAt: number | null;
  version: string | null;
  author: string | null;
  commit: string | null;
  summary: string | null;
  /** bundle-relative path of its patch, resolved (from `diff`, or a diff file name containing the id) */
  diff: string | null;
  /** every other field */
  attributes: Record<string, unknown>;
  /** 'changes.yaml' */
  file: string;
}

export interface DiffLine {
  kind: 'add' | 'del' | 'ctx';
  text: string;
  oldLine: number | null;
  newLine: number | null;
  /** 1-based line in the patch file */
  patchLine: number;
}

export interface DiffHunk {
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

export interface DiffFile {
  oldPath: string | null;
  newPath: string | null;
  hunks: DiffHunk[];
  binary: boolean;
}

export interface Diff {
  path: string;
  changeId: string | null;
  /** From, Subject, Date, commit, Author… as the patch wrote them */
  header: Record<string, string>;
  message: string;
  files: DiffFile[];
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** One parsed log line, before continuation lines are attached. */
export interface ParsedLogLine {
  t: number | null;
  level: LogLevel | null;
  service: string;
  message: string;
  attributes: Record<string, unknown>;
}

export interface LogEvent extends ParsedLogLine {
  file: string;
  /** 1-based line number in the (decompressed) file of the event's first line */
  line: number;
  /** following lines that do not start with a timestamp (stack traces) */
  continuation: string[];
}

export interface LogFileSummary {
  file: string;
  format: 'text' | 'jsonl';
  gzip: boolean;
  bytes: number;
  events: number;
  services: string[];
  levels: Record<string, number>;
  start: number | null;
  end: number | null;
  malformed: number;
}

/** Where a walk starts: a line start in the decompressed file, with its line number; and where it stops. */
export interface WalkRange {
  offset: number;
  line: number;
  /** Byte to stop before (a line start); the end of the file when absent. */
  end?: number;
}

/** The event a walk is on. Valid only inside the callback: the walk moves on after it returns. */
export interface WalkedEvent {
  readonly t: number | null;
  readonly level: LogLevel | null;
  readonly service: string;
  /** 1-based number of the event's first line. */
  readonly line: number;
  /** Byte offset of that line in the (decompressed) file. */
  readonly offset: number;
  /** The event's line parsed in full (message, attributes), as readLogEvents gives it. */
  parse(): ParsedLogLine;
}

/**
 * A stretch of a log file of about a megabyte that starts on an event line (the first starts
 * at the top of the file): where it is, and what its events are, so a reader can skip it.
 */
export interface LogBlock {
  /** Byte offset in the (decompressed) file of its first line. */
  offset: number;
  /** 1-based line number of its first line. */
  line: number;
  /** Byte offset just past it. */
  end: number;
  events: number;
  /**
   * Earliest and latest time in it: of its events, and of any other line that starts with a
   * time (which a grep may date); null when none has one.
   */
  first: number | null;
  last: number | null;
  /** Events without a time (JSON lines only: a text event always has one). */
  undated: number;
  /** Event counts by level: [no level, trace, debug, info, warn, error, fatal]. */
  levels: number[];
}

/** What one pass over a log file learns: its index summary and its block map. */
export interface LogMap {
  summary: LogFileSummary;
  blocks: LogBlock[];
  /** Size of the (decompressed) file. */
  bytes: number;
}

export interface BundleIndex {
  root: string;
  alert: Alert | null;
  /** union of services seen anywhere */
  services: string[];
  timeSpan: { start: number; end: number } | null;
  series: Array<{
    id: string;
    name: string;
    service: string | null;
    file: string;
    samples: number;
    gaps: number;
    start: number | null;
    end: number | null;
  }>;
  changes: Array<{ id: string; service: string | null; type: string; at: number | null; diff: string | null }>;
  diffs: Array<{ path: string; changeId: string | null; files: number }>;
  logs: LogFileSummary[];
  runbooks: string[];
  /** files it did not recognise */
  unknown: string[];
  /**
   * Files of a known kind that gave nothing (no page, sample, change, file change or event),
   * each with why: a person must know what the investigation did not see.
   */
  skipped: Array<{ path: string; reason: string }>;
  problems: BundleProblem[];
}

export interface Bundle {
  readonly root: string;
  readonly files: readonly BundleFile[];
  /** cached */
  alert(): Promise<Alert | null>;
  /** all metric series, cached (metrics are small) */
  series(): Promise<readonly Series[]>;
  /** sorted by `at`, cached */
  changes(): Promise<readonly Change[]>;
  /** by change.diff path, by change id in the file name, or by path */
  diffFor(changeIdOrPath: string): Promise<Diff | null>;
  diffs(): Promise<readonly Diff[]>;
  /** streamed, gzip ok */
  logEvents(file: BundleFile, options?: { signal?: AbortSignal }): AsyncIterable<LogEvent>;
  /**
   * Every event of a log file (or of a byte range of it, from a block of its map) in file order,
   * read from bytes: time, level and service at once, the whole line parsed on demand.
   */
  walkLog(file: BundleFile, visit: (event: WalkedEvent) => void, options?: { signal?: AbortSignal; range?: WalkRange }): Promise<void>;
  /** A log file's summary and block map, from one pass over it; cached. */
  logMap(file: BundleFile, options?: { signal?: AbortSignal }): Promise<LogMap>;
  /** one pass over everything, cached */
  index(options?: { signal?: AbortSignal }): Promise<BundleIndex>;
  /** accumulated so far */
  problems(): readonly BundleProblem[];
}
