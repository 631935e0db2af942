// The incident as the metrics tell it: which services degraded, in what order, and when
// it began. The onset is the first symptom on the paged service, or earlier on a
// service linked to it when that one degraded first (a dependency, a flooding caller).
// When no metric moved (or there are none), the logs date it: the first line of the
// new errors on the paged service or a service linked to it.
import type { Case, Movement } from './case.js';
import { freshProblem, grewWithTraffic, PILE_NAME } from './case.js';
import { eventsIn, levelIn, pointsIn } from './values.js';
import { secondsOf } from './age-of-work.js';
import { heldFlat } from './onset.js';
import { exhausted } from './capacity.js';
import { logSymptoms, ownerOf, peersOf, UNNAMED_PEER, type LogSymptom } from './log-symptoms.js';
import { watchedBy, type PageRule } from './page-rule.js';

export interface Episode {
  /** When the incident began. */
  onset: number;
  /** The movement that marks the onset. */
  first: Movement | null;
  /** When no metric marks it: the new errors in the logs that do. */
  firstLog: LogSymptom | null;
  /** Services' own new errors in their logs, earliest first. */
  logSymptoms: LogSymptom[];
  /** When the paged service itself began to degrade (null when its metrics show nothing). */
  pagedOnset: number | null;
  /** Symptoms in the episode, earliest first. */
  symptoms: Movement[];
  /** Services linked to the paged one (directly or through each other), the paged one included. */
  linked: Set<string>;
  /** Earliest symptom per service. */
  serviceOnsets: Map<string, number>;
}

/** How far before the paged service's own onset a linked service may have degraded first. */
const LEAD_WINDOW_MS = 30 * 60_000;

const byOnset = (a: Movement, b: Movement): number => a.onset - b.onset || (a.series < b.series ? -1 : a.series > b.series ? 1 : 0);

/**
 * A line's writer tag at its start: `[vessel-auth]`, `<quota-ledger>`, `svc=quota-ledger`,
 * `service=...`, `app=...`. A service named bare at the start (`payflow: request failed`) may
 * as well be the peer the writer failed on, and is no tag.
 */
const WRITER_TAG = /^\s*(?:\[([^\]\s]+)\]|<([^>\s]+)>|(?:svc|service|app|component)=["']?([^\s"']+))/i;

/** The service a log line is tagged with, when the tag names one of the bundle's services. */
function taggedBy(c: Case, text: string): string | null {
  const match = WRITER_TAG.exec(text);
  const tag = match?.[1] ?? match?.[2] ?? match?.[3];
  if (tag === undefined) return null;
  const named = [...c.topology.mentions(tag)];
  return named.length === 1 ? (named[0] as string) : null;
}

/** Pairs of services that name each other in metrics or in log templates. */
function links(c: Case): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const connect = (a: string, b: string): void => {
    if (a === b) return;
    if (!graph.has(a)) graph.set(a, new Set());
    if (!graph.has(b)) graph.set(b, new Set());
    graph.get(a)?.add(b);
    graph.get(b)?.add(a);
  };
  for (const series of c.series) {
    if (series.service === null) continue;
    for (const peer of c.topology.seriesPeers(series)) connect(series.service, peer);
  }
  for (const template of c.templates) {
    const file = template.example.replace(/:\d+$/, '');
    const owners = c.logFiles.find((log) => log.file === file)?.services ?? [];
    // A file several services write to: a template is its own service's, the one its line is
    // tagged with (`[vessel-auth] POST ...`) or asked, not every writer's, or one shared file
    // (a platform log) would link them all.
    const tagged = taggedBy(c, template.template);
    const own = tagged !== null ? [tagged] : owners.length <= 1 ? owners : [ownerOf(c, template) ?? c.topology.firstMentioned(template.template, owners)].filter((x): x is string => x !== null);
    for (const owner of own) for (const named of c.topology.mentions(template.template)) connect(owner, named);
    // A new error names the peer it failed on in its fields as often as in its message.
    if (freshProblem(template)) {
      const owner = ownerOf(c, template);
      if (owner !== null) for (const named of peersOf(c, template, owner)) if (named !== UNNAMED_PEER) connect(owner, named);
    }
  }
  for (const hit of c.signatures) if (hit.logger !== null) for (const named of hit.about) connect(hit.logger, named);
  return graph;
}

