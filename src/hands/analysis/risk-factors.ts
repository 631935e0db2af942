// A conversion factor that slipped a decimal place when its table was rewritten: `"GAL" to
// 0.00378541` in a map becomes `GAL(0.000378541)` in an enum, the refactor said to copy every
// factor. The same name bound to a number that moved by an exact power of ten is no tuning:
// every value it converts comes out that many times too small (or large), which nothing
// refuses, and whatever reads it (a water balance, a bill) is misled from then on.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { stripComment } from './code-words.js';
import { meaningful } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** A name bound to a number, as maps, enums, objects and assignments write it. */
const BINDINGS = [
  /["']?([A-Za-z_][\w]{0,60})["']?\s+to\s+([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\b/gi,
  /\b([A-Za-z_][\w]{0,60})\s*\(\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*\)/gi,
  /["']?([A-Za-z_][\w]{0,60})["']?\s*[:=]>?\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\b/gi,
];
const MAX_LINE = 400;

interface Binding {
  value: number;
  line: DiffLine;
  /** Which of BINDINGS wrote it: a table rewritten changes the form (a map's `to` into an enum's call). */
  form: number;
}

function bindingsOf(lines: readonly DiffLine[]): Map<string, Binding> {
  const out = new Map<string, Binding>();
  for (const line of lines) {
    // Quoted names count (`"GAL" to 0.0037`): the comment is cut, the strings kept.
    const code = stripComment(line.text).slice(0, MAX_LINE);
    BINDINGS.forEach((pattern, form) => {
      for (const m of code.matchAll(pattern)) {
        // A factor is a fraction as written (`0.00378541`, `3.785`): whole numbers are counts and sizes, tuned by tens on purpose.
        if (!(m[2] ?? '').includes('.')) continue;
        const value = Number(m[2]);
        const name = (m[1] ?? '').toUpperCase();
        if (Number.isFinite(value) && value !== 0 && !out.has(name)) out.set(name, { value, line, form });
      }
    });
  }
  return out;
}

/** The exponent when `a / b` is an exact power of ten other than one (10, 0.001), else null. */
function decimalSlip(a: number, b: number): number | null {
  const exponent = Math.round(Math.log10(a / b));
  if (exponent === 0 || Math.abs(exponent) > 6) return null;
  return Math.abs(a / b / 10 ** exponent - 1) < 1e-6 ? exponent : null;
}

/** Factors of one hunk whose names kept their place and whose values moved by a power of ten. */
export function factorsSlipped(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const before = bindingsOf(meaningful(hunk.lines, 'del'));
  if (before.size === 0) return [];
  const after = bindingsOf(meaningful(hunk.lines, 'add'));
  for (const [name, now] of after) {
    const was = before.get(name);
    // The same form edited is a value tuned; a table rewritten into another form was meant to copy it.
    const slip = was === undefined || was.form === now.form ? null : decimalSlip(now.value, was.value);
    if (was === undefined || slip === null) continue;
    const times = `${10 ** Math.abs(slip)} times too ${slip < 0 ? 'small' : 'large'}`;
    return [
      makeSignal(diff, path, now.line, 'unit_mismatch', `the factor for ${name} moved from ${was.value} to ${now.value} as its table was rewritten: every value it converts comes out ${times}`, {
        identifiers: [name],
        old: String(was.value),
        new: String(now.value),
        factor: 10 ** Math.abs(slip),
      }),
    ];
  }
  return [];
}
