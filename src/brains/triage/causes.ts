// Causes that are not a change: the platform failed (a full disk, an expired
// certificate...), a dependency outside the bundle degraded first, or load grew beyond
// what a service can take. Each is weighed from the metrics and logs the tools returned.
import type { Category, Evidence } from '../../protocol/diagnosis.js';
import { freshProblem, ONSET_PRECISION_MS, PILE_NAME, servicesOfRef, type Case, type Movement } from './case.js';
import { templateText, type TemplateInfo } from './read.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { listing, movedLevel } from './prose.js';
import { attribute, measuresClass, signatureSnippet, signatureWords, type SignatureClass, type SignatureHit } from './signatures.js';
import { finding, scoreOf, THRESHOLDS, type Finding } from './model.js';
import { MAX_PLACED } from './placement.js';
import { cacheFall, explainedByMisses, fallText } from './cache-misses.js';
import { median, pointsIn, type Point } from './values.js';
import { escapeRegExp } from '../../regexp.js';

export interface Cause {
  category: Exclude<Category, 'deploy' | 'config' | 'feature_flag' | 'unknown'>;
  service: string | null;
  statement: string;
  /** What the model weighs for it (model.ts). */
  findings: Finding[];
  /** For infrastructure: what failed. */
  signature: SignatureClass | null;
  /** For capacity: how many times the load grew (the strongest rise in traffic). */
  surge: number | null;
  /** For a host-level failure: the host it lives on, when the evidence places it. */
  host?: string;
  /** For capacity: the service the load reached ran out of room (a busy ratio at its ceiling, work piling up), not merely busier. */
  ceiling?: boolean;
  /** For capacity: the strongest rise of traffic in each service the surge was seen in. */
  surgeByService?: Map<string, number>;
}

/** The model's total for a cause. */
export function causeScore(cause: Cause): number {
  return scoreOf(cause.findings);
}

export function causeTexts(cause: Cause): string[] {
  return cause.findings.map((f) => f.text);
}

export function causeEvidence(cause: Cause): Evidence[] {
  const seen = new Set<string>();
  return cause.findings.flatMap((f) => f.evidence).filter((e) => (seen.has(e.ref) ? false : (seen.add(e.ref), true)));
}

/** A platform signature counts when it starts with the incident, not when it is background noise. */
const SIGNATURE_LEAD_MS = 10 * 60_000;
const SIGNATURE_LAG_MS = 5 * 60_000;
/** How far before the onset a failure its own metrics date may have begun (the signature search looks back this far). */
const MEASURED_LEAD_MS = 30 * 60_000;
const CAPACITY_MIN_RATIO = 1.3;

/** A log template that appeared or spiked with the incident (first seen no earlier than well before the onset). */
function freshTemplate(c: Case, episode: Episode, pick: (t: TemplateInfo) => boolean): TemplateInfo | undefined {
  return c.templates.find((t) => freshProblem(t) && pick(t));
}

