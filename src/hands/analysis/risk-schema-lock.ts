// A schema change that needs an exclusive lock on a table, however briefly: adding, dropping,
// altering or renaming a column (`ALTER TABLE users ADD COLUMN …`, Alembic's `op.add_column`,
// Rails' `add_column`, Django's `AddField`). The change itself takes milliseconds, but the lock
// must wait for every transaction already reading the table (a nightly dump, a long report),
// and with no lock timeout set, every query on the table that comes after it queues behind it:
// reads included. Most such migrations pass unnoticed; the triage counts one only where the
// database's logs show the queue (`lock-queue.ts`).
import type { Diff, DiffFile, DiffLine } from '../../bundle/index.js';
import { isComment } from './code-words.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** The schema edits that lock a table, with the table they name (group 1 or 2). */
const SCHEMA_EDITS: readonly RegExp[] = [
  /\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?["`]?([\w.]+)["`]?\s+(?:ADD|DROP|ALTER|RENAME|SET|VALIDATE)\b/i,
  /\bop\.(?:add_column|drop_column|alter_column|create_foreign_key|create_unique_constraint|create_check_constraint)\s*\(\s*["']([\w.]+)["']/,
  /\b(?:add_column|remove_column|change_column|rename_column|add_reference|add_foreign_key|change_column_null|change_column_default)\s*\(?\s*:["']?(\w+)/,
  /\bmigrations\.(?:AddField|RemoveField|AlterField|RenameField)\s*\(\s*(?:model_name\s*=\s*)?["'](\w+)["']/,
  /<(?:addColumn|dropColumn|modifyDataType|renameColumn|addNotNullConstraint)\b[^>]*\btableName\s*=\s*"([\w.]+)"/,
];
/** The change bounds how long its lock may wait: it fails fast instead of queueing everyone. */
const LOCK_TIMEOUT = /\block_timeout\b|\blockTimeout\b|lock_wait_timeout|SET\s+LOCAL\s+lock_timeout/i;
/** A table the same change creates: nobody else uses it yet. */
const CREATES = /\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?["`]?([\w.]+)|\bop\.create_table\s*\(\s*["']([\w.]+)|\bcreate_table\s*\(?\s*:["']?(\w+)|migrations\.CreateModel\s*\(\s*name\s*=\s*["'](\w+)/gi;
/** A migration's undo, as a file (`0042_x.down.sql`) or as the function that holds it. */
const DOWN_FILE = /(^|[._/-])down([._/-]|$)/i;
const DOWN_FUNCTION = /^\s*(?:def\s+downgrade|def\s+down\b|public\s+void\s+down\b|func\s+down)/i;

/** Django's operation opened on its own line (`migrations.AddField(`), its model named on the lines after it. */
const OPERATION_OPENED = /\bmigrations\.(?:AddField|RemoveField|AlterField|RenameField)\s*\(\s*$/;
const MODEL_NAME = /^\s*model_name\s*=\s*["'](\w+)["']/;

function modelOnNextLines(lines: readonly DiffLine[], line: DiffLine): string | undefined {
  if (!OPERATION_OPENED.test(line.text)) return undefined;
  const at = lines.indexOf(line);
  return lines
    .slice(at + 1, at + 4)
    .map((l) => MODEL_NAME.exec(l.text)?.[1])
    .find((name) => name !== undefined);
}

const bare = (name: string): string => name.replace(/["'`]/g, '').split('.').pop()?.toLowerCase() ?? '';

/** Schema edits of existing tables that take an exclusive lock with no lock timeout: one signal per table. */
export function schemaLocks(diff: Diff, files: readonly DiffFile[]): RiskSignal[] {
  const lines = files.flatMap((f) => f.hunks.flatMap((h) => h.lines));
  if (lines.some((l) => l.kind !== 'del' && LOCK_TIMEOUT.test(l.text))) return [];
  const created = new Set(lines.filter((l) => l.kind === 'add').flatMap((l) => [...l.text.matchAll(CREATES)].map((m) => bare(m[1] ?? m[2] ?? m[3] ?? m[4] ?? ''))));
  const signals: RiskSignal[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const path = file.newPath ?? file.oldPath ?? '';
    if (DOWN_FILE.test(path)) continue;
    for (const hunk of file.hunks) {
      let down = false;
      for (const line of hunk.lines) {
        if (line.kind !== 'del' && DOWN_FUNCTION.test(line.text)) down = true;
        if (down || line.kind !== 'add' || isComment(line.text)) continue;
        const table = SCHEMA_EDITS.map((p) => p.exec(line.text)?.[1]).find((t) => t !== undefined) ?? modelOnNextLines(hunk.lines, line);
        if (table === undefined) continue;
        const name = bare(table);
        if (name === '' || created.has(name) || seen.has(name)) continue;
        seen.add(name);
        signals.push(
          makeSignal(diff, path, line, 'schema_lock', `a schema change on ${name} takes an exclusive lock on the table, with no lock timeout: it waits behind any transaction already reading ${name}, and every query on ${name} queues behind it`, {
            identifiers: [name],
          }),
        );
      }
    }
  }
  return signals;
}
