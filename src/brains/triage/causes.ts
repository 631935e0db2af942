// Causes that are not a change: the platform failed (a full disk, an expired
// certificate...), a dependency outside the bundle degraded first (dependency-cause.ts), or load grew beyond
// what a service can take (capacity.ts). Each is weighed from the metrics and logs the tools
// returned.
import { measuredClockSkew } from './clock-skew.js';
import { aloneAmongMachines } from './one-machine.js';
import { dependencyCauses } from './dependency-cause.js';
import { consumerCeilings } from './consumer-ceiling.js';
import type { Category, Evidence } from '../../protocol/diagnosis.js';
import { ONSET_PRECISION_MS, type Case } from './case.js';
import { namedBy } from './log-symptoms.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { movedLevel } from './prose.js';
import { attribute, measuresClass, signatureSnippet, signatureWords, type SignatureClass, type SignatureHit } from './signatures.js';
import { finding, scoreOf, THRESHOLDS, type Finding } from './model.js';
import { MAX_PLACED } from './placement.js';
import { capacity } from './capacity.js';
import { demandAtLimit } from './demand-at-limit.js';
import { queuedAtLimit } from './queued-at-limit.js';

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
  /** For a dependency: a probe of its own, made by no caller, failed with the calls to it (the probe's series). */
  probedDown?: string;
  /** A dependency whose refusals are a rate limit or quota met (429, RESOURCE_EXHAUSTED, "quota exceeded"): volume answered, not a failure of its own. */
  quota?: boolean;
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
/** A failure logged once leads the symptoms of what it is about by at most this. */
const LINE_LEADS_MS = 5 * 60_000;

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
    // So does one that logs it on both sides of the onset (a daemon repeating every half hour that it cannot sync): it failed through it.
    const hostStillFailing =
      placements.length > 0 &&
      (dated.some((h) => (h.t as number) >= episode.onset - SIGNATURE_LEAD_MS && (h.t as number) <= episode.onset + SIGNATURE_LAG_MS) ||
        (dated.some((h) => (h.t as number) < episode.onset) && dated.some((h) => (h.t as number) > episode.onset)));
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
    // One line alone, placed on no host and moving no metric of its kind, is a complaint, not a
    // failure. Unless what it is about degraded first, right after it: a database's event stream
    // saying once that its host failed, as that database's metrics led the incident.
    const ledAfterIt = (hit: SignatureHit): boolean =>
      hit.t !== null &&
      episode.symptoms.some(
        (m) =>
          m.info.service !== null &&
          (m.info.service === hit.logger || hit.about.includes(m.info.service)) &&
          m.onset <= episode.onset + ONSET_PRECISION_MS &&
          m.onset >= (hit.t as number) - ONSET_PRECISION_MS &&
          m.onset - (hit.t as number) <= LINE_LEADS_MS,
      );
    if (dated.length < MIN_SIGNATURE_LINES && !measured && placed.length === 0 && !ledAfterIt(first)) continue;
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
    const machine = aloneAmongMachines(c, m);
    if (machine === null) continue;
    const { key, one } = machine;
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


/** Load that grew by less than a sharp surge: it counts for a cause, but yields to a failure seen as plainly. */
export function modestLoad(cause: Cause): boolean {
  return cause.category === 'capacity' && (cause.surge ?? 0) < THRESHOLDS.sharpSurge.value;
}

export function assessCauses(c: Case, episode: Episode, slackMs: number): Cause[] {
  // A disk failure the logs already name is weighed there; the metrics alone name it otherwise.
  const logged = infrastructure(c, episode);
  const measured = [
    ...(logged.some((cause) => cause.signature === 'disk_slow') ? [] : measuredDiskFailure(c, episode)),
    ...(logged.some((cause) => cause.signature === 'clock') ? [] : measuredClockSkew(c, episode)),
  ];
  const surged = capacity(c, episode, slackMs);
  // With no surge to read load from, a usage that grew into its declared limit still shows it,
  // and so does work queued beyond a maximum the pool may not pass.
  const grownInto = surged.length === 0 ? (demandAtLimit(c, episode) ?? queuedAtLimit(c, episode)) : null;
  const load = grownInto === null ? surged : [grownInto];
  // A consumer that fell behind at its ceiling, where the load was not read from traffic that surged.
  const ceilings = load.some((x) => x.ceiling === true) ? [] : consumerCeilings(c, episode, slackMs, new Set());
  // What a machine whose clock went wrong sends is refused: its "failing" calls are that clock, not a party that failed.
  const skewed = new Set(measured.filter((x) => x.signature === 'clock' && x.host !== undefined).map((x) => x.host as string));
  const dependencies = dependencyCauses(c, episode, slackMs).filter((x) => x.service === null || !skewed.has(x.service));
  return [...logged, ...measured, ...dependencies, ...(ceilings.length > 0 ? [] : load), ...ceilings].sort(
    (a, b) => causeScore(b) - causeScore(a) || Number(modestLoad(a)) - Number(modestLoad(b)) || (a.statement < b.statement ? -1 : 1),
  );
}
