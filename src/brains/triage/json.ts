// Small helpers for values the brain did not write: times as tools print them, and plain
// objects (a tool definition's JSON schema). Tool results themselves are read through their
// output schemas (read.ts), never field by field here.

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An RFC 3339 time from a tool result as epoch ms. */
export function time(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Epoch ms as the RFC 3339 text tools print (seconds precision when there are no milliseconds). */
export function iso(ms: number): string {
  const text = new Date(ms).toISOString();
  return text.endsWith('.000Z') ? `${text.slice(0, -5)}Z` : text;
}

/** Sorted copy by a string key, for output that does not depend on input order. */
export function sortedBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