function infrastructure(c: Case, episode: Episode): Cause[] {
  const byKind = new Map<SignatureClass, SignatureHit[]>();
  for (const hit of c.signatures) byKind.set(hit.kind, [...(byKind.get(hit.kind) ?? []), hit]);
  const causes: Cause[] = [];
  for (const [kind, hits] of [...byKind].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const dated = hits.filter((h) => h.t !== null).sort((a, b) => (a.t as number) - (b.t as number));
    const first = dated[0];
    if (!first || first.t === null) continue;
    const placements = c.placements.filter((p) => p.kind === kind);
    // A host whose own metrics of this kind moved at the onset dates the failure, however
    // late its effect was logged (a drifting clock is refused once it passes a leeway).
    const hostMoved = placements.some((p) => p.because.source === 'metrics') && first.t <= c.alertAt + SIGNATURE_LAG_MS;
    // A failure whose own metrics moved with its first line (and were still out of their band at
    // the page, as every movement is) is dated by them, though its symptoms took a while to reach
    // the paged service (jobs hang until their time limit); background noise moves no metric of its kind.
    const measured = episode.symptoms.some((m) => measuresClass(kind, m.info.name) && Math.abs(m.onset - (first.t as number)) <= SIGNATURE_LAG_MS);
    const earliest = episode.onset - (measured ? MEASURED_LEAD_MS : SIGNATURE_LEAD_MS);
    // A failing host found by name (a node whose clock drifts, whose disk fails) may log it well
    // before its effect: it counts when it still logs it as the symptoms begin.
    const hostStillFailing = placements.length > 0 && dated.some((h) => (h.t as number) >= episode.onset - SIGNATURE_LEAD_MS && (h.t as number) <= episode.onset + SIGNATURE_LAG_MS);
    if ((first.t < earliest && !hostStillFailing) || (first.t > episode.onset + SIGNATURE_LAG_MS && !hostMoved)) continue;
    // Metrics of the same kind that went wrong vote for the service they are about (a peer they name, else their own).
    const metricVotes = new Map<string, number>();
    for (const m of episode.symptoms) {
      if (!measuresClass(kind, m.info.name)) continue;
      const about = m.peers.size > 0 ? [...m.peers] : m.info.service !== null ? [m.info.service] : [];
      for (const service of about) metricVotes.set(service, (metricVotes.get(service) ?? 0) + 3);
    }
    // A workload the bundle measures, before a name known only as a logger on the host (its kernel's journal).
    const measuredServices = new Set(c.series.map((s) => s.service));
    // A host's failure is about what runs on it, not about the services that log its effects.
    // The host's own daemons (the kubelet, chronyd, the kernel) log its name too: where the
    // bundle measures some of what runs there, those are counted, not the journal's loggers.
    const placed = placements.filter((p) => {
      const measuredThere = [...p.services.keys()].filter((service) => measuredServices.has(service)).length;
      return measuredThere > 0 ? measuredThere <= MAX_PLACED : p.services.size > 0 && p.services.size <= MAX_PLACED;
    });
    const allOnHost = placed.flatMap((p) => [...p.services.keys()]);
    const measuredOnHost = allOnHost.filter((service) => measuredServices.has(service));
    const onHost = new Set(measuredOnHost.length > 0 ? measuredOnHost : allOnHost);
    // Placed nowhere, the failure is of a service whose own metrics of its kind went wrong with it,
    // not of the host journal that logged it, however many lines that journal holds.
    const measuredVoters = new Set([...metricVotes.keys()].filter((s) => measuredServices.has(s)));
    const service =
      onHost.size > 0 && onHost.size <= MAX_PLACED
        ? attribute(hits, metricVotes, onHost)
        : measuredVoters.size > 0 && measuredVoters.size <= MAX_PLACED
          ? attribute(hits, metricVotes, measuredVoters)
          : attribute(hits, metricVotes);
    const cause: Cause = {
      category: 'infrastructure',
      service,
      statement: signatureWords(kind, service ?? 'the platform'),
      findings: [
        finding('platform_failure_logged', `the logs say so from ${iso(first.t)} (${first.ref}: "${signatureSnippet(first)}")`, [{ source: 'logs', ref: first.ref, detail: signatureSnippet(first) }]),
      ],
      signature: kind,
      surge: null,
    };
    const home = placed.find((p) => service !== null && p.services.has(service));
    const where = home && service !== null ? home.services.get(service) : undefined;
    if (home && where) {
      cause.host = home.host;
      cause.findings.push(
        finding('runs_on_failed_host', `${service} runs on ${home.host} (${where.ref}), the host the failure points at (${home.because.source === 'metrics' ? home.because.detail : `${home.because.ref}: "${home.because.detail}"`})`, [home.because, where]),
      );
    }
    const metric =
      episode.symptoms.find((m) => m.info.service === service && measuresClass(kind, m.info.name)) ?? episode.symptoms.find((m) => m.info.service === service);
    if (metric) {
      cause.findings.push(
        finding('platform_metric_moved', `${service}'s ${metric.display} moved at ${iso(metric.onset)} (${movedLevel(metric, metric.before)} → ${movedLevel(metric, metric.after)})`, [
          { source: 'metrics', ref: metric.series, detail: `${metric.kind} ${metric.direction} at ${iso(metric.onset)}` },
        ]),
      );
    }
    causes.push(cause);
  }
  return causes;
}

/** Label keys that name one machine or instance of a service. */
const INSTANCE_KEY = /^(instance|host|hostname|node|nodename|machine|server|replica)$/i;
/** A disk gone bad waits tens of times longer than usual; a busy hour doubles it. */
const FAILED_DISK_RATIO = 10;

