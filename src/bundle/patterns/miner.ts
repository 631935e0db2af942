// Streaming template mining. Each message is tokenized with its variables masked; messages
// whose masked tokens are identical share a cluster at once (a hash lookup, so a million
// lines stay fast). Clusters that differ in a few words are reconciled later, in bulk, by
// the merge rules in merge.ts: when the number of clusters passes the cap, and in
// finalize(). Memory holds one masked token list and one sample per cluster, never lines.
import { byWeight, positionalMerges, signature, signatureMerges } from './merge.js';
import type { Candidate, Merge, MergeSettings } from './merge.js';
import { renderTemplate } from './render.js';
import { WILDCARD, isPunctuation } from './shapes.js';
import { tokenizeMasked } from './tokenize.js';

export interface MinerOptions {
  /** Share of word positions two templates must share to be compared (0..1, default 0.5). */
  similarity?: number;
  /** Distinct leading words per token count before the rest are pooled (default 100). */
  maxChildren?: number;
  /** Leading words that must agree before two templates may merge (default 1). */
  depth?: number;
  /** Most templates kept; past it rare ones are folded together (default 5000). */
  maxTemplates?: number;
}

export interface Template {
  id: number;
  tokens: string[];
  /** Tokens joined, variables shown as `<*>`. */
  text: string;
  count: number;
  /** The first message seen for this template. */
  sample: string;
}

interface Cluster {
  id: number;
  tokens: string[];
  count: number;
  sample: string;
  /**
   * Positions a merge turned into wildcards. While learning, only these accept any word:
   * a wildcard that masking put there says the value had a variable's shape, not that
   * every word seen there is the same event.
   */
  merged?: Set<number>;
}

const SAMPLE_CHARS = 400;
const KEY_SEPARATOR = '\u0001';
// Distinct values at which a position counts as a variable whatever the counts.
const MAX_ENUM = 12;

export class TemplateMiner {
  private readonly settings: MergeSettings;
  private readonly maxTemplates: number;
  private readonly maxKeys: number;
  /** Live clusters (templates) by id; merged-away ones are deleted. */
  private readonly clusters = new Map<number, Cluster>();
  /** Where each id ever issued went: itself while live, else the cluster it merged into. */
  private readonly parent: number[] = [];
  /** Masked message → cluster id; a cache, cleared when it grows past its bound. */
  private exact = new Map<string, number>();
  /** Live clusters by token count and first word, for wildcard matching. */
  private index = new Map<string, number[]>();
  /** Live clusters by signature, for messages whose variables span more tokens. */
  private signatures = new Map<string, number>();
  private indexed = true;
  private finalized = false;

  constructor(options: MinerOptions = {}) {
    this.settings = {
      similarity: clamp(options.similarity ?? 0.5, 0, 1),
      depth: Math.max(1, Math.floor(options.depth ?? 1)),
      maxChildren: Math.max(1, Math.floor(options.maxChildren ?? 100)),
      maxEnum: MAX_ENUM,
    };
    this.maxTemplates = Math.max(10, Math.floor(options.maxTemplates ?? 5000));
    this.maxKeys = Math.max(10_000, this.maxTemplates * 8);
  }

  /** Learns a message; returns its template id now (a later merge may move it: see resolve). */
  add(message: string): number {
    this.finalized = false;
    const tokens = tokenizeMasked(message);
    const key = tokens.join(KEY_SEPARATOR);
    const known = this.exact.get(key);
    if (known !== undefined) {
      const id = this.resolve(known);
      (this.clusters.get(id) as Cluster).count++;
      return id;
    }
    const matched = this.findGeneral(tokens, true);
    if (matched !== null) {
      (this.clusters.get(matched) as Cluster).count++;
      this.remember(key, matched);
      return matched;
    }
    const id = this.parent.length;
    this.parent.push(id);
    this.clusters.set(id, { id, tokens, count: 1, sample: message.slice(0, SAMPLE_CHARS) });
    this.remember(key, id);
    if (this.indexed) this.addToIndex(id, tokens);
    if (this.clusters.size > this.maxTemplates) this.compact();
    return this.resolve(id);
  }

  /** Runs the merge rules over everything learned; ids returned after this are stable. */
  finalize(): void {
    if (this.finalized) return;
    this.apply(positionalMerges(this.candidates(), this.settings));
    this.apply(signatureMerges(this.candidates()));
    this.rebuildIndex();
    this.finalized = true;
  }

  /** The template a message belongs to, without learning it; null when none fits. */
  match(message: string): number | null {
    const tokens = tokenizeMasked(message);
    const known = this.exact.get(tokens.join(KEY_SEPARATOR));
    if (known !== undefined) return this.resolve(known);
    return this.findGeneral(tokens, false);
  }

  /** Live templates, most frequent first. */
  templates(): Template[] {
    return [...this.clusters.values()].sort(byWeight).map((c) => ({
      id: c.id,
      tokens: [...c.tokens],
      text: renderTemplate(c.tokens),
      count: c.count,
      sample: c.sample,
    }));
  }

  /** The live template an id (from add or match) now belongs to. */
  resolve(id: number): number {
    let root = id;
    while (this.parent[root] !== undefined && this.parent[root] !== root) root = this.parent[root] as number;
    // Path compression keeps later lookups short.
    let cursor = id;
    while (this.parent[cursor] !== undefined && this.parent[cursor] !== root) {
      const next = this.parent[cursor] as number;
      this.parent[cursor] = root;
      cursor = next;
    }
    return root;
  }

