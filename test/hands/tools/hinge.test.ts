// The flat-ramp-flat fit works the parts of each pair's cost that depend on one end alone
// out once per end. Its answer must be exactly the pair that costing every (a, b) whole,
// term by term, picks: the same arithmetic in the same order, so the same minimum and the
// same tie broken the same way.
import { describe, expect, it } from 'vitest';
import { prefixes, sum, type Prefix } from '../../../src/hands/analysis/segmentation.js';
import { hinge } from '../../../src/hands/analysis/transitions.js';

/** The fit as first written: each pair costed whole, coarse to fine. */
function hingeCostingEveryPair(p: Prefix, s: number, e: number, aRange: [number, number], bRange: [number, number], mu1: number, mu2: number): { a: number; b: number } {
  const flat = (from: number, to: number, mu: number): number => sum(p.ss, from, to) - 2 * mu * sum(p.s, from, to) + (to - from) * mu * mu;
  const sumI = (from: number, to: number): number => ((to - 1) * to) / 2 - ((from - 1) * from) / 2;
  const sumI2 = (from: number, to: number): number => {
    const f = (m: number): number => ((m - 1) * m * (2 * m - 1)) / 6;
    return f(to) - f(from);
  };
  const line = (a: number, b: number): number => {
    if (b <= a) return 0;
    const q = (mu2 - mu1) / (b - a + 1);
    const c = mu1 + q * (1 - a);
    const m = b - a;
    return sum(p.ss, a, b) - 2 * c * sum(p.s, a, b) - 2 * q * sum(p.si, a, b) + c * c * m + 2 * c * q * sumI(a, b) + q * q * sumI2(a, b);
  };
  const cost = (a: number, b: number): number => flat(s, a, mu1) + line(a, b) + flat(b, e, mu2);
  const search = (aLo: number, aHi: number, bLo: number, bHi: number, stride: number): { a: number; b: number } => {
    let best = { a: aHi, b: Math.max(aHi, bLo), c: Infinity };
    for (let a = aLo; a <= aHi; a += stride) {
      for (let b = Math.max(a, bLo); b <= bHi; b += stride) {
        const c = cost(a, b);
        if (c < best.c) best = { a, b, c };
      }
    }
    return { a: best.a, b: best.b };
  };
  const stride = Math.max(1, Math.ceil(Math.max(aRange[1] - aRange[0], bRange[1] - bRange[0]) / 150));
  const coarse = search(aRange[0], aRange[1], bRange[0], bRange[1], stride);
  if (stride === 1) return coarse;
  return search(Math.max(aRange[0], coarse.a - stride), Math.min(aRange[1], coarse.a + stride), Math.max(bRange[0], coarse.b - stride), Math.min(bRange[1], coarse.b + stride), 1);
}

/** A deterministic generator, so a failing case can be found again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('the flat-ramp-flat fit', () => {
  it('picks exactly the pair that costing every pair whole picks', () => {
    const next = random(20260601);
    for (let trial = 0; trial < 600; trial++) {
      // Steps and ramps of every width in noise, as read, rounded (counts), or flat in places:
      // long series too, whose search goes coarse then fine, and ties on quantised values.
      const n = 20 + Math.floor(next() * (trial % 10 === 0 ? 1_500 : 400));
      const step = 1 + Math.floor(next() * n * 0.8);
      const ramp = Math.floor(next() * 30);
      const [base, jump, noise] = [next() * 100, (next() - 0.5) * 200, next() * 20];
      const xs = Array.from({ length: n }, (_, i) => {
        const level = base + (i >= step + ramp ? jump : i >= step ? (jump * (i - step)) / Math.max(1, ramp) : 0) + (next() - 0.5) * noise;
        return trial % 3 === 1 ? Math.round(level) : trial % 3 === 2 && next() < 0.2 ? base : level;
      });
      const p = prefixes(xs);
      const s = Math.floor(next() * step * 0.5);
      const e = n - Math.floor(next() * (n - step) * 0.3);
      const first = Math.max(s + 1, step - Math.floor(next() * 5));
      const last = Math.min(e - 1, step + ramp + Math.floor(next() * 5));
      const meanOf = (from: number, to: number): number => (to > from ? sum(p.s, from, to) / (to - from) : 0);
      const args: Parameters<typeof hinge> = [p, s, e, [s + 1, last], [first, e - 1], meanOf(s, first), meanOf(last, e)];
      expect(hinge(...args), `trial ${trial}`).toEqual(hingeCostingEveryPair(...args));
    }
  });
});
