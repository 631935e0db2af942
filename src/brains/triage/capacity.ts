// Load beyond what a service can take, weighed as a cause with no change behind it: demand
// that grew (from more than one source, or the front door's own arrivals) into a service that
// ran out of room (a busy ratio at its ceiling, work piling up, a usage at its declared limit),
// and what answers it: misses of a cache in front, a service that did a fraction of its work,
// load the service took before without trouble.
import { freshProblem, PILE_NAME, type Case, type Movement } from './case.js';
import { ownerOf } from './log-symptoms.js';
import { templateText, type TemplateInfo } from './read.js';
import { saturationLogged } from './saturation-logged.js';
import type { Cause } from './causes.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { listing, minutes, movedLevel } from './prose.js';
import { finding, THRESHOLDS } from './model.js';
import { cacheFall, explainedByMisses, fallText } from './cache-misses.js';
import { levelIn, median, pointsIn, type Point } from './values.js';
import { notDemand } from './not-demand.js';
import { filledUnderHeldLoad, waitsOnOutsidePeer } from './filled-otherwise.js';

/** Traffic that grew by at least this much counts toward a surge. */
const CAPACITY_MIN_RATIO = 1.3;

/** A ratio of busy time or use at its ceiling. */
const FULL_RATIO = 0.9;
/** A line that says its service reached its own maximum: a node group at its max size, replicas at the ceiling. */
const AT_MAXIMUM = /\b(?:at|reached|hit)\s+(?:its\s+|the\s+)?(?:max(?:imum)?|ceiling)(?:\s+(?:size|replicas|nodes|capacity))?\b|\bmax(?:imum)?\s+size\s+reached\b|\bscale[- ]?up\s+(?:blocked|failed|not possible)\b|\bno\s+(?:more\s+)?capacity\s+(?:left|available)\b/i;
/** How close to the onset that line must first come. */
const AT_MAXIMUM_NEAR_MS = 15 * 60_000;

/** Another service's own new warning or error, near the onset, saying it reached its maximum. */
function maximumLogged(c: Case, episode: Episode, piled: string | null): { service: string; template: TemplateInfo } | null {
  for (const t of c.templates) {
    if (!freshProblem(t) || t.firstSeen === null || Math.abs(t.firstSeen - episode.onset) > AT_MAXIMUM_NEAR_MS || !AT_MAXIMUM.test(templateText(t))) continue;
    const owner = ownerOf(c, t);
    if (owner !== null && owner !== piled) return { service: owner, template: t };
  }
  return null;
}

/** A queue or backlog this many times its normal depth is work piling up, not jitter. */
const PILED_UP = 3;
const RATIO_NAME = /(ratio|utili[sz]ation|usage|busy|saturation)/;
/** A usage counted in a unit (cores, bytes) is an amount, not a share of a ceiling: 0.98 cores is not full. */
const AMOUNT_UNIT = /(cores|bytes|seconds)/;

/** A busy share that rose to under this much of its ceiling left the service room to spare. */
const ROOM_TO_SPARE = 0.5;

/** Where a busy share (a ratio up to 1, or a percentage) stood after it rose, as a share of its ceiling; null for anything else. */
function shareOfCeiling(m: Movement): number | null {
  const name = m.info.name.toLowerCase();
  if (AMOUNT_UNIT.test(name) || m.after < 0) return null;
  if (/(percent|pct)/.test(name)) return m.after <= 105 ? m.after / 100 : null;
  if (RATIO_NAME.test(name)) return m.after <= 1.05 ? m.after : null;
  return null;
}

/** A saturation symptom that shows a service out of room: a busy ratio near 1, or work piling up. */
export function exhausted(m: Movement): boolean {
  const name = m.info.name.toLowerCase();
  if (RATIO_NAME.test(name) && !AMOUNT_UNIT.test(name) && m.after >= FULL_RATIO && m.after <= 1.05) return true;
  if (/(percent|pct)/.test(name) && m.after >= 100 * FULL_RATIO && m.after <= 105) return true;
  return PILE_NAME.test(name) && (m.ratio ?? (m.after > 0 ? Infinity : 0)) >= PILED_UP;
}

