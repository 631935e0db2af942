// Each change weighed as a suspect, the way an on-call engineer weighs it: did it take
// effect before the symptoms (and how close), is its service on the causal path, does its
// diff show a risky edit, did its own service move right after it, do the logs agree.
// A change after the onset, or off the path, is ruled out with the reason why.
import { accessPath } from './access-cut.js';
import { lockQueueOf, lockQueuePath } from './lock-queue.js';
import { outOfScope } from './scope.js';
import { reconfiguredFailure } from './reconfigured.js';
import { BOUNDED_LOAD_KINDS, harmfulSignal, LOAD_KINDS, leadingRisk, riskInWords } from './edit-traits.js';
import { onsetLeeway, rolloutLed } from './before-onset.js';
import { reappliedMistake, undoneBefore } from './reverts.js';
import { filledBy, fillFinding, fillPath, type StoreFill } from './store-fill.js';
import { drainedReserves, reserveFinding, reservePath, type DrainedReserve } from './reserve.js';
import { refillsStoppedFinding } from './refills.js';
import { ceilingFinding, type LoweredCeiling } from './ceiling.js';
import type { Evidence } from '../../protocol/diagnosis.js';
import { CHANGE_HORIZON_MS, type Case } from './case.js';
import type { Episode } from './episode.js';
import { darkRelease, switchesFlag, waitsOnFlags, wokenBy } from './flags.js';
import { familyOf, rolloutFinding, rolloutPath } from './rollout.js';
import { appliedAtRestart } from './restart.js';
import { scheduledFire } from './schedule.js';
import { namedPath, type IdentifierHit } from './identifiers.js';
import { sparedSibling } from './spared-sibling.js';
import { iso } from './json.js';
import { floodFrom, floodText, pathTo, type PathLink } from './path.js';
import { cacheFall, fallClaimedBy, missesPath, type CacheFall } from './cache-misses.js';
import { busiestBehindFinding, findReshapes, reshapeFinding, reshapePath, type Reshape } from './reshape.js';
import { entriesRanOut, entriesRanOutFinding, expiredAtOnset, lifetimeFinding, lifetimePath, lifetimeRunOut, neverRefreshedFinding, quotedLifetime } from './lifetime.js';
import type { ChangeInfo, TemplateInfo } from './read.js';
import type { RiskSignalInfo } from './read-diff.js';
import { minutes, movedLevel } from './prose.js';
import { startedPath, weighEffect, weighIdentifiers, weighLoggedErrors, weighNewWork, weighOwnExhaustion, weighSymptomInNewPath, weighWorkPerUnit, type NewWork } from './support.js';
import { finding, FINDINGS, has, isSpecific, scoreOf, waitExplained, weightOf, type Finding, type FindingKind } from './model.js';
import { ranAtOnsetFinding } from './ran-at-onset.js';
import { quotedLimit, quotedLimitFinding, quotedLimitPath } from './limit-quoted.js';

export interface Suspect {
  change: ChangeInfo;
  /** Why it cannot be the cause; null while it remains a suspect. */
  ruledOut: string | null;
  /** When it acts: when it took effect, or when a schedule it moved next fired. */
  actsAt: number;
  /** What the model weighs for and against it (model.ts). */
  findings: Finding[];
  /** True when the code or config it shipped shows a risky edit (its diff, or the code its flag turns on). */
  risky: boolean;
  /** One of its risky edits makes things worse by nature or stated direction (a tightened limit, a removed cache...). */
  harmful: boolean;
  /** It can explain more load: it adds calls or work (retries, a call in a loop, a flag's new path) or floods the paged service. */
  addsLoad: boolean;
  /**
   * When the only load it can add comes from settings moved by a known factor (a TTL cut from
   * 10 to 8 minutes: 1.25), the most that load can grow by; null when nothing bounds it.
   */
  loadBound: number | null;
  /** Each unit of its service's work measured heavier from it on (work per request stepped), not a cache in front missing more. */
  heavier: boolean;
  /** The shared store it began to fill (its entries stay), which the load later ran out of; null for none. */
  filled: string | null;
  /** When the cache in front began missing, where that is the only load it adds. */
  missesFrom: number | null;
  path: PathLink | null;
  /** The risky edits its diff (or the code its flag turns on) shows. */
  risks: RiskSignalInfo[];
  /** A series of its service that rose from nothing the moment it took effect, or calls it began to make. */
  newWork: NewWork | null;
  /** A name it touches, found in the new warnings and errors. */
  identifierHit: IdentifierHit | null;
  /** A later change that already undid it, and whether the symptoms eased after (null: not measured). */
  undone: { by: ChangeInfo; eased: boolean | null } | null;
  /** When the new errors its service logged right after it began (null: none seen). */
  errorsFrom: number | null;
  /** An earlier change, undone by a rollback, whose edit this one makes again: one suspect with it. */
  reapplies: string | null;
  /** Ruled out only because nothing put its service on the incident's path (the logs may yet). */
  offPath: boolean;
}