/**
 * A disk failing under one machine, read from the metrics alone: one instance's disk waits
 * (read or write await, I/O time, iowait) grew tenfold or more with the incident while the
 * same series of its sibling instances held level. Load reaches every replica; a failing
 * device reaches one. The provider's notice often comes after the page, if at all.
 */
function measuredDiskFailure(c: Case, episode: Episode): Cause[] {
  for (const m of episode.symptoms) {
    if ((m.kind !== 'latency' && m.kind !== 'saturation') || m.direction !== 'up' || (m.ratio ?? Infinity) < FAILED_DISK_RATIO) continue;
    if (m.info.service === null || !measuresClass('disk_slow', m.info.name)) continue;
    if (m.onset < episode.onset - MEASURED_LEAD_MS || m.onset > episode.onset + SIGNATURE_LAG_MS) continue;
    const key = Object.keys(m.info.labels).find((k) => INSTANCE_KEY.test(k));
    if (key === undefined) continue;
    const one = m.info.labels[key] as string;
    const sameSeries = (s: { name: string; service: string | null; labels: Record<string, string> }): boolean =>
      s.name === m.info.name && s.service === m.info.service && key in s.labels && s.labels[key] !== one;
    if (!c.series.some(sameSeries)) continue;
    if (c.movements.some((o) => o.symptom && sameSeries(o.info))) continue;
    const service = m.info.service;
    const cause: Cause = {
      category: 'infrastructure',
      service,
      statement: signatureWords('disk_slow', service),
      findings: [
        finding('platform_failure_measured', `the disk under ${one} failed: ${m.display} from ${movedLevel(m, m.before)} to ${movedLevel(m, m.after)} at ${iso(m.onset)}, while the other instances of ${service} held level`, [
          { source: 'metrics', ref: m.series, detail: `${m.kind} up ×${Math.round(m.ratio ?? 0)} at ${iso(m.onset)}; the same series of ${service}'s other instances held level` },
        ]),
      ],
      signature: 'disk_slow',
      surge: null,
      host: one,
    };
    // What else that machine showed (its I/O wait, a replica falling behind): the failure's reach.
    const also = episode.symptoms.find((o) => o !== m && o.info.service === service && o.info.labels[key] === one);
    if (also) {
      cause.findings.push(
        finding('platform_metric_moved', `${service}'s ${also.display} moved at ${iso(also.onset)} (${movedLevel(also, also.before)} → ${movedLevel(also, also.after)})`, [
          { source: 'metrics', ref: also.series, detail: `${also.kind} ${also.direction} at ${iso(also.onset)}` },
        ]),
      );
    }
    return [cause];
  }
  return [];
}

function siblingsDegraded(c: Case, m: Movement, peer: string): boolean {
  // A sibling that names the same peer by a label value of its own (`carrier="telnexa"`, another `code`) is the same calls.
  const samePeer = (o: Movement): boolean => c.topology.labelPeers(o.info).includes(peer) || Object.values(o.info.labels).some((v) => v.toLowerCase() === peer.toLowerCase());
  return c.movements.some((o) => o !== m && o.symptom && o.info.name === m.info.name && o.info.service === m.info.service && !samePeer(o));
}

/** Calls to a failing dependency show it within minutes of each other (errors first, then latency as timeouts pile up). */
const DEPENDENCY_LAG_MS = 5 * 60_000;

/** How near the onset a dependency's own series must have moved to count as moving with the incident. */
const WITH_ONSET_MS = 15 * 60_000;

/** The dependency's own series, read around the page (at least two), all held level through the onset. */
function heldLevel(c: Case, episode: Episode, peer: string): Finding | null {
  const own = c.series.filter((s) => s.service === peer && c.peerSeries.has(s.id));
  if (own.length < 2) return null;
  const movedNear = own.some((s) => {
    const moved = c.peerSeries.get(s.id);
    return moved !== null && moved !== undefined && Math.abs(moved.onset - episode.onset) <= WITH_ONSET_MS;
  });
  if (movedNear) return null;
  return finding('peer_itself_normal', `${peer}'s own ${own.length} series held level through the onset (${own.slice(0, 3).map((s) => s.name).join(', ')}${own.length > 3 ? ', …' : ''})`, [
    { source: 'metrics', ref: own[0]?.id ?? peer, detail: `no departure near ${iso(episode.onset)}` },
  ]);
}