export function linkedTo(c: Case, service: string | null): Set<string> {
  const linked = new Set<string>();
  if (service === null) return linked;
  const graph = links(c);
  const queue = [service];
  linked.add(service);
  while (queue.length > 0) {
    const next = queue.shift() as string;
    for (const peer of [...(graph.get(next) ?? [])].sort()) {
      if (!linked.has(peer)) {
        linked.add(peer);
        queue.push(peer);
      }
    }
  }
  return linked;
}

/** A busy signal must at least double to date the incident: a CPU going from 8% to 15% is busier, not failing. */
const LEAD_BUSY_RATIO = 2;

/** A slower or more failing signal must move at least this much to date the incident from another service: 1.4 times a jitter buffer's delay is not an outage. */
const LEAD_FELT_RATIO = 1.5;

/** Whether a symptom is degradation enough to date the incident. */
function canLead(m: Movement): boolean {
  return m.kind !== 'saturation' || (m.ratio ?? Infinity) >= LEAD_BUSY_RATIO;
}

/** How long a service's traffic may have been rising before its busy signal crossed its band. */
const RAMP_BEFORE_BUSY_MS = 30 * 60_000;

/**
 * A busy signal (connections in use, CPU) that crossed its band while its own service's
 * traffic was ramping up: the evening filling the service, which users do not feel until it
 * is full. Work piling up is left out: that is a service falling behind.
 */
function busyDuringRamp(c: Case, m: Movement): boolean {
  if (m.direction !== 'up' || PILE_NAME.test(m.info.name)) return false;
  return c.movements.some(
    (t) =>
      t.info.service === m.info.service &&
      t.kind === 'traffic' &&
      t.direction === 'up' &&
      t.onset <= m.onset + BUSY_WITH_TRAFFIC_MS &&
      t.onset >= m.onset - RAMP_BEFORE_BUSY_MS,
  );
}

/** A busy signal that rose with its own service's traffic, or while it ramped: a crowd being served. */
function servedCrowd(c: Case, m: Movement): boolean {
  return m.kind === 'saturation' && (grewWithTraffic(c, m, BUSY_WITH_TRAFFIC_MS, false) || busyDuringRamp(c, m));
}

/** A busy signal and the traffic it rose with are this close in time when the one is the other's work. */
const BUSY_WITH_TRAFFIC_MS = 5 * 60_000;

/**
 * Whether a symptom of another service (or the paged one's busy signal) is degradation enough
 * to date the incident ahead of the paged service's own. A busy signal that rose no more than
 * its service's traffic did, in the same minutes, is that traffic being served: the morning's
 * crowd, not yet the incident, whatever comes of it later.
 */
/** A configured bound or target (a limit, a quota, a setpoint, a threshold) moves when someone sets it: a mechanism to weigh, not a symptom felt. */
const SET_VALUE = /(^|_)(limit|limits|quota|setpoint|target|threshold|thresholds)(_|$)/i;

function canLeadFrom(c: Case, m: Movement): boolean {
  if (SET_VALUE.test(m.info.name)) return false;
  // Work per unit (bytes per job, calls per request) is how a change made work heavier, a
  // mechanism: it harms only once the heavier work runs out of room, which dates the incident.
  if (m.info.meaning.perUnit && m.kind === 'other') return false;
  if (servedCrowd(c, m) || timeWithTraffic(c, m)) return false;
  return canLead(m) && ((m.kind !== 'latency' && m.kind !== 'errors') || (m.ratio ?? Infinity) >= LEAD_FELT_RATIO);
}

