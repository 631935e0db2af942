// What happened when a suspect was undone. A rollback (or revert) after the onset is an
// experiment the responders already ran: if the symptoms eased soon after it, the change
// it undid is implicated; if they carried on, that change is cleared.
import { freshProblem, type Case, type Movement } from './case.js';
import { ownerOf } from './log-symptoms.js';
import { ageOfWork } from './age-of-work.js';
import { revertedBy } from './reverts.js';
import { restoresFlag, switchesFlag, turnsFlagOff } from './flags.js';
import { flagKeyOf } from './identifiers.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { level } from './prose.js';
import { countsAround, readMatches, readSeriesValues, resultOf, type ChangeInfo } from './read.js';
import type { Replay } from './replay.js';
import { addFinding, type Suspect } from './suspects.js';
import { median, pointsIn } from './values.js';

/** Symptoms are judged from 5 minutes after the revert (a rollout takes a moment) for 25 minutes. */
const SETTLE_MS = 5 * 60_000;
const BEFORE_MS = 20 * 60_000;
const AFTER_MS = 25 * 60_000;
const MAX_SERIES = 3;
/** An undo after which a symptom went this share of the way back to normal ended it. */
const RECOVERED = 0.9;
/**
 * An undo is said not to have helped only when it was watched this long once settled: a symptom
 * that trails its cause (blocks marked stale until a fresh reading arrives, an age that waits on
 * a backlog) has not had time to move in less, and another change made sooner takes the watch over.
 */
const NO_HELP_AFTER_MS = 10 * 60_000;
/** A symptom still this share of its height above normal when the undo came is one the undo can be judged on. */
const STILL_ILL = 0.3;
/** The middle of a run of points, in time. */
function midpoint(points: ReadonlyArray<{ t: number }>): number {
  return ((points[0] as { t: number }).t + (points[points.length - 1] as { t: number }).t) / 2;
}

/** Kinds of series that say how busy a service is, not how its users fare: an undo easing them alone ended nothing. */
const BUSY = new Set(['saturation', 'traffic']);

/** Points since a symptom's worst, before the undo, needed to say it was already falling. */
const RECOVERING_POINTS = 4;
/** A backlog growing at under this share of its pace before the undo has stopped growing. */
const STOPPED = 0.1;

/** Share of the way back to normal a symptom went (1: fully recovered, 0: no change). */
function recovered(m: Movement, before: number, after: number): number | null {
  const excess = before - m.before;
  if (excess === 0 || Math.sign(excess) !== Math.sign(m.after - m.before)) return null;
  return (before - after) / excess;
}

/** A later flag change that turns the same flag back off. */
function turnsSameFlagOff(change: ChangeInfo, later: ChangeInfo): boolean {
  const key = flagKeyOf(change) ?? change.id;
  return (change.type === 'feature_flag' && switchesFlag(later, key) && turnsFlagOff(later)) || restoresFlag(change, later);
}

/** The first change after the onset that undid this one: a rollback or revert of it, or its flag turned back off. */
export function undoing(c: Case, episode: Episode, change: ChangeInfo): ChangeInfo | null {
  return (
    c.changes
      .filter((x) => x.at > episode.onset && x.id !== change.id && (revertedBy(x, c.changes)?.id === change.id || turnsSameFlagOff(change, x)))
      .sort((a, b) => a.at - b.at)[0] ?? null
  );
}



