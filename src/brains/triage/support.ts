// What a change did, as the telemetry shows it right after: its own service got worse (a
// symptom, in the direction of harm), new work appeared that it alone can have started (a
// series rising from nothing at the instant it took effect), errors began in its logs, or
// the warnings name what its diff touched. Each finding adds to a suspect's case.
import { countsWhatItSets } from './intended.js';
import { movedWork } from './moved-work.js';
import { startedFromNothing } from './not-demand.js';
import { flagKeyOf, NAMED_AT_ONSET_MS, newCodeWords, newValues } from './identifiers.js';
import type { Case, Movement } from './case.js';
import { freshProblem, ONSET_PRECISION_MS, reportsProblem, servicesOfRef } from './case.js';
import { ownerOf } from './log-symptoms.js';
import { SERVER_REFUSAL } from './dependency-cause.js';
import { iso } from './json.js';
import { movedLevel } from './prose.js';
import { templateText, type ChangeInfo, type SeriesInfo, type TemplateInfo } from './read.js';
import { addFinding, type Suspect } from './suspects.js';
import { errorCountsBegun, pathTo, reportsUpstream, type PathLink } from './path.js';
import type { Episode } from './episode.js';
import { fallClaimedBy, fallText, type CacheFall } from './cache-misses.js';
import { ofBuildOrPlace, VERSION_LABEL } from './versions.js';

/** How soon after the change new work must appear to be its own (a sample or two, or a couple of minutes). */
const NEW_WORK_LAG_MS = 2 * 60_000;

export function effectWindowMs(change: ChangeInfo): number {
  const rollout = change.finishedAt !== null ? change.finishedAt - change.at : 0;
  return Math.max(5 * 60_000, rollout + 2 * 60_000);
}

/**
 * Its service's signals right after it. Only a move in the direction of harm supports the
 * case; a signal that got better is reported as such. On the paged service itself, symptoms
 * right after the change say no more than its timing does: they count only for a change
 * elsewhere, where they show the changed service itself reacting.
 */
export function weighEffect(c: Case, suspect: Suspect, slackMs: number): void {
  const { change } = suspect;
  const service = change.service;
  const independent = service !== c.paged;
  const until = change.at + effectWindowMs(change);
  const moved = c.movements
    .filter((m) => m.info.service === service && m.onset >= change.at - slackMs && m.onset <= until)
    .sort((a, b) => Number(b.symptom) - Number(a.symptom) || a.onset - b.onset || b.strength - a.strength);
  // Gateway errors report the service behind it failing, not this one; a series about the
  // paged service (a lag it exports for the paged consumer, say) is the paged service's symptom.
  // Work per unit (a payload's size, calls per request) is weighed as a mechanism on its own terms (weighWorkPerUnit), not as harm.
  // A series that rose from nothing as its sibling fell to it is the work moving (a cutover), not harm.
  const cutOver = (m: Movement): boolean => startedFromNothing(c, m) && movedWork(c, m.info, m.onset, 'up', m.after);
  // A count of what the edit's own setting selects (drops by the filter it tightened) is the setting at work, not harm.
  const harm = moved.find((m) => m.symptom && !m.info.meaning.perUnit && !reportsUpstream(m) && (c.paged === null || !m.peers.has(c.paged)) && !cutOver(m) && !countsWhatItSets(suspect.risks, m.info));
  if (harm) {
    const text = `${service} got worse right after it (${harm.display} from ${movedLevel(harm, harm.before)} to ${movedLevel(harm, harm.after)} at ${iso(harm.onset)})`;
    const evidence = [{ source: 'metrics', ref: harm.series, detail: `${harm.kind} ${harm.direction} at ${iso(harm.onset)}, right after ${change.id}` }];
    // On the paged service the same move is the symptom itself: it is context, weighed by timing already.
    // A service whose new errors say the paged service failed it is a caller seeing the symptom, not reacting to its own change.
    // So is one that moved no earlier than the paged service, whose own first symptoms point at another peer.
    // And so is one that another service's symptoms led: that service degraded first, on its own account.
    const led = independent ? ledElsewhere(c, service, change.at - slackMs, harm) : null;
    // And one that got worse in the same minute as several others did: something they share moved them all.
    const crowd = independent && led === null ? movedTogether(c, service, harm) : [];
    if (independent && !blamesPaged(c, service) && !pointedElsewhere(c, service, harm) && led === null && crowd.length < CROWD)
      addFinding(suspect, 'own_service_worse', text, evidence);
    else if (crowd.length >= CROWD) addFinding(suspect, 'context', `${text}, in the same minute as ${crowd.length} other services (${crowd.slice(0, 3).join(', ')}${crowd.length > 3 ? ', …' : ''})`, evidence);
    else addFinding(suspect, 'context', led === null ? text : `${text}, but ${led.info.service} had degraded first (${led.display} at ${iso(led.onset)})`, evidence);
  }
  const better = moved.find((m) => !m.symptom && (m.kind === 'latency' || m.kind === 'errors' || m.kind === 'saturation' || m.kind === 'availability'));
  if (better && !harm) addFinding(suspect, 'context', `the one signal of ${service} that moved right after it got better (${better.display} from ${movedLevel(better, better.before)} to ${movedLevel(better, better.after)})`);
}