/**
 * A count of errors per second that rose no more than its service's traffic did, in the same
 * minutes: the same share of a bigger crowd failing (card readers' CRC errors as the gates
 * open), not the service failing more.
 */
function errorsWithTraffic(c: Case, m: Movement): boolean {
  if (m.kind !== 'errors' || /(ratio|rate$|_pct|percent|share|fraction)/i.test(m.info.name)) return false;
  // A thin count of errors leaves its band later than the crowd that brings it: the traffic may lead by a quarter hour.
  return grewWithTraffic(c, m, 5 * 60_000, false, ERRORS_TRAIL_TRAFFIC_MS) || sameShareOfTraffic(c, m);
}

/** A failing share that moved no more than this either way is the same share. */
const SAME_SHARE = 1.5;

/**
 * A count of errors whose share of its service's traffic held across its move: read as
 * errors per request before and after, it did not grow. A ramp makes the two leave their
 * bands minutes apart, which comparing onsets cannot see; the share does.
 */
function sameShareOfTraffic(c: Case, m: Movement): boolean {
  const errors = c.values.get(m.series);
  if (errors === undefined || m.direction !== 'up') return false;
  const before = { from: m.onset - ERRORS_TRAIL_TRAFFIC_MS, to: m.onset };
  const after = { from: m.onset, to: m.onset + ERRORS_TRAIL_TRAFFIC_MS };
  return c.series.some((info) => {
    if (info.service !== m.info.service || info.meaning.measures !== 'traffic' || info.id === m.series) return false;
    const traffic = c.values.get(info.id);
    if (traffic === undefined) return false;
    const [eb, ea, tb, ta] = [levelIn(errors, before.from, before.to), levelIn(errors, after.from, after.to), levelIn(traffic, before.from, before.to), levelIn(traffic, after.from, after.to)];
    if (eb === null || ea === null || tb === null || ta === null || eb <= 0 || tb <= 0 || ta <= tb) return false;
    const moved = ea / ta / (eb / tb);
    return moved < SAME_SHARE && moved > 1 / SAME_SHARE;
  });
}

/** How long after its service's traffic rose an error count may leave its band and still be that traffic's. */
const ERRORS_TRAIL_TRAFFIC_MS = 15 * 60_000;

/** How far a histogram's totals may outgrow the traffic and still be read as rising with it. */
const TOTALS_NOISE = 1.15;

/**
 * The rate of a duration histogram's totals, `_count` (requests timed) or `_sum` (seconds
 * spent serving them), that rose no more than its service's traffic did: as many more
 * requests, each as fast as before.
 */
function timeWithTraffic(c: Case, m: Movement): boolean {
  if (m.kind !== 'latency' || !/_(sum|count)$/i.test(m.info.name) || m.ratio === null) return false;
  // The count rises exactly as the traffic does, so the two are compared within their noise.
  const within = { ...m, ratio: m.ratio / TOTALS_NOISE };
  return grewWithTraffic(c, within, 5 * 60_000, false);
}

/** A move of a latency or an error count at most this many times its level is a drift, when a break follows. */
const DRIFT_FOLD = 2;
/** A break: this many times its level, or from none. */
const BREAK_FOLD = 5;
/** A drift this long before the break is the day wearing on, not the incident's start. */
const DRIFT_LEAD_MS = 15 * 60_000;

const fold = (m: Movement): number => (m.ratio === null ? Infinity : m.ratio >= 1 ? m.ratio : m.ratio > 0 ? 1 / m.ratio : Infinity);

/**
 * The paged service's symptoms from the break users felt. A latency or an error count that
 * crept up by less than twice its level, long before one of them broke (five times its level,
 * or from none), is a precursor: a trend the service carried for a while (a table, a mapping,
 * a queue growing), not yet the outage the page is about. The incident is dated from the
 * break; the precursor stays among the symptoms for what it says about the cause.
 */