/** Least-squares slope, per minute. */
function slope(points: ReadonlyArray<{ t: number; v: number }>): number {
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mv = points.reduce((a, p) => a + p.v, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60_000;
}

/**
 * How far a symptom eased after the undo, as a share of the way back to normal (1: recovered).
 * A backlog (lag, a queue, the age of the last event) drains only as fast as it is worked off,
 * so it has eased when it turned from growing to shrinking, however high it still stands.
 */
function eased(m: Movement, before: ReadonlyArray<{ t: number; v: number }>, after: ReadonlyArray<{ t: number; v: number }>): { share: number; from: number; to: number } | null {
  if (before.length < 3 || after.length < 3) return null;
  const from = median(before.map((p) => p.v));
  const to = median(after.map((p) => p.v));
  // Already mostly back to normal before the undo (another mitigation came first): the undo cannot be judged on it.
  const height = m.after - m.before;
  if (height !== 0 && (from - m.before) / height < STILL_ILL) return null;
  // A latency of many minutes is how long work waited in a backlog: it trails the backlog and
  // climbs until the backlog has drained, however well the undo worked. It cannot judge the undo.
  if (ageOfWork(m, from)) return null;
  if (m.info.meaning.backlog) {
    const draining = slope(after);
    const span = ((after[after.length - 1] as { t: number }).t - (after[0] as { t: number }).t) / 60_000;
    // Shrinking by a tenth of its height over the window counts as draining; still rising does not.
    const height = Math.max(Math.abs(from - m.before), 1e-12);
    const share = draining < 0 ? Math.min(1, (-draining * span) / height / 0.1) : draining > 0 ? -1 : 0;
    // A backlog that was growing and stopped the moment the undo came is half-way there: the
    // service keeps up again, and works the backlog off as fast as its room allows.
    const growing = slope(before);
    const stopped = growing > 0 && Math.abs(draining) <= STOPPED * growing ? 0.5 : 0;
    return { share: share >= 1 ? 1 : Math.max(share, stopped), from, to: (after[after.length - 1] as { v: number }).v };
  }
  if (after.length > 0 && recoveringAlready(m.before, m.after >= m.before, before, midpoint(after))) return null;
  const share = recovered(m, from, to);
  return share === null ? null : { share, from, to };
}

/**
 * Already on its way back before the undo: since its worst point the symptom fell steadily, at
 * a pace that, kept up, brings it at least half-way back to normal by the middle of the watch
 * after the undo. A cache refilling after a stampede heals on its own, and an undo that lands
 * halfway down the slope takes no credit for the rest of it.
 */
function recoveringAlready(normal: number, up: boolean, before: ReadonlyArray<{ t: number; v: number }>, middle: number): boolean {
  const excess = (v: number): number => (up ? v - normal : normal - v);
  let worst = 0;
  for (let i = 1; i < before.length; i += 1) if (excess((before[i] as { v: number }).v) > excess((before[worst] as { v: number }).v)) worst = i;
  const falling = before.slice(worst);
  if (falling.length < RECOVERING_POINTS) return false;
  const last = falling[falling.length - 1] as { t: number; v: number };
  const perMinute = slope(falling);
  // Heading back toward normal, not away from it.
  if (up ? perMinute >= 0 : perMinute <= 0) return false;
  const projected = last.v + perMinute * ((middle - last.t) / 60_000);
  return excess(projected) <= 0.5 * excess((falling[0] as { v: number }).v);
}

/** A name's or a title's words: split at punctuation and case changes, lower-cased, three letters or more. */
function wordsOf(text: string): Set<string> {
  return new Set(
    text
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length >= 3),
  );
}

/** Words a page's signal and its title must share to be the same thing (`OrderRejectRatioHigh`, `order_reject_ratio`). */
const SIGNAL_WORDS = 2;

/** The symptom the page fired on: of the paged service's symptoms, the one whose name shares the most words with the page's title. */
function pagedSignal(c: Case, symptoms: readonly Movement[]): Movement | null {
  if (c.page === null || c.paged === null) return null;
  const title = wordsOf(c.page.title);
  let best: Movement | null = null;
  let bestShared = SIGNAL_WORDS - 1;
  for (const m of symptoms) {
    if (m.info.service !== c.paged) continue;
    const shared = [...wordsOf(m.info.name)].filter((w) => title.has(w)).length;
    if (shared > bestShared) {
      best = m;
      bestShared = shared;
    }
  }
  return best;
}

/** What undoing a change after the onset did to the symptoms, judged once per change (recovery.ts). */
export interface UndoJudgement {
  by: ChangeInfo;
  /** true: eased; false: did not help; null: could not be judged. */
  eased: boolean | null;
  /** The symptom that shows it, with where it stood before the undo and after it. */
  shown: { source: 'metrics' | 'logs'; series: string; display: string; from: number; to: number; share: number } | null;
}

/** A literal run of a template this long, at least, is specific enough to count its lines by. */
const FRAGMENT_CHARS = 8;

