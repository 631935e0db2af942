// Causes that are not a change: the platform failed (a full disk, an expired
// certificate...), a dependency outside the bundle degraded first, or load grew beyond
// what a service can take (capacity.ts). Each is weighed from the metrics and logs the tools
// returned.
import { stoppedInflows } from './inflow-stopped.js';
import { consumerCeilings } from './consumer-ceiling.js';
import type { Category, Evidence } from '../../protocol/diagnosis.js';
import { freshTemplate, ONSET_PRECISION_MS, type Case, type Movement } from './case.js';
import { templateText, type SeriesInfo } from './read.js';
import { namedBy } from './log-symptoms.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { movedLevel } from './prose.js';
import { attribute, measuresClass, signatureSnippet, signatureWords, type SignatureClass, type SignatureHit } from './signatures.js';
import { finding, scoreOf, THRESHOLDS, type Finding } from './model.js';
import { MAX_PLACED } from './placement.js';
import { capacity } from './capacity.js';
import { demandAtLimit } from './demand-at-limit.js';
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
  /** For infrastructure: its failure was first logged at the onset itself (within an onset's precision). */
  atOnset?: boolean;
  /** For capacity: the service the load reached ran out of room (a busy ratio at its ceiling, work piling up), not merely busier. */
  ceiling?: boolean;
  /** For capacity: when the surge began to rise. */
  risesFrom?: number;
  /** For capacity: the strongest rise of traffic in each service the surge was seen in. */
  surgeByService?: Map<string, number>;
  /** For capacity: services some of whose traffic, read, held its level through the surge. */
  trafficHeld?: Set<string>;
  /** For a dependency: callers whose calls to it went wrong together, one of them untouched by any change. */
  callers?: string[];
  /**
   * For a dependency: the paged service, when its first failures were its calls to this
   * dependency and the dependency's own series (its probe, its errors) failed with them.
   */
  failedUnder?: string;
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

/** Lines a platform failure must have logged to stand on the logs alone. */
const MIN_SIGNATURE_LINES = 2;

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
    // One line alone, placed on no host and moving no metric of its kind, is a complaint, not a failure.
    if (dated.length < MIN_SIGNATURE_LINES && !measured && placed.length === 0) continue;
    const allOnHost = placed.flatMap((p) => [...p.services.keys()]);
    const measuredOnHost = allOnHost.filter((service) => measuredServices.has(service));
    const onHost = new Set(measuredOnHost.length > 0 ? measuredOnHost : allOnHost);
    // Placed nowhere, the failure is of a service whose own metrics of its kind went wrong with it,
    // not of the host journal that logged it, however many lines that journal holds.
    const measuredVoters = new Set([...metricVotes.keys()].filter((s) => measuredServices.has(s)));
    const service =
      onHost.size > 0 && onHost.size <= MAX_PLACED
        ? attribute(hits, addVotes(metricVotes, reportedLost(c, onHost)), onHost)
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
      atOnset: Math.abs(first.t - episode.onset) <= ONSET_PRECISION_MS,
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

/**
 * What a host failure takes from the others: of the workloads on the failed host, those
 * whose callers' logs began to name them with the incident (timeouts, reconnects, resets).
 * A failing host hurts everything on it, but the page follows the workload others depend on.
 */
function reportedLost(c: Case, onHost: ReadonlySet<string>): Map<string, number> {
  const votes = new Map<string, number>();
  if (onHost.size < 2) return votes;
  for (const t of c.templates) {
    if (t.flag !== 'new' && t.flag !== 'spiking') continue;
    for (const service of namedBy(c, t).named) {
      if (onHost.has(service)) votes.set(service, (votes.get(service) ?? 0) + REPORTED_LOST_VOTE);
    }
  }
  return votes;
}

/** A template of callers naming a workload outweighs the few lines the host's own journal attributes. */
const REPORTED_LOST_VOTE = 2;

