// One walk over a log file gives both what the index says about it (events, services, levels,
// time span, malformed lines) and a map of it in blocks of about a megabyte, each starting on an
// event line, with its line number, time range and level counts. A tool that wants a time
// window reads only the blocks whose times reach into it, and can count the events of blocks
// that lie wholly inside it without reading them; nothing assumes the file is in time order.

import { logFormat } from './logs.js';
import { walkLogEvents, type WalkedEvent } from './log-walk.js';
import type { ProblemSink } from './problems.js';
import type { BundleFile, LogBlock, LogLevel, LogMap } from './types.js';

/** What a log's map depends on: its path (format, service), its size and whether it is gzip. */
export type LogMapSource = Pick<BundleFile, 'path' | 'absPath' | 'kind' | 'gzip' | 'size'>;

/** A block closes at the first event line at least this many bytes past its start. */
export const BLOCK_BYTES = 1 << 20;
/** A log line may carry a service of its own; beyond this many per file the rest are not listed. */
const MAX_SERVICES_PER_LOG = 200;

/** Index of a level in LogBlock.levels: 0 for none, then trace … fatal. */
export const LEVEL_SLOTS: Readonly<Record<LogLevel, number>> = { trace: 1, debug: 2, info: 3, warn: 4, error: 5, fatal: 6 };

function newBlock(offset: number, line: number): LogBlock {
  return { offset, line, end: offset, events: 0, first: null, last: null, undated: 0, levels: [0, 0, 0, 0, 0, 0, 0] };
}

const LEVEL_NAMES: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

function slotOf(level: LogLevel | null): number {
  return level === null ? 0 : LEVEL_SLOTS[level];
}

export interface MapLogOptions {
  signal?: AbortSignal;
  /** The file's bytes as they arrive elsewhere (an upload), in line chunks; else the file is read. */
  chunks?: AsyncIterable<Buffer>;
}

/** `file.size` is taken as given: for an upload, the size of the bytes `chunks` carries. */
export async function mapLogFile(file: LogMapSource, problems: ProblemSink, options: MapLogOptions = {}): Promise<LogMap> {
  const { signal, chunks } = options;
  const stats = { events: 0, malformed: 0 };
  const services = new Set<string>();
  let lastService: string | null = null;
  // Level counts, and the order levels were first seen in (the summary lists them so).
  const counts = [0, 0, 0, 0, 0, 0, 0];
  const seen: number[] = [];
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  const blocks: LogBlock[] = [];
  let block = newBlock(0, 1);

  const visit = (event: WalkedEvent): void => {
    if (block.events > 0 && event.offset - block.offset >= BLOCK_BYTES) {
      block.end = event.offset;
      blocks.push(block);
      block = newBlock(event.offset, event.line);
    }
    block.events += 1;
    const t = event.t;
    if (t === null) {
      block.undated += 1;
    } else {
      if (t < start) start = t;
      if (t > end) end = t;
      if (block.first === null || t < block.first) block.first = t;
      if (block.last === null || t > block.last) block.last = t;
    }
    const slot = slotOf(event.level);
    block.levels[slot] = (block.levels[slot] as number) + 1;
    if (counts[slot] === 0 && slot > 0) seen.push(slot);
    counts[slot] = (counts[slot] as number) + 1;
    const service = event.service;
    if (service !== lastService) {
      lastService = service;
      if (services.size < MAX_SERVICES_PER_LOG) services.add(service);
    }
  };
  // A line that starts with a time but is no event still widens its block's time range: a grep
  // that dates lines by their leading time must not skip a block holding one in its window.
  const stamped = (t: number): void => {
    if (block.first === null || t < block.first) block.first = t;
    if (block.last === null || t > block.last) block.last = t;
  };
  const bytes = await walkLogEvents(file, problems, visit, { signal, stats, stamped, ...(chunks === undefined ? {} : { chunks }) });
  block.end = bytes;
  blocks.push(block);
  const levels: Record<string, number> = {};
  for (const slot of seen) levels[LEVEL_NAMES[slot - 1] as LogLevel] = counts[slot] as number;
  return {
    summary: {
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
    },
    blocks,
    bytes,
  };
}
