// Whether a service sits on the incident's causal path: it is the paged service, or it
// degraded itself before the paged service did, or its calls flooded the paged service,
// or only the part of the paged service that depends on it degraded.
import { grewWithTraffic, ONSET_PRECISION_MS, PILE_NAME, type Case, type Movement } from './case.js';
import type { Episode } from './episode.js';
import { startedFromNothing } from './not-demand.js';
import { iso } from './json.js';
import type { LogSymptom } from './log-symptoms.js';
import { movedLevel } from './prose.js';
import type { SeriesInfo } from './read.js';

export interface PathLink {
  /** Why the service is on the path, in words. */
  reason: string;
  /** The movement that shows it (absent for the paged service itself). */
  movement: Movement | null;
  /** Or the new errors in its own logs that show it. */
  log: LogSymptom | null;
  /** The movement is a number the service reports, stepped far beyond its range as the change took effect. */
  outputStepped?: boolean;
  /** The service began working (its logs start) at this time, as the symptoms began: a job's run. */
  beganAt?: number;
}

/** A series of the same metric on the same service, naming a different peer. */
function siblings(c: Case, m: Movement, peer: string): Movement[] {
  return c.movements.filter((other) => other !== m && other.info.name === m.info.name && other.info.service === m.info.service && !other.peers.has(peer));
}

function siblingSeries(c: Case, m: Movement, peer: string): number {
  return c.series.filter((s) => s.id !== m.series && s.name === m.info.name && s.service === m.info.service && !c.topology.seriesPeers(s).has(peer)).length;
}

/** Status labels that a proxy or gateway answers with when the service behind it fails (bad gateway, gateway timeout). */
const GATEWAY_STATUS = /^(502|504|bad_gateway|gateway_timeout|upstream_error|upstream_timeout)$/i;

/** A symptom that is a service reporting its upstream failing, not failing itself. */
export function reportsUpstream(m: Movement): boolean {
  return Object.entries(m.info.labels).some(([key, value]) => /^(code|status|status_code|response_code|http_status)$/i.test(key) && GATEWAY_STATUS.test(value));
}


/** How close before the onset a service must have begun working, and how long before others had been. */
const BEGAN_LEAD_MS = 10 * 60_000;
const OTHERS_BEFORE_MS = 30 * 60_000;

function beganWorking(c: Case, episode: Episode, service: string, since: number, until: number): PathLink | null {
  const near = (t: number | null): t is number => t !== null && t >= Math.max(since, episode.onset - BEGAN_LEAD_MS) && t <= until;
  const own = c.logFiles.find((log) => log.services.includes(service) && log.services.length === 1 && near(log.start));
  const others = c.logFiles.filter((log) => log !== own && log.start !== null);
  if (own && own.start !== null && others.some((log) => (log.start as number) <= (own.start as number) - OTHERS_BEFORE_MS)) {
    return {
      reason: `${service} began working at ${iso(own.start)}, as the symptoms began (its logs start then, after ${others.length} other log${others.length === 1 ? '' : 's'} had run for long before)`,
      movement: null,
      log: null,
      beganAt: own.start,
    };
  }
  // Work, not a symptom: throughput of its own, about no other service (a lag it exports for a consumer is that consumer's).
  const work = c.movements.find(
    (m) =>
      m.info.service === service &&
      (m.kind === 'traffic' || m.kind === 'other') &&
      !m.symptom &&
      m.peers.size === 0 &&
      startedFromNothing(c, m) &&
      near(m.onset),
  );
  // Its work beginning then is its run beginning then, as its logs starting would say.
  if (work) return { reason: `${service}'s ${work.display} rose from nothing at ${iso(work.onset)}, as the symptoms began`, movement: work, log: null, beganAt: work.onset };
  return null;
}

/** Its other series ran this long before a new one for it to be new, not the export starting. */
const SERIES_BEFORE_MS = 30 * 60_000;

/**
 * Counts of a service's own errors first recorded between `from` and `to` (`status="404"`, a
 * series an exporter keeps only once it has counted one), while its other series had run for
 * long before: it began failing requests then, though no series of it left a band.
 */
export function errorCountsBegun(c: Case, service: string | null, from: number, to: number): SeriesInfo[] {
  const own = c.series.filter((s) => s.service === service && s.start !== null);
  if (service === null || own.length === 0) return [];
  const earliest = Math.min(...own.map((s) => s.start as number));
  return own.filter((s) => s.meaning.measures === 'errors' && (s.start as number) >= from && (s.start as number) <= to && (s.start as number) - earliest >= SERIES_BEFORE_MS);
}

/** A count of its own errors first recorded as the change took effect. */
function errorsFirstRecorded(c: Case, service: string, since: number, until: number): PathLink | null {
  const began = errorCountsBegun(c, service, since - ONSET_PRECISION_MS, Math.min(until, since + AT_CHANGE_MS))[0];
  if (began === undefined) return null;
  return { reason: `${service}'s own ${began.id} was first recorded at ${iso(began.start as number)}, as it took effect: errors it had not counted before`, movement: null, log: null };
}