/** The model's total for a suspect. */
export function scoreOfSuspect(suspect: Suspect): number {
  return scoreOf(suspect.findings);
}

/** Something besides timing and position points at it (a diff, an effect, the logs). */
export function corroborated(suspect: Suspect): boolean {
  return isSpecific(suspect.findings) && !unexplainedWait(suspect);
}

/**
 * A change more than an hour before the onset whose effects, if any, showed right away: the
 * incident began long after, so what it did then is not what began now, unless something
 * explains the wait (a leak that grew, work per request that crept up, a schedule that fired),
 * or undoing it eased the symptoms (the experiment shows it holds them up, however late they began).
 */
export function unexplainedWait(suspect: Suspect): boolean {
  const kinds = new Set(suspect.findings.map((f) => f.kind));
  return kinds.has('timing_far') && !kinds.has('wait_explained') && !kinds.has('undo_eased');
}

/** Its findings in words. */
export function findingTexts(suspect: Suspect): string[] {
  return suspect.findings.map((f) => f.text);
}

/** The evidence its findings cite, each reference once, in the order found. */
export function evidenceOf(suspect: Suspect): Evidence[] {
  const seen = new Set<string>();
  return suspect.findings.flatMap((f) => f.evidence).filter((e) => (seen.has(e.ref) ? false : (seen.add(e.ref), true)));
}

export function addFinding(suspect: Suspect, kind: FindingKind, text: string, evidence: Evidence[] = []): void {
  suspect.findings.push(finding(kind, text, evidence));
}

const TIMING_KINDS = new Set<FindingKind>(['timing_at_onset', 'timing_close', 'timing_near', 'timing_far']);

/** A schedule that fired this long before the onset is not what began it. */
const SCHEDULE_LEAD_MS = 15 * 60_000;

const INNOCENT_SUMMARY = /\b(no behaviou?r change|refactor|cosmetic|copy|wording|typo|translations?|docs?|documentation|readme|comments?)\b/i;

function timingKind(gapMs: number): FindingKind {
  if (gapMs <= 5 * 60_000) return 'timing_at_onset';
  if (gapMs <= 15 * 60_000) return 'timing_close';
  if (gapMs <= 60 * 60_000) return 'timing_near';
  return 'timing_far';
}

/**
 * Code this flag turns on, in any diff read (the release that shipped it dark): the checks of
 * the flag, and when everything that release shipped waits on the flag, its risky edits too.
 */
