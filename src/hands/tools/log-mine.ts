// The read behind log_patterns: every event in the window and filters is counted, and its
// message mined into templates. Only the blocks of each file that reach into the window are
// walked (log-window.ts), and an event's line is decoded only when it is mined.
//
// A window can hold millions of events. Past MAX_MINED_EVENTS, events at WARN and above are
// still all mined (a new error template is never missed), while the rest are sampled in the
// files that hold too many: the bound is shared out so that small files are read whole and each
// large file gives about an equal share. In a sampled file one event in `every` below WARN is
// mined, chosen by a hash of its line number (deterministic, and unlike every n-th line blind to
// periodic output such as request/response pairs), and counted `every` times. The number of
// events, the time span and the counts at WARN and above stay exact.
//
// Paging events with their templates (log_patterns assign) walks again only the block that
// holds the page: the pass records, per block, how many events passed before it, and, per
// event, the template it was mined into. The last pass is kept for its bundle, so paging on
// (and paging templates) does not mine the window again.
import { LEVEL_SLOTS, type Bundle, type BundleFile, type LogBlock, type LogLevel, type WalkedEvent } from '../../bundle/index.js';
import { TemplateMiner } from '../../bundle/patterns/index.js';
import { insideWindow, planWindow, walkRanges, type FilePlan } from './log-window.js';
import { clip } from './output.js';
import { sameName } from './patterns.js';
import { inWindow, type Window } from './time-args.js';

/** Past this many events in the window, those below WARN are sampled. */
export const MAX_MINED_EVENTS = 300_000;
/**
 * Past this many events the pass keeps no per-event template ids (4 bytes each): a page
 * then matches its events against the final templates instead.
 */
const MAX_INDEXED_EVENTS = 5_000_000;
/** Rank (as levelRank) from which events are always mined: warn. */
const EXACT_RANK = 3;

export interface MineRequest {
  window: Window;
  pivot: number | null;
  /** levelRank of the minimum level, -1 for none. */
  minLevel: number;
  service: string | undefined;
  /** Past this many events that pass, those below WARN are sampled (default MAX_MINED_EVENTS). */
  maxMined?: number;
}

export interface Tally {
  before: number;
  after: number;
  levels: Partial<Record<LogLevel, number>>;
  first: number | null;
  last: number | null;
  example: string;
  /** The example's structured fields besides its message (JSON or logfmt keys): a peer is often named there. */
  fields: Record<string, string>;
  /** With a pivot: how many lines after it carried each value of each field (bounded, see countFieldsAfter). */
  after_values: Map<string, Map<string, number>> | null;
}

/** At most this many fields of an example are kept, each value cut to this length. */
const MAX_FIELDS = 12;
const MAX_FIELD_CHARS = 160;

/** The scalar fields of a parsed event, as text, in the order logged. */
export function exampleFields(attributes: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  let kept = 0;
  for (const [key, value] of Object.entries(attributes)) {
    if (kept >= MAX_FIELDS) break;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    const text = String(value);
    if (text === '') continue;
    out[key] = text.length > MAX_FIELD_CHARS ? `${text.slice(0, MAX_FIELD_CHARS)}…` : text;
    kept++;
  }
  return out;
}

/** Past this many distinct values of one field, further values are not counted: a field that varies so (a request id) is shared by no majority. */
const MAX_VALUES_COUNTED = 16;

/** Counts the values of an event's scalar fields into a template's tally of the lines after the pivot. */
function countFieldsAfter(tally: Tally, attributes: Record<string, unknown>, weight: number): void {
  const counts = (tally.after_values ??= new Map());
  let kept = 0;
  for (const [key, value] of Object.entries(attributes)) {
    if (kept >= MAX_FIELDS) break;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    const text = String(value);
    if (text === '' || text.length > MAX_FIELD_CHARS) continue;
    kept++;
    let values = counts.get(key);
    if (values === undefined) {
      if (counts.size >= MAX_FIELDS) continue;
      values = new Map();
      counts.set(key, values);
    }
    const seen = values.get(text);
    if (seen !== undefined) values.set(text, seen + weight);
    else if (values.size < MAX_VALUES_COUNTED) values.set(text, weight);
  }
}

