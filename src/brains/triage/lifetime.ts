// A lifetime cut, run out later. A change shortens how long something it issues stays valid
// (a token, a session, a lease): nothing fails when it lands, because what was issued before
// keeps its old lifetime. What is issued from then on (at the change, or when a client restarts
// and fetches a new one) expires one new lifetime later, and a client that never refreshes is
// cut off then. An on-call engineer reads it from the clock: the expiry errors began at the
// onset, and the onset is the new lifetime after the change or after a restart that fetched.
// The issuer never looks sick, so nothing else puts it on the path.
import type { Case, Movement } from './case.js';
import { freshProblem } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { ownerOf } from './log-symptoms.js';
import { finding, type Finding } from './model.js';
import type { PathLink } from './path.js';
import { minutes } from './prose.js';
import { templateText, type ChangeInfo, type TemplateInfo } from './read.js';
import { escapeRegExp } from '../../regexp.js';
import type { RiskSignalInfo } from './read-diff.js';

/** Edits that shorten a lifetime. */
const SHORTENED = new Set<RiskSignalInfo['kind']>(['cache_ttl_shortened']);
/** Words of a line that says something ran out of its lifetime. */
const EXPIRED = /\bexpir(?:ed|y|es)\b|_expired\b|\btoken (?:is )?no longer valid\b/i;
/** How close to the onset the expiry errors must begin, and the issue time must fall. */
const NEAR_MS = 10 * 60_000;
/** A duration with its unit: `1h`, `90m`, `3600s`, `500ms`, `2d`. */
const DURATION = /^\s*["']?(\d+(?:\.\d+)?)\s*(ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)["']?\s*$/i;

/** A duration written with its unit, in milliseconds; null without a unit (its meaning is the key's). */
export function durationMs(text: string | null): number | null {
  const m = text === null ? null : DURATION.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] as string).toLowerCase();
  const scale = unit === 'ms' ? 1 : unit.startsWith('s') ? 1_000 : unit.startsWith('m') ? 60_000 : unit.startsWith('h') ? 3_600_000 : 86_400_000;
  return n * scale;
}

export interface LifetimeRunOut {
  /** The lifetime the change set. */
  lifetimeMs: number;
  /** When what expired was issued: the change itself, or a restart that fetched anew. */
  issuedAt: number;
  issuedBy: ChangeInfo;
  /** The first expiry error, at the onset. */
  expired: TemplateInfo;
  /** Found by the lifetime its lines quote, not by the clock alone. */
  quoted?: boolean;
}

/**
 * The first expiry error that began at the onset, if any: found once per assessment. With one,
 * the diffs of changes that show no symptom are worth reading for a lifetime they cut.
 */
export function expiredAtOnset(c: Case, episode: Episode): TemplateInfo | undefined {
  return c.templates
    .filter((t) => freshProblem(t) && t.firstSeen !== null && Math.abs(t.firstSeen - episode.onset) <= NEAR_MS && EXPIRED.test(templateText(t)))
    .sort((a, b) => (a.firstSeen as number) - (b.firstSeen as number))[0];
}

/** The expiry the change's shortened lifetime predicts, when the logs show one (`expired`) at the onset. */
export function lifetimeRunOut(c: Case, expired: TemplateInfo | undefined, change: ChangeInfo): LifetimeRunOut | null {
  const diff = c.diffs.get(change.id);
  const lifetimes = (diff?.riskSignals ?? [])
    .filter((s) => SHORTENED.has(s.kind))
    .map((s) => durationMs(s.newValue))
    .filter((ms): ms is number => ms !== null && ms > 0);
  if (lifetimes.length === 0) return null;
  if (expired === undefined || expired.firstSeen === null) return null;
  const at = expired.firstSeen;
  // The clients the expiry errors are about: who logged them, and whom they name.
  const about = new Set([...c.topology.mentions(templateText(expired)), ownerOf(c, expired)]);
  const restarts = c.changes.filter((x) => x.at > change.at && x.at < at && x.service !== null && about.has(x.service));
  for (const lifetimeMs of lifetimes) {
    // Issued at the change, or at a restart after it of a client the errors are about (it fetched anew).
    const issuedBy = [change, ...restarts].find((x) => Math.abs(x.at + lifetimeMs - at) <= NEAR_MS);
    if (issuedBy !== undefined) return { lifetimeMs, issuedAt: issuedBy.at, issuedBy, expired };
  }
  return null;
}

/**
 * Lines that began at the onset saying what they hold expired, quoting the very lifetime the change
 * set as it wrote it (`hold expired … hold_ttl=90m`): what the change issued ran out, whatever grace
 * or sweep interval stands between its lifetime and the onset, and whatever level those lines log at.
 */