function afterDrift(own: readonly Movement[], paged: readonly Movement[]): Movement[] {
  const moved = (m: Movement): boolean => m.kind === 'latency' || m.kind === 'errors';
  const drift = (m: Movement): boolean => moved(m) && fold(m) < DRIFT_FOLD;
  // What the page's rule fires on, moving the way it fires, is the break whatever its fold (an
  // intake 40% below the hour before): a latency that crept up long before it was a precursor.
  if (!own.some((m) => (moved(m) && fold(m) >= BREAK_FOLD) || paged.includes(m))) return [...own];
  // The incident is dated from the first move that is no drift: the break itself, or what the
  // page watches (a backlog's age) when that moved first.
  const from = own.find((m) => !drift(m));
  if (from === undefined) return [...own];
  const before = own.filter((m) => m.onset < from.onset);
  if (before.length === 0 || from.onset - (before[0] as Movement).onset < DRIFT_LEAD_MS) return [...own];
  return own.filter((m) => m.onset >= from.onset);
}

/**
 * The moves of the series the page's rule watches, in the direction it fires: the paged
 * service's own, or, when the paged service exports no series of that name, whichever service
 * does (a queue's age exported by its broker pages the consumer).
 */
function paging(c: Case): Movement[] {
  const rules = c.page?.rules ?? [];
  if (rules.length === 0 || c.paged === null) return [];
  // Which rules watch a series the paged service itself exports, found once per rule.
  const exportsOwn = new Map<PageRule, boolean>(rules.map((rule) => [rule, c.series.some((s) => s.service === c.paged && s.name === rule.metric)]));
  const watched = (rule: PageRule): Movement[] =>
    c.movements.filter((m) => rule.direction === m.direction && watchedBy(rule, m.info.name, m.info.labels) && (m.info.service === c.paged || exportsOwn.get(rule) !== true));
  // A rule over a sum watches the whole: of the parts a bundle exports (one series per reason),
  // those that moved it are the ones that moved most, not a background reason drifting with the day.
  const moving = (moves: readonly Movement[]): Movement[] => {
    const most = Math.max(...moves.map((m) => Math.abs(m.after - m.before)));
    return moves.filter((m) => Math.abs(m.after - m.before) >= PART_OF_MOVE * most);
  };
  return [...new Set(rules.flatMap((rule) => moving(watched(rule))))];
}

/** A part of what a rule sums moved it when it moved by at least this share of the part that moved most. */
const PART_OF_MOVE = 0.5;

/** Services degrading this close to the paged service's onset degraded with it. */
const WITH_PAGED_MS = 2 * 60_000;
/** So many other services degrading with the paged one, after a quiet spell, are one front of the incident. */
const FRONT = 2;
/** A spell this long with no service degrading parts an earlier symptom from the incident. */
const QUIET_MS = 10 * 60_000;

/**
 * An earlier symptom on another service that nothing followed: after it, no service degraded
 * for a while, and then several degraded together with the paged one. Those moved as one
 * front, and the earlier symptom, left alone well before it, did not lead it (a job that ran
 * longer once a flag gave it more to do, say).
 */
function isolatedLead(symptoms: readonly Movement[], lead: Movement, pagedOnset: number, paged: string | null): boolean {
  if (pagedOnset - lead.onset < QUIET_MS + WITH_PAGED_MS) return false;
  const others = symptoms.filter((m) => m.info.service !== null && m.info.service !== lead.info.service && m.info.service !== paged);
  if (others.some((m) => m.onset > lead.onset + WITH_PAGED_MS && m.onset < pagedOnset - WITH_PAGED_MS)) return false;
  // The lead's own service moving anew with the front (another of its series) is part of that front.
  const anew = symptoms.filter((m) => m.info.service === lead.info.service && m.series !== lead.series);
  const front = new Set([...others, ...anew].filter((m) => Math.abs(m.onset - pagedOnset) <= WITH_PAGED_MS).map((m) => m.info.service));
  return front.size >= FRONT;
}

/** A latency that stayed under this share of the bar the page fires above never came near paging. */
const NEAR_BAR = 0.8;

