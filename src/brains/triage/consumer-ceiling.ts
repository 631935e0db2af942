// A consumer at its ceiling. A worker that takes its work from a queue or a partitioned log
// keeps up while demand grows, its rate of work done climbing with it, until it can go no
// faster: a partition per consumer thread, a fixed pool. From then its rate of work done
// stays flat while its backlog grows on every partition alike, and adding instances does not
// help. That is demand against a real ceiling, read from the consumer's own numbers: the
// arrivals may not be in the bundle at all. A backlog on one partition only is a hot key, and
// work done that fell instead of holding is a consumer failing, neither of them this.
import { ageOfWork } from './age-of-work.js';
import type { Case, Movement } from './case.js';
import type { Cause } from './causes.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding } from './model.js';
import { level, movedLevel } from './prose.js';
import type { SeriesInfo } from './read.js';
import { levelIn } from './values.js';
import { notDemand } from './not-demand.js';

/** How close to the onset the backlog must begin to grow. */
const BACKLOG_NEAR_MS = 15 * 60_000;
/** The windows the rate of work done is read over: before the onset, just before it, and after it. */
const EARLIER_MS = 60 * 60_000;
const SPAN_MS = 15 * 60_000;
const AFTER_MS = 20 * 60_000;
/** Work done must have grown by this much on the way to the onset: demand it kept up with. */
const CLIMBED = 1.1;
/** Demand that arrived at once: the work done rose by half again or more at the onset, not the day's drift. */
const BURST = 1.5;
/** ...and held within this band after it: as fast as it goes, not failing. */
const HELD_ABOVE = 0.85;
const HELD_BELOW = 1.1;
/** Its own errors this many times their level (or from none) as it fell behind: failing, not at its ceiling. */
const FAILING = 5;
/** A backlog on at least this share of the partitions is the whole consumer behind, not one hot key. */
const SPREAD = 0.6;

/** How long before the onset a saturation elsewhere counts as what the consumer waits on. */
const WAITED_ON_MS = 30 * 60_000;
/** ...and how long after it (a store's own signals can trail the consumer's backlog by a few samples). */
const WAITED_ON_LAG_MS = 5 * 60_000;

const PARTITION_KEY = /^(partition|partition_id|shard|queue_partition)$/i;

function partitionOf(info: SeriesInfo): string | null {
  const key = Object.keys(info.labels).find((k) => PARTITION_KEY.test(k));
  return key === undefined ? null : (info.labels[key] ?? null);
}

/** A series' level over a span, from the values read around the page. */
function levelOf(c: Case, s: SeriesInfo, from: number, to: number): number | null {
  const values = c.values.get(s.id);
  return values === undefined ? null : levelIn(values, from, to);
}

