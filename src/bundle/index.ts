// The bundle readers: streaming access to every format of an incident bundle (spec/bundle.md).

export type {
  Alert,
  Bundle,
  BundleFile,
  BundleFileKind,
  BundleIndex,
  BundleProblem,
  Change,
  ChangeType,
  Diff,
  DiffFile,
  DiffHunk,
  DiffLine,
  LogEvent,
  LogBlock,
  LogFileSummary,
  LogLevel,
  LogMap,
  ParsedLogLine,
  Sample,
  Series,
  WalkedEvent,
  WalkRange,
} from './types.js';
export { formatTime, parseDuration, parseTime, scanTime } from './time.js';
export { openBundle, openMappedBundle, BundleOpenError } from './open.js';
export { hasReadableContent } from './readable.js';
export type { MappedFile } from './open.js';
export { classifyPath } from './classify.js';
export { openByteStream, openLineStream, readLineBatches, isGzipFile } from './lines.js';
export type { LineBatch, LineStreamOptions } from './lines.js';
export { CHUNK_BYTES, lineChunks, readLinesAfter, readLinesBefore } from './line-chunks.js';
export type { ChunkOptions } from './line-chunks.js';
export { parseLogLine } from './log-line.js';
export { parseJsonLogLine } from './log-jsonl.js';
export { parseLevel } from './levels.js';
export { parseLogfmt } from './logfmt.js';
export { logFormat, logServiceName, readLogEvents, readLogEventBatches, MAX_CONTINUATION_LINES } from './logs.js';
export type { LogFormat, LogReadOptions, LogReadStats, LogSource } from './logs.js';
export { BLOCK_BYTES, LEVEL_SLOTS } from './log-map.js';
export { parseDiff } from './diff.js';
export { ProblemLog } from './problems.js';
export type { ProblemSink } from './problems.js';
