// A number whose name states its unit, converted as another unit: `WidenAfterMs * time.Second`,
// `Duration.ofSeconds(timeoutMillis)`, `timedelta(seconds=delay_ms)`, `time.sleep(backoff_ms)`.
// The duration comes out a thousand times too long (or too short): a wait that never ends, a
// timeout that fires at once, a window that never widens.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { codeOnly, meaningful } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

type Unit = 'milliseconds' | 'seconds';

/** The unit a name states by its last word: `WidenAfterMs`, `timeout_millis`, `delaySeconds`, `ttl_s`. */
function unitOfName(name: string): Unit | null {
  if (/(?:Ms|MS|Millis|Milliseconds|_ms|_millis|_milliseconds)$/.test(name)) return 'milliseconds';
  if (/(?:Sec|Secs|Seconds|_s|_sec|_secs|_seconds)$/.test(name)) return 'seconds';
  return null;
}

/** Conversions that read their operand as a unit, in Java/Kotlin, Python and .NET: the operand follows the call. */
const PREFIXED: ReadonlyArray<{ pattern: RegExp; unit: Unit }> = [
  { pattern: /\bDuration\.ofSeconds\(\s*([A-Za-z_][\w.]{0,120})\s*\)/g, unit: 'seconds' },
  { pattern: /\bDuration\.ofMillis\(\s*([A-Za-z_][\w.]{0,120})\s*\)/g, unit: 'milliseconds' },
  { pattern: /\bTimeUnit\.SECONDS\.\w+\(\s*([A-Za-z_][\w.]{0,120})\s*\)/g, unit: 'seconds' },
  { pattern: /\bTimeUnit\.MILLISECONDS\.\w+\(\s*([A-Za-z_][\w.]{0,120})\s*\)/g, unit: 'milliseconds' },
  { pattern: /\btimedelta\([^)]{0,200}?\bseconds\s*=\s*([A-Za-z_][\w.]{0,120})/g, unit: 'seconds' },
  { pattern: /\btimedelta\([^)]{0,200}?\bmilliseconds\s*=\s*([A-Za-z_][\w.]{0,120})/g, unit: 'milliseconds' },
  // Keyword arguments of any date library (`shift(seconds=ttl)`, `relativedelta(seconds=…)`, `add(milliseconds=…)`).
  { pattern: /(?<=[(,]\s{0,20})seconds\s*=\s*([A-Za-z_][\w.]{0,120})/g, unit: 'seconds' },
  { pattern: /(?<=[(,]\s{0,20})milliseconds\s*=\s*([A-Za-z_][\w.]{0,120})/g, unit: 'milliseconds' },
  { pattern: /\btime\.sleep\(\s*([A-Za-z_][\w.]{0,120})\s*\)/g, unit: 'seconds' },
  { pattern: /\bTimeSpan\.FromSeconds\(\s*([A-Za-z_][\w.]{0,120})\s*\)/g, unit: 'seconds' },
  { pattern: /\bTimeSpan\.FromMilliseconds\(\s*([A-Za-z_][\w.]{0,120})\s*\)/g, unit: 'milliseconds' },
];
/**
 * Go's `x * time.Second`: the operand comes before the unit, so the unit is found first and
 * the operand read from the few characters before it (a pattern that began with the operand
 * would try every start in a long word).
 */
const GO_UNIT = /\*\s*time\.(Second|Millisecond)\b/g;
const OPERAND_BEFORE = /([A-Za-z_][\w.]{0,120})\s*\)?\s*$/;

interface Conversion {
  /** The operand's last name: `DOWNLOAD_URL_TTL` of `settings.DOWNLOAD_URL_TTL`. */
  name: string;
  /** The unit the conversion reads the operand as. */
  read: Unit;
}

/** The numbers a line converts into durations, with the unit each is read as. */
function conversions(line: DiffLine): Conversion[] {
  const code = codeOnly(line.text);
  const out: Conversion[] = [];
  for (const { pattern, unit } of PREFIXED) for (const m of code.matchAll(pattern)) out.push({ name: (m[1] as string).split('.').pop() as string, read: unit });
  for (const m of code.matchAll(GO_UNIT)) {
    const operand = OPERAND_BEFORE.exec(code.slice(Math.max(0, m.index - 130), m.index))?.[1];
    if (operand !== undefined) out.push({ name: operand.split('.').pop() as string, read: m[1] === 'Second' ? 'seconds' : 'milliseconds' });
  }
  return out;
}

function mismatches(line: DiffLine): Array<{ name: string; stated: Unit; read: Unit }> {
  const out: Array<{ name: string; stated: Unit; read: Unit }> = [];
  for (const { name, read } of conversions(line)) {
    const stated = unitOfName(name);
    if (stated !== null && stated !== read) out.push({ name, stated, read });
  }
  return out;
}

/** Names in a line's code, lower-cased: what ties a conversion to the line that set its operand. */
function namesIn(line: DiffLine): Set<string> {
  return new Set((codeOnly(line.text).match(/[A-Za-z_]\w{0,120}/g) ?? []).map((name) => name.toLowerCase()));
}

/**
 * The same duration read in one unit before and in the other after: the old code converted a
 * number as seconds (`shift(seconds=ttl)`), the new converts it as milliseconds
 * (`timedelta(milliseconds=settings.URL_TTL)`), and no new line still reads the old unit.
 * The operand must be the old one, or a name the removed lines used (`ttl = settings.URL_TTL`).
 */
function unitSwitched(hunk: DiffHunk): { line: DiffLine; name: string; was: Unit; now: Unit } | null {
  const deleted = meaningful(hunk.lines, 'del');
  const added = meaningful(hunk.lines, 'add');
  const before = deleted.flatMap(conversions);
  const after = added.flatMap((line) => conversions(line).map((conversion) => ({ line, ...conversion })));
  if (before.length === 0 || after.length === 0) return null;
  const was = new Set(before.map((c) => c.read));
  if (was.size !== 1) return null;
  const old = before[0]?.read as Unit;
  if (after.some((c) => c.read === old)) return null;
  const removedNames = new Set(deleted.flatMap((line) => [...namesIn(line)]));
  const switched = after.find((c) => removedNames.has(c.name.toLowerCase()));
  return switched === undefined ? null : { line: switched.line, name: switched.name, was: old, now: switched.read };
}

/** Added lines that convert a number as a unit other than the one its name states (and the old code did not). */
export function unitMismatches(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const before = new Set(meaningful(hunk.lines, 'del').flatMap((l) => mismatches(l).map((m) => m.name)));
  for (const line of meaningful(hunk.lines, 'add')) {
    const found = mismatches(line).find((m) => !before.has(m.name));
    if (!found) continue;
    const factor = found.stated === 'milliseconds' ? 'a thousand times too long' : 'a thousand times too short';
    return [
      makeSignal(diff, path, line, 'unit_mismatch', `${found.name}, in ${found.stated} by its name, is read as ${found.read}: the duration is ${factor}`, {
        identifiers: [found.name],
      }),
    ];
  }
  const switched = unitSwitched(hunk);
  if (switched === null) return [];
  const factor = switched.was === 'seconds' ? 'a thousand times shorter' : 'a thousand times longer';
  return [
    makeSignal(diff, path, switched.line, 'unit_mismatch', `${switched.name} was read as ${switched.was} and is now read as ${switched.now}: the same setting gives a duration ${factor}`, {
      identifiers: [switched.name],
    }),
  ];
}
