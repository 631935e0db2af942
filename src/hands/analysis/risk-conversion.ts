// A unit conversion a value went through, removed while the value is still produced: the old
// code scaled a reading (`WindMPH * 0.44704`, `value * 1000.0`) or passed it through a
// converter (`fToC(TempF)`), the new assigns the same field straight from its source, and no
// new line applies that factor or converter anywhere. Values now pass in whatever unit the
// source sends: every consumer reads numbers off by the factor, or off the scale altogether.
import type { Diff, DiffFile, DiffLine } from '../../bundle/index.js';
import { codeOnly, meaningful } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** `operand * 0.44704`, `operand / 3.6`: a name scaled by a number (a call's result too). */
const SCALED_AFTER = /([A-Za-z_][\w.]{0,120}(?:\(\s*\))?)\s*([*/])\s*(\d+(?:\.\d+)?(?:e[-+]?\d+)?)(?![\w.])/gi;
/** `0.44704 * operand`. */
const SCALED_BEFORE = /(?<![\w.])(\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*\*\s*([A-Za-z_][\w.]{0,120})/gi;
/**
 * A converter by its name, with the unit it converts from: `fToC(`, `mphToMps(`, `mph_to_ms(`,
 * `c2f(`. A name of that shape is a converter only when its operand's name ends in that unit
 * (`fToC(cur.TempF)`, `mph_to_ms(wind_mph)`): `sendToDevice(message)` sends.
 */
const CONVERTER = /\b(?:([a-z][a-z0-9]{0,20})To[A-Z][A-Za-z0-9]{0,30}|([a-z][a-z0-9]{0,20})_to_[a-z][a-z0-9_]{0,30}|([a-z]{1,6})2[a-z]{1,6})\s*\(\s*([A-Za-z_][\w.]{0,120})/g;
/** Typed conversions of durations: a new line that converts with one of these still converts. */
const TYPED = /\b(Duration|TimeUnit|timedelta|TimeSpan|from_secs|from_millis|ofSeconds|ofMillis|time\.(Second|Millisecond))\b/;
/** Whole factors between units: of time, of bytes. */
const WHOLE_UNITS = new Set([60, 3600, 86400, 1024, 1048576, 1073741824]);
/** Fractions that grow or shrink a value (a backoff's 1.5) rather than convert it. */
const SHARES = new Set([0.25, 0.5, 0.75, 1.25, 1.5, 2.5]);

/**
 * A factor that converts between units: a power of ten (`* 1000.0`, `/ 100`), a factor of time
 * or bytes, or a fraction like 0.44704 or 1.8. A small whole number (`page * 50`, `n * 4`)
 * counts things, and is no unit.
 */
function unitFactor(factor: number): boolean {
  if (!Number.isFinite(factor) || factor <= 0) return false;
  if (!Number.isInteger(factor)) return !SHARES.has(factor);
  return WHOLE_UNITS.has(factor) || (factor >= 10 && Number.isInteger(Math.log10(factor)));
}
/** Where a line assigns what it computes: `key: …`, `key = …`, `"M3H" => …` (the arm's value). */
const ASSIGNED = /^\s*(?:(?:let|const|var|val|mut)\s+)*([A-Za-z_][\w.]{0,120})\s*(?::|=|:=)(?!=)/;

interface Scaling {
  line: DiffLine;
  /** The number or converter, as written. */
  by: string;
  /** A number's value, or null for a converter. */
  factor: number | null;
  /** Names the scaled value goes by: the operand's last name and the field assigned. */
  names: string[];
}

const lastName = (name: string): string => (name.replace(/\(\s*\)$/, '').split('.').pop() as string).toLowerCase();

function scalings(line: DiffLine): Scaling[] {
  const code = codeOnly(line.text);
  const assigned = ASSIGNED.exec(code)?.[1];
  const names = (operand: string): string[] => [lastName(operand), ...(assigned === undefined ? [] : [lastName(assigned)])];
  const out: Scaling[] = [];
  for (const m of code.matchAll(SCALED_AFTER)) {
    const factor = Number(m[3]);
    if (unitFactor(factor)) out.push({ line, by: `${m[2]} ${m[3]}`, factor, names: names(m[1] as string) });
  }
  for (const m of code.matchAll(SCALED_BEFORE)) {
    const factor = Number(m[1]);
    if (unitFactor(factor)) out.push({ line, by: `${m[1]} *`, factor, names: names(m[2] as string) });
  }
  for (const m of code.matchAll(CONVERTER)) {
    const from = (m[1] ?? m[2] ?? m[3] ?? '').toLowerCase();
    const operand = m[4] as string;
    if (from !== '' && lastName(operand).endsWith(from)) out.push({ line, by: `${(m[0].split('(')[0] as string).trim()}()`, factor: null, names: names(operand) });
  }
  return out;
}

/** The numbers and converter names every added line of the diff uses: what the new code still applies. */
function stillApplied(added: readonly DiffLine[]): { factors: Set<number>; converters: Set<string>; names: Set<string> } {
  const factors = new Set<number>();
  const converters = new Set<string>();
  const names = new Set<string>();
  for (const line of added) {
    const code = codeOnly(line.text);
    for (const m of code.matchAll(/(?<![\w.])(\d+(?:\.\d+)?(?:e[-+]?\d+)?)(?![\w.])/gi)) factors.add(Number(m[1]));
    for (const m of code.matchAll(/\b([A-Za-z_]\w{0,120})\s*\(/g)) converters.add(m[1] as string);
    for (const m of code.matchAll(/[A-Za-z_]\w{0,120}/g)) names.add(m[0].toLowerCase());
  }
  return { factors, converters, names };
}

/** The first conversion the diff drops from a value it still produces, one signal per diff. */
export function conversionsDropped(diff: Diff, files: readonly DiffFile[]): RiskSignal[] {
  const added = files.flatMap((file) => file.hunks.flatMap((hunk) => meaningful(hunk.lines, 'add')));
  if (added.some((line) => TYPED.test(codeOnly(line.text)))) return [];
  const still = stillApplied(added);
  for (const file of files) {
    const path = file.newPath ?? file.oldPath ?? diff.path;
    for (const hunk of file.hunks) {
      for (const line of meaningful(hunk.lines, 'del')) {
        const dropped = scalings(line).find(
          (s) =>
            (s.factor === null ? !still.converters.has(s.by.slice(0, -2)) : !still.factors.has(s.factor)) &&
            // The value is still produced: its field or its operand is named by the new code.
            s.names.some((name) => still.names.has(name)),
        );
        if (dropped === undefined) continue;
        const what = `the conversion ${dropped.by}`;
        return [
          makeSignal(diff, path, line, 'unit_mismatch', `${what} is removed and nothing applies it now: the value passes unconverted, in whatever unit its source sends`, {
            identifiers: [...new Set(dropped.names)],
          }),
        ];
      }
    }
  }
  return [];
}