/** Services degrading in the same minute as this many others share a cause that moved them all. */
const CROWD = 2;

/**
 * Other services whose own symptoms (not their calls to this service) began within an onset's
 * precision of `harm`: a market opening, a shared store or network, moving everything at once.
 * The changed service moving with them is no sign that its own change acted.
 */
function movedTogether(c: Case, service: string | null, harm: Movement): string[] {
  const others = new Set<string>();
  for (const m of c.movements) {
    // A caller's view of its calls to this service is this service's trouble reaching it, not a shared cause.
    if (!m.symptom || m.info.service === null || m.info.service === service || reportsUpstream(m) || (service !== null && m.peers.has(service))) continue;
    // No later than it: callers that degrade after it are its trouble spreading, not a shared cause.
    if (m.onset <= harm.onset && m.onset >= harm.onset - ONSET_PRECISION_MS / 2) others.add(m.info.service);
  }
  return [...others].sort();
}

/**
 * The paged service's first symptoms name the peer they wait on (`db="orders-db"`), it is
 * not `service`, and `service` got worse no earlier than they did: the paged service's
 * trouble lies toward that peer, and `service` moving with it is no sign of its own change.
 */
function pointedElsewhere(c: Case, service: string | null, harm: Movement): boolean {
  if (c.paged === null || service === null) return false;
  const paged = c.movements.filter((m) => m.symptom && m.info.service === c.paged);
  const first = Math.min(...paged.map((m) => m.onset));
  if (!Number.isFinite(first) || harm.onset < first - ONSET_PRECISION_MS) return false;
  const earliest = paged.filter((m) => m.onset <= first + ONSET_PRECISION_MS);
  const peers = new Set(earliest.flatMap((m) => [...m.peers]));
  return peers.size > 0 && !peers.has(service);
}

/**
 * A symptom of another service, about no peer (its own trouble, not its view of a call),
 * that began after the change and strictly before `service` first got worse: the incident
 * started there, and `service` getting worse later is it feeling that, not reacting to its
 * own change. The first of them, or null.
 */
function ledElsewhere(c: Case, service: string | null, since: number, harm: Movement): Movement | null {
  const own = c.movements.filter((m) => m.symptom && m.info.service === service).map((m) => m.onset);
  // A count of its own errors that began to be recorded since (a `status="404"` series an
  // exporter keeps only once it has counted one) is its own first symptom, before any band is left.
  const first = Math.min(harm.onset, ...own, ...errorCountsBegun(c, service, since, Infinity).map((s) => s.start as number));
  const earlier = c.movements
    .filter((m) => m.symptom && m.info.service !== null && m.info.service !== service && !m.peers.has(service ?? '') && !reportsUpstream(m) && m.onset >= since && m.onset < first)
    .sort((a, b) => a.onset - b.onset);
  return earlier[0] ?? null;
}

/** The service's own new error or warning lines name the paged service: it reports the paged service failing it. */
function blamesPaged(c: Case, service: string | null): boolean {
  const paged = c.paged;
  if (paged === null || service === null) return false;
  return c.templates.some((t) => freshProblem(t) && ownerOf(c, t) === service && c.topology.mentions(templateText(t)).has(paged));
}

/** How far work per unit of demand must move to be a change in what each request does, not jitter. */
const PER_UNIT_RATIO = 1.5;

/**
 * Work per request (queries, upstream calls, bytes per request) that stepped up on its own
 * service as it took effect: each request now does more, which demand alone cannot cause.
 * This holds on the paged service too: it is the mechanism, not the symptom.
 */