/** A number a service reports that moved this many times over (or under) is no drift: something now computes it differently. */
const OUTPUT_STEP = 10;
/** Traffic it sends that moved this many times over (or under) while its intake held. */
const OUTPUT_SHARE_STEP = 3;
/** How soon after the change's time that move must come to be the change's doing (a rollout of a few minutes). */
const AT_CHANGE_MS = 10 * 60_000;

/** How much of a series' history before a move shows the range it kept. */
const RANGE_LOOK_MS = 60 * 60_000;

/**
 * A reading on a scale with no true zero (a temperature in Celsius, a signed offset), where
 * "tenfold" means nothing: it moved ten times the whole range it kept in the hour before.
 */
function beyondItsRange(c: Case, m: Movement): boolean {
  const series = c.values.get(m.series);
  if (series === undefined) return false;
  let low = Infinity;
  let high = -Infinity;
  series.values.forEach((v, i) => {
    const t = series.start + i * series.stepMs;
    if (v === null || t >= m.onset || t < m.onset - RANGE_LOOK_MS) return;
    low = Math.min(low, v);
    high = Math.max(high, v);
  });
  return high > low && Math.abs(m.after - m.before) >= OUTPUT_STEP * (high - low);
}

/**
 * A number the service itself reports (not its health: a value it hands out, like the lifetime
 * of what it issues) moved tenfold or more as the change took effect, before the symptoms:
 * the change altered what the service gives its callers, whether or not the service suffers.
 * Both sides must be non-zero: a series that starts or stops is a rename, not a new value.
 */
function outputStepped(c: Case, service: string, since: number, until: number): PathLink | null {
  const far = (x: Movement): boolean =>
    x.before > 0 && x.after > 0 ? Math.max(x.after / x.before, x.before / x.after) >= OUTPUT_STEP : beyondItsRange(c, x);
  // What it takes in, read and level across the move: a traffic series of its own that did not move then.
  const intakeHeld = (x: Movement): boolean =>
    c.series.some(
      (s) =>
        s.service === service &&
        s.id !== x.info.id &&
        s.meaning.measures === 'traffic' &&
        c.values.has(s.id) &&
        !c.movements.some((o) => o.info.id === s.id && Math.abs(o.onset - x.onset) <= AT_CHANGE_MS),
    );
  const m = c.movements.find(
    (x) =>
      x.info.service === service &&
      !x.symptom &&
      x.peers.size === 0 &&
      x.before !== 0 &&
      x.after !== 0 &&
      (far(x) ||
        // Or what it sends on stepped by a few times while what it takes in held: it passes on a
        // different share of its work, which is what the change made of it.
        (x.kind === 'traffic' && Math.max(x.after / x.before, x.before / x.after) >= OUTPUT_SHARE_STEP && intakeHeld(x))) &&
      x.onset >= since - ONSET_PRECISION_MS &&
      x.onset <= Math.min(until, since + AT_CHANGE_MS) &&
      // Traffic that rose as other services' arrivals did is demand coming in everywhere, not its
      // output (work it sends on rising behind it, queries or misses, is its output's effect).
      !(x.kind === 'traffic' && c.movements.some((o) => o.info.meaning.arrivals && o.direction === 'up' && o.info.service !== service && Math.abs(o.onset - x.onset) <= ONSET_PRECISION_MS)),
  );
  if (!m) return null;
  return { reason: `${service}'s own ${m.display} went from ${movedLevel(m, m.before)} to ${movedLevel(m, m.after)} at ${iso(m.onset)}, as it took effect`, movement: m, log: null, outputStepped: true };
}

/**
 * A busy signal (CPU, active workers) that rose no more than the service's own arrivals did
 * (requests received, not work it does: replanning more is its own doing), in the same
 * minutes: it is doing more because more came in, which is load reaching it, not the service
 * degrading. Work piling up is left out: that is a service falling behind.
 */
function busyWithItsTraffic(c: Case, m: Movement): boolean {
  return m.kind === 'saturation' && m.direction === 'up' && !PILE_NAME.test(m.info.name) && grewWithTraffic(c, m, ONSET_PRECISION_MS, true);
}

/**
 * The paged service's traffic from this service (a series of the paged service that names it)
 * rose, from the change on and before the symptoms, while its traffic from others did not: a flood.
 */
/**
 * A series of the paged service that counts its own calls out to a peer (as a client, its
 * retries, its upstream requests), not the peer's calls in: naming the peer says where the
 * paged service called, so it is no flood from that peer.
 */
const OUTBOUND = /(^|_)(client|clients|upstream|outbound|egress|retry|retries|backend)(_|$)/i;

