// Work that changed shape downstream. A producer that begins to key its messages differently (a
// partition key, a shard key, a routing hash) stays healthy itself: what changes is how its
// output spreads over the parts of the service that consumes it. An on-call engineer sees it in
// that service's per-part rates: some fall to nothing, others rise severalfold, all at the
// moment the producer deployed, while their sum holds. No demand does that: more or less traffic
// moves every part the same way. The part that got the most is the one that falls behind.
import { CHANGE_HORIZON_MS, type Case } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { ownerOf } from './log-symptoms.js';
import { finding, type Finding } from './model.js';
import type { PathLink } from './path.js';
import { movedLevel } from './prose.js';
import { readSeriesValues, resultOf, templateText, type ChangeInfo, type SeriesInfo } from './read.js';
import { levelIn } from './values.js';
import type { Replay } from './replay.js';
import { RESERVE } from './gather.js';

/** One part of a service's work (a partition, a shard) read either side of a change. */
export interface Part {
  series: string;
  /** Its value of the label the parts are told apart by (`9` of `partition`). */
  label: string;
  display: string;
  /** Read as a rate from a counter. */
  rate: boolean;
  before: number;
  after: number;
}

export interface Reshape {
  /** The service whose work changed shape. */
  service: string;
  /** The label its parts are told apart by (`partition`, `shard`). */
  part: string;
  /** The change it came with. */
  changeId: string;
  /** When the parts moved: as the change rolled out. */
  at: number;
  rose: Part[];
  fell: Part[];
  /** Label values every part shares (the topic they read), but the service's own name: what names the stream the producer writes. */
  shared: string[];
}

/** A part's rate must at least double, or at least halve, to have moved with the reshaping. */
const FACTOR = 2;
/** Parts that fell, at least; one part may take all they lost (an empty or constant key sends everything to one). */
const MIN_FELL = 2;
/** Parts read, at least: fewer is two instances trading places, not a spread. */
const MIN_PARTS = 4;
/**
 * With the producer's diff changing its message key in hand, fewer parts do (an export of only
 * the busiest few): one part rising severalfold at the rollout while none of the others rose is
 * the key at work, whatever the parts not exported did.
 */
const MIN_PARTS_KEYED = 3;
/** ...the others held or fell: none grew by more than this. */
const OTHERS_HELD = 1.1;
/** The sum over the parts holds within this share: the same work, spread differently. */
const HELD = 0.35;
/**
 * How far either side of the rollout the parts are read: near enough that the day's own
 * growth (a reshaping hours before the peak is followed by it) does not count as work the
 * reshaping moved.
 */
const AROUND_MS = 15 * 60_000;
/** Shared label values shorter than this name nothing in particular (`0`, `eu`). */
const MIN_NAME = 4;
/** Parts a group may have to be read back, calls made at most, and characters a call's answer is kept under. */
const MAX_PARTS_READ = 64;
const MAX_CALLS = 6;
const RESULT_CHARS = 14_000;

interface Group {
  service: string;
  part: string;
  shared: string[];
  members: SeriesInfo[];
}

/** Traffic series, grouped by service and name, whose members one label tells apart. */
function partGroups(c: Case): Group[] {
  const byName = new Map<string, SeriesInfo[]>();
  for (const info of c.series) {
    if (info.meaning.measures !== 'traffic' || info.service === null) continue;
    const key = `${info.service}\u0000${info.name}`;
    byName.set(key, [...(byName.get(key) ?? []), info]);
  }
  const groups: Group[] = [];
  for (const members of byName.values()) {
    const first = members[0];
    if (first === undefined || members.length < MIN_PARTS_KEYED) continue;
    const keys = Object.keys(first.labels);
    // The label the parts differ by: one key whose value differs between every two of them.
    const part = keys.find((key) => new Set(members.map((m) => m.labels[key])).size === members.length);
    if (part === undefined) continue;
    const shared = keys.filter((key) => key !== part && key !== 'service' && members.every((m) => m.labels[key] === first.labels[key]));
    groups.push({ service: first.service as string, part, members, shared: shared.map((key) => first.labels[key] as string).filter((v) => v.length >= MIN_NAME && v !== first.service) });
  }
  return groups;
}

/** A series' level over a span, from the values read around the page or those read back around a change. */
function levelOver(c: Case, id: string, from: number, to: number): number | null {
  for (const values of [c.values.get(id), ...(c.partHistory.get(id) ?? [])]) {
    const level = values === undefined ? null : levelIn(values, from, to);
    if (level !== null) return level;
  }
  return null;
}

/** A series' step, from whichever of its readings there is. */
const stepOf = (c: Case, id: string): number => c.values.get(id)?.stepMs ?? c.partHistory.get(id)?.[0]?.stepMs ?? 60_000;