/**
 * A latency of the paged service that rose, but whose highest value up to the page stayed well
 * short of the latency the page's words say it fires above (`p99 above 1s`; login at 0.6 s):
 * a real slowdown, not the one that paged. Histogram totals (`_sum`, `_count`) are no latency read so.
 */
function shortOfBar(c: Case, m: Movement): boolean {
  const bar = c.page?.latencyBar ?? null;
  if (bar === null || m.kind !== 'latency' || m.direction !== 'up' || m.info.service !== c.paged || /_(sum|count|bucket)$/i.test(m.info.name)) return false;
  const values = c.values.get(m.series);
  if (values === undefined) return false;
  const peak = secondsOf(m.info.name, Math.max(...pointsIn(values, m.onset, c.alertAt).map((p) => p.v)));
  return peak !== null && Number.isFinite(peak) && peak < NEAR_BAR * bar;
}

/** How long before the page a queue it measures may have begun to grow: work waits hours in a deep queue. */
const QUEUE_LEAD_MS = 2 * 60 * 60_000;
/** Still grown at the page: at least this share of its level after its rise. */
const STILL_GROWN = 0.5;

/** The services whose queue the page's rule measures (the age or the depth of its work). */
function queuesPaged(c: Case): Set<string> {
  return new Set(paging(c).filter((m) => m.info.meaning.backlog && m.info.service !== null).map((m) => m.info.service as string));
}

/**
 * A backlog of a queue the page measures that began to grow long before the page and was still
 * grown when the paged work felt it: the page measured how late the queue's work came out, and
 * the lateness of one kind of work (one priority, one customer) shows only once the queue in
 * front of it is long. The incident began when the queue began to grow.
 */
function queueGrewTo(c: Case, m: Movement, pagedOnset: number, queues: ReadonlySet<string>): boolean {
  if (!m.info.meaning.backlog || m.direction !== 'up' || m.info.service === null || !queues.has(m.info.service) || m.onset < pagedOnset - QUEUE_LEAD_MS) return false;
  const values = c.values.get(m.series);
  const atPage = values === undefined ? null : levelIn(values, pagedOnset - 5 * 60_000, pagedOnset);
  return atPage !== null && m.after > m.before && atPage - m.before >= STILL_GROWN * (m.after - m.before);
}

/** Errors from nothing at fewer than this many a minute are a trickle. */
const TRICKLE_PER_MINUTE = 1;

/** A count of errors that rose from nothing to less than one a minute, by its name's unit. */
function trickle(m: Movement): boolean {
  if (m.kind !== 'errors' || m.before !== 0) return false;
  const perMinute = eventsIn(m.info.name, m.after, 60_000);
  return perMinute !== null && perMinute < TRICKLE_PER_MINUTE;
}

