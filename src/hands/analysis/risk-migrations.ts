// Schema changes that lock a table while they run: an index built without CONCURRENTLY (the
// table's writes wait for the whole build), a column's type changed (the table is rewritten),
// VACUUM FULL, CLUSTER or an explicit LOCK TABLE. On a large table that is minutes of every
// INSERT and UPDATE waiting, a pool filling with blocked writers and statement timeouts,
// while reads carry on. Read in SQL (wherever it sits: a .sql file, a RunSQL string) and in the
// migration helpers of Django, Rails, Alembic and Liquibase.
import type { Diff, DiffHunk } from '../../bundle/index.js';
import { meaningful } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

interface Locking {
  pattern: RegExp;
  /** What it does to the table, in words. */
  effect: string;
  /** A SQL statement: read in code only where it is SQL (see `readAsSql`). */
  sql?: boolean;
}

const LOCKING: readonly Locking[] = [
  // PostgreSQL builds an index online only when told to; MySQL when asked for ALGORITHM=INPLACE, LOCK=NONE.
  { pattern: /\bCREATE\s+(?:UNIQUE\s+)?INDEX\b(?!\s+CONCURRENTLY)(?![^;"']*\b(?:ONLINE|LOCK\s*=\s*NONE|ALGORITHM\s*=\s*(?:INPLACE|INSTANT))\b)/i, effect: 'builds an index without CONCURRENTLY', sql: true },
  { pattern: /\bALTER\s+TABLE\b[^;"']*\bALTER\s+(?:COLUMN\s+)?\w+\s+(?:SET\s+DATA\s+)?TYPE\b/i, effect: "changes a column's type, rewriting the table", sql: true },
  { pattern: /\bVACUUM\s+FULL\b|\bCLUSTER\s+\w+|\bLOCK\s+TABLE\b/i, effect: 'takes an exclusive lock on the table', sql: true },
  // Django's AddIndex and AddConstraint lock the table (AddIndexConcurrently does not).
  { pattern: /\bmigrations\.(?:AddIndex|AddConstraint)\s*\(/, effect: 'adds an index without building it concurrently (Django AddIndex)' },
  // Rails' add_index and Alembic's create_index, unless told to build concurrently.
  { pattern: /\badd_index\b(?!.*algorithm:\s*:concurrently)/, effect: 'adds an index without algorithm: :concurrently (Rails add_index)' },
  { pattern: /\bop\.create_index\s*\((?!.*postgresql_concurrently\s*=\s*True)/, effect: 'adds an index without postgresql_concurrently (Alembic create_index)' },
  { pattern: /<createIndex\b/, effect: 'adds an index in a Liquibase changeset, locking the table while it builds' },
];

/**
 * The table a locking statement locks, as each dialect names it: SQL's `ON t` and `TABLE t`,
 * Rails' `add_index :t`, Alembic's `create_index(name, 't')`, Django's `model_name='t'`,
 * Liquibase's `tableName="t"`. The waiting writers' lines name that table, not the migration.
 */
const TABLE_NAMED: readonly RegExp[] = [
  /\bON\s+(?:ONLY\s+)?[`"]?((?:\w+\.)?\w+)[`"]?\s*(?:USING\b|\()/i,
  /\b(?:ALTER|LOCK)\s+TABLE\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?[`"]?((?:\w+\.)?\w+)/i,
  /\b(?:VACUUM\s+FULL|CLUSTER)\s+[`"]?((?:\w+\.)?\w+)/i,
  /\badd_index\s*\(?\s*[:"']([A-Za-z_]\w*)/,
  /\bcreate_index\s*\(\s*(?:[^,]+,\s*)["']([A-Za-z_]\w*)["']/,
  /\bmodel_name\s*=\s*["']([A-Za-z_]\w*)["']/,
  /\btableName\s*=\s*"([A-Za-z_]\w*)"/,
];

function tableLocked(text: string): string[] {
  for (const pattern of TABLE_NAMED) {
    const m = pattern.exec(text);
    if (m !== null) {
      const name = m[1] as string;
      const bare = name.includes('.') ? (name.split('.').pop() as string) : null;
      return bare === null ? [name] : [name, bare];
    }
  }
  return [];
}

/** A change set that already says it runs online: the helpers and the SQL are not locking here. */
const ONLINE = /AddIndexConcurrently|atomic\s*=\s*False.*Concurrently|disable_ddl_transaction!/;

/** Files that hold SQL and nothing else. */
const SQL_FILE = /\.(?:sql|ddl|psql|pgsql|mysql)$/i;

/**
 * Whether a SQL statement's words on a line of code are SQL: in a SQL file any case is; in
 * code they are written in capitals or inside a string (`type Cluster struct` is Go, not
 * `CLUSTER`).
 */
function readAsSql(locking: Locking, text: string, sqlFile: boolean): boolean {
  const m = locking.pattern.exec(text);
  if (m === null) return false;
  if (sqlFile || !locking.sql) return true;
  const words = m[0].replace(/[^A-Za-z\s]/g, '').trim().split(/\s+/).slice(0, 2).join(' ');
  return words === words.toUpperCase() || /["'`]/.test(text.slice(0, m.index));
}

/** The table-locking schema edits a hunk adds. */
export function lockingMigrations(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const adds = meaningful(hunk.lines, 'add');
  if (adds.some((l) => ONLINE.test(l.text))) return [];
  const out: RiskSignal[] = [];
  const sqlFile = SQL_FILE.test(path);
  for (const line of adds) {
    const found = LOCKING.find((l) => readAsSql(l, line.text, sqlFile));
    if (!found) continue;
    const table = tableLocked(line.text);
    const writes = table.length > 0 ? `writes to ${table[table.length - 1] as string}` : "the table's writes";
    out.push(makeSignal(diff, path, line, 'table_lock', `a schema change that ${found.effect}: ${writes} wait until it finishes`, { identifiers: table }));
    break;
  }
  return out;
}