export function floodFrom(c: Case, episode: Episode, service: string, since: number, slackMs: number): Movement | null {
  if (c.paged === null || service === c.paged) return null;
  const until = (episode.pagedOnset ?? episode.onset) + Math.max(slackMs, ONSET_PRECISION_MS);
  return (
    c.movements.find(
      (m) =>
        m.info.service === c.paged &&
        m.kind === 'traffic' &&
        m.direction === 'up' &&
        m.peers.has(service) &&
        !OUTBOUND.test(m.info.name) &&
        m.onset >= since - slackMs &&
        m.onset <= until &&
        !siblings(c, m, service).some((other) => other.kind === 'traffic' && other.direction === 'up'),
    ) ?? null
  );
}

export function floodText(c: Case, service: string, flood: Movement): string {
  const ratio = flood.ratio === null ? '' : ` ${flood.ratio.toFixed(1)}-fold`;
  return `${service}'s calls to ${c.paged ?? 'the paged service'} rose${ratio} (${flood.display}) while other callers' did not`;
}

export function pathTo(c: Case, episode: Episode, service: string, since: number, slackMs: number): PathLink | null {
  if (c.paged !== null && service === c.paged) return { reason: `${service} is the paged service`, movement: null, log: null };
  // Onsets are known to a bucket or two: a service that degraded within that of the paged one did not come after it.
  const until = (episode.pagedOnset ?? episode.onset) + Math.max(slackMs, ONSET_PRECISION_MS);
  // The service degraded on its own account (not merely its view of the paged service, nor
  // gateway errors that report its upstream failing), before the page's symptoms.
  const own = episode.symptoms.find(
    (m) =>
      m.info.service === service &&
      m.onset >= since - slackMs &&
      m.onset <= until &&
      (c.paged === null || !m.peers.has(c.paged)) &&
      !reportsUpstream(m) &&
      !busyWithItsTraffic(c, m),
  );
  if (own) return { reason: `${service} itself degraded (${own.display})`, movement: own, log: null };
  // Its own logs began to report new errors before the page's symptoms: errors of its own, not
  // its report of another service failing (those name the other service).
  // Only for a service something ties to the paged one: a stranger's own new errors say it had
  // trouble of its own, not that its trouble reached the paged service.
  const logged = !episode.linked.has(service) ? undefined : episode.logSymptoms.find((s) => s.service === service && s.onset >= since - slackMs && s.onset <= until && s.peers.size === 0);
  if (logged) {
    return { reason: `${service}'s own logs report new errors from ${iso(logged.onset)} ("${logged.template.template}", ${logged.template.example})`, movement: null, log: logged };
  }
  // Its processes were killed for memory before the page's symptoms, wherever that was logged
  // (the orchestrator's events name it): running out of memory is trouble of its own.
  const killed = c.signatures.find((h) => h.kind === 'out_of_memory' && h.t !== null && h.t >= since - slackMs && h.t <= until && (h.logger === service || h.about.includes(service)));
  if (killed) return { reason: `${service}'s processes were killed for memory from ${iso(killed.t ?? since)} (${killed.ref})`, movement: null, log: null };
  // It began working as the symptoms began: a job or worker whose logs start then, when other
  // services had been logging long before, or whose work rose from nothing then.
  const began = beganWorking(c, episode, service, since, until);
  if (began) return began;
  const stepped = outputStepped(c, service, since, until);
  if (stepped) return stepped;
  const failing = errorsFirstRecorded(c, service, since, until);
  if (failing) return failing;
  if (c.paged === null) return null;
  const flood = floodFrom(c, episode, service, since, slackMs);
  if (flood) return { reason: floodText(c, service, flood), movement: flood, log: null };
  // Only the part of the paged service that goes through this service degraded.
  const specific = episode.symptoms.find(
    (m) =>
      m.info.service === c.paged &&
      m.peers.has(service) &&
      m.onset >= since - slackMs &&
      m.onset <= until &&
      !siblings(c, m, service).some((other) => other.symptom) &&
      (siblingSeries(c, m, service) > 0 || m.peers.size === 1),
  );
  if (specific) return { reason: `only ${c.paged}'s path through ${service} degraded (${specific.display})`, movement: specific, log: null };
  // The same in the paged service's logs: its new errors, from the incident's start, are its
  // calls to this service failing, and name no other service; unless this service's own new
  // errors report a third one failing, which makes it the messenger, not the source.
  const calls = episode.logSymptoms.find((s) => s.service === c.paged && s.peers.size === 1 && s.peers.has(service) && s.onset >= since - slackMs && s.onset <= until);
  const messenger = episode.logSymptoms.some((s) => s.service === service && [...s.peers].some((p) => p !== c.paged));
  if (calls && !messenger) return { reason: `${c.paged}'s new errors are its calls to ${service} failing ("${calls.template.template}", ${calls.template.example})`, movement: null, log: calls };
  return null;
}
