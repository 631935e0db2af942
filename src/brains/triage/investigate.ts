// The investigation, in the order an on-call engineer works: read the page, find when
// the paged service's signals moved, line the changes up against that onset, follow the
// symptom across services, read the suspects' diffs, compare the logs before and after,
// then weigh every hypothesis and conclude. Every fact comes from a tool call.
import { probeParts } from './reshape.js';
import type { ToolSpec } from '../../protocol/tools.js';
import { assessCauses } from './causes.js';
import { conclude, submitNothing } from './conclude.js';
import { confirmInLogs } from './confirm.js';
import { decide } from './decide.js';
import { traceIdentifiers } from './identifiers.js';
import { costsUnderLoad, probeLoadCame } from './load-came.js';
import { locksWholeTable, probeLockWaits } from './lock-waits.js';
import { probePodRamp } from './pod-ramp.js';
import { readLimits } from './limits.js';
import { probeCeilings } from './ceiling.js';
import { probeReserves } from './reserve.js';
import { probeRefills } from './refills.js';
import { episodeOf, type Episode } from './episode.js';
import { describe, detect, listChanges, logTemplates, readDiffs, readFrom, readMovements, readPeerSeries, seriesToRead, signatures, templateOwners, RESERVE } from './gather.js';
import { ambiguousTemplates } from './log-symptoms.js';
import { iso } from './json.js';
import { listing, minutes, movedLevel, plural } from './prose.js';
import type { Replay } from './replay.js';
import { weighReverts } from './recovery.js';
import { probeStoppedWork } from './stopped-work.js';
import { probeGrowth } from './growth.js';
import { probeHeadroom, probeHeavierWork } from './headroom.js';
import { probeSteppedWork } from './stepped-work.js';
import { probeLimitReached } from './limit-reached.js';
import { probeDeclaredCut } from './declared-cut.js';
import { probeEarlyErrors } from './early-errors.js';
import { probeStoreFills, TRACED_MS } from './store-fill.js';
import { probeVersions } from './versions.js';
import { undoneBefore } from './reverts.js';
import { placeHostFailures } from './placement.js';
import { assessChanges, findingTexts, scoreOfSuspect, type Suspect } from './suspects.js';
import type { Cause } from './causes.js';
import type { Conclusion } from './decide.js';
import { freshProblem, type Case } from './case.js';
import { expiredAtOnset } from './lifetime.js';

/** How long before a store's climb began a writer's change may have taken effect (its rollout, the first writes). */
const FILL_LEAD_MS = 30 * 60_000;
const MAX_DIFFS = 6;
/** Early suspects asked what explains their wait (a leak, room used up, a limit reached, heavier work). */
const MAX_GROWTH_PROBES = 3;
/** Releases whose old and new pods are compared, the strongest first. */
const MAX_VERSION_PROBES = 2;
/** Suspects whose touched names are looked up in the logs. */
const MAX_TRACED = 5;
/** Changes off the path whose logs are searched too, at most, and how long before the onset they may have taken effect. */
const MAX_OFF_PATH_TRACED = 2;
const OFF_PATH_TRACED_MS = 30 * 60_000;

/**
 * Changes that took effect shortly before the onset with no metric tying them to it, the
 * latest first: the errors may name what they set (a consumer failing on its producer's new
 * codec), which the metrics of a quiet producer never show.
 */
function offPathNearOnset(suspects: readonly Suspect[], episode: Episode): Suspect[] {
  return suspects
    .filter((s) => s.offPath && s.change.at <= episode.onset && episode.onset - s.change.at <= OFF_PATH_TRACED_MS)
    .sort((a, b) => b.change.at - a.change.at || (a.change.id < b.change.id ? -1 : 1))
    .slice(0, MAX_OFF_PATH_TRACED);
}
/** Templates of shared log files whose service is asked for. */
const MAX_OWNERS = 4;
/** Logs compared around a guessed pivot are compared again when the onset they show lies further away than this. */
const REPIVOT_MS = 5 * 60_000;

/**
 * How far past the measured onset a change may take effect and still count as before it:
 * the onset is the start of a bucket, so the first affected sample may lie up to a bucket
 * later, and a change record may be stamped when its tool finished. A minute and a half, as
 * the verifier allows; coarser data makes the brain more careful.
 */
const ONSET_SLACK_MS = 90_000;

