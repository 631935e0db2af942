// Tool results: one compact JSON object with a one-line `summary`, never longer than the
// caller's limit. A list that does not fit is cut to the longest prefix that does, and the
// result says how many items were left out and the exact argument that pages on.
import type { ToolResult } from '../tool.js';

export interface Truncation {
  omitted: number;
  hint: string;
}

export function jsonResult(payload: Record<string, unknown>): ToolResult {
  return { text: JSON.stringify(payload) };
}

/** Shortens a long text for a result line, saying how much was cut. */
export function clip(text: string, max = 400): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more chars]`;
}

export interface FitOptions<T> {
  items: readonly T[];
  maxChars: number;
  /** The payload for a prefix of the items; `truncated` is added when some are left out. */
  build(shown: readonly T[]): Record<string, unknown>;
  /** How to see the rest, given how many of the items were shown. */
  hint(shown: number): string;
  /** Items left out before this call already (a cap the tool applied itself). */
  alreadyOmitted?: number;
  /** Hint for alreadyOmitted when every item fits. */
  alreadyHint?: string;
  /** How long a text will be where the limit applies (ToolLimits.sizeOf); its own length by default. */
  sizeOf?: (text: string) => number;
}

/**
 * The payload with as many of `items` as fit in maxChars (binary search on the count).
 * When even none fit, the payload is returned with no items and the truncation note.
 */
export function fitList<T>(options: FitOptions<T>): ToolResult {
  const { items, maxChars } = options;
  const size = options.sizeOf ?? ((text: string) => text.length);
  const extra = options.alreadyOmitted ?? 0;
  const render = (count: number): string => {
    const payload = options.build(items.slice(0, count));
    const omitted = items.length - count + extra;
    if (omitted > 0) {
      const hint = count < items.length ? options.hint(count) : (options.alreadyHint ?? options.hint(count));
      payload.truncated = { omitted, hint } satisfies Truncation;
    }
    return JSON.stringify(payload);
  };
  const all = render(items.length);
  if (size(all) <= maxChars) return { text: all };
  let lo = 0;
  let hi = items.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (size(render(mid)) <= maxChars) lo = mid;
    else hi = mid - 1;
  }
  const text = render(lo);
  if (size(text) <= maxChars) return { text };
  // Even the payload around the list is too long: keep what stays valid JSON and short.
  const summary = options.build([]).summary;
  return {
    text: JSON.stringify({
      summary: typeof summary === 'string' ? clip(summary, Math.max(40, maxChars / 4)) : 'result too long',
      truncated: { omitted: items.length + extra, hint: `${options.hint(0)}; the result is too long for the output limit, so narrow the request` },
    }),
  };
}
