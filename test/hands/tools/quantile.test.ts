// A quantile selects the values either side of its position instead of sorting them all. It
// must be exactly what reading the sorted copy gives: the same values picked, in the order a
// typed array sorts by (-0 before 0, NaN last), so the same result to the bit.
import { describe, expect, it } from 'vitest';
import { quantile, quantileSorted } from '../../../src/hands/analysis/stats.js';

/** The quantile as first written: the whole copy sorted. */
function quantileBySorting(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  return quantileSorted(Float64Array.from(values).sort(), q);
}

/** A deterministic generator, so a failing case can be found again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('quantile', () => {
  it('is what the sorted copy reads, value for value, over series of every shape', () => {
    const next = random(20261206);
    const special = [0, -0, NaN, Infinity, -Infinity, 1, -1];
    for (let trial = 0; trial < 3000; trial++) {
      const n = 1 + Math.floor(next() * (trial % 50 === 0 ? 3000 : 60));
      // Noise, counts with many ties, a few levels, and values the sort orders specially.
      const kind = trial % 4;
      const values = Array.from({ length: n }, () => {
        if (kind === 0) return (next() - 0.5) * 1000;
        if (kind === 1) return Math.floor(next() * 5);
        if (kind === 2) return next() < 0.5 ? 3.25 : next() < 0.5 ? -7 : next();
        return next() < 0.3 ? (special[Math.floor(next() * special.length)] as number) : Math.round((next() - 0.5) * 10) / 2;
      });
      for (const q of [0.5, 0, 1, 0.25, 0.95, 0.99, next(), -0.5, 1.5, NaN]) {
        const expected = quantileBySorting(values, q);
        const got = quantile(values, q);
        expect(Object.is(got, expected), `trial ${trial}, q ${q}: ${got} vs ${expected} over [${values.join(', ')}]`).toBe(true);
      }
    }
  });

  it('leaves its input as it was', () => {
    const values = [5, 1, 4, 2, 3];
    quantile(values, 0.5);
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });
});