export function weighWorkPerUnit(c: Case, suspect: Suspect, slackMs: number, fall: CacheFall | null): void {
  const { change } = suspect;
  const until = change.at + effectWindowMs(change);
  const moved = c.movements
    .filter((m) => m.info.service === change.service && m.info.meaning.perUnit && m.direction === 'up' && (m.ratio ?? Infinity) >= PER_UNIT_RATIO)
    .filter((m) => m.onset >= change.at - slackMs && m.onset <= until)
    .sort((a, b) => a.onset - b.onset || b.strength - a.strength)[0];
  if (!moved) {
    // A cache that began missing as it took effect: each request now sends more work behind the cache.
    if (fall && fallClaimedBy(fall, change, c.changes, slackMs)) {
      addFinding(suspect, 'work_per_unit_rose', `${fallText(fall)}; it began as ${change.id} took effect`, [
        { source: 'metrics', ref: fall.movement.series, detail: `misses per request ×${fall.missGrowth === Infinity ? '∞' : fall.missGrowth.toFixed(1)} from ${iso(fall.movement.onset)}, when ${change.id} took effect` },
      ]);
    }
    return;
  }
  addFinding(
    suspect,
    'work_per_unit_rose',
    `${moved.display} went from ${movedLevel(moved, moved.before)} to ${movedLevel(moved, moved.after)} at ${iso(moved.onset)}, as it took effect: each request does more work`,
    [{ source: 'metrics', ref: moved.series, detail: `per-unit work up ×${(moved.ratio ?? 0).toFixed(1)} at ${iso(moved.onset)}, when ${change.id} took effect` }],
  );
}

/** Work a change started: a series that rose from nothing, or began to be recorded, as it took effect. */
export interface NewWork {
  series: string;
  display: string;
  onset: number;
  /** What the series did, in words: `rose from nothing to 310/s`, `began to be recorded`. */
  how: string;
}

/** A series that first appears this long after the others of its service began is new, not one the bundle cut. */
const APPEARED_AFTER_MS = 30 * 60_000;

/** When the first series of a service begins in the bundle (Infinity for none). */
function firstRecorded(c: Case, service: string | null): number {
  return Math.min(...c.series.filter((x) => x.service === service && x.start !== null).map((x) => x.start as number));
}

/**
 * A series of its service that rose from nothing at the instant it took effect: work only it can
 * have started. So is a series of another service that names it as the other end of the calls
 * it counts (`caller="rating-worker"`), rising from nothing or first recorded the moment it took
 * effect: calls it began to make. (Its own series appearing are only its new pods.)
 */
/** Work that rose from nothing the moment a change took effect (traffic, or work of another kind), not a build's or a cutover's. */
function startedBy(c: Case, change: ChangeInfo, slackMs: number, m: Movement): boolean {
  return (
    (m.kind === 'traffic' || m.kind === 'other') &&
    startedFromNothing(c, m) &&
    m.onset >= change.at - slackMs &&
    m.onset <= change.at + Math.max(2 * m.stepMs, NEW_WORK_LAG_MS) &&
    // A series split by build rises from nothing for every new build: the rollout moving
    // pods or requests over to it, not work that did not exist before.
    !Object.keys(m.info.labels).some((key) => VERSION_LABEL.test(key)) &&
    // Nor is one whose sibling fell to nothing as it rose: the same work, moved (a cutover).
    !movedWork(c, m.info, m.onset, 'up', m.after)
  );
}

/** The words of what a change switches or sets: its flag's key, and the values its diff sets. */
function switchedWords(c: Case, change: ChangeInfo): Set<string> {
  const texts = [flagKeyOf(change) ?? '', ...newValues(c.diffs.get(change.id))];
  return new Set(texts.flatMap(wordsOfLabel));
}

const wordsOfLabel = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3);

/**
 * Work in another service that a change's own words label: a series split by what its label
 * says (`source="seatmap_select"` after `seatmap.hold_on_select` was turned on,
 * `backoff_profile="fast"` after a profile was set to `fast`) whose part so labelled rose from
 * nothing as the change took effect. The change started that work there, whatever its own
 * service shows.
 */
export function labelledWork(c: Case, change: ChangeInfo, slackMs: number): Movement | null {
  const words = switchedWords(c, change);
  if (words.size === 0) return null;
  const labelled = (info: SeriesInfo): boolean =>
    Object.entries(info.labels).some(([key, value]) => {
      if (key === 'service' || key === 'job' || VERSION_LABEL.test(key)) return false;
      const own = wordsOfLabel(value);
      return own.length > 0 && own.every((w) => words.has(w));
    });
  return (
    c.movements
      .filter((m) => m.info.service !== null && m.info.service !== change.service && labelled(m.info) && startedBy(c, change, slackMs, m))
      .sort((a, b) => a.onset - b.onset || b.strength - a.strength)[0] ?? null
  );
}