/** The longest literal run of a log template (`setpoint NOT acknowledged after`), to search its lines by. */
function fragmentOf(template: string): string | null {
  const runs = template.split('<*>').map((part) => part.trim()).filter((part) => part.length >= FRAGMENT_CHARS);
  return runs.sort((a, b) => b.length - a.length)[0] ?? null;
}

/** The searchable piece of the first warning or error that began with the incident, before the undo (and passing `keep`). */
function failureBefore(c: Case, revert: ChangeInfo, keep: (template: string, owner: string | null) => boolean = () => true): string | null {
  const template = c.templates.find((t) => freshProblem(t) && (t.firstSeen === null || t.firstSeen < revert.at) && keep(t.template, ownerOf(c, t)) && fragmentOf(t.template) !== null);
  return template === undefined ? null : fragmentOf(template.template);
}

/**
 * Where no metric can judge the undo, the new errors can: the rate, per minute, of the first
 * warning or error that began with the incident, before the undo and once it settled.
 */
async function judgeUndoInLogs(r: Replay, c: Case, revert: ChangeInfo, until: number, concerned: ReadonlySet<string>): Promise<UndoJudgement | null> {
  const settled = revert.at + SETTLE_MS;
  // Lines of a service the symptoms or the undone change are about: a warning another service
  // began logging by chance (a slow captcha on a portal) judges nothing of this undo.
  const fragment = failureBefore(c, revert, (_template, owner) => owner !== null && concerned.has(owner));
  if (fragment === null || until - settled < 5 * 60_000) return null;
  const result = resultOf('search_logs', await r.call('search_logs', { pattern: fragment, from: iso(revert.at - BEFORE_MS), to: iso(until), max_matches: 1 }));
  if (result === null) return null;
  const before = countsAround(result, revert.at).before / (BEFORE_MS / 60_000);
  const after = countsAround(result, settled).after / ((until - settled) / 60_000);
  if (!(before > 0)) return null;
  // Lines per minute in each bucket before the undo: already falling steadily, the undo cannot be judged on them.
  const widthMs = result.over_time.bucket_seconds * 1000;
  const perMinute = result.over_time.counts
    .map(([start, count]) => ({ t: Date.parse(start), v: count / (widthMs / 60_000) }))
    .filter((p) => Number.isFinite(p.t) && p.t >= revert.at - BEFORE_MS && p.t + widthMs <= revert.at);
  if (recoveringAlready(0, true, perMinute, (settled + until) / 2)) return null;
  const share = Math.max(0, (before - after) / before);
  // Cited by a line of it, as log evidence is (file:line).
  const line = readMatches(result).matches[0]?.ref;
  if (line === undefined) return null;
  const shown = { source: 'logs' as const, series: line, display: `"${fragment}" per minute`, from: before, to: after, share };
  if (share >= 0.5) return { by: revert, eased: true, shown };
  return share < 0.2 && until - settled >= NO_HELP_AFTER_MS ? { by: revert, eased: false, shown: null } : null;
}

/** How long after an undo's rollout finished its effect must show in the failure lines. */
const ROLLED_OUT_WATCH_MS = 2 * 60_000;
/** Failure lines still at this share of their pace before the undo went on regardless of it. */
const WENT_ON = 0.5;
/**
 * Words of a line that reports lateness (a partition's lag, data too old, a job behind): it
 * trails a backlog, and goes on until the backlog has drained however well the undo worked.
 */
const TRAILING = /\b(lag|lagging|backlog|behind|stale|staleness|old|late|delayed|overdue)\b/i;

/**
 * An undo acts as its rollout replaces what it undoes: by the time the rollout has finished,
 * the failures it ended have stopped. The first warning or error that began with the incident,
 * logged at half its pace before the undo or more in the two minutes after the undo's rollout
 * finished, went on regardless: what eased the symptoms later (a blocking query cancelled, a
 * job that ended) is not the undo, whatever the metrics' windows make of the timing.
 */
