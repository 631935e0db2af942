// An immutable string-keyed map whose updates share structure with the map they came
// from, so folding one more event into a session of thousands costs the same as into
// a session of ten (copying a 5,000-entry Map or Set per event costs about a millisecond).
//
// It keeps a stack of frozen layers, largest at the bottom. An update pushes a new layer
// and merges it downward while it is at least as large as the layer below (as a binary
// counter carries), so there are O(log n) layers, lookups scan them top-down, and each
// entry is copied O(log n) times over its life.

export interface Lookup<V> {
  get(key: string): V | undefined;
  has(key: string): boolean;
  readonly size: number;
}

export class PersistentMap<V> implements Lookup<V>, Iterable<[string, V]> {
  private static readonly EMPTY = new PersistentMap<never>([], 0);

  private constructor(
    private readonly layers: ReadonlyArray<ReadonlyMap<string, V>>,
    readonly size: number,
  ) {}

  static empty<V>(): PersistentMap<V> {
    return PersistentMap.EMPTY as PersistentMap<V>;
  }

  static from<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
    return PersistentMap.empty<V>().with(new Map(entries));
  }

  get(key: string): V | undefined {
    for (let index = this.layers.length - 1; index >= 0; index -= 1) {
      const layer = this.layers[index];
      if (layer?.has(key)) return layer.get(key);
    }
    return undefined;
  }

  has(key: string): boolean {
    for (let index = this.layers.length - 1; index >= 0; index -= 1) {
      if (this.layers[index]?.has(key)) return true;
    }
    return false;
  }

  /** A new map with `updates` applied (later values win); this one is unchanged. */
  with(updates: ReadonlyMap<string, V>): PersistentMap<V> {
    if (updates.size === 0) return this;
    let added = 0;
    for (const key of updates.keys()) if (!this.has(key)) added += 1;
    const layers = [...this.layers];
    let top: ReadonlyMap<string, V> = new Map(updates);
    while (layers.length > 0) {
      const below = layers[layers.length - 1];
      if (!below || below.size > top.size) break;
      layers.pop();
      const merged = new Map(below);
      for (const [key, value] of top) merged.set(key, value);
      top = merged;
    }
    layers.push(top);
    return new PersistentMap(layers, this.size + added);
  }

  *[Symbol.iterator](): Iterator<[string, V]> {
    const seen = new Set<string>();
    for (let index = this.layers.length - 1; index >= 0; index -= 1) {
      for (const [key, value] of this.layers[index] ?? []) {
        if (seen.has(key)) continue;
        seen.add(key);
        yield [key, value];
      }
    }
  }
}
