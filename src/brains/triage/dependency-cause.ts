// A dependency that failed on its own. The paged service's calls to a peer went wrong first
// (errors, then latency as timeouts piled up), or a party stopped sending, while the others it
// calls held: that peer is the cause, unless something ties its trouble to the callers (a
// change of the peer itself, volume its caller had multiplied). Its own signals, where the
// bundle has them, say whether it failed itself or only looked slow from outside.
import { stoppedInflows } from './inflow-stopped.js';
import { freshProblem, freshTemplate, ONSET_PRECISION_MS, type Case, type Movement } from './case.js';
import { ownerOf } from './log-symptoms.js';
import type { Cause } from './causes.js';
import { templateText, type SeriesInfo, type TemplateInfo } from './read.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { movedLevel } from './prose.js';
import { finding, type Finding } from './model.js';
import { escapeRegExp } from '../../regexp.js';

function siblingsDegraded(c: Case, m: Movement, peer: string): boolean {
  // A sibling that names the same peer by a label value of its own (`carrier="telnexa"`, another `code`) is the same calls.
  const samePeer = (o: Movement): boolean => c.topology.labelPeers(o.info).includes(peer) || Object.values(o.info.labels).some((v) => v.toLowerCase() === peer.toLowerCase());
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

/** How near the onset a dependency's own series must have moved to count as moving with the incident. */
const WITH_ONSET_MS = 15 * 60_000;

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

/** Calls this many times faster than their level, all at once, no longer do the work they did. */
const HOLLOW_FOLD = 3;
/** A rate of calls that fell by more than this share stopped being made, rather than being answered. */
const CALLS_FELL = 0.5;

/**
 * Calls to a party that came back several times faster as the incident began, while they went
 * on at their pace: the party answers without doing the work (a 200 with an empty body, a
 * report without its scores). A caller does not make its calls faster by failing them. Whose
 * calls they are, and whether the party's other callers' calls held, the partition decides.
 */
function hollowAnswers(c: Case, episode: Episode): Movement[] {
  const pagedAt = episode.pagedOnset ?? episode.onset;
  return c.movements.filter((m) => {
    if (m.kind !== 'latency' || m.direction !== 'down' || m.ratio === null || m.ratio > 1 / HOLLOW_FOLD || m.info.service === null) return false;
    if (Math.abs(m.onset - pagedAt) > DEPENDENCY_LAG_MS) return false;
    // Calls that stopped (the party's traffic fell away with its latency) were not answered at all.
    const own = Object.entries(m.info.labels).filter(([key]) => !PLACE_KEY.test(key) && !OPERATION_KEY.test(key));
    return !c.movements.some(
      (t) =>
        t.kind === 'traffic' &&
        t.direction === 'down' &&
        t.info.service === m.info.service &&
        t.ratio !== null &&
        t.ratio < CALLS_FELL &&
        Math.abs(t.onset - m.onset) <= WITH_ONSET_MS &&
        own.every(([key, value]) => t.info.labels[key] === undefined || t.info.labels[key] === value),
    );
  });
}

/** A log template that appeared or spiked with the incident, whatever its level: what a caller logs of each answer (`partner response without ads`) is news at debug too. */
function newLines(c: Case, pick: (t: TemplateInfo) => boolean): TemplateInfo | undefined {
  return c.templates.find((t) => (t.flag === 'new' || t.flag === 'spiking') && pick(t));
}

/** A synthetic probe's series (the blackbox exporter's `probe_success`, an `external_probe_ok`): it measures its target. */
const PROBE = /(^|_)probe(_|$)/i;

/**
 * A probe of the peer itself (filed under the peer, made by no caller) that failed as the
 * incident began: the peer measured from outside any service that calls it.
 */
function probeFailed(c: Case, episode: Episode, peer: string): Movement | undefined {
  return c.movements.find((o) => o.symptom && PROBE.test(o.info.name) && o.info.service === peer && o.kind !== 'saturation' && Math.abs(o.onset - episode.onset) <= WITH_ONSET_MS);
}

/** Label keys that say what a probe probes (blackbox's `instance`, a `target` URL). */
const PROBE_TARGET_KEY = /^(instance|target|url|host|hostname|endpoint|address)$/i;
/** Words of a host name that name no party: its domain's kind, a generic front (`api.`, `www.`). */
const GENERIC_HOST_WORD = /^(api|apis|www|web|app|example|com|net|org|io|co|dev|cloud|internal|local|localhost|svc|cluster|health|healthz|status|ping|prod|production|staging|gateway|gw|edge|cdn|https?|v\d+)$/i;

/** The words of the host a probe probes (`sip2.bibliotech.example:6001` → sip2, bibliotech). */
function probeTargetWords(info: SeriesInfo): string[] {
  const words = new Set<string>();
  for (const [key, value] of Object.entries(info.labels)) {
    if (!PROBE_TARGET_KEY.test(key)) continue;
    const host = value.replace(/^[a-z]+:\/\//i, '').replace(/[:/].*$/, '');
    for (const word of host.split(/[.-]/)) if (word.length >= 3 && /[a-z]/i.test(word) && !GENERIC_HOST_WORD.test(word)) words.add(word.toLowerCase());
  }
  return [...words];
}

/**
 * A probe whose target the paged service names: its new errors (`sip2 request timed out`) or
 * its own metrics (`selfcheck_sip2_response_seconds`) are about the host the probe probes, so
 * the probe failing with them is that party, though no label ties the two.
 */
function probeTargetNamed(c: Case, info: SeriesInfo): boolean {
  const words = probeTargetWords(info);
  if (words.length === 0) return false;
  const named = (text: string): boolean => words.some((w) => peerWordOf(w).test(text.replace(/_/g, ' ')));
  return freshTemplate(c, (t) => named(templateText(t))) !== undefined || c.series.some((s) => s.service === c.paged && named(s.name));
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
  /^(query|queries|statement|method|route|endpoint|path|uri|url|operation|op|handler|action|command|cmd|rpc|procedure|function|func|type|kind|status|code|result|outcome|table|topic|queue|job|task|event|consumergroup|consumer_group|consumer|group|group_id|groupid|subscription|request|request_type|requesttype|api|verb|call)$/i;

/**
 * Peers named by a label that names a party (`ota="bookzilla"`, `carrier="tellicom"`): the
 * label splits the same call metric of a service by value (or the metric is named for what
 * the label names), only this value's series degraded, and the new errors in the logs name
 * it. Partitioned, isolated and named in the logs, it is the other end of the call.
 */
/** A bundle's service named by its stem (`topup` for `topup-svc`, `ledger` for `ledger-api`): a part of the bundle, no outside party. */
function serviceByStem(c: Case, value: string): boolean {
  const stem = value.toLowerCase();
  return c.topology.services.some((s) => s.toLowerCase().replace(/[-_](?:svc|service|api|server|srv|app|backend|worker|gateway|gw|core)$/, '') === stem);
}

/**
 * Label keys that place a series on the platform (a pod, a host, a zone) or slice its traffic
 * by who asks (a tenant, a site): they name no party the service calls.
 */
const PLACE_KEY =
  /^(instance|pod|pod_name|container|host|hostname|node|nodename|node_name|zone|region|az|availability_zone|cluster|namespace|job|le|quantile|shard|partition|replica|version|env|environment|dc|datacenter|rack|cpu|device|disk|mountpoint|interface|ip|port|tenant|customer|user|account|site|store|location|country|market|locale|platform|os|browser|channel|tier|plan|priority|severity|level|class|reason|error|state|phase|direction|protocol|scheme|team|owner)$/i;

/**
 * The other names a party goes by in the service's own series: label values that the series
 * carrying `key="value"` carry and that no series of another value of `key` does (the plan
 * number `bin="018844"` beside `pbm="acme-rx"`). The logs often name a party by such a code.
 */
function aliasesOf(c: Case, service: string, key: string, value: string): string[] {
  const mine = c.series.filter((s) => s.service === service && s.labels[key] === value);
  const others = c.series.filter((s) => s.service === service && key in s.labels && s.labels[key] !== value);
  const taken = new Set(others.flatMap((s) => Object.values(s.labels)));
  const out = new Set<string>();
  for (const s of mine) for (const [k, v] of Object.entries(s.labels)) if (k !== key && !PLACE_KEY.test(k) && !OPERATION_KEY.test(k) && /^[\w-]{4,}$/.test(v) && !taken.has(v)) out.add(v);
  return [...out];
}

/** The codes a peer a series names by a label value goes by in that service's series. */
function aliasesFor(c: Case, m: Movement, peer: string): string[] {
  if (m.info.service === null) return [];
  const keys = Object.entries(m.info.labels).filter(([key, value]) => value === peer && !PLACE_KEY.test(key) && !OPERATION_KEY.test(key));
  return [...new Set(keys.flatMap(([key]) => aliasesOf(c, m.info.service as string, key, peer)))];
}

function partitionPeers(c: Case, m: Movement, lines: typeof freshTemplate = freshTemplate): string[] {
  if (m.kind !== 'errors' && m.kind !== 'latency') return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(m.info.labels)) {
    // A party by its label's name, or a metric named for what the label names (`carrier_api_…{carrier="tellicom"}`).
    // (A label that names what is done, not whom it is done by, names no party: `query_duration{query="find_pass"}`.)
    const namedFor = !OPERATION_KEY.test(key) && m.info.name.toLowerCase().split(/[^a-z0-9]+/).includes(key.toLowerCase());
    // Any other key that neither places the series nor names an operation may name a party
    // (`pbm="…"`, `lab="…"`), when the new failures name it, or a code it goes by.
    const otherKey = !PARTY_KEY.test(key) && !namedFor && !OPERATION_KEY.test(key) && !PLACE_KEY.test(key) && m.info.service !== null;
    if (!(PARTY_KEY.test(key) || namedFor || otherKey) || !/^[A-Za-z][\w.-]{2,}$/.test(value)) continue;
    // A value that is a service of the bundle by its whole name (a party with series of its own,
    // a probe of it, say) is that service, by a key that names a party; by any other, no party.
    const party = c.topology.services.find((s) => s.toLowerCase() === value.toLowerCase()) ?? null;
    if (party === null ? c.topology.mentions(value).size > 0 || serviceByStem(c, value) : otherKey) continue;
    const siblings = c.series.filter((s) => s.id !== m.info.id && s.name === m.info.name && s.service === m.info.service && key in s.labels && s.labels[key] !== value);
    // Split by value across siblings, unless the metric is named for what the label names.
    if (new Set(siblings.map((s) => s.labels[key])).size < 2 && !namedFor) continue;
    const alsoDegraded = c.movements.some((o) => o !== m && o.symptom && o.info.name === m.info.name && o.info.service === m.info.service && o.info.labels[key] !== value);
    if (alsoDegraded) continue;
    const names = [value, ...aliasesFor(c, m, value)].map(peerWordOf);
    if (lines(c, (t) => names.some((word) => word.test(templateText(t))))) out.push(party ?? value);
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
    if (owner === null || owner === caller || owner === peer || owner === c.paged && caller === c.paged) continue;
    if (c.changes.some((x) => x.service === owner && x.at <= episode.onset + slackMs)) continue;
    return { service: owner, template: t };
  }
  return null;
}

/** The host a probe probes, whole (`sso.ivanhoe.edu`): lines that name it are about the probed party. */
function probedHost(info: SeriesInfo): string | null {
  for (const [key, value] of Object.entries(info.labels)) {
    if (!PROBE_TARGET_KEY.test(key)) continue;
    const host = value.replace(/^[a-z]+:\/\//i, '').replace(/[:/].*$/, '');
    if (/[a-z]/i.test(host) && host.includes('.')) return host.toLowerCase();
  }
  return null;
}

/** A service with series of its own besides probes, or changes: it does work, and probes what it depends on. */
function doesOtherWork(c: Case, service: string): boolean {
  return c.changes.some((x) => x.service === service) || c.series.some((s) => s.service === service && !PROBE.test(s.name));
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
  const hollow = new Set(hollowAnswers(c, episode));
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
    const peers = probe ? [named[0] ?? m.info.service] : named.length > 0 ? named : partitionPeers(c, m, hollow.has(m) ? newLines : freshTemplate);
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