/** The span either side of a change its parts are read over. */
function spanOf(change: ChangeInfo, stepMs: number): { before: [number, number]; after: [number, number] } {
  const done = change.finishedAt ?? change.at;
  return { before: [change.at - AROUND_MS, change.at - stepMs], after: [done + stepMs, done + AROUND_MS] };
}

/** Each part's level just before the change began and just after it finished; null when any cannot be read. */
function partsAround(c: Case, group: Group, change: ChangeInfo): Part[] | null {
  const parts: Part[] = [];
  for (const info of group.members) {
    const span = spanOf(change, stepOf(c, info.id));
    const before = levelOver(c, info.id, ...span.before);
    const after = levelOver(c, info.id, ...span.after);
    if (before === null || after === null) return null;
    const moved = c.movements.find((m) => m.series === info.id);
    parts.push({ series: info.id, label: info.labels[group.part] ?? '', display: moved?.display ?? info.id, rate: moved?.rate ?? false, before, after });
  }
  return parts;
}

/**
 * Reads the parts of a service's work back around the changes of other services older than the
 * metrics read first (a key changed at night shows its harm at the morning peak, hours later),
 * into `c.partHistory`: nearest to the onset first, a few calls at most. A group with more
 * parts than one probe reads is left out, since its parts could never all be read.
 */
export async function probeParts(r: Replay, c: Case, episode: Episode): Promise<void> {
  const history = c.partHistory;
  const groups = partGroups(c).filter((g) => g.members.length <= MAX_PARTS_READ);
  if (groups.length === 0) return;
  const older = c.changes
    .filter((x) => x.service !== null && x.diff !== null && x.at <= episode.onset && episode.onset - x.at <= CHANGE_HORIZON_MS)
    .sort((a, b) => b.at - a.at);
  let calls = 0;
  for (const change of older) {
    for (const group of groups) {
      if (group.service === change.service || partsAround(c, group, change) !== null) continue;
      const ids = group.members.map((m) => m.id);
      const step = stepOf(c, ids[0] as string);
      const span = spanOf(change, step);
      const points = Math.ceil((span.after[1] - span.before[0]) / step) + 2;
      const perCall = Math.max(1, Math.floor(RESULT_CHARS / (points * 8 + 300)));
      for (let i = 0; i < ids.length; i += perCall) {
        if (calls >= MAX_CALLS || r.left <= RESERVE + 4) return;
        calls += 1;
        const batch = ids.slice(i, i + perCall);
        const result = resultOf('query_metrics', await r.call('query_metrics', { series: batch, from: iso(span.before[0]), to: iso(span.after[1]), max_points: points, limit: batch.length }));
        for (const values of result === null ? [] : readSeriesValues(result)) history.set(values.id, [...(history.get(values.id) ?? []), values]);
      }
    }
  }
}

/** The reshapings that came as changes before the onset rolled out: parts that rose and fell by a factor at once, their sum held. */
export function findReshapes(c: Case, episode: Episode): Reshape[] {
  const groups = partGroups(c);
  if (groups.length === 0) return [];
  const out: Reshape[] = [];
  for (const change of c.changes) {
    if (change.service === null || change.at > episode.onset) continue;
    for (const group of groups) {
      if (group.service === change.service) continue;
      const parts = partsAround(c, group, change);
      if (parts === null) continue;
      const rose = parts.filter((p) => p.after >= FACTOR * Math.max(p.before, 0) && p.after > 0);
      const fell = parts.filter((p) => p.before > 0 && p.after <= p.before / FACTOR);
      if (rose.length === 0) continue;
      const keyed = rekeys(c, change, true) && parts.every((p) => rose.includes(p) || p.after <= OTHERS_HELD * p.before) && rose.length < parts.length / 2;
      if (!keyed) {
        if (parts.length < MIN_PARTS || fell.length < MIN_FELL) continue;
        const before = parts.reduce((sum, p) => sum + p.before, 0);
        const after = parts.reduce((sum, p) => sum + p.after, 0);
        if (!(before > 0) || Math.abs(after - before) > HELD * before) continue;
      }
      out.push({ service: group.service, part: group.part, changeId: change.id, at: change.at, rose: [...rose].sort((a, b) => b.after - a.after), fell, shared: group.shared });
    }
  }
  return out;
}

/** The change's diff changes the key its messages are sent with; or (`unread`) it has a diff not read yet, which may, and is read for it. */
function rekeys(c: Case, change: ChangeInfo, unread = false): boolean {
  const diffs = [...c.diffs.values()].filter((d) => d.changeId === change.id);
  if (diffs.some((d) => d.riskSignals.some((r) => r.kind === 'message_key_changed'))) return true;
  return unread && change.diff !== null && diffs.length === 0;
}

/**
 * The change's service writes what the reshaped service reads: its diff changes the key its
 * messages are sent with, or its own log lines name the stream the parts share. Before its
 * diff is read, the reshaping alone keeps it on the path, so that the diff is read.
 */