export function episodeOf(c: Case): Episode {
  const symptoms = c.movements.filter((m) => m.symptom).sort(byOnset);
  const linked = linkedTo(c, c.paged);
  const logged = logSymptoms(c);
  const own = symptoms.filter((m) => m.info.service !== null && m.info.service === c.paged);
  // What users feel (errors, latency, lost availability) dates the paged service's trouble; a
  // busy signal rising with the evening's traffic does not, while one of those moved.
  const felt = own.filter((m) => (m.kind === 'errors' || m.kind === 'latency' || m.kind === 'availability') && !errorsWithTraffic(c, m) && !timeWithTraffic(c, m));
  // So does the series the page's rule fires on, moving the way it fires, whatever its kind.
  const paged = paging(c);
  for (const m of paged) if (!felt.includes(m)) felt.push(m);
  felt.sort(byOnset);
  // A slowdown that never came near the latency the page fires above dates nothing, while something else felt does.
  if (felt.some((m) => !shortOfBar(c, m))) felt.splice(0, felt.length, ...felt.filter((m) => !shortOfBar(c, m)));
  // Without any, the paged service's busy signals date it, but not one that rose with the crowd it
  // served: with nothing else of its own, the incident is dated where it was felt elsewhere.
  // Nor errors that grew no more than the crowd did (the same share of refusals): left out of what was felt, they date nothing here either.
  const busy = own.filter((m) => !servedCrowd(c, m) && !errorsWithTraffic(c, m) && !timeWithTraffic(c, m));
  const ownSymptoms = afterDrift(felt.length > 0 ? felt : busy.some(canLead) ? busy.filter(canLead) : busy, paged);
  let pagedOnset = ownSymptoms[0]?.onset ?? null;
  let first: Movement | null = ownSymptoms[0] ?? null;
  if (pagedOnset !== null) {
    const ownOnset = pagedOnset;
    // Errors that rose only with a crowd lead nothing, here as on the paged service.
    // The paged service's own busy signal leads what its users felt only once it ran out of room:
    // a pool that holds more connections than before, short of full, is not yet the incident.
    // A level of use, that is: a rate (connections opened per second) is work, and says how it is done.
    const inUse = (m: Movement): boolean => !m.rate && !/(per_|_rate$|_total$)/i.test(m.info.name);
    const roomLeft = (m: Movement): boolean =>
      m.info.service === c.paged && m.kind === 'saturation' && inUse(m) && felt.length > 0 && !exhausted(m) && !c.atLimit.has(m.series);
    const measuredQueue = queuesPaged(c);
    const lead = symptoms.find(
      (m) =>
        m.info.service !== null &&
        // The queue the page measures is linked to it by the page itself.
        ((linked.has(m.info.service) && m.onset >= ownOnset - LEAD_WINDOW_MS) || queueGrewTo(c, m, ownOnset, measuredQueue)) &&
        canLeadFrom(c, m) &&
        !roomLeft(m) &&
        !shortOfBar(c, m) &&
        !errorsWithTraffic(c, m) &&
        !timeWithTraffic(c, m) &&
        !isolatedLead(symptoms, m, ownOnset, c.paged),
    );
    if (lead && lead.onset < ownOnset) first = lead;
  } else {
    first =
      symptoms.find((m) => m.info.service !== null && linked.has(m.info.service) && canLeadFrom(c, m) && !errorsWithTraffic(c, m) && !timeWithTraffic(c, m)) ??
      // With nothing linked, the earliest symptom anywhere: not a trickle of errors (a failed
      // download now and then, beside a surge of hundreds later), nor a level held dead flat
      // until it stepped (a setting exported as a gauge, set anew).
      symptoms.find((m) => !servedCrowd(c, m) && !SET_VALUE.test(m.info.name) && !trickle(m) && !heldFlat(m) && !errorsWithTraffic(c, m) && !timeWithTraffic(c, m)) ??
      symptoms.find((m) => !servedCrowd(c, m) && !SET_VALUE.test(m.info.name)) ??
      symptoms[0] ??
      [...c.movements].sort(byOnset)[0] ??
      null;
  }
  let firstLog: LogSymptom | null = null;
  if (first === null) {
    // Nothing measured: the logs date the incident, on the paged service or one linked to it.
    const own = logged.find((s) => s.service === c.paged) ?? null;
    pagedOnset = own?.onset ?? null;
    firstLog = logged.find((s) => c.paged === null || linked.has(s.service)) ?? null;
    if (own !== null && firstLog !== null && firstLog.onset < own.onset - LEAD_WINDOW_MS) firstLog = own;
  }
  const serviceOnsets = new Map<string, number>();
  for (const m of symptoms) {
    const service = m.info.service;
    if (service !== null && !serviceOnsets.has(service)) serviceOnsets.set(service, m.onset);
  }
  for (const s of logged) if ((serviceOnsets.get(s.service) ?? Infinity) > s.onset) serviceOnsets.set(s.service, s.onset);
  return {
    onset: first?.onset ?? firstLog?.onset ?? c.alertAt,
    first,
    firstLog,
    logSymptoms: logged,
    pagedOnset,
    symptoms,
    linked,
    serviceOnsets,
  };
}