/** Each field's value that over half of a template's lines after the pivot carried. */
export function fieldsAfter(tally: Tally): Record<string, string> {
  const out: Record<string, string> = {};
  if (tally.after_values === null || tally.after === 0) return out;
  for (const [key, values] of tally.after_values) for (const [value, n] of values) if (n * 2 > tally.after) out[key] = value;
  return out;
}

/** One event of a page, with the id of its template (null: sampled out, and no template fits it). */
export interface Assigned {
  ref: string;
  t: number | null;
  level: LogLevel | null;
  template: number | null;
  message: string;
}

/** Where a page of events starts: block `block` of plan `plan` begins after `first` passing events. */
interface Mark {
  plan: number;
  block: number;
  first: number;
}

/** What paging events needs from the pass: the blocks walked, and each event's template as mined. */
interface EventIndex {
  plans: FilePlan[];
  marks: Mark[];
  /** Per passing event (by index, the first MAX_INDEXED_EVENTS), the raw template id it was mined into; -1 when it was sampled out. */
  raws: Int32Array;
}

export interface Mined {
  miner: TemplateMiner;
  tallies: Map<number, Tally>;
  /** Events that pass the window and filters (exact, sampled or not). */
  events: number;
  start: number | null;
  end: number | null;
  /** Set when events below WARN were sampled: the files sampled, one in `every` mined. */
  sampled: { files: Array<{ file: string; every: number }>; eventsRead: number } | null;
  index: EventIndex;
}

const rank = (level: LogLevel | null): number => (level === null ? -1 : LEVEL_SLOTS[level] - 1);

function passes(event: WalkedEvent, request: MineRequest): boolean {
  if (!inWindow(event.t, request.window)) return false;
  if (request.minLevel >= 0 && rank(event.level) < request.minLevel) return false;
  return request.service === undefined || sameName(event.service, request.service);
}