function addVotes(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): Map<string, number> {
  const sum = new Map(a);
  for (const [service, n] of b) sum.set(service, (sum.get(service) ?? 0) + n);
  return sum;
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

/** Calls to a peer that grew this many times over before it failed them were the caller's doing. */
const CALLS_MULTIPLIED = 3;

/** A count of calls the peer answered well (`code="200"`, `status="ok"`): volume it served, not retries of failures. */
function answered(info: SeriesInfo): boolean {
  return Object.entries(info.labels).some(([key, value]) => /^(code|status|status_code|response_code|outcome|result)$/i.test(key) && /^(2\d\d|2xx|ok|success|succeeded)$/i.test(value));
}

/** The caller's calls that the peer answered well stepped up severalfold (a change point) before, or as, the failures began. */
function callsMultiplied(c: Case, m: Movement, peer: string): boolean {
  return c.points.some((p) => {
    if (p.direction !== 'up' || p.relative === null || p.relative < CALLS_MULTIPLIED - 1 || p.onset > m.onset + ONSET_PRECISION_MS) return false;
    const info = c.series.find((s) => s.id === p.series);
    return info !== undefined && info.service === m.info.service && info.id !== m.info.id && info.meaning.measures === 'traffic' && answered(info) && c.topology.labelPeers(info).includes(peer);
  });
}

/** Calls to a failing dependency show it within minutes of each other (errors first, then latency as timeouts pile up). */
const DEPENDENCY_LAG_MS = 5 * 60_000;
/** An age trails what it measures: a dependency may fail this long before the paged service's age shows it. */
const AGE_LAG_MS = 20 * 60_000;
const AGE = /(^|_)(age|staleness|since)(_|$)|_age$/i;

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


/** The dependency's own series (its probe, its errors) got worse with the incident, not only its callers' view of it. */
function failedItself(c: Case, episode: Episode, peer: string): Movement | undefined {
  // Failed, not busier: a CPU that rose is the dependency working harder, which its callers' retries alone can make.
  return c.movements.find((o) => o.symptom && o.kind !== 'saturation' && o.info.service === peer && Math.abs(o.onset - episode.onset) <= WITH_ONSET_MS);
}

/** A synthetic probe's series (the blackbox exporter's `probe_success`, an `external_probe_ok`): it measures its target. */
const PROBE = /(^|_)probe(_|$)/i;

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
  /^(query|queries|statement|method|route|endpoint|path|uri|url|operation|op|handler|action|command|cmd|rpc|procedure|function|func|type|kind|status|code|result|outcome|table|topic|queue|job|task|event|consumergroup|consumer_group|consumer|group|group_id|groupid|subscription)$/i;

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
    if (freshTemplate(c, (t) => word.test(templateText(t)))) out.push(value);
  }
  return out;
}

/** Two callers' calls to one peer that went wrong within this of each other went wrong together. */
const ALIKE_MS = 5 * 60_000;

/**
 * Another service's calls to the same peer that went wrong at the same time, where no change
 * touched that service before the onset: a change of one caller cannot explain the other's
 * failing, and what both share is the peer.
 */
function untouchedCallerAlike(c: Case, episode: Episode, m: Movement, peer: string, slackMs: number): Movement | null {
  return (
    episode.symptoms.find(
      (o) =>
        o.info.service !== null &&
        o.info.service !== m.info.service &&
        o.info.service !== peer &&
        (o.kind === 'errors' || o.kind === 'latency' || o.kind === 'availability') &&
        Math.min(Math.abs(o.onset - m.onset), Math.abs(o.onset - episode.onset)) <= ALIKE_MS &&
        c.topology.labelPeers(o.info).includes(peer) &&
        !c.changes.some((x) => x.service === o.info.service && x.at <= episode.onset + slackMs),
    ) ?? null
  );
}

