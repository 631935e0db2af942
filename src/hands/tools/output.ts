// Tool results: one compact JSON object with a one-line `summary`, never longer than the
// caller's limit. A list that does not fit is cut to the longest prefix that does, and the
// result says how many items were left out, the offset that pages on, and the same in words.
import { InputError } from '../../errors.js';
import type { Truncation } from '../../protocol/results/index.js';

export type { Truncation };

/** Where to page on from: the offset to pass (null when paging cannot help) and the call in words. */
export type PageOn = Omit<Truncation, 'omitted'>;

/** Paging by `offset` from `base`: "call <tool> again with offset: N", with any advice after it. */
export function offsetPaging(tool: string, base: number, advice = ''): (shown: number) => PageOn {
  return (shown) => ({ next_offset: base + shown, hint: `call ${tool} again with offset: ${base + shown}${advice}` });
}

/** Shortens a long text for a result line, saying how much was cut. */
export function clip(text: string, max = 400): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more chars]`;
}

export interface FitOptions<T, P extends object> {
  items: readonly T[];
  maxChars: number;
  /** The payload for a prefix of the items; `truncated` is added when some are left out. */
  build(shown: T[]): P;
  /** How to see the rest, given how many of the items were shown. */
  pageOn(shown: number): PageOn;
  /** Items left out before this call already (a cap the tool applied itself). */
  alreadyOmitted?: number;
  /** How to page on past alreadyOmitted when every item fits. */
  alreadyPageOn?: PageOn;
  /** How long a text will be where the limit applies (ToolLimits.sizeOf); its own length by default. */
  sizeOf?: (text: string) => number;
}

/**
 * The payload with as many of `items` as fit in maxChars (binary search on the count). When
 * even none fit, the request cannot be served within the limit: an InputError says to narrow it
 * (a result cut anywhere else would no longer match its schema).
 */
export function fitList<T, P extends object>(options: FitOptions<T, P>): P & { truncated?: Truncation } {
  const { items, maxChars } = options;
  const sizeOf = options.sizeOf ?? ((text: string) => text.length);
  const extra = options.alreadyOmitted ?? 0;
  const payloadFor = (count: number): P & { truncated?: Truncation } => {
    const payload: P & { truncated?: Truncation } = options.build(items.slice(0, count));
    const omitted = items.length - count + extra;
    if (omitted > 0) {
      const paging = count < items.length ? options.pageOn(count) : (options.alreadyPageOn ?? options.pageOn(count));
      payload.truncated = { omitted, ...paging };
    }
    return payload;
  };
  const size = (count: number): number => sizeOf(JSON.stringify(payloadFor(count)));
  if (size(items.length) <= maxChars) return payloadFor(items.length);
  let lo = 0;
  let hi = items.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (size(mid) <= maxChars) lo = mid;
    else hi = mid - 1;
  }
  if (size(lo) <= maxChars) return payloadFor(lo);
  // Even the payload around the list is too long (very long ids or messages).
  throw new InputError(`the result is too long for the output limit (${maxChars} characters) even without its list`, {
    hint: `${options.pageOn(0).hint}; narrow the request (a filter, a shorter window, fewer items)`,
  });
}
