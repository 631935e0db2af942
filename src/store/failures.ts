// Failures of the state store a person can act on: the state folder is out of space,
// the database file is damaged, or one stored event is. Each names what it is about
// and says what to do (`advice`); the runtime turns them into API errors and the CLI
// into one line. Everything else SQLite or the file system throws stays as it is.
import { basename, dirname } from 'node:path';

export abstract class StoreFailure extends Error {
  abstract readonly advice: string;

  /** The message and what to do, as one sentence (for a wire error or a log event). */
  full(): string {
    return `${this.message}; ${this.advice}`;
  }
}

/** SQLITE_FULL, ENOSPC or a disk quota: nothing more can be written. What was committed is intact. */
export class StoreOutOfSpace extends StoreFailure {
  readonly advice = 'free some space on its disk; everything saved before is intact, and `incident resume <session-id>` continues a session';

  constructor(
    readonly folder: string,
    cause?: unknown,
  ) {
    super(`the state folder ${folder} is out of space: ${reasonOf(cause)}`, { cause });
  }
}

/** The database file itself is not readable as a database (overwritten, truncated, not SQLite). */
export class StoreFileDamaged extends StoreFailure {
  readonly advice: string;

  constructor(
    readonly file: string,
    cause?: unknown,
    reason = reasonOf(cause),
  ) {
    super(`the state database ${file} is damaged: ${reason}`, { cause });
    const name = basename(file);
    this.advice =
      `move ${name}, with ${name}-wal and ${name}-shm if present, out of ${dirname(file)} to start fresh; ` +
      'the old sessions stay in the moved files';
  }
}

/** A stored record (a session, an agent, an environment) cannot be read back. */
export class DamagedRecord extends StoreFailure {
  readonly advice: string;

  constructor(
    readonly what: string,
    readonly file: string,
  ) {
    super(`the ${what} stored in ${file} is damaged: its stored JSON does not parse`);
    const name = basename(file);
    this.advice = `the other records are intact; to start fresh, move ${name}, with ${name}-wal and ${name}-shm if present, out of ${dirname(file)}`;
  }
}

/** One stored event cannot be read back. */
export class DamagedEvent extends StoreFailure {
  readonly advice: string;

  constructor(
    readonly sessionId: string,
    readonly seq: number,
    readonly eventId: string,
    readonly damage: string,
  ) {
    super(`event ${seq} (${eventId}) of session ${sessionId} is damaged: ${damage}`);
    this.advice =
      `\`incident sessions show ${sessionId}\` checks the whole log and lists the damage, ` +
      `and \`incident sessions export ${sessionId} --format ndjson\` saves what is intact`;
  }
}

const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_NOTADB = 26;
/** An extended code: a read ended before the page did, so the file was cut short (SQLite's message is only "disk I/O error"). */
const SQLITE_IOERR_SHORT_READ = 10 | (2 << 8);
const OUT_OF_SPACE_CODES = new Set(['ENOSPC', 'EDQUOT']);

function reasonOf(cause: unknown): string {
  if (cause && typeof cause === 'object') {
    const { errstr, code, message } = cause as { errstr?: unknown; code?: unknown; message?: unknown };
    if (typeof errstr === 'string') return errstr;
    if (typeof code === 'string' && OUT_OF_SPACE_CODES.has(code)) return code === 'ENOSPC' ? 'no space left on device' : 'disk quota exceeded';
    if (typeof message === 'string') return message;
  }
  return String(cause);
}

/** SQLite's result code as node:sqlite reports it (`errcode`, extended where SQLite has one). */
function extendedCode(error: unknown): number | null {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  return typeof errcode === 'number' ? errcode : null;
}

/** SQLite's primary result code. */
function sqliteCode(error: unknown): number | null {
  const code = extendedCode(error);
  return code === null ? null : code & 0xff;
}

export function isOutOfSpace(error: unknown): boolean {
  if (error instanceof StoreOutOfSpace) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return sqliteCode(error) === SQLITE_FULL || (typeof code === 'string' && OUT_OF_SPACE_CODES.has(code));
}

/**
 * Names a raw failure of the database at `file` (or of a write under its folder):
 * out of space, or a damaged file. Anything else is returned unchanged.
 */
export function storeFailureOf(error: unknown, file: string): unknown {
  if (error instanceof StoreFailure) return error;
  if (isOutOfSpace(error)) return new StoreOutOfSpace(dirname(file), error);
  const code = sqliteCode(error);
  if (code === SQLITE_CORRUPT || code === SQLITE_NOTADB) return new StoreFileDamaged(file, error);
  // SQLite reads the pages it caches past a short end as zeros, but long records are read straight from the file.
  if (extendedCode(error) === SQLITE_IOERR_SHORT_READ) return new StoreFileDamaged(file, error, 'the file is shorter than the database it holds');
  return error;
}