/** A 32-bit mix of the line number: whether a sampled event is mined does not depend on its neighbours. */
function chosen(line: number, every: number): boolean {
  let h = Math.imul(line ^ (line >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  h ^= h >>> 16;
  return (h >>> 0) % every === 0;
}

/** Events whose level passes the minimum, from a block's level counts ([none, trace … fatal]). */
function countLevels(levels: readonly number[], minLevel: number): number {
  let n = 0;
  for (let slot = 0; slot < levels.length; slot++) if (slot - 1 >= minLevel) n += levels[slot] as number;
  return n;
}

/** How many events of a file pass, read from its map where a block lies wholly in the window, else walked. */
async function countPassing(bundle: Bundle, plan: FilePlan, request: MineRequest, signal: AbortSignal): Promise<number> {
  let total = 0;
  const walk: LogBlock[] = [];
  for (const block of plan.blocks) {
    if (request.service === undefined && insideWindow(block, request.window)) total += countLevels(block.levels, request.minLevel);
    else walk.push(block);
  }
  for (const range of walkRanges(walk, plan.file)) {
    await bundle.walkLog(plan.file, (event) => void (passes(event, request) && (total += 1)), { signal, range });
  }
  return total;
}

/** The largest per-file share such that the files' counts, each capped at it, fit the bound. */
function share(counts: readonly number[], bound: number): number {
  const sorted = [...counts].sort((a, b) => a - b);
  let left = bound;
  for (let k = 0; k < sorted.length; k++) {
    const files = sorted.length - k;
    const n = sorted[k] as number;
    if (n * files > left) return Math.max(1, Math.floor(left / files));
    left -= n;
  }
  return Number.POSITIVE_INFINITY;
}

/** Per file, one in how many events below WARN to mine: 1 (all) unless the window holds more than the bound. */
async function samplingStrides(bundle: Bundle, plans: readonly FilePlan[], request: MineRequest, signal: AbortSignal): Promise<number[]> {
  // The level counts of every block the window reaches bound the count from above: most windows stop here.
  const limit = request.maxMined ?? MAX_MINED_EVENTS;
  const bounds = plans.map((plan) => plan.blocks.reduce((m, block) => m + countLevels(block.levels, request.minLevel), 0));
  if (bounds.reduce((a, b) => a + b, 0) <= limit) return plans.map(() => 1);
  const counts: number[] = [];
  for (const plan of plans) counts.push(await countPassing(bundle, plan, request, signal));
  const cap = share(counts, limit);
  return counts.map((n) => (n > cap ? Math.ceil(n / cap) : 1));
}

/** The last pass per bundle, by its request: a bundle's files do not change under the hands. */
const lastPass = new WeakMap<Bundle, { key: string; mined: Mined }>();

function passKey(files: readonly BundleFile[], request: MineRequest): string {
  const { window, pivot, minLevel, service, maxMined } = request;
  return JSON.stringify({ files: files.map((file) => file.path), window, pivot, minLevel, service, maxMined: maxMined ?? MAX_MINED_EVENTS });
}

/** Mines the window, or returns the last pass over the same files with the same request. */
export async function mineWindow(bundle: Bundle, files: readonly BundleFile[], request: MineRequest, signal: AbortSignal): Promise<Mined> {
  const key = passKey(files, request);
  const last = lastPass.get(bundle);
  if (last?.key === key) return last.mined;
  const mined = await minePass(bundle, files, request, signal);
  // A pass cut short is not the window's: the next call mines again.
  if (!signal.aborted) lastPass.set(bundle, { key, mined });
  return mined;
}

async function minePass(bundle: Bundle, files: readonly BundleFile[], request: MineRequest, signal: AbortSignal): Promise<Mined> {
  const plans = await planWindow(bundle, files, request.window, signal);
  const strides = await samplingStrides(bundle, plans, request, signal);
  const { pivot } = request;
  const miner = new TemplateMiner();
  const tallies = new Map<number, Tally>();
  const marks: Mark[] = [];
  let raws = new Int32Array(1024);
  let events = 0;
  let read = 0;
  let start: number | null = null;
  let end: number | null = null;

  const take = (file: BundleFile, every: number, event: WalkedEvent): void => {
    if (!passes(event, request)) return;
    const index = events++;
    const indexed = index < MAX_INDEXED_EVENTS;
    if (indexed && index >= raws.length) {
      const grown = new Int32Array(Math.min(raws.length * 2, MAX_INDEXED_EVENTS));
      grown.set(raws);
      raws = grown;
    }
    if (indexed) raws[index] = -1;
    const { t, level } = event;
    if (t !== null) {
      if (start === null || t < start) start = t;
      if (end === null || t > end) end = t;
    }
    let weight = 1;
    if (every > 1 && rank(level) < EXACT_RANK) {
      if (!chosen(event.line, every)) return;
      weight = every;
    }
    read += 1;
    const parsed = event.parse();
    const raw = miner.add(parsed.message);
    if (indexed) raws[index] = raw;
    const ref = `${file.path}:${event.line}`;
    let tally = tallies.get(raw);
    if (!tally) {
      tally = { before: 0, after: 0, levels: {}, first: null, last: null, example: ref, fields: exampleFields(parsed.attributes), after_values: null };
      tallies.set(raw, tally);
    }
    if (pivot !== null && t !== null && t < pivot) tally.before += weight;
    else {
      tally.after += weight;
      if (pivot !== null) countFieldsAfter(tally, parsed.attributes, weight);
    }
    if (level !== null) tally.levels[level] = (tally.levels[level] ?? 0) + weight;
    if (t !== null) {
      if (tally.first === null || t < tally.first) {
        if (tally.first !== null) tally.fields = exampleFields(parsed.attributes);
        tally.first = t;
        tally.example = ref;
      }
      if (tally.last === null || t > tally.last) tally.last = t;
    }
  };

  const sampledFiles: Array<{ file: string; every: number }> = [];
  for (const [k, plan] of plans.entries()) {
    const every = strides[k] ?? 1;
    if (every > 1) sampledFiles.push({ file: plan.file.path, every });
    let next = 0;
    const visit = (event: WalkedEvent): void => {
      // Each block reached is marked with the count of events that passed before it.
      while (next < plan.blocks.length && event.offset >= (plan.blocks[next] as LogBlock).offset) marks.push({ plan: k, block: next++, first: events });
      take(plan.file, every, event);
    };
    for (const range of walkRanges(plan.blocks, plan.file)) {
      if (signal.aborted) break;
      await bundle.walkLog(plan.file, visit, { signal, range });
    }
  }
  miner.finalize();
  const sampled = sampledFiles.length > 0 ? { files: sampledFiles, eventsRead: read } : null;
  return { miner, tallies: resolveTallies(miner, tallies), events, start, end, sampled, index: { plans, marks, raws: raws.subarray(0, Math.min(events, MAX_INDEXED_EVENTS)) } };
}

/**
 * Events `offset` to `offset + limit - 1` (among those the pass counted) with their templates.
 * Only the blocks that hold them are walked; an event the pass sampled out gets the template
 * that fits it now, if one does.
 */
export async function assignedPage(bundle: Bundle, mined: Mined, request: MineRequest, page: { offset: number; limit: number }, signal: AbortSignal): Promise<Assigned[]> {
  const { plans, marks, raws } = mined.index;
  const out: Assigned[] = [];
  if (page.offset >= mined.events) return out;
  let lo = 0;
  let hi = marks.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((marks[mid] as Mark).first <= page.offset) lo = mid;
    else hi = mid - 1;
  }
  const from = marks[lo] ?? { plan: 0, block: 0, first: 0 };
  let index = from.first;
  for (let k = from.plan; k < plans.length && out.length < page.limit; k++) {
    const plan = plans[k] as FilePlan;
    const visit = (event: WalkedEvent): void => {
      if (out.length >= page.limit || !passes(event, request)) return;
      const i = index++;
      if (i < page.offset) return;
      const message = event.parse().message;
      const raw = raws[i] ?? -1;
      const template = raw >= 0 ? mined.miner.resolve(raw) : mined.miner.match(message);
      out.push({ ref: `${plan.file.path}:${event.line}`, t: event.t, level: event.level, template, message: clip(message, 300) });
    };
    // Block by block, to stop as soon as the page is full (a gzip file is read from its start anyway).
    const blocks = plan.blocks.slice(k === from.plan ? from.block : 0);
    const ranges = plan.file.gzip ? walkRanges(blocks, plan.file) : blocks.map((block) => ({ offset: block.offset, line: block.line, end: block.end }));
    for (const range of ranges) {
      if (out.length >= page.limit || signal.aborted) break;
      await bundle.walkLog(plan.file, visit, { signal, range });
    }
  }
  return out;
}

function merge(into: Tally, from: Tally): void {
  into.before += from.before;
  into.after += from.after;
  for (const [level, n] of Object.entries(from.levels) as Array<[LogLevel, number]>) into.levels[level] = (into.levels[level] ?? 0) + n;
  if (from.first !== null && (into.first === null || from.first < into.first)) {
    into.first = from.first;
    into.example = from.example;
    into.fields = from.fields;
  }
  if (from.last !== null && (into.last === null || from.last > into.last)) into.last = from.last;
  if (from.after_values !== null) {
    const counts = (into.after_values ??= new Map());
    for (const [key, values] of from.after_values) {
      const mine = counts.get(key) ?? new Map<string, number>();
      counts.set(key, mine);
      for (const [value, n] of values) if (mine.has(value) || mine.size < MAX_VALUES_COUNTED) mine.set(value, (mine.get(value) ?? 0) + n);
    }
  }
}

/** Ids handed out while learning may have merged since: fold their tallies into the survivors. */
function resolveTallies(miner: TemplateMiner, tallies: Map<number, Tally>): Map<number, Tally> {
  const resolved = new Map<number, Tally>();
  for (const [raw, tally] of tallies) {
    const id = miner.resolve(raw);
    const into = resolved.get(id);
    if (into) merge(into, tally);
    else resolved.set(id, { ...tally, levels: { ...tally.levels }, after_values: tally.after_values === null ? null : new Map([...tally.after_values].map(([key, values]) => [key, new Map(values)])) });
  }
  return resolved;
}
