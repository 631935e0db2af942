// Where any of several literals occurs in a chunk of bytes, for an alternation whose every
// branch must contain one of them (`timeout|refused|no such host`). Each literal is anchored
// on its byte that is rarest in a sample of the file, literals sharing an anchor share one
// memchr pass (Buffer#indexOf on a single byte), and each hit is checked against the literals
// of its group; a case-insensitive search makes two passes for a letter anchor (its two cases)
// and folds ASCII when it checks. Whether this beats running the regular expression over the
// text depends on the file and the pattern: LiteralSetScan times both on the first chunks and
// keeps the faster (they find the same lines, so only the speed depends on the choice).

interface Anchored {
  /** The literal, lowercase when the search ignores case. */
  needle: Uint8Array;
  /** Index of the anchor byte in the needle. */
  offset: number;
}

interface Group {
  /** The byte values searched for (both cases of a letter when ignoring case). */
  bytes: number[];
  literals: Anchored[];
}

export interface LiteralPlan {
  groups: Group[];
  ignoreCase: boolean;
}

// Rough relative costs, to choose anchors: a memchr pass over a byte of text, and a hit checked in JavaScript.
const PASS_NS_PER_BYTE = 0.12;
const HIT_NS = 40;

const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isLower = (c: number): boolean => c >= 97 && c <= 122;
const fold = (c: number): number => (isUpper(c) ? c + 32 : c);

/** Byte counts of the sample, case folded when the search ignores case. */
function frequencies(sample: Buffer, ignoreCase: boolean): Float64Array {
  const counts = new Float64Array(256);
  for (let i = 0; i < sample.length; i++) {
    const byte = sample[i] as number;
    counts[byte] = (counts[byte] as number) + 1;
  }
  if (ignoreCase) for (let c = 65; c <= 90; c++) counts[c + 32] = (counts[c + 32] as number) + (counts[c] as number);
  return counts;
}

/** Plans the search for `literals` (UTF-8 bytes; ASCII when ignoring case) from a sample of the text. */
export function planLiterals(literals: readonly Buffer[], ignoreCase: boolean, sample: Buffer): LiteralPlan {
  const counts = frequencies(sample, ignoreCase);
  const scale = sample.length > 0 ? 1 / sample.length : 0;
  const needles = literals.map((literal) => (ignoreCase ? Uint8Array.from(literal, fold) : Uint8Array.from(literal)));
  const passes = (byte: number): number => (ignoreCase && isLower(byte) ? 2 : 1);
  // Hits per byte of text cost HIT_NS each; a pass costs PASS_NS_PER_BYTE once per anchor byte.
  const hitCost = (byte: number): number => (counts[byte] as number) * scale * HIT_NS;
  const anchors = needles.map((needle) => {
    let best = 0;
    for (let i = 1; i < needle.length; i++) if ((counts[needle[i] as number] as number) < (counts[needle[best] as number] as number)) best = i;
    return best;
  });
  // A literal moves to an anchor another literal already pays a pass for, when that is cheaper.
  const users = new Map<number, number>();
  needles.forEach((needle, k) => users.set(needle[anchors[k] as number] as number, (users.get(needle[anchors[k] as number] as number) ?? 0) + 1));
  needles.forEach((needle, k) => {
    const current = needle[anchors[k] as number] as number;
    const alone = users.get(current) === 1 ? passes(current) * PASS_NS_PER_BYTE : 0;
    let best = anchors[k] as number;
    let bestCost = hitCost(current) + alone;
    for (let i = 0; i < needle.length; i++) {
      const byte = needle[i] as number;
      if (byte === current || !users.has(byte) || hitCost(byte) >= bestCost) continue;
      best = i;
      bestCost = hitCost(byte);
    }
    if (best !== anchors[k]) {
      const count = (users.get(current) as number) - 1;
      if (count === 0) users.delete(current);
      else users.set(current, count);
      anchors[k] = best;
      users.set(needle[best] as number, (users.get(needle[best] as number) ?? 0) + 1);
    }
  });
  const byAnchor = new Map<number, Group>();
  needles.forEach((needle, k) => {
    const offset = anchors[k] as number;
    const byte = needle[offset] as number;
    let group = byAnchor.get(byte);
    if (!group) {
      group = { bytes: passes(byte) === 2 ? [byte, byte - 32] : [byte], literals: [] };
      byAnchor.set(byte, group);
    }
    group.literals.push({ needle, offset });
  });
  return { groups: [...byAnchor.values()], ignoreCase };
}

function matchesAt(buf: Buffer, at: number, needle: Uint8Array, ignoreCase: boolean): boolean {
  if (at < 0 || at + needle.length > buf.length) return false;
  for (let k = 0; k < needle.length; k++) {
    const c = buf[at + k] as number;
    if ((ignoreCase ? fold(c) : c) !== needle[k]) return false;
  }
  return true;
}

/** Start positions of every occurrence of any literal in buf, ascending and distinct. */
export function findLiterals(buf: Buffer, plan: LiteralPlan): number[] {
  const found: number[] = [];
  for (const group of plan.groups) {
    for (const byte of group.bytes) {
      for (let hit = buf.indexOf(byte); hit >= 0; hit = buf.indexOf(byte, hit + 1)) {
        for (const { needle, offset } of group.literals) {
          if (matchesAt(buf, hit - offset, needle, plan.ignoreCase)) found.push(hit - offset);
        }
      }
    }
  }
  // Groups and cases are searched one after another, and literals of a group sit at different offsets.
  return found.length > 1 ? found.sort((a, b) => a - b) : found;
}

/** Chunks timed both ways before the scan settles on one; the first only warms the code up. */
const TIMED_CHUNKS = 3;

/**
 * How a file is scanned for a literal set: candidates from the literals, or the regular
 * expression over the decoded text. Both are timed on the first chunks and the faster kept.
 */
export class LiteralSetScan {
  readonly #literals: readonly Buffer[];
  readonly #ignoreCase: boolean;
  readonly #regex: RegExp;
  #plan: LiteralPlan | null = null;
  #timed = 0;
  #literalMs = 0;
  #regexMs = 0;

  constructor(literals: readonly Buffer[], ignoreCase: boolean, regex: RegExp) {
    this.#literals = literals;
    this.#ignoreCase = ignoreCase;
    this.#regex = regex;
  }

  /** The literal positions in this chunk (ascending), or null to run the regex over its text. */
  candidates(chunk: Buffer): number[] | null {
    this.#plan ??= planLiterals(this.#literals, this.#ignoreCase, chunk);
    if (this.#timed >= TIMED_CHUNKS) return this.#literalMs <= this.#regexMs ? findLiterals(chunk, this.#plan) : null;
    let started = performance.now();
    const found = findLiterals(chunk, this.#plan);
    const literalMs = performance.now() - started;
    started = performance.now();
    const text = chunk.toString('utf8');
    const regex = this.#regex;
    regex.lastIndex = 0;
    // Every match holds a literal, so none is empty and each exec moves on.
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) regex.lastIndex = Math.max(regex.lastIndex, match.index + 1);
    const regexMs = performance.now() - started;
    if (this.#timed > 0) {
      this.#literalMs += literalMs;
      this.#regexMs += regexMs;
    }
    this.#timed += 1;
    return found;
  }
}
