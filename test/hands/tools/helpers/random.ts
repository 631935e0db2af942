// Seeded noise for synthetic series, so every run sees the same data.

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(seed: number): () => number {
  const uniform = rng(seed);
  return () => {
    const u = Math.max(uniform(), 1e-12);
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

export const T0 = Date.parse('2026-11-20T13:00:00Z');
export const MINUTE = 60_000;

/** Samples every `stepMs` from T0, value f(i) plus gaussian noise of `sigma`. */
export function series(count: number, f: (i: number) => number, sigma: number, seed: number, stepMs = MINUTE): Array<{ t: number; v: number | null }> {
  const noise = gaussian(seed);
  return Array.from({ length: count }, (_, i) => ({ t: T0 + i * stepMs, v: f(i) + sigma * noise() }));
}