function guardedPaths(c: Case, change: ChangeInfo): RiskSignalInfo[] {
  const out: RiskSignalInfo[] = [];
  for (const [id, diff] of [...c.diffs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (id === change.id) continue;
    const release = c.changes.find((x) => x.id === id);
    const dark = release ? (waitsOnFlags(release, diff) ?? []) : [];
    const woken = dark.some((key) => switchesFlag(change, key));
    const checks = diff.riskSignals.filter((s) => s.kind === 'flag_guard' && s.flag !== null && switchesFlag(change, s.flag));
    if (checks.length === 0 && !woken) continue;
    // The release's own risky edits lead: they are what the flag brings to life.
    out.push(...(woken ? diff.riskSignals.filter((s) => s.kind !== 'flag_guard') : []), ...checks);
  }
  return out;
}

/** Source files of a program (not its configuration). */
const CODE_FILE = /\.(go|py|java|kt|scala|ts|tsx|js|mjs|rb|rs|cs|cpp|cc|c|php|sql|ex|exs|clj|swift)$/i;

/** A suspect before anything is weighed: standing, acting when it took effect, with no finding. */
export function blankSuspect(change: ChangeInfo): Suspect {
  return { change, ruledOut: null, actsAt: change.at, findings: [], risky: false, harmful: false, addsLoad: false, loadBound: null, heavier: false, filled: null, missesFrom: null, path: null, risks: [], undone: null, newWork: null, identifierHit: null, errorsFrom: null, reapplies: null, offPath: false };
}

/** What every change is weighed against, found once per assessment rather than once per change. */
export interface Surroundings {
  /** The cache that began missing around the onset (cacheFall). */
  fall: CacheFall | null;
  /** Stores that filled for hours and ran out of room at the onset. */
  fills: readonly StoreFill[];
  /** Services whose parts' work changed shape while its sum held. */
  reshapes: readonly Reshape[];
  /** The first expiry error that began at the onset. */
  expired: TemplateInfo | undefined;
  /** Lent capacity that ran dry at the onset, by the service it was lent to. */
  reserves: ReadonlyMap<string, DrainedReserve>;
  /** Work that stopped flat at the onset below the peaks it reached before, by its service. */
  ceilings: ReadonlyMap<string, LoweredCeiling>;
}

/** Undoing it after the onset eased the symptoms: the responders' experiment ties it to them where no name did. */
function undonePath(c: Case, change: ChangeInfo): PathLink | null {
  const undo = c.undos.get(change.id);
  if (undo?.eased !== true) return null;
  return { reason: `undoing it (${undo.by.id}, ${iso(undo.by.at)}) eased the symptoms, though no name ties its service to them`, movement: null, log: null };
}

export function assessChange(c: Case, episode: Episode, change: ChangeInfo, slackMs: number, around: Surroundings): Suspect {
  const { fall, fills, reshapes } = around;
  const suspect = blankSuspect(change);
  const gap = episode.onset - change.at;
  if (gap < -onsetLeeway(episode, slackMs) && !rolloutLed(c, episode, change)) {
    suspect.ruledOut = `it took effect at ${iso(change.at)}, ${minutes(-gap)} after the onset (${iso(episode.onset)})`;
    return suspect;
  }
  if (gap > CHANGE_HORIZON_MS) {
    suspect.ruledOut = `it took effect ${minutes(gap)} before the onset, too long before to explain a sudden change`;
    return suspect;
  }
  // Rolled back before the onset, its code no longer ran when the incident began: whatever
  // began then began with its removal (the rollback is weighed in its own right).
  const undoneBy = undoneBefore(change, c.changes, episode.onset);
  if (undoneBy !== null) {
    suspect.ruledOut = `${undoneBy.id} rolled it back at ${iso(undoneBy.at)}, before the onset (${iso(episode.onset)}): its code no longer ran when the incident began`;
    return suspect;
  }
  const service = change.service;
  const lifetime = lifetimeRunOut(c, around.expired, change) ?? quotedLifetime(c, episode.onset, change);
  const quoted = quotedLimit(c, episode, change);
  const path =
    (service === null ? null : pathTo(c, episode, service, change.at, slackMs)) ??
    missesPath(fall, change, c.changes, slackMs) ??
    fillPath(fills, change, slackMs, (c.diffs.get(change.id)?.riskSignals ?? []).some((r) => r.kind === 'unbounded_growth')) ??
    reservePath(service === null ? null : (around.reserves.get(service) ?? null), change) ??
    reshapePath(c, reshapes, change) ??
    lifetimePath(lifetime) ??
    quotedLimitPath(quoted) ??
    namedPath(c, episode, change, slackMs) ??
    startedPath(c, episode, change, slackMs) ??
    accessPath(c, episode, change, slackMs) ??
    lockQueuePath(c, episode, change, slackMs) ??
    rolloutPath(c, episode.symptoms, change) ??
    undonePath(c, change);
  if (path === null) {
    suspect.offPath = service !== null;
    suspect.ruledOut =
      service === null
        ? 'it names no service, so nothing ties it to the symptoms'
        : `${service} shows no symptom of its own before ${c.paged ?? 'the paged service'} degraded, and the degradation is not specific to ${service}`;
    return suspect;
  }
  suspect.path = path;
  const reapplied = reappliedMistake(c, change);
  suspect.reapplies = reapplied?.id ?? null;
  const read = c.diffs.get(change.id);
  // Risky edits in the file of an instance the incident is not about act elsewhere: set aside.
  const why = read?.riskSignals.map((r) => outOfScope(c, read, r)) ?? [];
  const elsewhere = why.find((w) => w !== null) ?? null;
  // A brief schema lock is a mechanism only where the database logged the queue behind it.
  const queued = lockQueueOf(c, episode, change, slackMs) !== null;
  const kept = (r: RiskSignalInfo, i: number): boolean => why[i] === null && (r.kind !== 'schema_lock' || queued);
  const diff = read !== undefined && read.riskSignals.some((r, i) => !kept(r, i)) ? { ...read, riskSignals: read.riskSignals.filter(kept) } : read;
  const dark = darkRelease(change, diff, c.changes, episode.onset + slackMs);
  if (dark !== null) {
    suspect.ruledOut = dark;
    suspect.path = null;
    return suspect;
  }
  const woken = wokenBy(change, diff, c.changes, episode.onset + slackMs);
  if (woken !== null) {
    suspect.ruledOut = `its new code waits on a flag that ${woken.id} turned on at ${iso(woken.at)}: that flag change is what put it to work, and is weighed in its place`;
    suspect.path = null;
    return suspect;
  }
  // A moved schedule acts when it next fires: that, not the change's own time, is held against the onset.
  const fire = scheduledFire(diff, change.at);
  const onlySchedules = diff !== undefined && diff.riskSignals.length > 0 && diff.riskSignals.every((r) => r.kind === 'schedule_changed');
  if (fire !== null && onlySchedules && fire.at > episode.onset + slackMs) {
    suspect.ruledOut = `all it changed is a schedule ("${fire.cron}"), which next fired at ${iso(fire.at)}, after the onset (${iso(episode.onset)})`;
    suspect.path = null;
    return suspect;
  }
  // A job edited but not moved runs when it always did, yesterday's run included: its run is the
  // edit acting only when the edit changes what the job does (code, a setting read, a risky edit),
  // not when it adds who hears about it (report recipients, a channel).
  const changesWork = fire !== null && (fire.moved || (diff !== undefined && (diff.riskSignals.some((x) => x.kind !== 'schedule_changed') || diff.otherEdits.length > 0 || diff.files.some((f) => CODE_FILE.test(f)))));
  const scheduled = fire !== null && changesWork && fire.at <= episode.onset + slackMs && episode.onset - fire.at <= SCHEDULE_LEAD_MS ? fire : null;
  suspect.actsAt = scheduled?.at ?? change.at;
  const acting = episode.onset - suspect.actsAt;
  const rolledInto = change.finishedAt !== null && change.finishedAt + slackMs >= episode.onset;
  const changeEvidence: Evidence = { source: 'changes', ref: change.id, detail: `${change.type} of ${service ?? 'an unnamed service'} at ${iso(change.at)}: ${change.summary}` };
  addFinding(
    suspect,
    rolledInto ? 'rollout_spans_onset' : timingKind(Math.max(0, acting)),
    scheduled !== null
      ? `${scheduled.moved ? 'its new schedule' : 'the job it edits runs on a schedule that'} ("${scheduled.cron}") fired at ${iso(scheduled.at)}, ${acting > 0 ? `${minutes(acting)} before` : 'at'} the onset`
      : `took effect ${gap > 0 ? `${minutes(gap)} before` : 'at'} the onset${rolledInto ? ' (its rollout was still going on)' : ''}`,
    [changeEvidence],
  );
  if (scheduled !== null) {
    addFinding(
      suspect,
      'acts_on_schedule',
      scheduled.moved ? `it moved a schedule (${scheduled.code}) to fire when the symptoms began` : `it edited a scheduled job (${scheduled.code}) whose next run began when the symptoms did`,
      [{ source: 'diffs', ref: scheduled.patch, detail: `schedule "${scheduled.cron}", next run ${iso(scheduled.at)}` }],
    );
  }
  const pathEvidence: Evidence[] = [];
  if (path.movement) {
    const m = path.movement;
    pathEvidence.push({ source: 'metrics', ref: m.series, detail: `${m.kind} ${m.direction} from ${movedLevel(m, m.before)} to ${movedLevel(m, m.after)} at ${iso(m.onset)}` });
  }
  if (path.log) pathEvidence.push({ source: 'logs', ref: path.log.template.example, detail: `new since ${iso(path.log.onset)}: ${path.log.template.template}` });
  addFinding(suspect, 'on_path', path.reason, pathEvidence);

  if (diff && diff.riskSignals.length > 0) {
    suspect.risky = true;
    suspect.risks.push(...diff.riskSignals);
    // A conversion dropped, and the number the service reports stepped far off its range as it took effect: the mismatch, measured.
    const rescaled = path.outputStepped === true ? diff.riskSignals.find((r) => r.kind === 'unit_mismatch') : undefined;
    const first = rescaled ?? (leadingRisk(diff.riskSignals) as RiskSignalInfo);
    addFinding(suspect, 'risky_edit', `its diff: ${riskInWords(first)}`, [
      { source: 'diffs', ref: first.patch, detail: `${first.kind}: ${first.detail} at ${first.code}` },
    ]);
    if (rescaled !== undefined && path.movement !== null) {
      addFinding(suspect, 'output_rescaled', `${path.movement.display} stepped off its range as it took effect, as its diff's unit edit would make it (${rescaled.code})`, [
        { source: 'metrics', ref: path.movement.series, detail: `from ${movedLevel(path.movement, path.movement.before)} to ${movedLevel(path.movement, path.movement.after)} at ${iso(path.movement.onset)}` },
      ]);
    }
  } else if (diff && (change.type === 'deploy' || (change.type === 'config' && diff.otherEdits.length > 0))) {
    // A config change's diff read as settings, none of them risky, has only its timing, as a deploy's does.
    addFinding(suspect, 'no_risky_edit', elsewhere === null ? 'its diff shows no risky edit' : `its diff shows no risky edit where the incident is: ${elsewhere}`);
  }
  if (change.type === 'feature_flag') {
    const guarded = guardedPaths(c, change);
    if (guarded.length > 0) {
      const first = guarded[0] as RiskSignalInfo;
      suspect.risky = true;
      suspect.risks.push(...guarded);
      addFinding(suspect, 'flag_turns_on_code', `the flag turns on ${first.kind === 'flag_guard' ? 'a new code path' : `code that ${first.detail}`} (${first.code})`, [
        { source: 'diffs', ref: first.patch, detail: `code behind the flag: ${first.detail}` },
      ]);
    }
  }
  // A code path a flag turns on, with nothing known of what it does, is new code, not harm.
  suspect.harmful = suspect.risks.some((risk) => harmfulSignal(risk) && risk.kind !== 'flag_guard');
  if (reapplied !== null) {
    addFinding(suspect, 'reapplies_reverted', `it makes again the edit of ${reapplied.id} (${iso(reapplied.at)}), which a rollback had undone`, [
      { source: 'changes', ref: reapplied.id, detail: `${reapplied.type} of ${reapplied.service ?? 'an unnamed service'} at ${iso(reapplied.at)}: ${reapplied.summary}` },
    ]);
  }
  if (INNOCENT_SUMMARY.test(change.summary)) addFinding(suspect, 'promises_no_change', `its description ("${change.summary}") promises no behaviour change`);
  weighEffect(c, suspect, slackMs);
  weighNewWork(c, suspect, slackMs);
  weighSymptomInNewPath(c, episode, suspect, slackMs);
  weighWorkPerUnit(c, suspect, slackMs, fall);
  // Its calls flooded the paged service, though its path was read from a symptom of its own.
  const flood = service === null || path.movement?.kind === 'traffic' ? null : floodFrom(c, episode, service, change.at, slackMs);
  if (flood) {
    addFinding(suspect, 'floods_paged', floodText(c, service as string, flood), [
      { source: 'metrics', ref: flood.series, detail: `traffic up${flood.ratio === null ? '' : ` ×${flood.ratio.toFixed(1)}`} at ${iso(flood.onset)}, from ${service} only` },
    ]);
  }
  const reshaped = reshapeFinding(c, reshapes, change);
  if (reshaped) suspect.findings.push(reshaped);
  const behind = busiestBehindFinding(c, reshapes, change, episode);
  if (behind) suspect.findings.push(behind);
  // It adds load when an edit adds calls or work, when its calls flooded the paged service, when the cache in front began missing as it acted, when it started new work, or when each request does more since it.
  const loadRisks = suspect.risks.filter((r) => LOAD_KINDS.has(r.kind));
  const claimedFall = fall !== null && fallClaimedBy(fall, change, c.changes, slackMs) ? fall : null;
  const unbounded =
    loadRisks.some((r) => r.factor === null || !BOUNDED_LOAD_KINDS.has(r.kind)) ||
    (path.movement !== null && path.movement.kind === 'traffic' && path.movement.info.service === c.paged) ||
    flood !== null ||
    claimedFall !== null ||
    // Sending a stream's work to a few of its parts is load on those parts, however much the day adds.
    reshaped !== null ||
    // Its own output (what it sends or raises) multiplied as it took effect: whatever has to take
    // that output takes a crowd it made.
    (path.outputStepped === true && path.movement !== null && path.movement.direction === 'up' && (path.movement.kind === 'traffic' || path.movement.kind === 'other')) ||
    suspect.newWork !== null ||
    has(suspect.findings, 'work_per_unit_rose');
  suspect.addsLoad = unbounded || loadRisks.length > 0;
  suspect.loadBound = unbounded || loadRisks.length === 0 ? null : Math.max(...loadRisks.map((r) => r.factor as number));
  // Load it adds only through the cache in front missing: when the misses began, to weigh against when the crowd came.
  suspect.missesFrom =
    claimedFall !== null && loadRisks.length === 0 && flood === null && suspect.newWork === null && !(path.movement !== null && path.movement.kind === 'traffic' && path.movement.info.service === c.paged)
      ? claimedFall.movement.onset
      : null;
  // A leak into a shared store shows in the store, not in the writer's own memory: its edit must make entries stay.
  const entriesStay = suspect.risks.some((r) => r.kind === 'unbounded_growth');
  const grown = c.growth.get(change.id) ?? (entriesStay ? fillFinding(fills, change, slackMs, episode.onset) : null);
  if (grown) suspect.findings.push(grown);
  suspect.filled = entriesStay && c.growth.get(change.id) === undefined ? (filledBy(fills, change, slackMs)?.service ?? null) : null;
  const split = c.versions.get(change.id);
  if (split) suspect.findings.push(split);
  const dry = reserveFinding(change.service === null ? null : (around.reserves.get(change.service) ?? null), change);
  if (dry) suspect.findings.push(dry);
  const stoppedRefills = dry === null ? null : refillsStoppedFinding(c, around.reserves.get(change.service as string) ?? null, change);
  if (stoppedRefills) suspect.findings.push(stoppedRefills);
  const lowered = ceilingFinding(change.service === null ? null : (around.ceilings.get(change.service) ?? null), change);
  if (lowered) suspect.findings.push(lowered);
  const ranOut = lifetimeFinding(lifetime, change) ?? entriesRanOutFinding(entriesRanOut(c, episode.symptoms, change), change) ?? neverRefreshedFinding(c, around.expired, change);
  if (ranOut) suspect.findings.push(ranOut);
  const refused = quotedLimitFinding(quoted, change);
  if (refused) suspect.findings.push(refused);
  const staged = rolloutFinding(c, change, episode.symptoms);
  if (staged) suspect.findings.push(staged);
  const reconfigured = reconfiguredFailure(c, episode, change);
  if (reconfigured) suspect.findings.push(reconfigured);
  weighLoggedErrors(c, suspect, slackMs);
  weighOwnExhaustion(c, suspect, slackMs);
  weighIdentifiers(c, suspect, episode.onset);
  const ran = ranAtOnsetFinding(suspect);
  if (ran) suspect.findings.push(ran);
  const spared = sparedSibling(c, episode, suspect);
  if (spared) suspect.findings.push(spared);
  suspect.heavier = suspect.findings.some((f) => f.kind === 'work_per_unit_rose' && !(claimedFall !== null && f.evidence[0]?.ref === claimedFall.movement.series));
  // Seen acting from the start (a leak, more work per request): timing counts from its effect, not from the symptom.
  if (waitExplained(suspect.findings)) {
    const timing = suspect.findings.findIndex((f) => TIMING_KINDS.has(f.kind));
    const old = suspect.findings[timing];
    if (old && weightOf(old) < FINDINGS.wait_explained.weight) suspect.findings[timing] = { ...old, kind: 'wait_explained' };
  }
  return suspect;
}

/** The rollout a change is a stage of (its first stage's id), so the stages of one rollout never compete with each other. */
export function rolloutOf(suspect: Suspect, changes: readonly ChangeInfo[]): string {
  return suspect.reapplies ?? familyOf(suspect.change, changes)[0]?.id ?? suspect.change.id;
}

/** A restart whose only part in the incident is the config it put into effect. */
function restartOnly(change: ChangeInfo, config: string): Suspect {
  return {
    ...blankSuspect(change),
    ruledOut: `it restarted ${change.service ?? 'its service'}, which put ${config} into effect (read at start-up); its own diff shows nothing that could harm, and ${config} is weighed in its place`,
  };
}

export function assessChanges(c: Case, episode: Episode, slackMs: number): Suspect[] {
  const around: Surroundings = { fall: cacheFall(c, episode, slackMs), fills: c.fills, reshapes: findReshapes(c, episode), expired: expiredAtOnset(c, episode), reserves: drainedReserves(c, episode), ceilings: c.ceilings };
  const applied = appliedAtRestart(c, episode, slackMs);
  const suspects = [...c.changes]
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
    .map((change) => {
      // The restart that put a config read at start-up into effect is its occasion, not its cause.
      const occasioned = [...applied].find(([, restart]) => restart.id === change.id)?.[0];
      if (occasioned !== undefined) return restartOnly(change, occasioned);
      const restart = applied.get(change.id);
      if (restart === undefined) return assessChange(c, episode, change, slackMs, around);
      // Judged from when it took effect: the restart's rollout.
      const suspect = assessChange(c, episode, { ...change, at: restart.at, finishedAt: restart.finishedAt }, slackMs, around);
      suspect.change = change;
      addFinding(suspect, 'context', `nothing moved when it was made; it took effect when ${restart.id} restarted ${change.service ?? 'its service'} at ${iso(restart.at)}, which reads it at start-up`, [
        { source: 'changes', ref: restart.id, detail: `${restart.type} of ${restart.service ?? 'an unnamed service'} at ${iso(restart.at)}: ${restart.summary}` },
      ]);
      return suspect;
    });
  // A later change on the path sits closer to the onset: the earlier one must explain the wait.
  for (const suspect of suspects) {
    if (suspect.ruledOut !== null || waitExplained(suspect.findings) || c.undos.get(suspect.change.id)?.eased === true) continue;
    const closer = suspects.find((other) => other.ruledOut === null && other.actsAt > suspect.actsAt && rolloutOf(other, c.changes) !== rolloutOf(suspect, c.changes));
    if (closer) addFinding(suspect, 'later_change_closer', `${closer.change.id} came later and closer to the onset`);
  }
  return suspects;
}