  private candidates(): Candidate[] {
    return [...this.clusters.values()];
  }

  private apply(merges: readonly Merge[]): void {
    if (merges.length === 0) return;
    for (const merge of merges) {
      const into = this.clusters.get(merge.into) as Cluster;
      const members = [into, ...merge.from.map((id) => this.clusters.get(id) as Cluster)];
      const merged = new Set(into.merged);
      merge.tokens.forEach((token, p) => {
        const sameLength = members.filter((m) => m.tokens.length === merge.tokens.length);
        if (token === WILDCARD && sameLength.some((m) => m.tokens[p] !== WILDCARD)) merged.add(p);
      });
      for (const gone of members.slice(1)) {
        into.count += gone.count;
        this.clusters.delete(gone.id);
        this.parent[gone.id] = into.id;
      }
      into.tokens = [...merge.tokens];
      if (merged.size > 0) into.merged = merged;
    }
    this.indexed = false;
  }

  private remember(key: string, id: number): void {
    if (this.exact.size >= this.maxKeys) this.exact = new Map();
    this.exact.set(key, id);
  }

  /** Keeps the template count under the cap: merge as usual, then fold the rarest together. */
  private compact(): void {
    this.finalized = false;
    this.apply(positionalMerges(this.candidates(), this.settings));
    this.apply(signatureMerges(this.candidates()));
    const target = Math.floor(this.maxTemplates * 0.9);
    if (this.clusters.size > target) this.apply(foldRarest(this.candidates(), this.clusters.size - target));
    this.rebuildIndex();
  }

  private rebuildIndex(): void {
    this.index = new Map();
    this.signatures = new Map();
    for (const c of [...this.clusters.values()].sort(byWeight)) {
      this.addToIndex(c.id, c.tokens);
      const key = signature(c.tokens);
      if (!this.signatures.has(key)) this.signatures.set(key, c.id);
    }
    this.indexed = true;
  }

  private addToIndex(id: number, tokens: readonly string[]): void {
    const key = indexKey(tokens.length, firstWord(tokens));
    const list = this.index.get(key);
    if (list) list.push(id);
    else this.index.set(key, [id]);
  }

  /**
   * A live template whose constants all agree with the tokens (the most specific one).
   * `learning` limits wildcards to those a merge made (see Cluster.merged).
   */
  private findGeneral(tokens: readonly string[], learning: boolean): number | null {
    if (!this.indexed) this.rebuildIndex();
    let best: Cluster | undefined;
    let bestWildcards = Infinity;
    const first = firstWord(tokens);
    const keys = first === WILDCARD ? [indexKey(tokens.length, WILDCARD)] : [indexKey(tokens.length, first), indexKey(tokens.length, WILDCARD)];
    for (const key of keys) {
      for (const id of this.index.get(key) ?? []) {
        const c = this.clusters.get(id);
        if (!c) continue;
        const wildcards = fits(tokens, c, learning);
        if (wildcards < 0) continue;
        if (wildcards < bestWildcards || (wildcards === bestWildcards && best !== undefined && byWeight(c, best) < 0)) {
          best = c;
          bestWildcards = wildcards;
        }
      }
    }
    if (best) return best.id;
    const key = signature(tokens);
    const bySignature = key === '' ? undefined : this.signatures.get(key);
    return bySignature !== undefined && this.clusters.has(bySignature) ? bySignature : null;
  }
}

function clamp(value: number, low: number, high: number): number {
  return Number.isFinite(value) ? Math.min(high, Math.max(low, value)) : low;
}

function firstWord(tokens: readonly string[]): string {
  for (const token of tokens) if (!isPunctuation(token)) return token;
  return '';
}

function indexKey(length: number, first: string): string {
  return `${length}${KEY_SEPARATOR}${first}`;
}

/** Wildcards used when the cluster's template covers `tokens`; -1 when it does not. */
function fits(tokens: readonly string[], cluster: Cluster, learning: boolean): number {
  const template = cluster.tokens;
  let wildcards = 0;
  for (let p = 0; p < template.length; p++) {
    const t = template[p] as string;
    const token = tokens[p] as string;
    if (t === WILDCARD) {
      if (learning && token !== WILDCARD && !cluster.merged?.has(p)) return -1;
      wildcards++;
    } else if (t !== token) return -1;
  }
  return wildcards;
}

/**
 * Last resort when the cap is reached: folds the rarest templates of the busiest token
 * counts together, position by position. It loses detail on rare events only.
 */
function foldRarest(candidates: readonly Candidate[], excess: number): Merge[] {
  const byLength = new Map<number, Candidate[]>();
  for (const c of candidates) {
    const list = byLength.get(c.tokens.length);
    if (list) list.push(c);
    else byLength.set(c.tokens.length, [c]);
  }
  const merges: Merge[] = [];
  let removed = 0;
  const lengths = [...byLength.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]);
  for (const [, list] of lengths) {
    if (removed >= excess) break;
    if (list.length < 2) continue;
    const rare = [...list].sort(byWeight).slice(Math.floor(list.length / 2));
    if (rare.length < 2) continue;
    const into = rare[0] as Candidate;
    const tokens = into.tokens.map((token, p) => (rare.every((m) => m.tokens[p] === token) ? token : WILDCARD));
    merges.push({ into: into.id, from: rare.slice(1).map((m) => m.id), tokens });
    removed += rare.length - 1;
  }
  return merges;
}
