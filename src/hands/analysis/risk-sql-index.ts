// A query whose condition now wraps a column in a function (`WHERE upper(p.media_id) = …`,
// `lower(email) = …`, `right(regexp_replace(coalesce(phone, phone_raw), …), 10) = …`) where
// the old condition compared the bare column: an index on the column cannot serve the new
// condition, so every lookup reads the whole table. Harmless on a small table or at a quiet
// hour, it is each query costing thousands of times more, which shows when the traffic comes.
import type { Diff, DiffHunk } from '../../bundle/index.js';
import { meaningful } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** A line of SQL that filters or joins: the wrapped column must be in a condition. */
const CONDITION = /\b(where|and|or|on|having)\b/i;
/** A comparison, right after the call that is its left side. */
const COMPARISON = /^\s*(?:=|<>|!=|<=|>=|<|>|i?like\b|in\b|between\b)/i;
/** How much of a line is read: a condition is short, and a hostile line stays one pass. */
const MAX_LINE = 2_000;
/** How many calls of a line are looked into. */
const MAX_CALLS = 24;

/** A call compared as the left side of a condition: its outer function and the columns inside it. */
interface ComparedCall {
  fn: string;
  columns: string[];
}

/** Words that open a parenthesis in SQL without calling a function. */
const NOT_A_FUNCTION = /^(?:where|and|or|on|having|in|exists|not|values|select|from|join|any|all|some|by|as|when|then|case|else|using|over|filter)$/i;
/** Words inside a call that are not columns. */
const NOT_A_COLUMN = /^(?:as|and|or|not|null|from|for|in|is|then|else|end|case|when|distinct|true|false|interval|at|time|zone)$/i;

/**
 * The calls of a line that are the left side of a comparison (`fn(…) = …`), each with the
 * column names inside it (names that are not themselves called, outside quoted literals).
 * One scan matches every parenthesis; the calls inside a compared one (`coalesce(a, b)` in
 * `right(coalesce(a, b), 10) = …`) are followed by more arguments, not by the comparison.
 */
function comparedCalls(line: string): ComparedCall[] {
  const text = line.slice(0, MAX_LINE);
  const open: Array<{ at: number; fn: string | null }> = [];
  const calls: ComparedCall[] = [];
  for (let i = 0; i < text.length && calls.length < MAX_CALLS; i += 1) {
    const ch = text[i];
    if (ch === '(') {
      const word = /([A-Za-z_]\w{0,63})\s*$/.exec(text.slice(Math.max(0, i - 80), i))?.[1];
      open.push({ at: i, fn: word === undefined || NOT_A_FUNCTION.test(word) ? null : word.toLowerCase() });
    } else if (ch === ')') {
      const call = open.pop();
      if (call === undefined || call.fn === null || !COMPARISON.test(text.slice(i + 1, i + 12))) continue;
      const inside = text.slice(call.at + 1, i).replace(/'(?:''|[^'])*'/g, ' ');
      const columns = [...inside.matchAll(/([A-Za-z_]\w{0,63}(?:\.[A-Za-z_]\w{0,63})?)(\s*\()?/g)]
        .filter((m) => m[2] === undefined && !NOT_A_COLUMN.test(m[1] as string))
        .map((m) => m[1] as string);
      calls.push({ fn: call.fn, columns });
    }
  }
  return calls;
}

/**
 * The column a line compares bare (`p.media_id = $1`), by name, with or without a table or an
 * alias (raw SQL's `r.recorded_at` is the ORM's `MachineReading.recorded_at`); or a condition
 * an ORM builds on it as it is (Rails' `where(due_at: from..to)`, Django's `due_at__range=`),
 * which an index on the column serves.
 */
function comparedBare(text: string, column: string): boolean {
  const escaped = column.split('.').pop() as string;
  return (
    new RegExp(`(?<![\\w.(])(?:[A-Za-z_]\\w*\\.)?${escaped}\\s*(?:=|<>|!=|<=|>=|<|>|\\bi?like\\b|\\bin\\b|\\bbetween\\b)`, 'i').test(text) ||
    new RegExp(`(?<![\\w.])${escaped}(?::(?!:)|__(?:exact|range|gte?|lte?|in)\\s*=)`).test(text)
  );
}