async function wentOnAfterRollout(r: Replay, c: Case, revert: ChangeInfo): Promise<boolean> {
  const done = revert.finishedAt;
  if (done === null || done <= revert.at) return false;
  const fragment = failureBefore(c, revert, (template) => !TRAILING.test(template));
  if (fragment === null) return false;
  const result = resultOf('search_logs', await r.call('search_logs', { pattern: fragment, from: iso(revert.at - BEFORE_MS), to: iso(done + ROLLED_OUT_WATCH_MS), max_matches: 1 }));
  if (result === null) return false;
  const before = countsAround(result, revert.at).before / (BEFORE_MS / 60_000);
  const after = countsAround(result, done).after / (ROLLED_OUT_WATCH_MS / 60_000);
  return before > 0 && after >= WENT_ON * before;
}

/** Reads the watched symptoms around the undo and judges whether they eased after it. */
async function judgeUndo(r: Replay, c: Case, change: ChangeInfo, revert: ChangeInfo, shared: readonly Movement[], watched: readonly Movement[], signal: Movement | null): Promise<UndoJudgement> {
  const unjudged: UndoJudgement = { by: revert, eased: null, shown: null };
  const settled = revert.at + SETTLE_MS;
  // Another change made after the undo (a second mitigation) takes the credit for what follows it:
  // the undo is judged only until that one took effect (a setting acts the moment it is applied).
  const next = c.changes.filter((x) => x.id !== revert.id && x.id !== change.id && x.at > revert.at).sort((a, b) => a.at - b.at)[0];
  const until = Math.min(settled + AFTER_MS, next === undefined ? Infinity : next.at);
  const concerned = new Set([c.paged, change.service, ...watched.map((m) => m.info.service)].filter((s): s is string => s !== null));
  if (watched.length === 0) return (await judgeUndoInLogs(r, c, revert, until, concerned)) ?? unjudged;
  // Counters come back as rates, as they were read around the onset.
  const result = resultOf(
    'query_metrics',
    await r.call('query_metrics', {
      series: watched.map((m) => m.series),
      from: iso(revert.at - BEFORE_MS),
      to: iso(settled + AFTER_MS),
      max_points: 120,
      limit: watched.length,
    }),
  );
  if (result === null) return unjudged;
  const read = new Map(readSeriesValues(result).map((v) => [v.id, v]));
  const judge = (among: readonly Movement[]): Array<{ m: Movement; share: number; from: number; to: number }> =>
    among.flatMap((m) => {
      const values = read.get(m.series);
      if (!values) return [];
      const judged = eased(m, pointsIn(values, revert.at - BEFORE_MS, revert.at), pointsIn(values, settled, until));
      return judged === null ? [] : [{ m, ...judged }];
    });
  // The undone change's own service judges only where the shared symptoms cannot.
  const judgedShared = judge(shared);
  const shares = judgedShared.length > 0 ? judgedShared : judge(watched.filter((m) => !shared.includes(m)));
  if (shares.length === 0) return (await judgeUndoInLogs(r, c, revert, until, concerned)) ?? unjudged;
  const better = shares.filter((x) => x.share >= 0.5);
  const paged = shares.find((x) => x.m === signal && x.share >= 0.5);
  // Eased is said of what users feel, a backlog, or the signal the page fired on: a busy signal
  // going back (a CPU, a rate of connections) says the undone change stopped its work, not that
  // the incident ended. Any series going back still keeps the undo from reading as no help.
  const felt = (x: { m: Movement }): boolean => x.m === signal || !BUSY.has(x.m.kind) || x.m.info.meaning.backlog;
  const best = paged ?? [...shares].filter(felt).sort((a, b) => b.share - a.share)[0];
  if ((better.filter(felt).length * 2 > shares.filter(felt).length || paged !== undefined) && best) {
    if (await wentOnAfterRollout(r, c, revert)) return unjudged;
    return { by: revert, eased: true, shown: { source: 'metrics', series: best.m.series, display: best.m.display, from: best.from, to: best.to, share: best.share } };
  }
  return better.length === 0 && until - settled >= NO_HELP_AFTER_MS ? { by: revert, eased: false, shown: null } : unjudged;
}

/**
 * Weighs the undoing of each suspect still standing, and of each ruled out only because nothing
 * tied its service to the symptoms: an undo after the onset that eased them is an experiment the
 * responders ran, which ties it where the names did not. Returns whether an undo eased them (the
 * suspects are then assessed again, and weighed from what was judged here).
 */
