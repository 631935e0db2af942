// A dependency that failed on its own. The paged service's calls to a peer went wrong first
// (errors, then latency as timeouts piled up), or a party stopped sending, while the others it
// calls held: that peer is the cause, unless something ties its trouble to the callers (a
// change of the peer itself, volume its caller had multiplied). Its own signals, where the
// bundle has them, say whether it failed itself or only looked slow from outside. Who a party
// is (party-names.ts), what its probes say (peer-probes.ts) and whether it answered without
// doing the work (hollow-answers.ts) are read beside this.
import { stoppedInflows } from './inflow-stopped.js';
import { freshProblem, freshTemplate, ONSET_PRECISION_MS, type Case, type Movement } from './case.js';
import { ownerOf } from './log-symptoms.js';
import type { Cause } from './causes.js';
import { templateText, type SeriesInfo, type TemplateInfo } from './read.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { movedLevel } from './prose.js';
import { finding, type Finding } from './model.js';
import { hollowAnswers, newLines } from './hollow-answers.js';
import { aliasesFor, metricNamedPeers, metricPrefix, OPERATION_KEY, partitionPeers, peerWordOf } from './party-names.js';
import { doesOtherWork, probedHost, probeFailed, PROBE, probeTargetNamed, WITH_ONSET_MS } from './peer-probes.js';

function siblingsDegraded(c: Case, m: Movement, peer: string): boolean {
  // A sibling that names the same peer by a label value of its own (`carrier="telnexa"`, another `code`) is the same calls.
  // So is one of a metric named for the peer (`apexvision_requests_per_second{code="504"}`): every series of it is calls to that peer.
  const samePeer = (o: Movement): boolean =>
    c.topology.labelPeers(o.info).includes(peer) || Object.values(o.info.labels).some((v) => v.toLowerCase() === peer.toLowerCase()) || metricPrefix(o.info.name) === peer.toLowerCase();
  return c.movements.some((o) => o !== m && o.symptom && o.info.name === m.info.name && o.info.service === m.info.service && !samePeer(o));
}

/** Calls to a peer that grew this many times over before it failed them were the caller's doing. */
const CALLS_MULTIPLIED = 3;

/** Label keys that split a count by how each call ended. */
const OUTCOME_KEY = /^((http_|grpc_|response_)?(code|status|status_code)|outcome|result|reason|error)(_class|_family|_group)?$/i;

/** A count of calls the peer answered well (`code="200"`, `status="ok"`): volume it served, not retries of failures. */
function answered(info: SeriesInfo): boolean {
  return Object.entries(info.labels).some(([key, value]) => OUTCOME_KEY.test(key) && /^(2\d\d|2xx|ok|success|succeeded)$/i.test(value));
}

/** Work re-sent because it failed: more of it says the peer failed, not that it was sent more. */
const RESENT = /(retr(y|ies|ied)|resend|resent|redeliver|reconnect|fail|error|reject)/i;

/**
 * The calls sent to the peer stepped up severalfold (a change point) before, or as, the failures
 * began: the caller's own calls the peer answered well, or the work any service of the bundle
 * routes to that party by name (`orders_routed_per_second{venue="…"}`), new work and not re-sent.
 */
function callsMultiplied(c: Case, m: Movement, peer: string): boolean {
  // A count split by outcome counts as sent only where the outcome is success: more failures answered is the peer failing.
  const outcome = (info: SeriesInfo): boolean => Object.keys(info.labels).some((key) => OUTCOME_KEY.test(key));
  const routedTo = (info: SeriesInfo): boolean =>
    !RESENT.test(info.name) &&
    (!outcome(info) || answered(info)) &&
    Object.entries(info.labels).some(([key, value]) => !OPERATION_KEY.test(key) && value.toLowerCase() === peer.toLowerCase());
  return c.points.some((p) => {
    if (p.direction !== 'up' || p.relative === null || p.relative < CALLS_MULTIPLIED - 1 || p.onset > m.onset + ONSET_PRECISION_MS) return false;
    const info = c.series.find((s) => s.id === p.series);
    if (info === undefined || info.id === m.info.id || info.meaning.measures !== 'traffic' || otherStream(info, m.info)) return false;
    // Work routed to it counts only when it rose before the refusals began: more sent once they began is users asking again.
    return (info.service === m.info.service && answered(info) && c.topology.labelPeers(info).includes(peer)) || (routedTo(info) && p.onset < m.onset);
  });
}