function dependency(c: Case, episode: Episode, slackMs: number): Cause[] {
  const causes = new Map<string, Cause>();
  // An age the paged service reports (since its last delivery, its oldest message) leaves its
  // band only once it outgrows its usual level: what stopped the deliveries came that much earlier.
  const pagedFirst = episode.symptoms.find((m) => m.info.service === c.paged && m.onset === (episode.pagedOnset ?? episode.onset));
  const leadAllowed = pagedFirst !== undefined && AGE.test(pagedFirst.info.name) ? AGE_LAG_MS : DEPENDENCY_LAG_MS;
  // A party that stopped sending (its inflow fell while the others' held) is read as its calls failing.
  const inflows = new Set(stoppedInflows(c));
  for (const m of [...episode.symptoms, ...inflows]) {
    if (m.info.service === null || m.onset > episode.onset + Math.max(slackMs, DEPENDENCY_LAG_MS)) continue;
    // Calls that took no time before were not being made: calls that began are new work, not a dependency that degraded.
    if (m.kind === 'latency' && m.before === 0) continue;
    // A service no name ties to the paged one (it hands its work over through a queue, say)
    // counts when its calls went wrong first, just before the paged service degraded: at the
    // same moment is no more than coincidence.
    const pagedAt = episode.pagedOnset ?? episode.onset;
    const leadsUnlinked = m.onset < pagedAt && m.onset >= pagedAt - leadAllowed;
    // Unlinked and at the same moment counts only for a peer outside the bundle that the new
    // errors name: a third party failing, seen in its callers' metrics and logs as the incident began.
    const sameMoment = !episode.linked.has(m.info.service) && !leadsUnlinked && Math.abs(m.onset - pagedAt) <= ONSET_PRECISION_MS;
    if (!episode.linked.has(m.info.service) && !leadsUnlinked && !sameMoment) continue;
    const named = c.topology.labelPeers(m.info);
    // A probe's other targets failing with it is the probed party failing everywhere, not the prober's own trouble.
    const probe = PROBE.test(m.info.name) && m.info.service !== c.paged;
    // A probe's target may be no name of the bundle (`gw-tro.example.net:443`): the probe names what it probes.
    const peers = probe ? [named[0] ?? m.info.service] : named.length > 0 ? named : partitionPeers(c, episode, m);
    for (const peer of peers) {
      // The paged service is no dependency of its own: its callers' view of it is its own trouble.
      if (peer === c.paged || causes.has(probe ? m.info.service : peer) || (!probe && siblingsDegraded(c, m, peer))) continue;
      const inBundle = c.topology.services.includes(peer);
      const peerWord = peerWordOf(peer);
      if (sameMoment && (inBundle || !freshTemplate(c, (t) => peerWord.test(templateText(t))))) continue;
      // A peer that changed before the onset is weighed as that change, not as a dependency that failed on its own.
      if (c.changes.some((x) => x.service === peer && x.at <= episode.onset + slackMs)) continue;
      // A peer refusing calls its caller had multiplied before (a quota, a rate limit met) is
      // answering the caller's volume: what multiplied the calls is the cause.
      if (!inflows.has(m) && callsMultiplied(c, m, peer)) continue;
      // A probe is named for what it probes (a blackbox job `keyfort-idp` probing its token URL): the dependency is that name.
      const subject = probe ? m.info.service : peer;
      const cause: Cause = {
        category: 'dependency',
        service: subject,
        statement: inBundle ? `${subject}, a dependency with no change of its own, degraded` : `${subject}, a dependency outside the bundle, degraded`,
        findings: [
          finding(
            'peer_degraded_first',
            probe
              ? `the probe of ${subject}${peer === subject ? '' : ` at ${peer}`} failed first (${m.display}: ${movedLevel(m, m.before)} → ${movedLevel(m, m.after)} from ${iso(m.onset)})`
              : inflows.has(m)
                ? `what ${m.info.service} receives from ${peer} fell first (${m.display}: ${movedLevel(m, m.before)} → ${movedLevel(m, m.after)} from ${iso(m.onset)}), while what it receives from the others held`
                : `${m.info.service}'s calls to ${peer} degraded first (${m.display}: ${movedLevel(m, m.before)} → ${movedLevel(m, m.after)} from ${iso(m.onset)}), while its other dependencies stayed normal`,
            [{ source: 'metrics', ref: m.series, detail: `${m.kind} ${m.direction} at ${iso(m.onset)}` }],
          ),
        ],
        signature: null,
        surge: null,
      };
      const level = heldLevel(c, episode, peer);
      if (level) cause.findings.push(level);
      const pagedFrom = episode.pagedOnset ?? episode.onset;
      const own = m.info.service === c.paged && m.onset <= pagedFrom + ONSET_PRECISION_MS ? failedItself(c, episode, subject ?? peer) : undefined;
      if (own) {
        cause.failedUnder = m.info.service;
        cause.findings.push(
          finding('peer_failed_itself', `${subject ?? peer}'s own ${own.display} failed with the calls to it (${movedLevel(own, own.before)} → ${movedLevel(own, own.after)} from ${iso(own.onset)})`, [
            { source: 'metrics', ref: own.series, detail: `${own.kind} ${own.direction} at ${iso(own.onset)}` },
          ]),
        );
      }
      const alike = untouchedCallerAlike(c, episode, m, peer, slackMs);
      if (alike) {
        cause.callers = [m.info.service, alike.info.service as string];
        cause.findings.push(
          finding(
            'callers_fail_alike',
            `${alike.info.service}, which no change touched, began failing its calls to ${peer} at the same time (${alike.display}: ${movedLevel(alike, alike.before)} → ${movedLevel(alike, alike.after)} from ${iso(alike.onset)}): what its callers share is ${peer}`,
            [{ source: 'metrics', ref: alike.series, detail: `${alike.kind} ${alike.direction} at ${iso(alike.onset)}` }],
          ),
        );
      }
      const logged = freshTemplate(c, (t) => peerWord.test(t.template));
      if (logged) {
        cause.findings.push(
          finding('logs_blame_peer', `the logs blame it too: "${logged.template}" (${logged.flag}, ${logged.example})`, [
            { source: 'logs', ref: logged.example, detail: `${logged.flag} after the onset: ${logged.template}` },
          ]),
        );
      }
      causes.set(subject, cause);
    }
  }
  return [...causes.values()];
}

