// A query whose condition now wraps a column in a function (`WHERE upper(p.media_id) = …`,
// `lower(email) = …`, `date(created_at) = …`) where the old condition compared the bare
// column: an index on the column cannot serve the new condition, so every lookup reads the
// whole table. Harmless on a small table or at a quiet hour, it is each query costing
// thousands of times more, which shows when the traffic comes.
import type { Diff, DiffHunk } from '../../bundle/index.js';
import { meaningful } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** Functions that hide a column from its index when they wrap it in a condition. */
const WRAPPERS = 'upper|lower|trim|ltrim|rtrim|date|cast|coalesce|to_char|date_trunc|substring|substr|left|right|concat|replace|abs|round|md5|unaccent';
/**
 * A wrapped column compared in a condition: the function, then a column (`t.col` or `col`),
 * then a comparison. The function name comes first, so a long word is passed over at once.
 */
const WRAPPED = new RegExp(`\\b(${WRAPPERS})\\s*\\(\\s*([A-Za-z_][\\w]{0,63}(?:\\.[A-Za-z_][\\w]{0,63})?)\\s*(?:,[^()]{0,40})?\\)\\s*(?:=|<>|!=|<=|>=|<|>|\\bi?like\\b|\\bin\\b)`, 'gi');
/** A line of SQL that filters or joins: the wrapped column must be in a condition. */
const CONDITION = /\b(where|and|or|on|having)\b/i;

/** The column a line compares bare (`p.media_id = $1`), by name. */
function comparedBare(text: string, column: string): boolean {
  const escaped = column.replace(/\./g, '\\.');
  return new RegExp(`(?<![\\w.(])${escaped}\\s*(?:=|<>|!=|<=|>=|<|>|\\bi?like\\b|\\bin\\b)`, 'i').test(text);
}

/** Conditions a hunk changed from comparing a column bare to comparing it through a function. */
export function indexesBypassed(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const deleted = meaningful(hunk.lines, 'del');
  if (deleted.length === 0) return [];
  for (const line of meaningful(hunk.lines, 'add')) {
    if (!CONDITION.test(line.text)) continue;
    for (const m of line.text.matchAll(WRAPPED)) {
      const fn = (m[1] as string).toLowerCase();
      const column = m[2] as string;
      // The old condition compared the same column as it is, and did not wrap it already.
      if (!deleted.some((d) => comparedBare(d.text, column))) continue;
      if (deleted.some((d) => new RegExp(`\\b${fn}\\s*\\(\\s*${column.replace(/\./g, '\\.')}\\s*[,)]`, 'i').test(d.text))) continue;
      return [
        makeSignal(diff, path, line, 'index_bypassed', `a query now compares ${fn}(${column}) where it compared ${column}: an index on ${column} cannot serve it, so each lookup reads the whole table`, {
          identifiers: [column.split('.').pop() as string],
        }),
      ];
    }
  }
  return [];
}