/**
 * Calls of another stream than the failing ones: both series carry a key (a region, a pool)
 * with different values, beyond how each call ended and how it is summarised. Volume sent to
 * a party's EU endpoint is no load on its US one.
 */
function otherStream(a: SeriesInfo, b: SeriesInfo): boolean {
  return Object.entries(a.labels).some(([key, value]) => key !== 'service' && !OUTCOME_KEY.test(key) && key !== 'quantile' && key !== 'le' && key in b.labels && b.labels[key] !== value);
}

/** Calls to a failing dependency show it within minutes of each other (errors first, then latency as timeouts pile up). */
const DEPENDENCY_LAG_MS = 5 * 60_000;
/** An age trails what it measures: a dependency may fail this long before the paged service's age shows it. */
const AGE_LAG_MS = 20 * 60_000;
const AGE = /(^|_)(age|staleness|since)(_|$)|_age$/i;


/**
 * A server's own refusal, quoted by its caller: an HTTP 5xx status (`status=503`, `returned 503`), or the words a server
 * answers with when it cannot serve (`503 temporarily_unavailable`, `Service Unavailable`).
 * A timeout or a reset is not one: those the way to the server can make.
 */
export const SERVER_REFUSAL =
  /(?:\b(?:HTTP\/[\d.]+|status|code|status_code|http_status|returned|answered|responded(?: with)?|got|received)[\s=:"]*|\()5\d\d\b|\bupstream[\s_-]unavailable\b|\b(?:service|temporarily)[\s_-]unavailable\b|\binternal[\s_-]server[\s_-]error\b|\bbad[\s_-]gateway\b|\bserver_error\b/i;

/** A party's answer that a limit on what it takes was met: a rate limit, a quota. */
const QUOTA_MET = /\b429\b|\bquota\b|\brate[\s_-]?limit(?:ed)?\b|\btoo many requests\b|\bRESOURCE_EXHAUSTED\b|\bthrottl(?:ed|ing)\b/i;

/** The callers' new failures name the peer and quote its own refusal: the peer answered that it was failing. */
function peerRefused(c: Case, peer: string): boolean {
  const word = peerWordOf(peer);
  const refusedInFields = (fields: Record<string, string>): boolean => Object.entries(fields).some(([key, value]) => OUTCOME_KEY.test(key) && /^5\d\d$/.test(value));
  return freshTemplate(c, (t) => word.test(templateText(t)) && (SERVER_REFUSAL.test(templateText(t)) || refusedInFields(t.fields))) !== undefined;
}

/**
 * The dependency's own series, read around the page (at least two), all held level through the
 * onset. Unless its callers quote its own refusal (a 5xx it answered with): then it did fail,
 * and what held is another of its doors (the health endpoint a probe reads), not the one called.
 */
function heldLevel(c: Case, episode: Episode, peer: string): Finding | null {
  const own = c.series.filter((s) => s.service === peer && c.peerSeries.has(s.id));
  if (own.length < 2 || peerRefused(c, peer)) return null;
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
        (c.topology.labelPeers(o.info).includes(peer) || metricPrefix(o.info.name) === peer.toLowerCase()) &&
        !c.changes.some((x) => x.service === o.info.service && x.at <= episode.onset + slackMs),
    ) ?? null
  );
}

/**
 * Another service's failure lines, new with the incident, naming the same party (by name, by a
 * code, or by the host its probe probes), where no change touched that service before the onset:
 * its calls failed alike, though no metric of it names the party.
 */
function untouchedCallerLogsAlike(c: Case, episode: Episode, caller: string, peer: string, names: (t: TemplateInfo) => boolean, slackMs: number): { service: string; template: TemplateInfo } | null {
  for (const t of c.templates) {
    // New with the incident, or spiking at it (a failure it had now and then, now at every call).
    if (!freshProblem(t) || (t.flag === 'new' && (t.firstSeen === null || Math.abs(t.firstSeen - episode.onset) > ALIKE_MS)) || !names(t)) continue;
    const owner = ownerOf(c, t);
    if (owner === null || owner === caller || owner === peer || (owner === c.paged && caller === c.paged)) continue;
    if (c.changes.some((x) => x.service === owner && x.at <= episode.onset + slackMs)) continue;
    return { service: owner, template: t };
  }
  return null;
}

