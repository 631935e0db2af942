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

function mismatches(line: DiffLine): Array<{ name: string; stated: Unit; read: Unit }> {
  const code = codeOnly(line.text);
  const out: Array<{ name: string; stated: Unit; read: Unit }> = [];
  const check = (operand: string, unit: Unit): void => {
    const name = operand.split('.').pop() as string;
    const stated = unitOfName(name);
    if (stated !== null && stated !== unit) out.push({ name, stated, read: unit });
  };
  for (const { pattern, unit } of PREFIXED) for (const m of code.matchAll(pattern)) check(m[1] as string, unit);
  for (const m of code.matchAll(GO_UNIT)) {
    const operand = OPERAND_BEFORE.exec(code.slice(Math.max(0, m.index - 130), m.index))?.[1];
    if (operand !== undefined) check(operand, m[1] === 'Second' ? 'seconds' : 'milliseconds');
  }
  return out;
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
  return [];
}