function describeOnset(c: Case, episode: Episode): string {
  const first = episode.first;
  if (!first) {
    const log = episode.firstLog;
    if (log) return `No metric dates the incident; the logs do: it began at ${iso(log.onset)}, when ${log.service} first logged "${log.template.template}" (${log.template.example}).`;
    return `No series left its normal band before the page, so the onset is taken as the ${c.page ? 'page itself' : 'end of the data'} (${iso(c.alertAt)}).`;
  }
  const parts = [`The incident began at ${iso(episode.onset)}: ${first.display} went from ${movedLevel(first, first.before)} to ${movedLevel(first, first.after)}.`];
  if (episode.pagedOnset !== null && c.paged !== null && first.info.service !== c.paged) {
    parts.push(`${c.paged} itself degraded ${minutes(episode.pagedOnset - episode.onset)} later, so ${first.info.service ?? 'that service'} moved first.`);
  }
  const others = [...episode.serviceOnsets].filter(([service]) => service !== first.info.service && service !== c.paged).sort(([, a], [, b]) => a - b);
  if (others.length > 0) parts.push(`Also degraded: ${listing(others.slice(0, 4).map(([service, at]) => `${service} from ${iso(at)}`))}.`);
  return parts.join(' ');
}

/** What an investigation learnt: the case, when it began, every hypothesis weighed and the verdict. */
export interface Investigation {
  case: Case;
  episode: Episode;
  suspects: Suspect[];
  causes: Cause[];
  conclusion: Conclusion;
}

