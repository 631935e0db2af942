// A log's map (log-map.ts) kept in a file, so a log walked once (while it was uploaded) is not
// walked again by every process that opens it. The file says which reading of the bytes it
// holds (format, the service a line without one speaks for, gzip, size) and carries a hash of
// its own body: a file that is missing, cut short, damaged, of another version or of another
// reading is not used, and the log is walked as if there were none.
//
// What the walk reported as problems is kept too, as a problem log lists them (at most its
// per-file limit, then the note that more are not listed), so the bundle's problem log ends
// up as it would after the walk.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { logFormat, logServiceName } from './logs.js';
import type { LogMapSource } from './log-map.js';
import type { BundleProblem, LogMap } from './types.js';

/** Raise when what a walk finds, or this layout, changes: files of another version are walked again. */
export const LOG_INDEX_VERSION = 1;
const MAGIC = 'incident-log-index';

/** The reading of a log's bytes a map holds: a map of another reading is not this file's. */
export interface LogIndexKey {
  format: 'text' | 'jsonl';
  /** The service a line that names none speaks for (from the file's name). */
  service: string;
  gzip: boolean;
  /** Bytes of the file as stored. */
  size: number;
}

export function logIndexKeyOf(file: LogMapSource): LogIndexKey {
  return { format: logFormat(file), service: logServiceName(file.path), gzip: file.gzip, size: file.size };
}

const Time = z.number().nullable();
const Count = z.number().int().nonnegative();

const BodySchema = z.strictObject({
  key: z.strictObject({ format: z.enum(['text', 'jsonl']), service: z.string(), gzip: z.boolean(), size: Count }),
  summary: z.strictObject({
    events: Count,
    services: z.array(z.string()),
    levels: z.partialRecord(z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']), Count),
    start: Time,
    end: Time,
    malformed: Count,
  }),
  blocks: z.array(
    z.strictObject({
      offset: Count,
      line: z.number().int().positive(),
      end: Count,
      events: Count,
      first: Time,
      last: Time,
      undated: Count,
      levels: z.array(Count).length(7),
    }),
  ),
  bytes: Count,
  problems: z.array(z.strictObject({ line: z.number().int().positive().optional(), message: z.string() })),
});

type Body = z.infer<typeof BodySchema>;

/** A map and the problems its walk listed, as kept: no file path in them (a file may be mounted anywhere). */
export interface StoredLogIndex {
  key: LogIndexKey;
  map: LogMap;
  /** As a ProblemLog lists them for the file, in order. */
  problems: readonly BundleProblem[];
}

function digest(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The file's text: one header line (magic, version, hash of the body), then the body. */
export function encodeLogIndex(index: StoredLogIndex): string {
  const { file: _file, format: _format, gzip: _gzip, bytes: _bytes, ...summary } = index.map.summary;
  const body: Body = {
    key: index.key,
    summary,
    blocks: index.map.blocks,
    bytes: index.map.bytes,
    problems: index.problems.map((problem) => (problem.line === undefined ? { message: problem.message } : { line: problem.line, message: problem.message })),
  };
  const text = JSON.stringify(body);
  return `${MAGIC} ${LOG_INDEX_VERSION} ${digest(text)}\n${text}`;
}

function sameKey(a: LogIndexKey, b: LogIndexKey): boolean {
  return a.format === b.format && a.service === b.service && a.gzip === b.gzip && a.size === b.size;
}

/**
 * The map a log index file holds for `file`, with the walk's problems under the file's path;
 * null when there is no such file or it cannot be trusted to be this file's map.
 */
export async function readLogIndex(path: string, file: LogMapSource): Promise<{ map: LogMap; problems: BundleProblem[] } | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  const newline = text.indexOf('\n');
  if (newline < 0) return null;
  const [magic, version, hash] = text.slice(0, newline).split(' ');
  const body = text.slice(newline + 1);
  if (magic !== MAGIC || version !== String(LOG_INDEX_VERSION) || hash !== digest(body)) return null;
  let parsed: Body;
  try {
    const result = BodySchema.safeParse(JSON.parse(body));
    if (!result.success) return null;
    parsed = result.data;
  } catch {
    return null;
  }
  const key = logIndexKeyOf(file);
  if (!sameKey(parsed.key, key)) return null;
  return {
    map: {
      summary: { file: file.path, format: key.format, gzip: key.gzip, bytes: key.size, ...parsed.summary },
      blocks: parsed.blocks,
      bytes: parsed.bytes,
    },
    problems: parsed.problems.map((problem) => ({ path: file.path, ...problem })),
  };
}
