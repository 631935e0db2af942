// Opens the state database: node:sqlite in WAL mode so a second process (a viewer, a
// `sessions show`) can read while the runtime writes; FULL sync so a committed event
// survives a crash of the process or the machine.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { storeFailureOf } from './failures.js';
import { MIGRATIONS } from './migrations.js';
import { ensurePrivateFolder } from './private-folder.js';

export type Database = DatabaseSync;

export interface OpenOptions {
  /** Directory that holds the database and the file blobs. */
  home: string;
  readOnly?: boolean;
}

/**
 * Test-only: caps the database at this many pages, so a test can make the store "full"
 * (SQLITE_FULL, exactly what a full disk gives) at a chosen size without a small file
 * system. Never set it in real use: the runtime would refuse writes past the cap.
 */
export const TEST_MAX_PAGES_ENV = 'INCIDENT_TEST_MAX_PAGES';

export function databaseFile(home: string): string {
  return join(home, 'incident.db');
}

/** The file each open database lives in, so a failure can name it (`location()` needs Node 22.16+). */
const FILES = new WeakMap<Database, string>();

/** The file an open database lives in ('' for one this module did not open). */
export function fileOf(db: Database): string {
  return FILES.get(db) ?? '';
}

/** Each open database's prepared statements, by their SQL. */
const STATEMENTS = new WeakMap<Database, Map<string, StatementSync>>();
/**
 * Statements one database keeps at most: a query built from a varying number of values (an
 * `IN` list, the fields a caller names) makes a new text each time it varies.
 */
const MAX_STATEMENTS = 256;

/**
 * The prepared statement for `sql` on `db`, prepared the first time it is asked for. Preparing
 * (SQLite parsing and planning the text) cost more than running most of the store's queries,
 * and an investigation runs the same few hundred times over. A statement is reset after each
 * run, get or all, so sharing one between callers is safe; none of them iterates.
 */
export function prepared(db: Database, sql: string): StatementSync {
  let statements = STATEMENTS.get(db);
  if (statements === undefined) {
    statements = new Map();
    STATEMENTS.set(db, statements);
  }
  let statement = statements.get(sql);
  if (statement === undefined) {
    if (statements.size >= MAX_STATEMENTS) statements.clear();
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

export function openDatabase(options: OpenOptions): Database {
  // A reader opens what a writer made; a writer makes the folder private to its user.
  if (options.readOnly) mkdirSync(options.home, { recursive: true });
  else ensurePrivateFolder(options.home);
  const file = databaseFile(options.home);
  let db: Database | undefined;
  try {
    db = new DatabaseSync(file, { readOnly: options.readOnly ?? false });
    FILES.set(db, file);
    db.exec('PRAGMA busy_timeout = 10000');
    if (!options.readOnly) {
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = FULL');
      db.exec('PRAGMA foreign_keys = ON');
      migrate(db);
      const testMaxPages = Number(process.env[TEST_MAX_PAGES_ENV]);
      if (Number.isInteger(testMaxPages) && testMaxPages > 0) db.exec(`PRAGMA max_page_count = ${testMaxPages}`);
    } else {
      // A read-only open touches no page until the first query: read one now, so a damaged file says so here.
      db.prepare('PRAGMA user_version').get();
    }
    return db;
  } catch (error) {
    if (db?.isOpen) db.close();
    throw storeFailureOf(error, file);
  }
}

function migrate(db: Database): void {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
  const current = row?.user_version ?? 0;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `the state database was written by a newer incident (schema ${current}, this one knows ${MIGRATIONS.length})`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version += 1) {
    transaction(db, () => {
      db.exec(MIGRATIONS[version] ?? '');
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
}

/**
 * Runs `work` in one IMMEDIATE transaction: all of it commits, or none of it. SQLite
 * rolls a transaction back by itself on some failures (SQLITE_FULL, some I/O errors),
 * and keeps it open on others (a COMMIT that hit SQLITE_BUSY): roll back only what is
 * still open, so the real failure is the one reported. A full disk or a damaged file
 * comes out as a StoreFailure that names the folder or file.
 */
export function transaction<T>(db: Database, work: () => T): T {
  const file = FILES.get(db) ?? '';
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    throw storeFailureOf(error, file);
  }
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    // `isTransaction` is undefined before Node 22.16: then try, and a "no transaction" answer is fine.
    if (db.isTransaction !== false) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // Nothing left to roll back, or the connection is unusable: the error that got us here is the one to report.
      }
    }
    throw storeFailureOf(error, file);
  }
}
