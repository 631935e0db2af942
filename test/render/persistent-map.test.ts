import { describe, expect, it } from 'vitest';
import { PersistentMap } from '../../src/render/persistent-map.js';

describe('PersistentMap', () => {
  it('leaves every earlier version unchanged', () => {
    const versions = [PersistentMap.empty<number>()];
    for (let index = 0; index < 300; index += 1) {
      const last = versions[versions.length - 1] ?? PersistentMap.empty<number>();
      versions.push(last.with(new Map([[`k${index % 120}`, index]])));
    }
    versions.forEach((version, count) => {
      expect(version.size).toBe(Math.min(count, 120));
      if (count > 0) expect(version.get(`k${(count - 1) % 120}`)).toBe(count - 1);
      if (count < 120) expect(version.has(`k${count}`)).toBe(false);
    });
    const final = versions[versions.length - 1];
    expect(final?.get('k0')).toBe(240);
    expect(new Map(final).size).toBe(120);
  });

  it('keeps few layers however many single updates it took', () => {
    let map = PersistentMap.empty<boolean>();
    for (let index = 0; index < 5000; index += 1) map = map.with(new Map([[`id${index}`, true]]));
    const layers = (map as unknown as { layers: unknown[] }).layers.length;
    expect(layers).toBeLessThanOrEqual(Math.ceil(Math.log2(5000)) + 1);
    expect(map.size).toBe(5000);
    expect(map.has('id0') && map.has('id4999') && !map.has('id5000')).toBe(true);
  });
});