/** How long before the onset a ramp of load may have begun when a tier hit its ceiling as it rose (by the onset), and how much earlier than the ramp a ceiling may show. */
const RAMP_LEAD_MS = 60 * 60_000;
const RAMP_MET_CEILING_MS = 10 * 60_000;
/**
 * How long before the onset a ramp may have begun when a usage with a declared limit (an
 * autoscaler's replicas, a pool's connections) rose with it and stood at that limit by the
 * onset: the room absorbed the load as it grew, which dates the wait, until it ran out.
 */
const RAMP_ABSORBED_LEAD_MS = 3 * 60 * 60_000;
/** A ramp at this many times its level of an hour before, as the ceiling was met, was still feeding it. */
const STILL_RISING = 1.3;

/** Labels that name one instance of a service's work: a pod, a host, a partition. */
const INSTANCE_KEY = /^(pod|pod_name|instance|replica|node|host|hostname|partition|partition_id|shard)$/i;

/**
 * One instance ran out of room while its siblings (the same series of the same service, for
 * its other pods or partitions, read and seen) held: the work went to one place (a hot key,
 * a skewed partition), which is how the work was spread, not the service short of room.
 */
function hotSpot(c: Case, m: Movement): boolean {
  const keys = Object.keys(m.info.labels).filter((key) => INSTANCE_KEY.test(key));
  if (keys.length === 0 || m.direction !== 'up') return false;
  const siblings = c.series.filter(
    (s) => s.id !== m.info.id && s.name === m.info.name && s.service === m.info.service && c.values.has(s.id) && keys.some((key) => key in s.labels && s.labels[key] !== m.info.labels[key]),
  );
  if (siblings.length === 0) return false;
  return !siblings.some((s) => c.movements.some((o) => o.info.id === s.id && o.direction === 'up'));
}

/** Completed work that fell to this share of its level as the service saturated: the service failed. */
const SERVED_LESS_SHARE = 0.3;

/** A cache that began missing within this of the load's first rise moved with it (a fall reaches the tier behind at once; onsets are known to a few samples). */
const FELL_WITH_MS = 5 * 60_000;

/** ", at its limit of 10 (kube_hpa_spec_max_replicas)" for a usage that reached a declared limit. */
function limitText(c: Case, m: Movement): string {
  const at = c.atLimit.get(m.series);
  return at === undefined ? '' : `, at its limit of ${Number(at.value.toPrecision(4))} (${at.limit})`;
}

/** Earlier load counts as handled when it reached this share of today's level. */
const HANDLED_SHARE = 0.8;
/** Work a service finished or passed on, rather than work that arrived. */
const SERVED = /(^|_)(dispatched|completed|processed|finished|succeeded|served|done)(_|$)/i;
/** ...at least this long before today's rise, so it is another peak, not the start of this one. */
const HANDLED_GAP_MS = 10 * 60_000;
/** ...while the saturated series stood under this share of where it stands now. */
const HANDLED_ROOM = 0.5;

/**
 * A peak of the surging series earlier in the window, nearly as high as today's level, while
 * the series that saturated today stood well below where it stands now: the service took
 * that load before without running out of room.
 */
function handledBefore(c: Case, surge: Movement, saturated: Movement): { surge: Movement; peak: Point } | null {
  const load = c.values.get(surge.series);
  const room = c.values.get(saturated.series);
  if (load === undefined || room === undefined || surge.after <= 0 || saturated.direction !== 'up') return null;
  const points = pointsIn(load, load.start, surge.onset - HANDLED_GAP_MS);
  // Each point read with its neighbours (their median): one spike is no peak of demand.
  let peak: Point | null = null;
  for (let i = 1; i + 1 < points.length; i++) {
    const v = median([(points[i - 1] as Point).v, (points[i] as Point).v, (points[i + 1] as Point).v]);
    if (peak === null || v > peak.v) peak = { t: (points[i] as Point).t, v };
  }
  if (peak === null || peak.v < HANDLED_SHARE * surge.after) return null;
  const then = pointsIn(room, peak.t - room.stepMs, peak.t + room.stepMs).map((p) => p.v);
  if (then.length === 0 || median(then) >= HANDLED_ROOM * saturated.after) return null;
  return { surge, peak };
}