export async function weighReverts(r: Replay, c: Case, episode: Episode, suspects: readonly Suspect[], budget: number): Promise<boolean> {
  const strongest = episode.symptoms
    .filter((m) => m.info.service === (episode.first?.info.service ?? c.paged) || m.info.service === c.paged)
    .sort((a, b) => b.strength - a.strength || (a.series < b.series ? -1 : 1));
  // The signal the page fired on is always watched: when it eased, what the responders undid
  // helped with what they were paged for, whatever a latency the load holds up still says.
  const signal = pagedSignal(c, episode.symptoms);
  const shared = (signal === null ? strongest : [signal, ...strongest.filter((m) => m !== signal)]).slice(0, MAX_SERIES);
  let calls = 0;
  let revived = false;
  for (const suspect of suspects) {
    const offPath = suspect.ruledOut !== null && suspect.offPath;
    if (suspect.ruledOut !== null && !offPath) continue;
    const revert = undoing(c, episode, suspect.change);
    if (!revert) continue;
    let judged = c.undos.get(suspect.change.id);
    if (judged === undefined) {
      // The undone change's own service is read too: where the symptoms above cannot judge the undo
      // (an age that trails a backlog), the backlog itself sits there.
      const own = episode.symptoms
        .filter((m) => m.info.service !== null && m.info.service === suspect.change.service && !shared.includes(m))
        .sort((a, b) => b.strength - a.strength || (a.series < b.series ? -1 : 1))[0];
      const watched = own === undefined ? shared : [...shared, own];
      if (calls >= budget) {
        if (!offPath) suspect.undone = { by: revert, eased: null };
        continue;
      }
      calls += 1;
      judged = await judgeUndo(r, c, suspect.change, revert, shared, watched, signal);
      c.undos.set(suspect.change.id, judged);
    }
    // Found eased, the change is assessed again: tied to the symptoms if nothing tied it before,
    // and with its wait answered (no later change is held against it).
    revived ||= judged.eased === true;
    if (offPath) continue;
    suspect.undone = { by: revert, eased: judged.eased };
    if (judged.eased === true && judged.shown !== null) {
      const { source, series, display, from, to } = judged.shown;
      addFinding(suspect, 'undo_eased', `the symptoms eased after ${revert.id} undid it (${display}: ${level(from)} → ${level(to)})`, [
        { source, ref: series, detail: `back towards normal after ${revert.id} at ${iso(revert.at)}: ${level(from)} → ${level(to)}` },
        { source: 'changes', ref: revert.id, detail: `${revert.type} at ${iso(revert.at)} undid ${suspect.change.id}` },
      ]);
      if (judged.shown.share >= RECOVERED) addFinding(suspect, 'undo_ended', `they went back to normal, not only eased, and stayed there while nothing else was undone`);
    } else if (judged.eased === false) {
      addFinding(suspect, 'undo_no_help', `undoing it (${revert.id}) did not help`);
    }
  }
  // The symptoms went back to normal when one change was undone, while another was still in
  // effect: that other one is not what held them up (both stages of one rollout are one change,
  // undone together). Eased only part of the way, it weighs against the other; back to normal, it clears it.
  const easedBy = suspects.filter((s) => s.ruledOut === null && s.undone?.eased === true);
  for (const suspect of suspects) {
    if (suspect.ruledOut !== null || suspect.undone?.eased === true || easedBy.length === 0) continue;
    const ended = easedBy.find((s) => s.undone !== null && s.change.id !== suspect.change.id && (suspect.undone === null || suspect.undone.by.at > s.undone.by.at));
    if (!ended?.undone) continue;
    const text = `the symptoms eased when ${ended.undone.by.id} undid ${ended.change.id}, while it was still in effect`;
    if ((c.undos.get(ended.change.id)?.shown?.share ?? 0) >= RECOVERED) suspect.ruledOut = `${text.replace('eased', 'went back to normal')}: it is not what held them up`;
    else addFinding(suspect, 'outlived_by_recovery', text);
  }
  return revived;
}
