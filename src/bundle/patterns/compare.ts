// Before/after comparison of template counts around a pivot (a deploy, an alert). Counts
// are scaled by the length of each window, so a longer "before" does not look quieter.

export type ShiftKind = 'new' | 'gone' | 'up' | 'down' | 'steady';

export interface CountShift {
  id: number;
  before: number;
  after: number;
  /** after / before, both per unit of span; Infinity for a template that is new. */
  ratio: number;
  kind: ShiftKind;
  /** How surprising the after count is given the before rate (a Poisson z-score). */
  score: number;
}

export interface CompareOptions {
  /** Length of the before window in any unit (default: total messages before). */
  beforeSpan?: number;
  /** Length of the after window in the same unit (default: total messages after). */
  afterSpan?: number;
  /** Rate ratio at which a template counts as up or down (default 2). */
  minRatio?: number;
}

function total(counts: ReadonlyMap<number, number>): number {
  let sum = 0;
  for (const n of counts.values()) sum += n;
  return sum;
}

/** Every template seen on either side, the most surprising change first. */
export function compareCounts(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
  options: CompareOptions = {},
): CountShift[] {
  const beforeSpan = options.beforeSpan ?? Math.max(1, total(before));
  const afterSpan = options.afterSpan ?? Math.max(1, total(after));
  const minRatio = Math.max(1, options.minRatio ?? 2);
  const scale = beforeSpan > 0 ? afterSpan / beforeSpan : 1;
  const ids = [...new Set([...before.keys(), ...after.keys()])];
  const shifts = ids.map((id): CountShift => {
    const b = before.get(id) ?? 0;
    const a = after.get(id) ?? 0;
    const expected = b * scale;
    const ratio = b === 0 ? (a === 0 ? 1 : Infinity) : a / expected;
    let kind: ShiftKind = 'steady';
    if (b === 0 && a > 0) kind = 'new';
    else if (a === 0 && b > 0) kind = 'gone';
    else if (ratio >= minRatio) kind = 'up';
    else if (ratio <= 1 / minRatio) kind = 'down';
    const score = Math.abs(a - expected) / Math.sqrt(expected + 1);
    return { id, before: b, after: a, ratio, kind, score };
  });
  return shifts.sort((x, y) => y.score - x.score || x.id - y.id);
}