/** The dependencies that failed on their own, as causes of the incident. */
export function dependencyCauses(c: Case, episode: Episode, slackMs: number): Cause[] {
  const causes = new Map<string, Cause>();
  // An age the paged service reports (since its last delivery, its oldest message) leaves its
  // band only once it outgrows its usual level: what stopped the deliveries came that much earlier.
  const pagedFirst = episode.symptoms.find((m) => m.info.service === c.paged && m.onset === (episode.pagedOnset ?? episode.onset));
  const leadAllowed = pagedFirst !== undefined && AGE.test(pagedFirst.info.name) ? AGE_LAG_MS : DEPENDENCY_LAG_MS;
  // A party that stopped sending (its inflow fell while the others' held) is read as its calls failing.
  const inflows = new Set(stoppedInflows(c));
  // So is a party whose answers came back empty, fast (no symptom: its calls look better than ever).
  const hollow = new Set(hollowAnswers(c, episode, DEPENDENCY_LAG_MS));
  for (const m of [...episode.symptoms, ...inflows, ...hollow]) {
    if (m.info.service === null || m.onset > episode.onset + Math.max(slackMs, DEPENDENCY_LAG_MS)) continue;
    // A clock's offset from true time is the machine's own clock, not calls to the host its label names.
    if (m.info.meaning.deviation) continue;
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
    // Answers gone hollow are dated by the page itself (they moved with it) and named by the new lines.
    if (!episode.linked.has(m.info.service) && !leadsUnlinked && !sameMoment && !hollow.has(m)) continue;
    const named = c.topology.labelPeers(m.info);
    // A probe's other targets failing with it is the probed party failing everywhere, not the prober's own trouble.
    const probe = PROBE.test(m.info.name) && m.info.service !== c.paged;
    // A probe's target may be no name of the bundle (`gw-tro.example.net:443`): the probe names what it probes.
    const lines = hollow.has(m) ? newLines : freshTemplate;
    const partitioned = probe || named.length > 0 ? [] : partitionPeers(c, m, lines);
    const peers = probe ? [named[0] ?? m.info.service] : named.length > 0 ? named : partitioned.length > 0 ? partitioned : metricNamedPeers(c, m, lines);
    // A probe run by a service that does other work (it has series of its own besides probes, or
    // changes) is that service checking its provider: the dependency is the target its labels
    // name. A probe job of its own (a blackbox job named for what it probes) is named for itself.
    const prober = probe && named[0] !== undefined && doesOtherWork(c, m.info.service);
    for (const peer of peers) {
      const subject = probe && !prober ? m.info.service : peer;
      // The paged service is no dependency of its own: its callers' view of it is its own trouble.
      if (peer === c.paged || causes.has(subject) || (!probe && siblingsDegraded(c, m, peer))) continue;
      const inBundle = c.topology.services.includes(peer);
      const peerWord = peerWordOf(peer);
      // The logs may name it by a code it goes by in the series (`bin=018844`), which templates mask: read in their examples.
      const aliasWords = aliasesFor(c, m, peer).map(peerWordOf);
      // A probe's own target host names its party in the lines of those that call it.
      const host = probe ? probedHost(m.info) : null;
      const namedIn = (t: TemplateInfo): boolean => aliasWords.some((word) => word.test(templateText(t))) || (host !== null && templateText(t).toLowerCase().includes(host));
      // Faster answers are news only where new log lines, at any level, say what came back from that party.
      if (hollow.has(m)) {
        if (!newLines(c, (t) => peerWord.test(templateText(t)) || namedIn(t))) continue;
      } else if (sameMoment && !(probe && probeTargetNamed(c, m.info)) && (inBundle || !freshTemplate(c, (t) => peerWord.test(templateText(t)) || namedIn(t)))) continue;
      // A peer that changed before the onset is weighed as that change, not as a dependency that failed on its own.
      if (c.changes.some((x) => x.service === peer && x.at <= episode.onset + slackMs)) continue;
      // A peer refusing calls its caller had multiplied before (a quota, a rate limit met) is
      // answering the caller's volume: what multiplied the calls is the cause. Unless a probe
      // of the peer, made by none of its callers, failed with it: no caller's volume fails that.
      if (!inflows.has(m) && callsMultiplied(c, m, peer) && probeFailed(c, episode, peer) === undefined) continue;
      const cause: Cause = {
        category: 'dependency',
        service: subject,
        statement: inBundle ? `${subject}, a dependency with no change of its own, degraded` : `${subject}, a dependency outside the bundle, degraded`,
        findings: [
          hollow.has(m)
            ? finding(
                'peer_answered_hollow',
                `${m.info.service}'s calls to ${peer} came back ${Math.round(1 / (m.ratio as number))} times faster as the incident began (${m.display}: ${movedLevel(m, m.before)} → ${movedLevel(m, m.after)} from ${iso(m.onset)}) while they went on, and the same calls to its other parties held: ${peer} answered without doing the work`,
                [{ source: 'metrics', ref: m.series, detail: `${m.kind} ${m.direction} at ${iso(m.onset)}` }],
              )
            : finding(
            'peer_degraded_first',
            probe
              ? `the probe of ${subject}${peer === subject ? '' : ` at ${peer}`} failed ${sameMoment ? 'as the symptoms began' : 'first'} (${m.display}: ${movedLevel(m, m.before)} → ${movedLevel(m, m.after)} from ${iso(m.onset)})`
              : inflows.has(m)
                ? `what ${m.info.service} receives from ${peer} fell first (${m.display}: ${movedLevel(m, m.before)} → ${movedLevel(m, m.after)} from ${iso(m.onset)}), while what it receives from the others held`
                : `${m.info.service}'s calls to ${peer} degraded first (${m.display}: ${movedLevel(m, m.before)} → ${movedLevel(m, m.after)} from ${iso(m.onset)}), while its other dependencies stayed normal`,
            [{ source: 'metrics', ref: m.series, detail: `${m.kind} ${m.direction} at ${iso(m.onset)}` }],
          ),
        ],
        signature: null,
        surge: null,
      };
      // A party answering hollow keeps its health endpoint green: its probe holding says nothing of the door called.
      const level = hollow.has(m) ? null : heldLevel(c, episode, peer);
      if (level) cause.findings.push(level);
      const pagedFrom = episode.pagedOnset ?? episode.onset;
      const probed = probe ? undefined : probeFailed(c, episode, subject);
      const underPaged = m.info.service === c.paged && m.onset <= pagedFrom + ONSET_PRECISION_MS ? failedItself(c, episode, subject) : undefined;
      const own = underPaged ?? probed;
      if (own) {
        if (underPaged !== undefined) cause.failedUnder = m.info.service;
        if (probed !== undefined) cause.probedDown = probed.series;
        cause.findings.push(
          finding('peer_failed_itself', `${subject ?? peer}'s own ${own.display} failed with the calls to it (${movedLevel(own, own.before)} → ${movedLevel(own, own.after)} from ${iso(own.onset)})`, [
            { source: 'metrics', ref: own.series, detail: `${own.kind} ${own.direction} at ${iso(own.onset)}` },
          ]),
        );
      }
      const alike = untouchedCallerAlike(c, episode, m, peer, slackMs);
      // Without a metric of another caller naming it, that caller's new failure lines may: for a
      // party the bundle holds as a service of its own (a probe of it, its series), not a host
      // name, whose failing machine every caller names alike (that is the host's failure).
      const alikeInLogs = alike === null && c.topology.services.includes(subject ?? peer) ? untouchedCallerLogsAlike(c, episode, m.info.service, subject ?? peer, (t) => peerWord.test(templateText(t)) || namedIn(t), slackMs) : null;
      if (alikeInLogs !== null && alikeInLogs.service !== c.paged) {
        cause.callers = [c.paged ?? m.info.service, alikeInLogs.service];
        cause.findings.push(
          finding(
            'callers_fail_alike',
            `${alikeInLogs.service}, which no change touched, began failing its calls to ${subject ?? peer} at the same time ("${alikeInLogs.template.template}", ${alikeInLogs.template.example}): what its callers share is ${subject ?? peer}`,
            [{ source: 'logs', ref: alikeInLogs.template.example, detail: `${alikeInLogs.template.flag} with the incident: ${alikeInLogs.template.template}` }],
          ),
        );
      }
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
      const logged = freshTemplate(c, (t) => peerWord.test(t.template) || namedIn(t));
      // A refusal that says a limit was met (429, a quota exhausted) answers how much was sent.
      if (Object.entries(m.info.labels).some(([key, value]) => OUTCOME_KEY.test(key) && value === '429') || (logged !== undefined && QUOTA_MET.test(templateText(logged)))) cause.quota = true;
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
