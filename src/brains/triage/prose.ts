// Small helpers for the sentences the brain says while it works.

/** A duration as an engineer says it: `45s`, `6m 30s`, `2h 5m`. */
export function minutes(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m}m` : `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A level as a short number: 0.0312, 1.83, 556, 1.2e+3. */
export function level(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** A level of a movement, with the unit of a rate when the series is a counter read as one. */
export function movedLevel(m: { rate: boolean }, value: number): string {
  return m.rate ? `${level(value)}/s` : level(value);
}
