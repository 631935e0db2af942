// Deciding which candidate templates are one event. Masking already made most variables
// `<*>`; what is left are words that may be variables (user names, class names) or may be
// the very words that tell two events apart ("from NEW to RUNNING"). Shape cannot tell,
// so the values seen at a position decide: a handful of values that each recur is a set of
// distinct events; many values, most seen once, is a variable.
import { WILDCARD, isNamedIndex, isPunctuation } from './shapes.js';

export interface Candidate {
  readonly id: number;
  readonly tokens: readonly string[];
  readonly count: number;
}

export interface MergeSettings {
  /** Share of word positions two candidates must agree on to be compared at all. */
  readonly similarity: number;
  /** Leading word tokens that must agree before candidates may merge. */
  readonly depth: number;
  /** Distinct leading words per token count before the rest share one pool. */
  readonly maxChildren: number;
  /** Distinct values at which a position is a variable whatever their counts. */
  readonly maxEnum: number;
}

/** One merge: `from` candidates fold into `into`, whose template becomes `tokens`. */
export interface Merge {
  readonly into: number;
  readonly from: readonly number[];
  readonly tokens: readonly string[];
}

// Marks a position where members of a comparison group disagree.
const VARIED = '\u0000';

/** Orders candidates so every decision is the same for the same input. */
export function byWeight(a: Candidate, b: Candidate): number {
  return b.count - a.count || a.id - b.id;
}

/**
 * The words that must agree before candidates are compared. A name with an index counts
 * by its letters (`eth0` and `eth1` lead alike), so a family of devices that starts a
 * message can still be found to be one.
 */
function leadingWords(tokens: readonly string[], depth: number): string {
  const words: string[] = [];
  for (const token of tokens) {
    if (words.length >= depth) break;
    if (!isPunctuation(token)) words.push(isNamedIndex(token) ? indexStem(token) + '\u0002' : token);
  }
  return words.join('\u0001');
}

/** The letters of a name with an index: `eth` of `eth0`, `LOCAL` of `LOCAL(0)`. */
function indexStem(name: string): string {
  return name.replace(/\(?\d+\)?$/, '');
}

/** Candidates that may merge: same token count and same leading words (rare leaders pooled). */
function buckets(candidates: readonly Candidate[], settings: MergeSettings): Candidate[][] {
  const byLength = new Map<number, Map<string, Candidate[]>>();
  for (const c of candidates) {
    let leaders = byLength.get(c.tokens.length);
    if (!leaders) byLength.set(c.tokens.length, (leaders = new Map()));
    const key = leadingWords(c.tokens, settings.depth);
    const list = leaders.get(key);
    if (list) list.push(c);
    else leaders.set(key, [c]);
  }
  const out: Candidate[][] = [];
  for (const leaders of byLength.values()) {
    const ranked = [...leaders.values()].sort((a, b) => weight(b) - weight(a) || byWeight(a[0] as Candidate, b[0] as Candidate));
    const pool: Candidate[] = [];
    ranked.forEach((list, rank) => {
      if (rank < settings.maxChildren) out.push(list);
      else pool.push(...list);
    });
    if (pool.length > 0) out.push(pool);
  }
  return out;
}

function weight(list: readonly Candidate[]): number {
  let total = 0;
  for (const c of list) total += c.count;
  return total;
}

/** Agreement on word positions; -1 when the punctuation (the structure) differs. */
function similarity(tokens: readonly string[], template: readonly string[]): number {
  let total = 0;
  let equal = 0;
  for (let p = 0; p < tokens.length; p++) {
    const a = tokens[p] as string;
    const b = template[p] as string;
    const punctuation = isPunctuation(a);
    if (b === VARIED) {
      if (punctuation) return -1;
      if (a !== WILDCARD) total++;
      continue;
    }
    if (punctuation || isPunctuation(b)) {
      if (a !== b) return -1;
      continue;
    }
    if (a === WILDCARD && b === WILDCARD) continue;
    total++;
    if (a === b) equal++;
  }
  return total === 0 ? 1 : equal / total;
}

/** Greedy grouping of one bucket: each candidate joins the most similar group, if similar enough. */
function group(bucket: readonly Candidate[], threshold: number): Candidate[][] {
  const groups: { template: string[]; members: Candidate[] }[] = [];
  for (const c of [...bucket].sort(byWeight)) {
    let best: { template: string[]; members: Candidate[] } | undefined;
    let bestScore = -1;
    for (const g of groups) {
      const score = similarity(c.tokens, g.template);
      if (score > bestScore) {
        bestScore = score;
        best = g;
      }
    }
    if (best && bestScore >= threshold) {
      best.members.push(c);
      for (let p = 0; p < c.tokens.length; p++) if (best.template[p] !== c.tokens[p]) best.template[p] = VARIED;
    } else {
      groups.push({ template: [...c.tokens], members: [c] });
    }
  }
  return groups.map((g) => g.members);
}

/** Whether the values seen at one position look like a variable rather than an event's words. */
export function isVariableColumn(counts: ReadonlyMap<string, number>, maxEnum: number): boolean {
  const distinct = counts.size;
  if (distinct >= maxEnum) return true;
  // Two or three values are read as that many events ("begin"/"end", "true"/"false"):
  // labelled logs almost always keep such words, and one wrong split costs less than
  // one wrong merge of two busy events.
  if (distinct < 3) return false;
  let singles = 0;
  for (const n of counts.values()) if (n === 1) singles++;
  return singles * 2 >= distinct;
}

// A dotted lower-case name (`dynamic.vdc.vn`): a host under a domain masking did not know.
const DOTTED_NAME = /^[a-z][a-z-]*(?:\.[a-z][a-z-]*){2,}$/;