/** A peer's name as a whole word, in any case. */
function peerWordOf(peer: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(peer)}(?![A-Za-z0-9])`, 'i');
}

/**
 * Label keys that name a party a service calls, beyond the generic ones topology.ts reads:
 * a travel site, a carrier, a payment processor, a bank, a marketplace.
 */
const PARTY_KEY =
  /^(ota|carrier|partner|supplier|psp|acquirer|issuer|bank|processor|exchange|broker|registry|cdn|idp|marketplace|telco|courier|shipper|lender|insurer|payer|clearinghouse|aggregator|sms_provider|email_provider)$/i;

/** Label keys that name an operation, a route or an outcome: what was done, never who answered. */
const OPERATION_KEY =
  /^(query|queries|statement|method|route|endpoint|path|uri|url|operation|op|handler|action|command|cmd|rpc|procedure|function|func|type|kind|status|code|result|outcome|table|topic|queue|job|task|event)$/i;

/**
 * Peers named by a label that names a party (`ota="bookzilla"`, `carrier="tellicom"`): the
 * label splits the same call metric of a service by value (or the metric is named for what
 * the label names), only this value's series degraded, and the new errors in the logs name
 * it. Partitioned, isolated and named in the logs, it is the other end of the call.
 */
function partitionPeers(c: Case, episode: Episode, m: Movement): string[] {
  if (m.kind !== 'errors' && m.kind !== 'latency') return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(m.info.labels)) {
    // A party by its label's name, or a metric named for what the label names (`carrier_api_…{carrier="tellicom"}`).
    // (A label that names what is done, not whom it is done by, names no party: `query_duration{query="find_pass"}`.)
    const namedFor = !OPERATION_KEY.test(key) && m.info.name.toLowerCase().split(/[^a-z0-9]+/).includes(key.toLowerCase());
    if (!(PARTY_KEY.test(key) || namedFor) || !/^[A-Za-z][\w.-]{2,}$/.test(value) || c.topology.mentions(value).size > 0) continue;
    const siblings = c.series.filter((s) => s.id !== m.info.id && s.name === m.info.name && s.service === m.info.service && key in s.labels && s.labels[key] !== value);
    // Split by value across siblings, unless the metric is named for what the label names.
    if (new Set(siblings.map((s) => s.labels[key])).size < 2 && !namedFor) continue;
    const alsoDegraded = c.movements.some((o) => o !== m && o.symptom && o.info.name === m.info.name && o.info.service === m.info.service && o.info.labels[key] !== value);
    if (alsoDegraded) continue;
    const word = peerWordOf(value);
    if (freshTemplate(c, episode, (t) => word.test(templateText(t)))) out.push(value);
  }
  return out;
}

function dependency(c: Case, episode: Episode, slackMs: number): Cause[] {
  const causes = new Map<string, Cause>();
  for (const m of episode.symptoms) {
    if (m.info.service === null || m.onset > episode.onset + Math.max(slackMs, DEPENDENCY_LAG_MS)) continue;
    // Calls that took no time before were not being made: calls that began are new work, not a dependency that degraded.
    if (m.kind === 'latency' && m.before === 0) continue;
    // A service no name ties to the paged one (it hands its work over through a queue, say)
    // counts when its calls went wrong first, just before the paged service degraded: at the
    // same moment is no more than coincidence.
    const pagedAt = episode.pagedOnset ?? episode.onset;
    const leadsUnlinked = m.onset < pagedAt && m.onset >= pagedAt - DEPENDENCY_LAG_MS;
    // Unlinked and at the same moment counts only for a peer outside the bundle that the new
    // errors name: a third party failing, seen in its callers' metrics and logs as the incident began.
    const sameMoment = !episode.linked.has(m.info.service) && !leadsUnlinked && Math.abs(m.onset - pagedAt) <= ONSET_PRECISION_MS;
    if (!episode.linked.has(m.info.service) && !leadsUnlinked && !sameMoment) continue;
    const named = c.topology.labelPeers(m.info);
    for (const peer of named.length > 0 ? named : partitionPeers(c, episode, m)) {
      if (causes.has(peer) || siblingsDegraded(c, m, peer)) continue;
      const inBundle = c.topology.services.includes(peer);
      const peerWord = peerWordOf(peer);
      if (sameMoment && (inBundle || !freshTemplate(c, episode, (t) => peerWord.test(templateText(t))))) continue;
      // A peer that changed before the onset is weighed as that change, not as a dependency that failed on its own.
      if (c.changes.some((x) => x.service === peer && x.at <= episode.onset + slackMs)) continue;
      const cause: Cause = {
        category: 'dependency',
        service: peer,
        statement: inBundle ? `${peer}, a dependency with no change of its own, degraded` : `${peer}, a dependency outside the bundle, degraded`,
        findings: [
          finding(
            'peer_degraded_first',
            `${m.info.service}'s calls to ${peer} degraded first (${m.display}: ${movedLevel(m, m.before)} → ${movedLevel(m, m.after)} from ${iso(m.onset)}), while its other dependencies stayed normal`,
            [{ source: 'metrics', ref: m.series, detail: `${m.kind} ${m.direction} at ${iso(m.onset)}` }],
          ),
        ],
        signature: null,
        surge: null,
      };
      const level = heldLevel(c, episode, peer);
      if (level) cause.findings.push(level);
      const logged = freshTemplate(c, episode, (t) => peerWord.test(t.template));
      if (logged) {
        cause.findings.push(
          finding('logs_blame_peer', `the logs blame it too: "${logged.template}" (${logged.flag}, ${logged.example})`, [
            { source: 'logs', ref: logged.example, detail: `${logged.flag} after the onset: ${logged.template}` },
          ]),
        );
      }
      causes.set(peer, cause);
    }
  }
  return [...causes.values()];
}