export function quotedLifetime(c: Case, onset: number, change: ChangeInfo): LifetimeRunOut | null {
  const shortened = (c.diffs.get(change.id)?.riskSignals ?? []).filter((s) => SHORTENED.has(s.kind) && s.newValue !== null && durationMs(s.newValue) !== null);
  for (const risk of shortened) {
    const written = (risk.newValue as string).trim().replace(/^["']|["']$/g, '');
    const quoted = new RegExp(`(?<![\\w.])${escapeRegExp(written)}(?![\\w.])`);
    const expired = c.templates.find(
      (t) => t.firstSeen !== null && t.firstSeen > change.at && Math.abs(t.firstSeen - onset) <= NEAR_MS && (t.flag === 'new' || t.flag === 'spiking') && ((text) => EXPIRED.test(text) && quoted.test(text))(templateText(t)),
    );
    if (expired !== undefined) return { lifetimeMs: durationMs(written) as number, issuedAt: change.at, issuedBy: change, expired, quoted: true };
  }
  return null;
}

/** The issuer is on the path of the clients cut off when its shorter lifetime ran out. */
export function lifetimePath(run: LifetimeRunOut | null): PathLink | null {
  if (run === null) return null;
  return { reason: `what it issues expired at the onset, ${minutes(run.lifetimeMs)} (its new lifetime) after ${run.issuedBy.id} (${iso(run.issuedAt)})`, movement: null, log: null };
}

export function lifetimeFinding(run: LifetimeRunOut | null, change: ChangeInfo): Finding | null {
  if (run === null) return null;
  const when = run.issuedBy.id === change.id ? 'it took effect' : `${run.issuedBy.id} restarted what fetches it`;
  const after = run.quoted === true ? `and the lines saying what it holds expired, quoting that lifetime, began at the onset` : 'and exactly that long after, the expiry errors began';
  return finding(
    'lifetime_ran_out',
    `it cut a lifetime to ${minutes(run.lifetimeMs)}; ${when} at ${iso(run.issuedAt)}, ${after} (${run.expired.example}): what was issued then ran out, which answers the wait`,
    [{ source: 'logs', ref: run.expired.example, detail: `${run.expired.firstSeen === null ? '' : `${iso(run.expired.firstSeen)} `}${run.expired.sample.slice(0, 200)}` }],
  );
}

/** How close to one new lifetime after the change its service's first symptom must begin: a fifth of it, within bounds. */
const TTL_NEAR_MIN_MS = 2 * 60_000;
function ttlNear(lifetimeMs: number): number {
  return Math.min(NEAR_MS, Math.max(TTL_NEAR_MIN_MS, lifetimeMs / 5));
}

/** A cache's entries outlived by the change: the first symptom of its service came one new lifetime after it. */
export interface EntriesRanOut {
  lifetimeMs: number;
  symptom: Movement;
}

/**
 * A cache lifetime cut (24h to 30m): entries written before the change keep their old lifetime,
 * those written after it expire one new lifetime later, and only then do reads begin to miss.
 * The changed service's first symptom after the change, beginning that long after it, is the
 * clock showing what expired; no expiry line need say so (a miss reads "not found").
 */
export function entriesRanOut(c: Case, symptoms: readonly Movement[], change: ChangeInfo): EntriesRanOut | null {
  if (change.service === null) return null;
  const lifetimes = (c.diffs.get(change.id)?.riskSignals ?? [])
    .filter((s) => SHORTENED.has(s.kind))
    .map((s) => durationMs(s.newValue))
    .filter((ms): ms is number => ms !== null && ms > 0);
  const first = symptoms.filter((m) => m.info.service === change.service && m.onset >= change.at).sort((a, b) => a.onset - b.onset)[0];
  if (first === undefined) return null;
  const lifetimeMs = lifetimes.find((ms) => Math.abs(change.at + ms - first.onset) <= ttlNear(ms));
  return lifetimeMs === undefined ? null : { lifetimeMs, symptom: first };
}

export function entriesRanOutFinding(run: EntriesRanOut | null, change: ChangeInfo): Finding | null {
  if (run === null) return null;
  return finding(
    'lifetime_ran_out',
    `it cut a cache lifetime to ${minutes(run.lifetimeMs)}, and ${change.service ?? 'its service'} first degraded ${minutes(run.symptom.onset - change.at)} after it took effect (${run.symptom.display}): the entries written since it expired then, while those from before kept their old lifetime, which answers the wait`,
    [{ source: 'metrics', ref: run.symptom.series, detail: `${run.symptom.kind} ${run.symptom.direction} from ${iso(run.symptom.onset)}, ${minutes(run.symptom.onset - change.at)} after ${change.id}` }],
  );
}

/**
 * A token no longer refreshed: the change made each process fetch its token once and keep it.
 * Its processes started with fresh tokens, so nothing failed then; the expiry errors that began
 * at the onset, after it, are those tokens running out. The lifetime need not be known: the
 * clock of the errors, after the change and never before, says it ran out.
 */
export function neverRefreshedFinding(c: Case, expired: TemplateInfo | undefined, change: ChangeInfo): Finding | null {
  const risk = (c.diffs.get(change.id)?.riskSignals ?? []).find((s) => s.kind === 'refresh_removed');
  if (risk === undefined || expired === undefined || expired.firstSeen === null || expired.firstSeen <= change.at) return null;
  return finding(
    'lifetime_ran_out',
    `it stopped refreshing its token (${risk.code}); the expiry errors began at ${iso(expired.firstSeen)}, ${minutes(expired.firstSeen - change.at)} after it took effect (${expired.example}): the tokens its processes fetched when they started ran out, which answers the wait`,
    [
      { source: 'logs', ref: expired.example, detail: `${iso(expired.firstSeen)} ${expired.sample.slice(0, 200)}` },
      { source: 'diffs', ref: risk.patch, detail: `${risk.detail} at ${risk.code}` },
    ],
  );
}
