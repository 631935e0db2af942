import { describe, expect, it } from 'vitest';
import { compareCounts, groupingAccuracy } from '../../../src/bundle/patterns/index.js';

describe('compareCounts', () => {
  it('labels new, gone, up, down and steady templates', () => {
    const before = new Map([[1, 100], [2, 50], [3, 10], [4, 40]]);
    const after = new Map([[1, 100], [3, 60], [4, 5], [5, 30]]);
    const kinds = Object.fromEntries(compareCounts(before, after, { beforeSpan: 1, afterSpan: 1 }).map((s) => [s.id, s.kind]));
    expect(kinds).toEqual({ 1: 'steady', 2: 'gone', 3: 'up', 4: 'down', 5: 'new' });
  });

  it('scales by window length so a longer before window is not a quieter one', () => {
    const [shift] = compareCounts(new Map([[1, 60]]), new Map([[1, 10]]), { beforeSpan: 60, afterSpan: 10 });
    expect(shift?.kind).toBe('steady');
    expect(shift?.ratio).toBeCloseTo(1);
  });

  it('puts the most surprising change first', () => {
    const shifts = compareCounts(new Map([[1, 100], [2, 100]]), new Map([[1, 110], [2, 400]]), { beforeSpan: 1, afterSpan: 1 });
    expect(shifts.map((s) => s.id)).toEqual([2, 1]);
  });
});

describe('groupingAccuracy', () => {
  it('counts a message only when its whole group matches its true group', () => {
    // Truth: {0,1,2} {3,4} {5}. Predicted: {0,1,2} {3} {4,5}: only the first group is right.
    expect(groupingAccuracy(['a', 'a', 'a', 'b', 'c', 'c'], [1, 1, 1, 2, 2, 3])).toBeCloseTo(3 / 6);
    expect(groupingAccuracy(['x', 'x', 'y'], ['p', 'p', 'q'])).toBe(1);
  });

  it('treats an over-merged group as wrong for all its messages', () => {
    expect(groupingAccuracy(['a', 'a', 'a'], [1, 1, 2])).toBe(0);
  });
});