/** Conditions a hunk changed from comparing a column bare to comparing it through a function. */
export function indexesBypassed(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const deleted = meaningful(hunk.lines, 'del');
  if (deleted.length === 0) return [];
  // Columns the old lines already compared through a function: their plan did not change.
  const wrappedBefore = new Set(deleted.flatMap((d) => (CONDITION.test(d.text) ? comparedCalls(d.text).flatMap((c) => c.columns) : [])).map((c) => c.toLowerCase()));
  for (const line of meaningful(hunk.lines, 'add')) {
    if (!CONDITION.test(line.text)) continue;
    for (const call of comparedCalls(line.text)) {
      // The old condition compared the same column as it is, and did not wrap it already.
      const column = call.columns.find((c) => !wrappedBefore.has(c.toLowerCase()) && deleted.some((d) => comparedBare(d.text, c)));
      if (column === undefined) continue;
      const shown = call.columns.length === 1 && call.columns[0] === column ? `${call.fn}(${column})` : `${call.fn}(… ${column} …)`;
      return [
        makeSignal(diff, path, line, 'index_bypassed', `a query now compares ${shown} where it compared ${column}: an index on ${column} cannot serve it, so each lookup reads the whole table`, {
          identifiers: [column.split('.').pop() as string],
        }),
      ];
    }
  }
  return [];
}

/** An index dropped: SQL's `DROP INDEX [CONCURRENTLY] [IF EXISTS] name`, MySQL's `ALTER TABLE … DROP INDEX name`, Rails' `remove_index`. */
const DROP_INDEX = /\bdrop\s+index\s+(?:concurrently\s+)?(?:if\s+exists\s+)?([\w."`]+)|\bremove_index\s*\(?\s*:?([\w"']+)/i;
const CREATE_INDEX = /\bcreate\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?([\w."`]+)|\badd_index\b/i;
/** A migration's undo (`0187_x.down.sql`, `down/`): it runs only to roll back, never as the change. */
const DOWN_MIGRATION = /(^|[._/-])down([._/-]|$)/i;

const bareName = (name: string): string => name.replace(/["'`]/g, '').split('.').pop()?.toLowerCase() ?? '';

/**
 * An index the change drops, not created again under the same name anywhere in the diff: the
 * queries it served (which its author may not have seen: a replica that never ran them, a
 * statistic reset) now read the table. Cheap at a quiet hour, each lookup is thousands of
 * times dearer, which shows when the traffic comes.
 */
export function indexesDropped(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  if (DOWN_MIGRATION.test(path)) return [];
  const drops = meaningful(hunk.lines, 'add').flatMap((line) => {
    const m = DROP_INDEX.exec(line.text);
    if (m === null) return [];
    // Rails names the index by `name:` when it gives one, else by the table it indexes.
    const named = m[2] === undefined ? null : /\bname:\s*["']([\w.]+)["']/.exec(line.text);
    const name = bareName(named?.[1] ?? m[1] ?? m[2] ?? '');
    return name === '' ? [] : [{ line, name }];
  });
  // Most hunks drop nothing: the whole diff is read for what it creates only when one does.
  if (drops.length === 0) return [];
  const created = new Set(
    diff.files
      .filter((f) => !DOWN_MIGRATION.test(f.newPath ?? f.oldPath ?? ''))
      .flatMap((f) => f.hunks.flatMap((h) => meaningful(h.lines, 'add')))
      .flatMap((l) => {
        const m = CREATE_INDEX.exec(l.text);
        return m?.[1] ? [bareName(m[1])] : [];
      }),
  );
  const drop = drops.find((d) => !created.has(d.name));
  return drop === undefined ? [] : [makeSignal(diff, path, drop.line, 'index_bypassed', `drops the index ${drop.name}: the queries it served now read the whole table`, { identifiers: [drop.name] })];
}