function writesTo(c: Case, change: ChangeInfo, reshape: Reshape, beforeDiff: boolean): boolean {
  if (rekeys(c, change)) return true;
  if (reshape.shared.length > 0 && c.templates.some((t) => ownerOf(c, t) === change.service && reshape.shared.some((name) => templateText(t).includes(name)))) return true;
  return rekeys(c, change, beforeDiff);
}

/** The reshaping that came as the change rolled out, in a service it writes to. */
function reshapeOf(c: Case, reshapes: readonly Reshape[], change: ChangeInfo, beforeDiff = false): Reshape | null {
  return reshapes.find((x) => x.changeId === change.id && writesTo(c, change, x, beforeDiff)) ?? null;
}

const stream = (reshape: Reshape): string => reshape.shared[0] ?? 'the stream';

/** A producer with no symptom of its own is on the path of the service whose parts it reshaped. */
export function reshapePath(c: Case, reshapes: readonly Reshape[], change: ChangeInfo): PathLink | null {
  const reshape = reshapeOf(c, reshapes, change, true);
  if (!reshape) return null;
  return {
    reason: `${change.service ?? 'it'} writes ${stream(reshape)}, whose ${reshape.part}s in ${reshape.service} changed shape as it rolled out`,
    movement: null,
    log: null,
  };
}

/** What the reshaping says against the change: it sent the work to fewer parts, and the busiest fell behind. */
export function reshapeFinding(c: Case, reshapes: readonly Reshape[], change: ChangeInfo): Finding | null {
  const reshape = reshapeOf(c, reshapes, change);
  const top = reshape?.rose[0];
  if (!reshape || !top) return null;
  const during = `as ${change.id} rolled out (${iso(change.at)})`;
  return finding(
    'reshaped_downstream',
    `as it rolled out, the ${reshape.part}s of ${stream(reshape)} in ${reshape.service} changed shape while their sum held: ${reshape.rose.length} rose severalfold (${top.display} from ${movedLevel(top, top.before)} to ${movedLevel(top, top.after)}) and ${reshape.fell.length} fell to half or less; it changed how its output is spread, and the busiest ${reshape.part} took more than one consumer can`,
    [
      { source: 'metrics', ref: top.series, detail: `traffic up from ${movedLevel(top, top.before)} to ${movedLevel(top, top.after)} ${during}` },
      ...reshape.fell.slice(0, 1).map((p) => ({ source: 'metrics' as const, ref: p.series, detail: `traffic down from ${movedLevel(p, p.before)} to ${movedLevel(p, p.after)} ${during}` })),
    ],
  );
}

/** The backlog grew on the part that took the most, near the onset, on at most this share of the parts. */
const BEHIND_SHARE = 0.5;
/** How near the onset that backlog began to grow. */
const BEHIND_NEAR_MS = 30 * 60_000;

/**
 * What answers the wait between the reshaping and the page: the part that took the most began
 * to fall behind at the onset, on its own. The day's traffic grew until that one part carried
 * more than its one consumer can take, while the parts it emptied stayed level.
 */
export function busiestBehindFinding(c: Case, reshapes: readonly Reshape[], change: ChangeInfo, episode: Episode): Finding | null {
  const reshape = reshapeOf(c, reshapes, change);
  const top = reshape?.rose[0];
  if (!reshape || !top) return null;
  const growing = c.movements.filter(
    (m) => m.info.meaning.backlog === true && m.direction === 'up' && reshape.part in m.info.labels && Math.abs(m.onset - episode.onset) <= BEHIND_NEAR_MS,
  );
  const behind = growing.find((m) => m.info.labels[reshape.part] === top.label);
  if (behind === undefined) return null;
  const parts = new Set(c.series.filter((s) => s.name === behind.info.name && reshape.part in s.labels).map((s) => s.labels[reshape.part]));
  const alike = new Set(growing.filter((m) => m.info.name === behind.info.name).map((m) => m.info.labels[reshape.part]));
  if (alike.size > BEHIND_SHARE * parts.size) return null;
  return finding(
    'busiest_part_behind',
    `${reshape.part} ${top.label}, the one it sent the most to, began to fall behind at the onset (${behind.display} from ${movedLevel(behind, behind.before)} to ${movedLevel(behind, behind.after)}) while ${alike.size === 1 ? 'every other' : `all but ${alike.size - 1} other`} ${reshape.part} kept up: the traffic grew until that one ${reshape.part} carried more than its consumer can take, which is why the harm waited for the peak`,
    [{ source: 'metrics', ref: behind.series, detail: `backlog up from ${movedLevel(behind, behind.before)} to ${movedLevel(behind, behind.after)} at ${iso(behind.onset)}` }],
  );
}