/** A ratio of busy time or use at its ceiling. */
const FULL_RATIO = 0.9;
/** A queue or backlog this many times its normal depth is work piling up, not jitter. */
const PILED_UP = 3;
const RATIO_NAME = /(ratio|utili[sz]ation|usage|busy|saturation)/;
/** A usage counted in a unit (cores, bytes) is an amount, not a share of a ceiling: 0.98 cores is not full. */
const AMOUNT_UNIT = /(cores|bytes|seconds)/;

/** A saturation symptom that shows a service out of room: a busy ratio near 1, or work piling up. */
function exhausted(m: Movement): boolean {
  const name = m.info.name.toLowerCase();
  if (RATIO_NAME.test(name) && !AMOUNT_UNIT.test(name) && m.after >= FULL_RATIO && m.after <= 1.05) return true;
  if (/(percent|pct)/.test(name) && m.after >= 100 * FULL_RATIO && m.after <= 105) return true;
  return PILE_NAME.test(name) && (m.ratio ?? (m.after > 0 ? Infinity : 0)) >= PILED_UP;
}

/**
 * Calls to a peer that rose no earlier than the calls to that peer began to fail: retries
 * of failing calls, the effect of the failure, not demand.
 */
function retriesOfFailing(c: Case, m: Movement): boolean {
  const peers = c.topology.labelPeers(m.info);
  if (peers.length === 0) return false;
  return c.movements.some(
    (o) =>
      o.symptom &&
      (o.kind === 'errors' || o.kind === 'latency') &&
      o.info.service === m.info.service &&
      o.onset <= m.onset &&
      c.topology.labelPeers(o.info).some((p) => peers.includes(p)),
  );
}

/** Words of a series that counts clients being cut off, or the clients still connected. */
const CUT_OFF = new Set(['disconnect', 'disconnects', 'disconnected', 'disconnections', 'drops', 'dropped', 'evicted', 'kicked']);
const CONNECTED = new Set(['connected', 'connections', 'sessions', 'online']);

/**
 * Traffic of a service that rose no earlier than it began cutting its clients off (its
 * disconnects rose, or the clients connected to it fell): the clients coming back (booting,
 * registering, logging in again), the effect of the cut, not demand.
 */
function reconnectsOfDropped(c: Case, m: Movement): boolean {
  return c.movements.some((o) => {
    if (o === m || o.info.service !== m.info.service || o.onset > m.onset + ONSET_PRECISION_MS) return false;
    const words = o.info.name.toLowerCase().split(/[^a-z0-9]+/);
    return (o.direction === 'up' && words.some((w) => CUT_OFF.has(w))) || (o.direction === 'down' && words.some((w) => CONNECTED.has(w)));
  });
}