/** Load that grew by less than a sharp surge: it counts for a cause, but yields to a failure seen as plainly. */
export function modestLoad(cause: Cause): boolean {
  return cause.category === 'capacity' && (cause.surge ?? 0) < THRESHOLDS.sharpSurge.value;
}

export function assessCauses(c: Case, episode: Episode, slackMs: number): Cause[] {
  // A disk failure the logs already name is weighed there; the metrics alone name it otherwise.
  const logged = infrastructure(c, episode);
  const measured = logged.some((cause) => cause.signature === 'disk_slow') ? [] : measuredDiskFailure(c, episode);
  const surged = capacity(c, episode, slackMs);
  // With no surge to read load from, a usage that grew into its declared limit still shows it.
  const grownInto = surged.length === 0 ? demandAtLimit(c, episode) : null;
  const load = grownInto === null ? surged : [grownInto];
  // A consumer that fell behind at its ceiling, where the load was not read from traffic that surged.
  const ceilings = load.some((x) => x.ceiling === true) ? [] : consumerCeilings(c, episode, slackMs, new Set());
  return [...logged, ...measured, ...dependency(c, episode, slackMs), ...(ceilings.length > 0 ? [] : load), ...ceilings].sort(
    (a, b) => causeScore(b) - causeScore(a) || Number(modestLoad(a)) - Number(modestLoad(b)) || (a.statement < b.statement ? -1 : 1),
  );
}