export function newWork(c: Case, change: ChangeInfo, slackMs: number): NewWork | null {
  const service = change.service;
  if (service === null) return null;
  const callsFrom = (info: SeriesInfo): boolean => info.service !== null && info.service !== service && c.topology.labelPeers(info).includes(service);
  const rose =
    c.movements.filter((m) => (m.info.service === service || callsFrom(m.info)) && startedBy(c, change, slackMs, m)).sort((a, b) => a.onset - b.onset || b.strength - a.strength)[0] ??
    labelledWork(c, change, slackMs) ??
    undefined;
  if (rose !== undefined) return { series: rose.series, display: rose.display, onset: rose.onset, how: `rose from nothing to ${movedLevel(rose, rose.after)}` };
  const appeared = c.series
    .filter((info) => {
      if (info.start === null || info.meaning.measures !== 'traffic' || !callsFrom(info)) return false;
      if (info.start < change.at - slackMs || info.start > change.at + NEW_WORK_LAG_MS) return false;
      return info.start - firstRecorded(c, info.service) >= APPEARED_AFTER_MS && !Object.keys(info.labels).some((key) => VERSION_LABEL.test(key));
    })
    .sort((a, b) => (a.start as number) - (b.start as number) || (a.id < b.id ? -1 : 1))[0];
  return appeared === undefined ? null : { series: appeared.id, display: appeared.id, onset: appeared.start as number, how: 'began to be recorded' };
}

export function weighNewWork(c: Case, suspect: Suspect, slackMs: number): void {
  const work = newWork(c, suspect.change, slackMs);
  if (!work) return;
  suspect.newWork = work;
  // Already its place on the causal path (work that rose from nothing as the symptoms began): one fact, counted once.
  if (suspect.path?.movement?.series === work.series) return;
  addFinding(suspect, 'new_work', `${work.display} ${work.how} at ${iso(work.onset)}, the moment it took effect: new work it started`, [
    { source: 'metrics', ref: work.series, detail: `${work.how} at ${iso(work.onset)}, when ${suspect.change.id} took effect` },
  ]);
}

/**
 * A symptom of its service in a series first recorded the moment it took effect, long after
 * the service's other series began (`lock_wait{lock="screening"}` appearing as a flag turned a
 * new lock on): what fails runs the path it added, however long it waited for the load that
 * found it.
 */
export function weighSymptomInNewPath(c: Case, episode: { symptoms: readonly Movement[] }, suspect: Suspect, slackMs: number): void {
  const { change } = suspect;
  if (change.service === null) return;
  const since = firstRecorded(c, change.service);
  const m = episode.symptoms.find((x) => {
    const start = x.info.start;
    return (
      x.info.service === change.service &&
      start !== null &&
      start >= change.at - slackMs &&
      start <= change.at + Math.max(2 * x.stepMs, NEW_WORK_LAG_MS) &&
      start - since >= APPEARED_AFTER_MS &&
      !ofBuildOrPlace(x.info.labels)
    );
  });
  if (m === undefined) return;
  addFinding(suspect, 'symptom_in_new_path', `the symptom is in ${m.display}, a series first recorded at ${iso(m.info.start as number)}, as it took effect: what fails runs the path it added`, [
    { source: 'metrics', ref: m.series, detail: `first recorded at ${iso(m.info.start as number)}; ${m.kind} ${m.direction} at ${iso(m.onset)}` },
  ]);
}

/** Errors that began right after it, in its own logs or the paged service's. */
/** How long before a change the logs must have been read for a problem first logged after it to be new with it. */
const NEW_WITH_CHANGE_MS = 30 * 60_000;