/** A series whose level before was at most this share of its level after rose from nothing. */
const NEW_WORK_SHARE = 0.02;

/** How long before the onset a ramp of load may have begun when a tier hit its ceiling as it rose (by the onset), and how much earlier than the ramp a ceiling may show. */
const RAMP_LEAD_MS = 60 * 60_000;
const RAMP_MET_CEILING_MS = 10 * 60_000;
/**
 * How long before the onset a ramp may have begun when a usage with a declared limit (an
 * autoscaler's replicas, a pool's connections) rose with it and stood at that limit by the
 * onset: the room absorbed the load as it grew, which dates the wait, until it ran out.
 */
const RAMP_ABSORBED_LEAD_MS = 3 * 60 * 60_000;

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

function capacity(c: Case, episode: Episode, slackMs: number): Cause[] {
  // Load that ramped up well before the page counts when something ran out of room as it rose
  // (a crowd building for an hour against a tier at its ceiling), not merely before the page.
  // Out of room: a busy ratio at its ceiling, work piling up, or a usage at the limit declared beside it.
  const full = (m: Movement): boolean => exhausted(m) || c.atLimit.has(m.series);
  const ceilings = c.movements.filter((m) => (m.symptom && m.kind === 'saturation' && exhausted(m)) || c.atLimit.has(m.series)).map((m) => m.onset);
  const fedCeiling = (m: Movement): boolean => ceilings.some((t) => t >= m.onset - RAMP_MET_CEILING_MS && t <= episode.onset + slackMs);
  // A usage at its declared limit that began to rise with the load: it took the load in until it was full.
  const absorbed = (m: Movement): boolean =>
    c.movements.some((u) => c.atLimit.has(u.series) && u.direction === 'up' && Math.abs(u.onset - m.onset) <= RAMP_MET_CEILING_MS);
  const lead = (m: Movement): number => (absorbed(m) ? RAMP_ABSORBED_LEAD_MS : fedCeiling(m) ? RAMP_LEAD_MS : 15 * 60_000);
  const surge = c.movements.filter(
    (m) =>
      m.kind === 'traffic' &&
      m.direction === 'up' &&
      (m.ratio ?? 0) >= CAPACITY_MIN_RATIO &&
      m.onset >= episode.onset - lead(m) &&
      m.onset <= episode.onset + slackMs &&
      !retriesOfFailing(c, m) &&
      !reconnectsOfDropped(c, m) &&
      // Work that rose from nothing (a command nobody sent before) is new work something started, not more demand.
      !(m.before >= 0 && m.before <= NEW_WORK_SHARE * m.after),
  );
  // One caller's calls rising alone is a flood from that caller, not demand.
  const sources = new Set(surge.map((m) => `${m.info.service ?? ''}|${[...m.peers].sort().join(',')}|${Object.values(m.info.labels).sort().join(',')}`));
  const candidates = [
    ...c.movements.filter((m) => c.atLimit.has(m.series)),
    ...episode.symptoms.filter((m) => m.kind === 'saturation' && !c.atLimit.has(m.series)),
  ];
  // The paged service's errors and latency name what it waits on (`pool="holds-db"`): where that
  // saturated too, the bottleneck is there, and the paged service's own busy signals are its waiting.
  const waitedOn = new Set(
    episode.symptoms.filter((m) => m.info.service === c.paged && (m.kind === 'errors' || m.kind === 'latency')).flatMap((m) => [...m.peers]),
  );
  // A service whose own traffic is part of the surge is one the load plainly reached.
  const reached = new Set(surge.map((m) => m.info.service).filter((s): s is string => s !== null));
  const pick = (ok: (m: Movement) => boolean): Movement | undefined =>
    candidates.find((m) => ok(m) && m.info.service !== null && waitedOn.has(m.info.service)) ??
    candidates.find((m) => ok(m) && full(m) && m.info.service !== null && reached.has(m.info.service)) ??
    candidates.find((m) => ok(m) && m.info.service === c.paged) ??
    candidates.find((m) => ok(m) && m.info.service !== null && episode.linked.has(m.info.service)) ??
    // Nothing links it by name, but it ran out of room as the load arrived: work piling up there is where the load went.
    candidates.find((m) => ok(m) && full(m) && m.info.service !== null && Math.abs(m.onset - episode.onset) <= 15 * 60_000);
  const saturated = pick(full) ?? pick(() => true);
  // A service's own arrivals (requests, enqueued work), naming no caller, are its demand: one such
  // series is enough when the service plainly ran out of room as it rose. Calls or queries it
  // sends on are work it makes, which a change of its own explains as well as demand does.
  // So are the paged service's own arrivals, the front door: users coming in, not one caller.
  const ownDemand =
    saturated !== undefined &&
    full(saturated) &&
    surge.some((m) => (m.info.service === saturated.info.service || (c.paged !== null && m.info.service === c.paged)) && m.peers.size === 0 && m.info.meaning.arrivals);
  if (!ownDemand && (surge.length < 2 || sources.size < 2)) return [];
  const service = saturated?.info.service ?? c.paged;
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
  };
  for (const m of surge) {
    if (m.info.service === null) continue;
    const seen = cause.surgeByService?.get(m.info.service) ?? 0;
    cause.surgeByService?.set(m.info.service, Math.max(seen, m.ratio ?? 0));
  }
  // Load behind a cache that began missing as it rose, grown no more than the misses did, is the misses.
  const fall = cacheFall(c, episode, slackMs);
  const firstRise = Math.min(...surge.map((m) => m.onset));
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
  if (saturated) {
    cause.findings.push(
      finding('service_saturated', `${service} saturated (${saturated.display}: ${movedLevel(saturated, saturated.before)} → ${movedLevel(saturated, saturated.after)}${limitText(c, saturated)})`, [
        { source: 'metrics', ref: saturated.series, detail: `saturation up at ${iso(saturated.onset)}` },
      ]),
    );
  }
  // Load the same service took before, at nearly today's level, without running out of room.
  const handled = saturated === undefined ? null : top.map((m) => handledBefore(c, m, saturated)).find((h) => h !== null) ?? null;
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
  const collapsed =
    saturated === undefined
      ? undefined
      : c.movements.find(
          (m) =>
            m.info.service === saturated.info.service &&
            m.kind === 'traffic' &&
            m.direction === 'down' &&
            m.ratio !== null &&
            m.ratio <= SERVED_LESS_SHARE &&
            Math.abs(m.onset - saturated.onset) <= FELL_WITH_MS,
        );
  if (collapsed) {
    cause.findings.push(
      finding('served_less', `${service} completed far less work as it saturated (${collapsed.display}: ${movedLevel(collapsed, collapsed.before)} → ${movedLevel(collapsed, collapsed.after)})`, [
        { source: 'metrics', ref: collapsed.series, detail: `throughput down at ${iso(collapsed.onset)}` },
      ]),
    );
  }
  const logged = freshTemplate(c, episode, (t) => service !== null && servicesOfRef(c, t.example).includes(service));
  if (logged && saturated) {
    cause.findings.push(
      finding('saturation_logged', `${service}'s logs show it: "${logged.template}" (${logged.flag}, ${logged.example})`, [
        { source: 'logs', ref: logged.example, detail: `${logged.flag} after the onset: ${logged.template}` },
      ]),
    );
  }
  return [cause];
}

/** Load that grew by less than a sharp surge: it counts for a cause, but yields to a failure seen as plainly. */
export function modestLoad(cause: Cause): boolean {
  return cause.category === 'capacity' && (cause.surge ?? 0) < THRESHOLDS.sharpSurge.value;
}

export function assessCauses(c: Case, episode: Episode, slackMs: number): Cause[] {
  // A disk failure the logs already name is weighed there; the metrics alone name it otherwise.
  const logged = infrastructure(c, episode);
  const measured = logged.some((cause) => cause.signature === 'disk_slow') ? [] : measuredDiskFailure(c, episode);
  return [...logged, ...measured, ...dependency(c, episode, slackMs), ...capacity(c, episode, slackMs)].sort(
    (a, b) => causeScore(b) - causeScore(a) || Number(modestLoad(a)) - Number(modestLoad(b)) || (a.statement < b.statement ? -1 : 1),
  );
}