/** A series' subject without its partition: the same topic and group, whichever partition. */
function subjectOf(info: SeriesInfo): string {
  return `${info.name}|${Object.entries(info.labels)
    .filter(([k]) => !PARTITION_KEY.test(k))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;
}

/** Whether the backlog grew on most partitions of one topic that existed at the onset (or is one series for the whole consumer). */
function spread(c: Case, growing: readonly Movement[], onset: number): boolean {
  const byPartition = growing.filter((m) => partitionOf(m.info) !== null);
  if (byPartition.length === 0) return true;
  // The series as filed (a broker's lag is filed under the broker, though it is read as its consumer's).
  const filed = new Set(growing.map((m) => c.series.find((s) => s.id === m.series)?.service ?? m.info.service));
  return [...new Set(byPartition.map((m) => subjectOf(m.info)))].some((subject) => {
    // Partitions that existed at the onset: ones added later (a topic widened as a mitigation) could not fall behind then.
    const all = new Set(c.series.filter((s) => filed.has(s.service) && partitionOf(s) !== null && subjectOf(s) === subject && s.start !== null && s.start <= onset).map(partitionOf));
    const rising = new Set(byPartition.filter((m) => subjectOf(m.info) === subject).map((m) => partitionOf(m.info)));
    return all.size > 0 && rising.size / all.size >= SPREAD;
  });
}

/** Label keys that name who reads a backlog: the lag a broker exports is its consumer group's. */
const CONSUMER_KEY = /^(consumer_?group|group|group_?id|consumer)$/i;

/**
 * Whose backlog it is: the consumer group its labels name, when that is a service the bundle
 * measures (`kafka_consumergroup_lag{service="kafka", consumergroup="obs-ingest"}` is
 * obs-ingest falling behind, not the broker), else the series' own service.
 */
function consumerOf(c: Case, m: Movement): Movement {
  const measured = new Set(c.series.map((s) => s.service));
  for (const [key, value] of Object.entries(m.info.labels)) {
    if (!CONSUMER_KEY.test(key)) continue;
    const service = c.topology.canonical(value, [...measured].filter((s): s is string => s !== null));
    if (service !== null && service !== m.info.service && measured.has(service)) return { ...m, info: { ...m.info, service } };
  }
  return m;
}

/** How the work a consumer did reached its most: what it says, the series, and by how much it grew. */
interface Climb {
  ref: string;
  text: string;
  detail: string;
  surge: number;
}

/**
 * The work done climbed with demand over the hour before the onset (or up to two, as far back
 * as the values read go, when demand ramped slowly), then held there after it.
 */
function climbedThenHeld(c: Case, s: SeriesInfo, at: number): Climb | null {
  const first = Math.max(at - 2 * EARLIER_MS, c.values.get(s.id)?.start ?? at);
  const levels = [at - EARLIER_MS, Math.min(first, at - EARLIER_MS)].map((from) => levelOf(c, s, from, from + SPAN_MS)).filter((x): x is number => x !== null);
  const earlier = levels.length === 0 ? null : Math.min(...levels);
  const before = levelOf(c, s, at - SPAN_MS, at);
  const after = levelOf(c, s, at, at + AFTER_MS);
  if (earlier === null || before === null || after === null || earlier <= 0 || before < CLIMBED * earlier || after < HELD_ABOVE * before || after > HELD_BELOW * before) return null;
  return {
    ref: s.id,
    text: `${s.id} climbed with demand to the onset (${level(earlier)} → ${level(before)}), then held there (${level(after)})`,
    detail: `${level(earlier)} earlier, ${level(before)} before ${iso(at)}, ${level(after)} after`,
    surge: before / earlier,
  };
}

/**
 * Demand arrived at once (sends scheduled on the hour): the work done rose with it at the onset,
 * then held flat at that level while the backlog kept growing.
 */
function roseThenHeld(c: Case, s: SeriesInfo, at: number): Climb | null {
  const half = AFTER_MS / 2;
  const before = levelOf(c, s, at - SPAN_MS, at);
  const first = levelOf(c, s, at, at + half);
  const then = levelOf(c, s, at + half, at + AFTER_MS);
  if (before === null || first === null || then === null || before <= 0 || first < BURST * before || then < HELD_ABOVE * first || then > HELD_BELOW * first) return null;
  return {
    ref: s.id,
    text: `${s.id} rose with demand at the onset (${level(before)} → ${level(first)}), then held there (${level(then)})`,
    detail: `${level(before)} before ${iso(at)}, ${level(first)} then ${level(then)} after`,
    surge: first / before,
  };
}

/**
 * The consumers whose backlog began to grow at the onset on most of their partitions while the
 * work they did, having climbed with demand, held flat: capacity at the consumer.
 */
export function consumerCeilings(c: Case, episode: Episode, slackMs: number, known: ReadonlySet<string>): Cause[] {
  const backlogs = c.movements
    .filter((m) => m.info.meaning.backlog && m.direction === 'up' && m.onset >= episode.onset - BACKLOG_NEAR_MS && m.onset <= episode.onset + slackMs + BACKLOG_NEAR_MS)
    .map((m) => consumerOf(c, m))
    .filter((m) => m.info.service !== null);
  const out: Cause[] = [];
  for (const service of [...new Set(backlogs.map((m) => m.info.service as string))].sort()) {
    if (known.has(service)) continue;
    // Another service that slowed, failed or ran out of room as it fell behind is what it waits on
    // (a database's disk, a store it writes to): the ceiling is there, not in the consumer. The
    // paged service, reading what the consumer has yet to write, only shows its lateness.
    const elsewhere = c.movements.some(
      (m) =>
        m.info.service !== null &&
        m.info.service !== service &&
        m.info.service !== c.paged &&
        m.symptom &&
        (m.kind === 'saturation' || m.kind === 'latency' || m.kind === 'errors') &&
        !m.info.meaning.backlog &&
        !ageOfWork(m, m.after) &&
        m.onset >= episode.onset - WAITED_ON_MS &&
        m.onset <= episode.onset + slackMs + WAITED_ON_LAG_MS,
    );
    // Each unit of its own work taking longer (an insert, a call) is a wait on what serves it, or a cost a change added: not this.
    const slower = c.movements.some(
      (m) => m.info.service === service && m.kind === 'latency' && !m.info.meaning.backlog && m.direction === 'up' && Math.abs(m.onset - episode.onset) <= BACKLOG_NEAR_MS,
    );
    // Nor is one whose own work began to fail as it fell behind (fetches refused by what it
    // reads from): attempts that doubled then are its retries, not demand it kept up with.
    const failing = c.movements.some(
      (m) => m.info.service === service && m.kind === 'errors' && m.symptom && m.direction === 'up' && Math.abs(m.onset - episode.onset) <= BACKLOG_NEAR_MS && (m.ratio === null || m.ratio >= FAILING),
    );
    if (elsewhere || slower || failing) continue;
    const growing = backlogs.filter((m) => m.info.service === service);
    if (!spread(c, growing, episode.onset)) continue;
    // Work that rose at the onset as retries, reconnects or new work is no demand it kept up with.
    const notDemandNear = (s: SeriesInfo): boolean =>
      c.movements.some((m) => m.series === s.id && m.direction === 'up' && Math.abs(m.onset - episode.onset) <= BACKLOG_NEAR_MS && notDemand(c, m));
    const done = c.series.filter((s) => s.service === service && s.meaning.measures === 'traffic' && !s.meaning.perUnit && c.values.has(s.id) && !notDemandNear(s));
    // A burst explains a backlog that began to grow with it, not one that grew long after.
    const backlogFrom = Math.min(...growing.map((m) => m.onset));
    const withBurst = backlogFrom >= episode.onset - SPAN_MS && backlogFrom <= episode.onset + AFTER_MS / 2;
    // Work done, not work arriving: the series that counts arrivals (or is itself the backlog) rises with any burst.
    const finished = (s: SeriesInfo): boolean => !s.meaning.arrivals && !growing.some((m) => m.series === s.id);
    const climb = done.map((s) => climbedThenHeld(c, s, episode.onset) ?? (withBurst && finished(s) ? roseThenHeld(c, s, episode.onset) : null)).find((x): x is Climb => x !== null);
    if (climb === undefined) continue;
    const backlog = [...growing].sort((a, b) => b.strength - a.strength || (a.series < b.series ? -1 : 1))[0] as Movement;
    const partitions = growing.filter((m) => partitionOf(m.info) !== null).length;
    out.push({
      category: 'capacity',
      service,
      statement: `load beyond what ${service} can take`,
      findings: [
        finding('load_surge', `${climb.text}: ${service} was doing its most`, [{ source: 'metrics', ref: climb.ref, detail: climb.detail }]),
        finding(
          'service_saturated',
          `${service} fell behind${partitions > 1 ? ` on ${partitions} partitions alike` : ''} (${backlog.display}: ${movedLevel(backlog, backlog.before)} → ${movedLevel(backlog, backlog.after)}) while the work it did held flat`,
          [{ source: 'metrics', ref: backlog.series, detail: `backlog up at ${iso(backlog.onset)}` }],
        ),
      ],
      signature: null,
      surge: climb.surge,
      ceiling: true,
      surgeByService: new Map([[service, climb.surge]]),
    });
  }
  // The consumer that fell behind first: a later backlog (the age of the data a reader shows) waits on it.
  const first = (x: Cause): number => Math.min(...backlogs.filter((m) => m.info.service === x.service).map((m) => m.onset));
  return out.sort((a, b) => first(a) - first(b)).slice(0, 1);
}