/** Services with a traffic series read that held its level (no movement either way): some of their traffic did not grow. */
function heldTraffic(c: Case): Set<string> {
  const moved = new Set(c.movements.filter((m) => m.kind === 'traffic').map((m) => m.series));
  const held = new Set<string>();
  for (const info of c.series) {
    if (info.service !== null && info.meaning.measures === 'traffic' && c.values.has(info.id) && !moved.has(info.id)) held.add(info.service);
  }
  return held;
}

export function capacity(c: Case, episode: Episode, slackMs: number): Cause[] {
  // Load that ramped up well before the page counts when something ran out of room as it rose
  // (a crowd building for an hour against a tier at its ceiling), not merely before the page.
  // Out of room: a busy ratio at its ceiling, work piling up, or a usage at the limit declared beside it.
  const full = (m: Movement): boolean => exhausted(m) || c.atLimit.has(m.series);
  const ceilings = c.movements.filter((m) => (m.symptom && m.kind === 'saturation' && exhausted(m)) || c.atLimit.has(m.series)).map((m) => m.onset);
  const fedCeiling = (m: Movement): boolean => ceilings.some((t) => t >= m.onset - RAMP_MET_CEILING_MS && t <= episode.onset + slackMs);
  // A usage at its declared limit that began to rise with the load: it took the load in until it was full.
  const absorbed = (m: Movement): boolean =>
    c.movements.some((u) => c.atLimit.has(u.series) && u.direction === 'up' && Math.abs(u.onset - m.onset) <= RAMP_MET_CEILING_MS);
  // A long ramp leaves its band early and keeps climbing: still rising over the hour before the
  // ceiling was met, it fed that ceiling however long ago it began.
  const climbing = (m: Movement): boolean => {
    const values = c.values.get(m.series);
    const met = ceilings.filter((t) => t >= m.onset && t <= episode.onset + slackMs).sort((a, b) => a - b)[0];
    if (values === undefined || met === undefined) return false;
    const then = levelIn(values, met - RAMP_LEAD_MS - RAMP_MET_CEILING_MS, met - RAMP_LEAD_MS);
    const now = levelIn(values, met - RAMP_MET_CEILING_MS, met);
    return then !== null && now !== null && then > 0 && now >= STILL_RISING * then;
  };
  const lead = (m: Movement): number => (absorbed(m) || (fedCeiling(m) && climbing(m)) ? RAMP_ABSORBED_LEAD_MS : fedCeiling(m) ? RAMP_LEAD_MS : 15 * 60_000);
  const surge = c.movements.filter(
    (m) =>
      m.kind === 'traffic' &&
      m.direction === 'up' &&
      (m.ratio ?? 0) >= CAPACITY_MIN_RATIO &&
      m.onset >= episode.onset - lead(m) &&
      m.onset <= episode.onset + slackMs &&
      // Retries, resends and reconnects are the failure's effect, and work that rose from
      // nothing (a command nobody sent before) is new work something started: none is demand.
      !notDemand(c, m),
  );
  // One caller's calls rising alone is a flood from that caller, not demand.
  const sources = new Set(surge.map((m) => `${m.info.service ?? ''}|${[...m.peers].sort().join(',')}|${Object.values(m.info.labels).sort().join(',')}`));
  const candidates = [
    ...c.movements.filter((m) => c.atLimit.has(m.series)),
    ...episode.symptoms.filter((m) => m.kind === 'saturation' && !c.atLimit.has(m.series)),
  ].filter((m) => !hotSpot(c, m));
  // The paged service's errors and latency name what it waits on (`pool="holds-db"`): where that
  // saturated too, the bottleneck is there, and the paged service's own busy signals are its waiting.
  const waitedOn = new Set(
    episode.symptoms.filter((m) => m.info.service === c.paged && (m.kind === 'errors' || m.kind === 'latency')).flatMap((m) => [...m.peers]),
  );
  // A service whose own traffic is part of the surge is one the load plainly reached.
  const reached = new Set(surge.map((m) => m.info.service).filter((s): s is string => s !== null));
  // Of the services the load reached, one whose busy share stood at its ceiling is where the room
  // ran out; work piling up elsewhere (jobs waiting, their age) is what waits on it.
  const busyAtCeiling = (m: Movement): boolean => c.atLimit.has(m.series) || (RATIO_NAME.test(m.info.name.toLowerCase()) && !PILE_NAME.test(m.info.name.toLowerCase()) && exhausted(m));
  const pick = (ok: (m: Movement) => boolean): Movement | undefined =>
    candidates.find((m) => ok(m) && m.info.service !== null && waitedOn.has(m.info.service)) ??
    candidates.find((m) => ok(m) && busyAtCeiling(m) && m.info.service !== null && reached.has(m.info.service)) ??
    candidates.find((m) => ok(m) && full(m) && m.info.service !== null && reached.has(m.info.service)) ??
    candidates.find((m) => ok(m) && m.info.service === c.paged) ??
    candidates.find((m) => ok(m) && m.info.service !== null && episode.linked.has(m.info.service)) ??
    // Nothing links it by name, but it ran out of room as the load arrived: work piling up there is where the load went.
    candidates.find((m) => ok(m) && full(m) && m.info.service !== null && Math.abs(m.onset - episode.onset) <= 15 * 60_000);
  const saturated = pick(full) ?? pick(() => true);
  // A service's own arrivals (requests, enqueued work), naming no caller, are its demand: one such
  // series is enough when the service plainly ran out of room as it rose. Calls or queries it
  // sends on are work it makes, which a change of its own explains as well as demand does.
  // So are the paged service's own arrivals, the front door: users coming in, not one caller,
  // when the service that ran out of room is the front door or worked harder as they came (its
  // traffic or its busy signals rose, beside the pile): work piling up behind it while it did
  // no more work (results that stopped coming, say) is that service waiting, not demand beyond it.
  const workedHarder = (service: string | null): boolean =>
    service !== null &&
    (reached.has(service) ||
      c.movements.some((o) => o !== saturated && o.info.service === service && o.direction === 'up' && (o.kind === 'traffic' || o.kind === 'saturation') && !PILE_NAME.test(o.info.name)));
  const ownDemand =
    saturated !== undefined &&
    full(saturated) &&
    surge.some(
      (m) =>
        (m.info.service === saturated.info.service ||
          (c.paged !== null && m.info.service === c.paged && (saturated.info.service === c.paged || workedHarder(saturated.info.service)))) &&
        m.peers.size === 0 &&
        m.info.meaning.arrivals,
    );
  if (!ownDemand && (surge.length < 2 || sources.size < 2)) return [];
  // Load that grew by less than half again on top of itself is the day's ordinary swing (an
  // evening rush, an exam starting): it exhausts a service only at a ceiling the numbers show
  // (a busy ratio at full, a usage at its declared limit). Work piling up says only that the
  // service fell behind, which anything that slows it does.
  const steepest = Math.max(...surge.map((m) => m.ratio ?? 0));
  const atCeiling = (m: Movement): boolean => c.atLimit.has(m.series) || (RATIO_NAME.test(m.info.name.toLowerCase()) && full(m));
  const ceilingShown = candidates.some(atCeiling) || c.movements.some((m) => saturated !== undefined && m.info.service === saturated.info.service && m.direction === 'up' && atCeiling(m));
  if (steepest < THRESHOLDS.sharpSurge.value && !ceilingShown) return [];
  // Work piling up in one service while another says in its own new lines that it reached its
  // maximum (a node group at its max size, replicas at the autoscaler's ceiling): the room ran out
  // there, and the pile is what waits on it.
  const atMax = saturated !== undefined && PILE_NAME.test(saturated.info.name.toLowerCase()) ? maximumLogged(c, episode, saturated.info.service) : null;
  const service = atMax?.service ?? saturated?.info.service ?? c.paged;
  const top = [...surge].sort((a, b) => (b.ratio ?? 0) - (a.ratio ?? 0) || (a.series < b.series ? -1 : 1));
  const cause: Cause = {
    category: 'capacity',
    service,
    statement: `load beyond what ${service ?? 'the service'} can take`,
    findings: [
      finding(
        'load_surge',
        `traffic rose across ${surge.length} series at the onset (${listing(top.slice(0, 3).map((m) => `${m.display} ×${(m.ratio ?? 1).toFixed(1)}`))})`,
        top.slice(0, 2).map((m) => ({ source: 'metrics', ref: m.series, detail: `traffic up ×${(m.ratio ?? 1).toFixed(2)} from ${iso(m.onset)}` })),
      ),
    ],
    signature: null,
    surge: top[0]?.ratio ?? null,
    ceiling: saturated !== undefined && full(saturated),
    surgeByService: new Map(),
    trafficHeld: heldTraffic(c),
  };
  for (const m of surge) {
    if (m.info.service === null) continue;
    const seen = cause.surgeByService?.get(m.info.service) ?? 0;
    cause.surgeByService?.set(m.info.service, Math.max(seen, m.ratio ?? 0));
  }
  // Load behind a cache that began missing as it rose, grown no more than the misses did, is the misses.
  const fall = cacheFall(c, episode, slackMs);
  const firstRise = Math.min(...surge.map((m) => m.onset));
  cause.risesFrom = firstRise;
  // Or the load that reached the saturated tier rose with the misses, whatever rose at the front before.
  const behind = saturated === undefined ? undefined : top.find((m) => m.info.service === saturated.info.service && fall !== null && Math.abs(m.onset - fall.movement.onset) <= FELL_WITH_MS);
  const withMisses = fall !== null && ((fall.movement.onset <= firstRise + FELL_WITH_MS && explainedByMisses(fall, top[0]?.ratio ?? 1)) || (behind !== undefined && explainedByMisses(fall, behind.ratio ?? 1)));
  if (fall && withMisses) {
    cause.findings.push(
      finding('misses_not_demand', `the load is the cache's misses, not demand: ${fallText(fall)}`, [
        { source: 'metrics', ref: fall.movement.series, detail: `hit share down at ${iso(fall.movement.onset)}` },
      ]),
    );
  }
  const spare = saturated === undefined || full(saturated) ? null : shareOfCeiling(saturated);
  if (saturated && spare !== null && spare < ROOM_TO_SPARE) {
    cause.findings.push(
      finding('room_to_spare', `${service} was not out of room: ${saturated.display} rose only to ${movedLevel(saturated, saturated.after)}, ${Math.round(100 * spare)}% of its ceiling`, [
        { source: 'metrics', ref: saturated.series, detail: `${Math.round(100 * spare)}% of its ceiling at ${iso(saturated.onset)}` },
      ]),
    );
  } else if (saturated) {
    cause.findings.push(
      finding('service_saturated', `${service} saturated (${saturated.display}: ${movedLevel(saturated, saturated.before)} → ${movedLevel(saturated, saturated.after)}${limitText(c, saturated)})`, [
        { source: 'metrics', ref: saturated.series, detail: `saturation up at ${iso(saturated.onset)}` },
      ]),
    );
  }
  const waiting = saturated === undefined ? undefined : waitsOnOutsidePeer(c, saturated, firstRise);
  if (waiting && saturated) {
    const peers = c.topology.labelPeers(waiting.info).filter((peer) => !c.topology.services.includes(peer));
    cause.findings.push(
      finding(
        'waits_on_peer',
        `${service} had taken the grown load since ${iso(firstRise)}; it ran out of room as its calls to ${listing(peers)} degraded (${waiting.display}: ${movedLevel(waiting, waiting.before)} → ${movedLevel(waiting, waiting.after)} from ${iso(waiting.onset)}): what fills it is waiting on them`,
        [{ source: 'metrics', ref: waiting.series, detail: `${waiting.kind} up at ${iso(waiting.onset)}, as ${saturated.display} filled` }],
      ),
    );
  }
  const held = waiting === undefined && saturated !== undefined ? filledUnderHeldLoad(c, saturated, surge) : null;
  if (held && saturated) {
    cause.findings.push(
      finding(
        'filled_under_held_load',
        `${service} had taken the grown load since ${iso(held.rose)} and filled only at ${iso(held.filled)}, with the load no higher: what filled it is each unit of work taking longer, not more of them`,
        [{ source: 'metrics', ref: saturated.series, detail: `full from ${iso(held.filled)}, ${minutes(held.filled - held.rose)} after the load rose and held` }],
      ),
    );
  }
  // Load the same service took before, at nearly today's level, without running out of room.
  // Read on demand, not on work served: what a service completes is capped by its room, so an earlier level near today's says nothing about the load it took.
  const handled = saturated === undefined ? null : top.filter((m) => !SERVED.test(m.info.name)).map((m) => handledBefore(c, m, saturated)).find((h) => h !== null) ?? null;
  if (handled && saturated) {
    cause.findings.push(
      finding(
        'load_handled_before',
        `${handled.surge.display} reached ${movedLevel(handled.surge, handled.peak.v)} at ${iso(handled.peak.t)}, ${Math.round((100 * handled.peak.v) / handled.surge.after)}% of today's level, and ${service} did not run out of room then`,
        [{ source: 'metrics', ref: handled.surge.series, detail: `as high at ${iso(handled.peak.t)}, before the incident` }],
      ),
    );
  }
  // A service overrun by load does its most; one whose completed work collapsed as it saturated failed.
  // Its work as a whole: one caller's share falling while another's rose (a batch paused for the
  // rush) is the mix changing, not the service serving less.
  const servedAround = (m: Movement): boolean =>
    saturated !== undefined && m.info.service === saturated.info.service && m.kind === 'traffic' && Math.abs(m.onset - saturated.onset) <= FELL_WITH_MS;
  const servedMore = c.movements.some((m) => servedAround(m) && m.direction === 'up');
  const collapsed = servedMore
    ? undefined
    : c.movements.find((m) => servedAround(m) && m.direction === 'down' && m.ratio !== null && m.ratio <= SERVED_LESS_SHARE);
  if (collapsed) {
    cause.findings.push(
      finding('served_less', `${service} completed far less work as it saturated (${collapsed.display}: ${movedLevel(collapsed, collapsed.before)} → ${movedLevel(collapsed, collapsed.after)})`, [
        { source: 'metrics', ref: collapsed.series, detail: `throughput down at ${iso(collapsed.onset)}` },
      ]),
    );
  }
  const logged = service === null ? null : saturationLogged(c, service);
  if (atMax !== null) {
    cause.findings.push(
      finding('saturation_logged', `${atMax.service}'s logs say it reached its maximum: "${atMax.template.template}" (${atMax.template.flag}, ${atMax.template.example}); ${saturated?.display ?? 'the pile'} is the work waiting on it`, [
        { source: 'logs', ref: atMax.template.example, detail: `${atMax.template.flag} after the onset: ${atMax.template.template}` },
      ]),
    );
  } else if (logged && saturated) cause.findings.push(logged);
  return [cause];
}
