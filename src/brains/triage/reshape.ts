// Work that changed shape downstream. A producer that begins to key its messages differently (a
// partition key, a shard key, a routing hash) stays healthy itself: what changes is how its
// output spreads over the parts of the service that consumes it. An on-call engineer sees it in
// that service's per-part rates: some fall to nothing, others rise severalfold, all at the
// moment the producer deployed, while their sum holds. No demand does that: more or less traffic
// moves every part the same way. The part that got the most is the one that falls behind.
import type { Case, Movement } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { ownerOf } from './log-symptoms.js';
import { finding, type Finding } from './model.js';
import type { PathLink } from './path.js';
import { movedLevel } from './prose.js';
import { templateText, type ChangeInfo } from './read.js';

export interface Reshape {
  /** The service whose work changed shape. */
  service: string;
  /** The label its parts are told apart by (`partition`, `shard`). */
  part: string;
  /** When the parts moved (the median of their onsets). */
  at: number;
  rose: Movement[];
  fell: Movement[];
  /** Label values every part shares (the topic they read): what names the stream the producer writes. */
  shared: string[];
}

/** A part's rate must at least double, or at least halve, to have moved with the reshaping. */
const FACTOR = 2;
/** Parts that moved each way, at least. */
const MIN_EACH = 2;
/** The parts move together: their onsets within this of their median. */
const TOGETHER_MS = 10 * 60_000;
/** The sum over the parts that moved holds within this share: the same work, spread differently. */
const HELD = 0.35;
/** How long after a change finished rolling out its output may still reshape. */
const AFTER_ROLLOUT_MS = 10 * 60_000;
/** Shared label values shorter than this name nothing in particular (`0`, `eu`). */
const MIN_NAME = 4;

/** One reshaping per service and metric: parts that rose and fell by a factor at once, their sum held. */
export function findReshapes(c: Case, episode: Episode): Reshape[] {
  const groups = new Map<string, Movement[]>();
  for (const m of c.movements) {
    if (m.kind !== 'traffic' || m.info.service === null || m.onset > episode.onset + TOGETHER_MS) continue;
    const key = `${m.info.service}\u0000${m.info.name}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const out: Reshape[] = [];
  for (const moved of groups.values()) {
    if (moved.length < 2 * MIN_EACH) continue;
    // The label the parts differ by: one key whose value differs between every two of them.
    const keys = Object.keys(moved[0]?.info.labels ?? {});
    const part = keys.find((key) => new Set(moved.map((m) => m.info.labels[key])).size === moved.length);
    if (part === undefined) continue;
    const onsets = moved.map((m) => m.onset).sort((a, b) => a - b);
    const at = onsets[Math.floor(onsets.length / 2)] as number;
    const together = moved.filter((m) => Math.abs(m.onset - at) <= TOGETHER_MS);
    const rose = together.filter((m) => m.direction === 'up' && m.after >= FACTOR * Math.max(m.before, 0));
    const fell = together.filter((m) => m.direction === 'down' && m.before > 0 && m.after <= m.before / FACTOR);
    if (rose.length < MIN_EACH || fell.length < MIN_EACH) continue;
    const before = together.reduce((sum, m) => sum + m.before, 0);
    const after = together.reduce((sum, m) => sum + m.after, 0);
    if (!(before > 0) || Math.abs(after - before) > HELD * before) continue;
    const shared = keys.filter((key) => key !== part && key !== 'service' && moved.every((m) => m.info.labels[key] === moved[0]?.info.labels[key]));
    out.push({
      service: moved[0]?.info.service as string,
      part,
      at,
      rose: [...rose].sort((a, b) => b.after - a.after),
      fell,
      shared: shared.map((key) => moved[0]?.info.labels[key] as string).filter((value) => value.length >= MIN_NAME),
    });
  }
  return out;
}

/** The change's service writes what the reshaped service reads: its own log lines name the stream the parts share. */
function writesTo(c: Case, service: string, reshape: Reshape): boolean {
  if (reshape.shared.length === 0) return false;
  return c.templates.some((t) => ownerOf(c, t) === service && reshape.shared.some((name) => templateText(t).includes(name)));
}

/** The reshaping that came as the change took effect, in a service it writes to. */
function reshapeOf(c: Case, reshapes: readonly Reshape[], change: ChangeInfo, slackMs: number): Reshape | null {
  const service = change.service;
  if (service === null) return null;
  const until = (change.finishedAt ?? change.at) + AFTER_ROLLOUT_MS;
  return reshapes.find((x) => x.service !== service && x.at >= change.at - slackMs && x.at <= until && writesTo(c, service, x)) ?? null;
}

/** A producer with no symptom of its own is on the path of the service whose parts it reshaped. */
export function reshapePath(c: Case, reshapes: readonly Reshape[], change: ChangeInfo, slackMs: number): PathLink | null {
  const reshape = reshapeOf(c, reshapes, change, slackMs);
  const top = reshape?.rose[0];
  if (!reshape || !top) return null;
  return {
    reason: `${change.service ?? 'it'} writes ${reshape.shared[0] ?? 'what it reads'}, whose ${reshape.part}s in ${reshape.service} changed shape as it took effect`,
    movement: top,
    log: null,
  };
}

/** What the reshaping says against the change: it sent the work to fewer parts, and the busiest fell behind. */
export function reshapeFinding(c: Case, reshapes: readonly Reshape[], change: ChangeInfo, slackMs: number): Finding | null {
  const reshape = reshapeOf(c, reshapes, change, slackMs);
  const top = reshape?.rose[0];
  if (!reshape || !top) return null;
  return finding(
    'reshaped_downstream',
    `as it took effect, the ${reshape.part}s of ${reshape.shared[0] ?? 'the stream'} in ${reshape.service} changed shape while their sum held: ${reshape.rose.length} rose severalfold (${top.display} from ${movedLevel(top, top.before)} to ${movedLevel(top, top.after)}) and ${reshape.fell.length} fell to half or less; it changed how its output is spread, and the busiest ${reshape.part} took more than one consumer can`,
    [
      { source: 'metrics', ref: top.series, detail: `traffic up from ${movedLevel(top, top.before)} to ${movedLevel(top, top.after)} at ${iso(top.onset)}` },
      ...reshape.fell.slice(0, 1).map((m) => ({ source: 'metrics' as const, ref: m.series, detail: `traffic down from ${movedLevel(m, m.before)} to ${movedLevel(m, m.after)} at ${iso(m.onset)}` })),
    ],
  );
}
