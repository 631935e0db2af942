import { describe, expect, it } from 'vitest';
import { detectChangePoints } from '../../../src/hands/analysis/change-points.js';
import { gaussian, MINUTE, series, T0 } from './helpers/random.js';

const significant = (points: ReturnType<typeof detectChangePoints>): ReturnType<typeof detectChangePoints> =>
  points.filter((p) => p.significant);

describe('detectChangePoints', () => {
  it('finds a step at its sample, with the levels on both sides', () => {
    const data = series(120, (i) => (i < 70 ? 0.25 : 1.2), 0.02, 1);
    const found = significant(detectChangePoints(data));
    expect(found).toHaveLength(1);
    const [step] = found;
    expect(step?.onset).toBe(T0 + 70 * MINUTE);
    expect(step?.shape).toBe('step');
    expect(step?.direction).toBe('up');
    expect(step?.before).toBeCloseTo(0.25, 1);
    expect(step?.after).toBeCloseTo(1.2, 1);
    expect(step?.relative).toBeGreaterThan(3);
    expect(step?.z).toBeGreaterThan(20);
  });

  it('finds a downward step in a noisy series', () => {
    const data = series(200, (i) => (i < 150 ? 1000 : 700), 40, 2);
    const found = significant(detectChangePoints(data));
    expect(found).toHaveLength(1);
    expect(found[0]?.direction).toBe('down');
    expect(Math.abs((found[0]?.onset ?? 0) - (T0 + 150 * MINUTE))).toBeLessThanOrEqual(2 * MINUTE);
  });

  it('places the onset of a ramp where it starts and reports where it settles', () => {
    // Flat at 10 until 60, rising linearly to 50 by 90, flat after.
    const f = (i: number): number => (i < 60 ? 10 : i < 90 ? 10 + ((i - 60) * 40) / 30 : 50);
    const found = significant(detectChangePoints(series(150, f, 1, 3)));
    expect(found).toHaveLength(1);
    const [ramp] = found;
    expect(ramp?.shape).toBe('ramp');
    expect(Math.abs((ramp?.onset ?? 0) - (T0 + 60 * MINUTE))).toBeLessThanOrEqual(4 * MINUTE);
    expect(Math.abs((ramp?.settled ?? 0) - (T0 + 90 * MINUTE))).toBeLessThanOrEqual(4 * MINUTE);
    expect(ramp?.before).toBeCloseTo(10, 0);
    expect(ramp?.after).toBeCloseTo(50, 0);
  });

  it('raises no alarm on noise alone', () => {
    for (let seed = 10; seed < 40; seed++) {
      const found = significant(detectChangePoints(series(300, () => 100, 5, seed)));
      expect(found, `seed ${seed}`).toEqual([]);
    }
  });

  it('raises no alarm on autocorrelated noise', () => {
    for (let seed = 50; seed < 70; seed++) {
      const noise = gaussian(seed);
      let state = 0;
      const data = Array.from({ length: 300 }, (_, i) => {
        state = 0.6 * state + noise();
        return { t: T0 + i * MINUTE, v: 100 + 3 * state };
      });
      expect(significant(detectChangePoints(data)), `seed ${seed}`).toEqual([]);
    }
  });

  it('does not take a single outlier, or a pair of them, for a change', () => {
    const data = series(200, () => 0.3, 0.01, 4);
    (data[80] as { v: number }).v = 9;
    (data[140] as { v: number }).v = 7;
    (data[141] as { v: number }).v = 8;
    expect(significant(detectChangePoints(data))).toEqual([]);
  });

  it('handles gaps: skips them and reports an onset at a real sample', () => {
    const data = series(200, (i) => (i < 100 ? 5 : 15), 0.5, 5);
    for (let i = 95; i < 105; i++) (data[i] as { v: number | null }).v = null;
    (data[20] as { v: number | null }).v = Number.NaN;
    const found = significant(detectChangePoints(data));
    expect(found).toHaveLength(1);
    const onset = found[0]?.onset ?? 0;
    expect(onset).toBeGreaterThanOrEqual(T0 + 100 * MINUTE);
    expect(onset).toBeLessThanOrEqual(T0 + 106 * MINUTE);
    expect(data.some((p) => p.t === onset && p.v !== null)).toBe(true);
  });

  it('finds a step and its recovery as two changes', () => {
    const data = series(240, (i) => (i >= 80 && i < 160 ? 0.08 : 0.001), 0.002, 6);
    const found = significant(detectChangePoints(data));
    expect(found.map((p) => p.direction)).toEqual(['up', 'down']);
    expect(Math.abs((found[0]?.onset ?? 0) - (T0 + 80 * MINUTE))).toBeLessThanOrEqual(MINUTE);
    expect(Math.abs((found[1]?.onset ?? 0) - (T0 + 160 * MINUTE))).toBeLessThanOrEqual(MINUTE);
  });

  it('finds a change in a flat series that jumps, and ignores a constant one', () => {
    const flat = Array.from({ length: 60 }, (_, i) => ({ t: T0 + i * MINUTE, v: i < 40 ? 0 : 1 }));
    const found = significant(detectChangePoints(flat));
    expect(found).toHaveLength(1);
    expect(found[0]?.onset).toBe(T0 + 40 * MINUTE);
    expect(found[0]?.relative).toBeNull();
    const constant = Array.from({ length: 60 }, (_, i) => ({ t: T0 + i * MINUTE, v: 3 }));
    expect(detectChangePoints(constant)).toEqual([]);
  });

  it('finds a series that held exactly zero for hours leaving it in bursts', () => {
    // Evictions: none for six hours, then bursts of thousands between quiet minutes, then none again.
    const noise = gaussian(11);
    const data = Array.from({ length: 480 }, (_, i) => {
      if (i < 400 || i >= 440) return { t: T0 + i * MINUTE, v: 0 };
      // About one minute in eight quiet, the others around two thousand, some three times that.
      const quiet = noise() < -1.15;
      return { t: T0 + i * MINUTE, v: quiet ? 0 : Math.round(2200 * Math.exp(0.45 * noise())) };
    });
    const found = significant(detectChangePoints(data));
    expect(found[0]?.direction).toBe('up');
    expect(found[0]?.before).toBe(0);
    expect(Math.abs((found[0]?.onset ?? 0) - (T0 + 400 * MINUTE))).toBeLessThanOrEqual(2 * MINUTE);
    // The same bursts around a level that itself wanders are the wandering, not a departure.
    const wandering = data.map((p, i) => ({ t: p.t, v: (p.v as number) + (i < 400 || i >= 440 ? Math.round(2200 * Math.exp(0.45 * noise())) : 0) }));
    expect(significant(detectChangePoints(wandering))).toEqual([]);
  });

  it('keeps a step whose noise grows after it as one step', () => {
    const noise = gaussian(8);
    const data = Array.from({ length: 90 }, (_, i) => ({ t: T0 + i * MINUTE, v: i < 62 ? 0.001 + 0.0003 * noise() : 0.05 + 0.006 * noise() }));
    const found = significant(detectChangePoints(data));
    expect(found).toHaveLength(1);
    expect(found[0]?.shape).toBe('step');
    expect(found[0]?.onset).toBe(T0 + 62 * MINUTE);
    expect(found[0]?.samplesAfter).toBe(28);
  });

  it('lists weaker moves only when asked, marked as not significant', () => {
    const data = series(200, (i) => (i < 100 ? 10 : 10.02), 0.5, 9);
    const all = detectChangePoints(data, { minZ: 3 });
    expect(all.every((p) => !p.significant)).toBe(true);
  });

  it('returns nothing for series too short to judge', () => {
    expect(detectChangePoints(series(5, (i) => i, 0.1, 7))).toEqual([]);
  });
});