/**
 * Whether the values at a position are names of one family: short names with an index
 * (`eth0`, `eth1`) that differ only in it, or such names, or dotted host-like names, next
 * to values masking already took for variables (`en74` beside `an430`, `dynamic.vdc.vn`
 * beside addresses): a device or host, not the event's words.
 */
export function isIndexedFamily(counts: ReadonlyMap<string, number>): boolean {
  const names = [...counts.keys()].filter((value) => value !== WILDCARD);
  if (names.length === 0) return false;
  if (counts.has(WILDCARD) && names.every((name) => isNamedIndex(name) || DOTTED_NAME.test(name))) return true;
  if (!names.every(isNamedIndex)) return false;
  return names.length >= 2 && names.every((name) => indexStem(name) === indexStem(names[0] as string));
}

/**
 * Splits a group of same-shaped candidates into events: positions whose values look like
 * variables are generalised; of the rest, the one with fewest values splits the group and
 * each part is examined again.
 */
function split(members: readonly Candidate[], variables: ReadonlySet<number>, maxEnum: number): Candidate[][] {
  if (members.length < 2) return [members as Candidate[]];
  const first = members[0] as Candidate;
  const newVariables: number[] = [];
  let splitAt = -1;
  let splitDistinct = Infinity;
  for (let p = 0; p < first.tokens.length; p++) {
    if (variables.has(p)) continue;
    // A masked value counts as one more value: "service 'a.b.C'" masked next to
    // "service 'actorSystem'" is two values, not proof of a variable.
    const counts = new Map<string, number>();
    for (const m of members) {
      const token = m.tokens[p] as string;
      counts.set(token, (counts.get(token) ?? 0) + m.count);
    }
    if (counts.size === 1) continue;
    const structural = [...counts.keys()].some(isPunctuation);
    if (!structural && (isVariableColumn(counts, maxEnum) || isIndexedFamily(counts))) {
      newVariables.push(p);
    } else if (counts.size < splitDistinct) {
      splitDistinct = counts.size;
      splitAt = p;
    }
  }
  if (splitAt < 0) return [members as Candidate[]];
  const next = new Set([...variables, ...newVariables]);
  const parts = new Map<string, Candidate[]>();
  for (const m of members) {
    const key = m.tokens[splitAt] as string;
    const list = parts.get(key);
    if (list) list.push(m);
    else parts.set(key, [m]);
  }
  return [...parts.values()].flatMap((part) => split(part, next, maxEnum));
}

/** The template covering all members: positions where they differ become the wildcard. */
export function generalise(members: readonly Candidate[]): string[] {
  const first = members[0] as Candidate;
  return first.tokens.map((token, p) => (members.every((m) => m.tokens[p] === token) ? token : WILDCARD));
}

/** Merges among candidates of equal token count. */
export function positionalMerges(candidates: readonly Candidate[], settings: MergeSettings): Merge[] {
  const merges: Merge[] = [];
  for (const bucket of buckets(candidates, settings)) {
    if (bucket.length < 2) continue;
    for (const members of group(bucket, settings.similarity)) {
      if (members.length < 2) continue;
      for (const part of split(members, new Set(), settings.maxEnum)) {
        if (part.length < 2) continue;
        const sorted = [...part].sort(byWeight);
        const into = sorted[0] as Candidate;
        merges.push({ into: into.id, from: sorted.slice(1).map((m) => m.id), tokens: generalise(sorted) });
      }
    }
  }
  return merges;
}

/**
 * What stays of a template when variables and lone punctuation are dropped. Templates
 * that differ only in optional or multi-token variables ("5 bytes sent" and "1190 bytes
 * (1.16 KB) sent") share it. A `=` stays, being the structure of a key and its value, and
 * one with an empty value (`host=` at the end, or before the next key) stays as another
 * mark: an empty value is a different shape from a value, usually another path through
 * the program, not a variable that happened to be short.
 */
export function signature(tokens: readonly string[]): string {
  let out = '';
  let last = '';
  let variableSince = false;
  for (let i = 0; i < tokens.length; i++) {
    let token = tokens[i] as string;
    if (token === WILDCARD) {
      variableSince = true;
      continue;
    }
    if (token === '=') {
      if (isEmptyValue(tokens[i + 1])) token = EMPTY_VALUE;
    } else if (token.length === 1 && isPunctuation(token)) continue;
    // `<*> ok <*> ok <*> ok`: entries of a list, each a value and the same word; the list's
    // length varies from message to message, so its word counts once.
    if (token === last && variableSince) continue;
    out += out ? '\u0001' + token : token;
    last = token;
    variableSince = false;
  }
  return out;
}

const EMPTY_VALUE = '=\u0000';
const OPENS_VALUE = new Set(['(', '[', '{', '<', '"', "'"]);

/** Whether what follows a `=` says its value is empty: nothing, or a word or separator rather than a value. */
function isEmptyValue(next: string | undefined): boolean {
  return next === undefined || (next !== WILDCARD && !OPENS_VALUE.has(next));
}

/** Merges among candidates whose signatures agree, whatever their token counts. */
export function signatureMerges(candidates: readonly Candidate[]): Merge[] {
  const bySignature = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const key = signature(c.tokens);
    const list = bySignature.get(key);
    if (list) list.push(c);
    else bySignature.set(key, [c]);
  }
  const merges: Merge[] = [];
  for (const [key, list] of bySignature) {
    // Templates with no constant word have nothing in common to say they are one event.
    if (list.length < 2 || key === '') continue;
    const sorted = [...list].sort(byWeight);
    const into = sorted[0] as Candidate;
    merges.push({ into: into.id, from: sorted.slice(1).map((m) => m.id), tokens: into.tokens });
  }
  return merges;
}