export async function investigate(r: Replay, tools: readonly ToolSpec[]): Promise<Investigation | null> {
  const overview = await describe(r);
  const c = overview.case;
  if (!overview.ok) {
    r.say(`The bundle could not be described (${overview.error ?? 'unknown error'}), so there is nothing to investigate.`);
    await submitNothing(r, 'the bundle could not be read');
    return null;
  }
  const pageText = c.page
    ? `Paged: "${c.page.title}" on ${c.paged ?? 'an unnamed service'} at ${iso(c.alertAt)}.`
    : `There is no alert in the bundle; the end of the data (${iso(c.alertAt)}) stands in for the page.`;
  r.say(`${pageText} The bundle holds ${c.series.length} metric series, ${plural(c.changes.length, 'change')} and ${plural(c.logFiles.length, 'log file')}.`);

  const listed = await listChanges(r, c);
  if (listed.length > 0) c.changes = listed;

  const points = await detect(r, c, c.alertAt - 3 * 3600_000);
  c.points = points;
  const from = readFrom(c, points, overview.span?.start ?? null);
  const chosen = seriesToRead(c, points);
  c.movements = await readMovements(r, c, chosen, from, Math.max(1, Math.min(6, r.left - RESERVE - 4)));
  let episode = episodeOf(c);
  const readLogs = c.logFiles.length > 0 && r.left > RESERVE + 2;
  if (episode.first !== null || !readLogs) r.say(describeOnset(c, episode));
  else r.say('No metric shows when the incident began, so the logs must date it: when did new errors start?');

  if (readLogs) {
    Object.assign(c, await logTemplates(r, episode.onset, c.alertAt));
    await templateOwners(r, c, ambiguousTemplates(c).slice(0, Math.max(0, Math.min(MAX_OWNERS, r.left - RESERVE - 6))));
    episode = episodeOf(c);
    // With nothing measured the first pivot was a guess: compare the logs again around the onset they show.
    if (episode.first === null && episode.firstLog !== null && Math.abs(episode.onset - (c.logWindow?.pivot ?? episode.onset)) > REPIVOT_MS && r.left > RESERVE + 3) {
      Object.assign(c, await logTemplates(r, episode.onset, c.alertAt));
      await templateOwners(r, c, ambiguousTemplates(c).slice(0, Math.max(0, Math.min(MAX_OWNERS, r.left - RESERVE - 5))));
      episode = episodeOf(c);
    }
    if (episode.first === null) r.say(describeOnset(c, episode));
    c.signatures = await signatures(r, c, episode.onset, c.alertAt);
    episode = episodeOf(c);
    if (r.left > RESERVE + 2) c.placements = await placeHostFailures(r, c, episode);
    const fresh = c.templates.filter(freshProblem).slice(0, 3);
    if (fresh.length > 0) r.say(`After the onset the logs show ${listing(fresh.map((t) => `"${t.template}" (${t.flag}, ${t.example})`))}.`);
    if (c.signatures.length > 0) {
      const kinds = [...new Set(c.signatures.map((h) => h.kind))].sort();
      const found = kinds.map((kind) => {
        const hits = c.signatures.filter((h) => h.kind === kind);
        return `${kind.replace(/_/g, ' ')} (${plural(hits.length, 'line')}, first ${hits[0]?.ref ?? ''})`;
      });
      r.say(`Platform failures in the logs around the onset: ${listing(found)}.`);
    }
  }

  const slack = ONSET_SLACK_MS;
  const before = c.changes.filter((change) => change.at <= episode.onset + slack);
  const after = c.changes.filter((change) => change.at > episode.onset + slack);
  r.say(
    `${plural(before.length, 'change')} took effect before the onset${before.length > 0 ? ` (${listing(before.map((x) => x.id))})` : ''}; ` +
      `${plural(after.length, 'change')} came after it and cannot have caused it${after.length > 0 ? ` (${listing(after.map((x) => x.id))})` : ''}.`,
  );

  // A store that filled for hours and ran out of room at the onset: when did it begin to fill?
  if (r.left > RESERVE + 4) c.fills = await probeStoreFills(r, c, episode);
  // Work that stopped flat as the incident began: did it go higher before its service's changes?
  if (r.left > RESERVE + 4) c.ceilings = await probeCeilings(r, c, episode);
  // Lent capacity drains too slowly to be read among the first: did a changed service's run dry?
  if (r.left > RESERVE + 4) c.reserves = await probeReserves(r, c, episode, from);
  // A reserve that ran dry under a changed service: was it refilled before the change, and after?
  if (r.left > RESERVE + 4) c.reserveHistory = await probeRefills(r, c, episode);
  // A stream's partitions that changed shape as another service rolled out: read them around its older changes too.
  if (r.left > RESERVE + 4) await probeParts(r, c, episode);
  // Read the diffs of the suspects still standing, nearest to the onset first; a flag change
  // also needs the releases of its service that may have shipped the code it turns on.
  let suspects = assessChanges(c, episode, slack);
  const standing = suspects.filter((s) => s.ruledOut === null).sort((a, b) => b.change.at - a.change.at);
  const toRead = standing.map((s) => s.change);
  // A change rolled back before the onset is no suspect, but a later change of its service may
  // make its edit again: its diff is what that is read against.
  const services = new Set(standing.map((s) => s.change.service));
  toRead.push(...c.changes.filter((x) => services.has(x.service) && undoneBefore(x, c.changes, episode.onset) !== null));
  for (const s of standing.filter((x) => x.change.type === 'feature_flag')) {
    toRead.push(...c.changes.filter((x) => x.service === s.change.service && x.type === 'deploy' && x.at < s.change.at).sort((a, b) => b.at - a.at).slice(0, 2));
  }
  // Something expired at the onset: an issuer that cut a lifetime never looks sick, so the
  // diffs of the changes the path left out are read after the standing ones, for such a cut.
  if (expiredAtOnset(c, episode) !== undefined) toRead.push(...before.filter((x) => !standing.some((s) => s.change.id === x.id)).sort((a, b) => b.at - a.at));
  // A store that filled for hours: a writer whose entries stay never looks sick, so the diffs
  // of the changes its climb may have begun with are read, for an edit that keeps entries.
  for (const fill of c.fills) {
    // Its start is traced, not seen: a writer may have come as much after it as a traced start may be early.
    toRead.push(...before.filter((x) => !standing.some((s) => s.change.id === x.id) && x.at >= fill.beganWithin.from - FILL_LEAD_MS && x.at <= fill.beganWithin.to + Math.max(slack, TRACED_MS)));
  }
  // So are those of the changes just before the onset that nothing tied to it yet: their logs are searched for what they set.
  toRead.push(...offPathNearOnset(suspects, episode).map((s) => s.change));
  // Then, while the budget lasts, the rest before the onset, the latest first: a limit one of
  // them set may be quoted by the errors, though its own service never looked sick.
  toRead.push(...before.filter((x) => !standing.some((s) => s.change.id === x.id)).sort((a, b) => b.at - a.at));
  const diffBudget = Math.max(0, Math.min(MAX_DIFFS, r.left - RESERVE));
  await readDiffs(r, c, [...new Map(toRead.filter((x) => x.diff !== null).map((x) => [x.id, x])).values()].slice(0, diffBudget));
  suspects = assessChanges(c, episode, slack);
  // A change long before the onset must explain the wait: did it start a slow leak? One rolled
  // back after the onset is asked first: someone undid it to end the incident, and how it waited
  // is what is not known.
  const eased = (s: (typeof suspects)[number]): number => Number(undoneBefore(s.change, c.changes, Number.POSITIVE_INFINITY) !== null);
  const early = suspects
    .filter((s) => s.ruledOut === null && episode.onset - s.change.at >= 15 * 60_000)
    .sort((a, b) => eased(b) - eased(a) || scoreOfSuspect(b) - scoreOfSuspect(a) || b.change.at - a.change.at || (a.change.id < b.change.id ? -1 : 1))
    .slice(0, Math.max(0, Math.min(MAX_GROWTH_PROBES, r.left - RESERVE - 2)));
  for (const s of early) {
    // A leak, else the room it used up: both explain a symptom that waited for its limit.
    const grown =
      (await probeGrowth(r, c, episode, s)) ??
      (r.left > RESERVE + 2 ? await probeHeadroom(r, c, episode, s, slack) : null) ??
      (r.left > RESERVE + 2 ? await probeLimitReached(r, c, episode, s) : null) ??
      (r.left > RESERVE + 2 ? await probeDeclaredCut(r, c, episode, s) : null) ??
      (r.left > RESERVE + 2 ? await probeHeavierWork(r, c, episode, s) : null) ??
      (r.left > RESERVE + 2 ? await probeSteppedWork(r, c, episode, s) : null) ??
      (r.left > RESERVE + 2 ? await probeEarlyErrors(r, c, episode, s) : null) ??
      (r.left > RESERVE + 2 ? await probeStoppedWork(r, c, episode, s) : null) ??
      // Else a lock it makes work wait on, contended from the start.
      (r.left > RESERVE + 2 ? await probeLockWaits(r, c, episode, s) : null) ??
      // Else an edit whose cost grows with the load waited for the crowd: did it come?
      (r.left > RESERVE + 2 && costsUnderLoad(s) ? await probeLoadCame(r, c, episode, s) : null) ??
      // Else a limit the service declares stepped down as it took effect, with no number in its diff.
      (r.left > RESERVE + 2 ? await probeDeclaredCut(r, c, episode, s, true) : null);
    if (grown) c.growth.set(s.change.id, grown);
  }
  // A schema edit that locks its whole table as it runs, close to the onset: did the database's
  // lock waits begin from none with it? Then its lock is the queue, whatever crowd piles into it.
  const locking = suspects.filter((s) => s.ruledOut === null && !early.includes(s) && s.change.at <= episode.onset && locksWholeTable(s));
  for (const s of locking.slice(0, Math.max(0, Math.min(MAX_GROWTH_PROBES, r.left - RESERVE - 2)))) {
    const waits = await probeLockWaits(r, c, episode, s);
    if (waits) c.growth.set(s.change.id, waits);
  }
  // A release whose service's symptom is broken down by version: old pods against new ones.
  const releases = suspects
    .filter((s) => s.ruledOut === null && s.change.type === 'deploy')
    .sort((a, b) => scoreOfSuspect(b) - scoreOfSuspect(a) || b.change.at - a.change.at || (a.change.id < b.change.id ? -1 : 1))
    .slice(0, Math.max(0, Math.min(MAX_VERSION_PROBES, r.left - RESERVE - 2)));
  for (const s of releases) {
    // Old pods against new where the symptom is split by version, else the symptom against the count of pods on it.
    const split = (await probeVersions(r, c, episode, s)) ?? (r.left > RESERVE + 2 ? await probePodRamp(r, c, episode, s) : null);
    if (split) c.versions.set(s.change.id, split);
  }
  // Do the warnings and errors name what the suspects touched? Every one still standing is
  // asked (the strongest first): a release whose only sign is in its stack traces scores low until then.
  const strongest = suspects
    .filter((s) => s.ruledOut === null)
    .sort((a, b) => scoreOfSuspect(b) - scoreOfSuspect(a) || b.change.at - a.change.at || (a.change.id < b.change.id ? -1 : 1))
    .slice(0, MAX_TRACED);
  // And the changes just before the onset that nothing tied to it yet.
  const offPath = offPathNearOnset(suspects, episode);
  const traced = [...strongest, ...offPath].slice(0, Math.max(0, r.left - RESERVE - 1));
  for (const s of traced) {
    const hit = await traceIdentifiers(r, c, s.change, episode.onset, s.offPath);
    if (hit) c.identifierHits.set(s.change.id, hit);
  }
  suspects = assessChanges(c, episode, slack);
  // A change whose undoing eased the symptoms is assessed again: tied to them by that where
  // nothing tied it, its wait answered, and weighed from what was judged (no call is made twice).
  if (await weighReverts(r, c, episode, suspects, Math.max(0, Math.min(2, r.left - RESERVE)))) {
    suspects = assessChanges(c, episode, slack);
    await weighReverts(r, c, episode, suspects, 0);
  }
  for (const s of suspects.filter((x) => x.ruledOut === null)) r.say(`${s.change.id} (${s.change.type} of ${s.change.service ?? 'no service'}): ${listing(findingTexts(s))}.`);

  if (r.left > RESERVE + 1) await readPeerSeries(r, c, episode.symptoms, from);
  if (r.left > RESERVE + 1) await readLimits(r, c, from);
  const causes = assessCauses(c, episode, slack);
  const conclusion = decide(suspects, causes, c.changes, episode.first !== null || episode.firstLog !== null);
  if (conclusion.kind === 'change' && r.left > RESERVE) await confirmInLogs(r, episode, conclusion.suspect);
  await conclude(r, tools, c, episode, suspects, causes, conclusion);
  return { case: c, episode, suspects, causes, conclusion };
}