export function weighLoggedErrors(c: Case, suspect: Suspect, slackMs: number): void {
  const { change } = suspect;
  const service = change.service;
  const until = change.at + effectWindowMs(change);
  // Its own errors (naming no other service), or the paged service's errors naming it: not a
  // report of some third service failing, which says nothing about this change.
  // A problem first logged as it took effect, in logs read from long before it, is new with it,
  // however the incident's own pivot splits its few lines (a warning each new instance logs once
  // as it starts, at the rollout, minutes before the symptoms).
  const seenSince = (t: TemplateInfo): boolean => c.logWindow !== null && c.logWindow.from <= change.at - NEW_WITH_CHANGE_MS && reportsProblem(t);
  const logged = c.templates.find((t) => {
    if (!(freshProblem(t) || seenSince(t)) || service === null) return false;
    if (t.firstSeen === null || t.firstSeen < change.at - slackMs || t.firstSeen > until) return false;
    const owners = servicesOfRef(c, t.example);
    const named = c.topology.mentions(templateText(t));
    for (const owner of owners) named.delete(owner);
    if (owners.includes(service)) return [...named].every((peer) => peer === service);
    return c.paged !== null && owners.includes(c.paged) && named.has(service);
  });
  if (!logged) return;
  const text = `new log errors began right after it: "${logged.template}" (${logged.example})`;
  const evidence = [{ source: 'logs', ref: logged.example, detail: `${logged.flag} after the onset: ${logged.template}` }];
  suspect.errorsFrom = logged.firstSeen;
  // A service whose metrics show another service failing before it (slower or failing, not
  // merely busier with a crowd), since it changed, is a caller seeing that symptom: its new
  // errors (its fetches slow, its calls failing) are the same reaction, not its change at work.
  const ownFirst = c.movements.filter((m) => m.symptom && m.info.service === service).sort((a, b) => a.onset - b.onset)[0];
  const leader = service === c.paged || ownFirst === undefined ? null : ledElsewhere(c, service, change.at - slackMs, ownFirst);
  const led = leader !== null && (leader.kind === 'latency' || leader.kind === 'errors' || leader.kind === 'availability') ? leader : null;
  if (service !== c.paged && led === null) addFinding(suspect, 'new_errors_after', text, evidence);
  else addFinding(suspect, 'context', led === null ? text : `${text}, but ${led.info.service} had degraded first (${led.display} at ${iso(led.onset)})`, evidence);
}

/** Exhaustion that software causes (what it allocates, what it writes), not the platform failing under it. */
const SELF_INFLICTED = new Set(['out_of_memory', 'disk_full']);
/** How long after its rollout a resource it uses more of may take to run out. */
const EXHAUSTION_LAG_MS = 10 * 60_000;

/**
 * Its own service ran out of memory (or disk) right after it took effect: a new version that
 * allocates or writes more, not a platform failure. A slow leak over hours is weighed apart.
 */
export function weighOwnExhaustion(c: Case, suspect: Suspect, slackMs: number): void {
  const { change } = suspect;
  if (change.service === null) return;
  // Memory each worker takes, raised, runs out only when the work reaches the step that takes it.
  const lag = suspect.risks.some((r) => r.kind === 'memory_use_raised') ? RAISED_MEMORY_LAG_MS : EXHAUSTION_LAG_MS;
  const until = change.at + effectWindowMs(change) + lag;
  const hit = c.signatures
    .filter((h) => SELF_INFLICTED.has(h.kind) && h.t !== null && h.t >= change.at - slackMs && h.t <= until && (h.logger === change.service || h.about.includes(change.service as string)))
    .sort((a, b) => (a.t as number) - (b.t as number))[0];
  if (hit) {
    addFinding(suspect, 'exhausted_after', `${change.service} began to run out of ${hit.kind === 'out_of_memory' ? 'memory' : 'disk'} right after it (${hit.ref}, ${iso(hit.t as number)})`, [
      { source: 'logs', ref: hit.ref, detail: hit.text.slice(0, 200) },
    ]);
    return;
  }
  // Its own count of containers killed for memory, rising after it.
  const killed = c.movements.find(
    (m) => m.info.service === change.service && m.direction === 'up' && countsOomKills(m) && m.onset >= change.at - slackMs && m.onset <= until,
  );
  if (!killed) return;
  addFinding(suspect, 'exhausted_after', `${change.service} began to run out of memory after it (${killed.display} from ${movedLevel(killed, killed.before)} to ${movedLevel(killed, killed.after)} at ${iso(killed.onset)})`, [
    { source: 'metrics', ref: killed.series, detail: `up at ${iso(killed.onset)}, after ${change.id} took effect` },
  ]);
}

/** Words that say a series counts what was killed for memory (as words: a "classroom" is no OOM). */
const OOM_WORDS = new Set(['oom', 'oomkilled', 'oomkill', 'oomkills', 'outofmemory']);
/** How long after a raise of per-worker memory the first workers may reach the step that takes it. */
const RAISED_MEMORY_LAG_MS = 60 * 60_000;

/** Its name or a label value says it counts what was killed for memory (`reason="OOMKilled"`, `oom_kills_total`). */
function countsOomKills(m: Movement): boolean {
  return [m.info.name, ...Object.values(m.info.labels)].some((text) => text.toLowerCase().split(/[^a-z0-9]+/).some((word) => OOM_WORDS.has(word)));
}

/** Whether a line names another service of the bundle that shows trouble of its own in the episode (symptoms or new errors of its own). */
function reportsTroubledPeer(c: Case, own: string | null, text: string): boolean {
  const named = [...c.topology.mentions(text)].filter((s) => s !== own);
  return named.some((s) => c.movements.some((m) => m.symptom && m.info.service === s));
}

/** Failures naming an edit began with the incident (NAMED_AT_ONSET_MS) and, this long after the change took effect, not with the change. */
const NAMED_LATE_MS = 30 * 60_000;

/** The names its diff or flag touches, found in the warnings and errors that began after it. */
export function weighIdentifiers(c: Case, suspect: Suspect, onset: number): void {
  const hit = c.identifierHits.get(suspect.change.id);
  if (!hit) return;
  suspect.identifierHit = hit;
  // A message its new code logs about what another service answered (`speech-score returned 401
  // after token refresh`), while that service was in trouble of its own, is its code reporting the
  // other's failure, not failing: the requests run its code, and meet the trouble elsewhere.
  const reports = hit.newCode !== null && reportsTroubledPeer(c, suspect.change.service, hit.text);
  if (hit.newCode !== null && !reports) {
    // Its diff "showing no risky edit" says nothing once the failing requests are seen running its code.
    suspect.findings = suspect.findings.filter((f) => f.kind !== 'no_risky_edit');
    addFinding(
      suspect,
      'errors_in_new_code',
      `the errors after it are thrown from ${hit.newCode}, ${newCodeWords(hit.newCode)}: ${hit.after} log lines name what it touches after it and ${hit.before === 0 ? 'none' : `only ${hit.before}`} before, among them the ${hit.level} at ${hit.ref}${hit.t === null ? '' : ` (${iso(hit.t)})`}`,
      [{ source: 'logs', ref: hit.ref, detail: `${hit.t === null ? '' : `${iso(hit.t)} `}${hit.text.slice(0, 240)}` }],
    );
    return;
  }
  // Named first as the incident began, long after the edit: it met then what it fails under.
  // Unless the line quotes a server's own refusal (`returned 503 … upstream_unavailable`) from a
  // party other than the changed service: that is its code reporting what another party answered,
  // which the edit did not make it answer. (A caller quoting the changed service's 503 is that service failing.)
  const own = suspect.change.service;
  const reportsOther = SERVER_REFUSAL.test(hit.text) && (own === null || !c.topology.mentions(hit.text).has(own));
  const atOnset = hit.t !== null && suspect.risky && Math.abs(hit.t - onset) <= NAMED_AT_ONSET_MS && hit.t - suspect.change.at >= NAMED_LATE_MS && !reportsOther;
  addFinding(
    suspect,
    atOnset ? 'edit_named_at_onset' : 'logs_name_edit',
    `${hit.identifier}, which it ${hit.setValue ? 'set' : 'touches'}, is named in ${hit.after} log lines after it and ${hit.before === 0 ? 'in none' : `in only ${hit.before}`} before, among them the ${hit.level} at ${hit.ref}${hit.t === null ? '' : ` (${iso(hit.t)})`}${atOnset ? ', the first of them as the incident began' : ''}`,
    [{ source: 'logs', ref: hit.ref, detail: `${hit.t === null ? '' : `${iso(hit.t)} `}${hit.text.slice(0, 240)}` }],
  );
}

/**
 * A change on no path of its own is on the incident's when work its words label rose from
 * nothing in another service as it took effect (labelledWork), and that service is on the
 * path: the holds a flag began to place are where the seats went.
 */
export function startedPath(c: Case, episode: Episode, change: ChangeInfo, slackMs: number): PathLink | null {
  const work = labelledWork(c, change, slackMs);
  if (work === null || work.info.service === null) return null;
  const there = pathTo(c, episode, work.info.service, change.at, slackMs);
  if (there === null) return null;
  return {
    reason: `the work it started in ${work.info.service} (${work.display} rose from nothing at ${iso(work.onset)}, as it took effect) reached the incident: ${there.reason}`,
    movement: there.movement ?? work,
    log: there.log,
  };
}
