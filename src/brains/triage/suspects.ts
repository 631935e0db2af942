// Each change weighed as a suspect, the way an on-call engineer weighs it: did it take
// effect before the symptoms (and how close), is its service on the causal path, does its
// diff show a risky edit, did its own service move right after it, do the logs agree.
// A change after the onset, or off the path, is ruled out with the reason why.
import type { Evidence } from '../../protocol/diagnosis.js';
import type { Case } from './case.js';
import { freshProblem, servicesOfRef } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { pathTo, type PathLink } from './path.js';
import type { ChangeInfo, RiskSignalInfo } from './read.js';
import { level, minutes } from './prose.js';

export interface Suspect {
  change: ChangeInfo;
  /** Why it cannot be the cause; null while it remains a suspect. */
  ruledOut: string | null;
  score: number;
  /** True when something besides timing and position points at it (diff, effect, flag, logs). */
  corroborated: boolean;
  /** True when the code or config it shipped shows a risky edit (its diff, or the code its flag turns on). */
  risky: boolean;
  path: PathLink | null;
  /** Findings for and against, in words. */
  findings: string[];
  evidence: Evidence[];
  /** The risky edits its diff (or the code its flag turns on) shows. */
  risks: RiskSignalInfo[];
}

/** Changes this long before the onset are history, not suspects. */
const HORIZON_MS = 24 * 3600_000;
const INNOCENT_SUMMARY = /\b(no behaviou?r change|refactor|cosmetic|copy|wording|typo|translations?|docs?|documentation|readme|comments?)\b/i;

function timingScore(gapMs: number): number {
  if (gapMs <= 5 * 60_000) return 3;
  if (gapMs <= 15 * 60_000) return 2;
  if (gapMs <= 60 * 60_000) return 1;
  return 0;
}

/** The flag key a feature-flag change switches, when the record says. */
function flagKey(change: ChangeInfo): string | null {
  for (const key of ['flag', 'flag_key', 'key', 'name']) {
    const value = change.attributes[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/** Code paths guarded by this flag in any diff read (the release that shipped them dark). */
function guardedPaths(c: Case, change: ChangeInfo): RiskSignalInfo[] {
  const key = flagKey(change);
  const out: RiskSignalInfo[] = [];
  for (const [id, diff] of [...c.diffs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (id === change.id) continue;
    for (const signal of diff.riskSignals) {
      if (signal.kind !== 'flag_guard') continue;
      const name = /"([^"]+)"/.exec(signal.detail)?.[1] ?? null;
      if (name === null) continue;
      if (name === key || (key === null && change.summary.includes(name))) out.push(signal);
    }
  }
  return out;
}

function effectWindowMs(change: ChangeInfo): number {
  const rollout = change.finishedAt !== null ? change.finishedAt - change.at : 0;
  return Math.max(5 * 60_000, rollout + 2 * 60_000);
}

export function assessChange(c: Case, episode: Episode, change: ChangeInfo, slackMs: number): Suspect {
  const suspect: Suspect = { change, ruledOut: null, score: 0, corroborated: false, risky: false, path: null, findings: [], evidence: [], risks: [] };
  const gap = episode.onset - change.at;
  if (gap < -slackMs) {
    suspect.ruledOut = `it took effect at ${iso(change.at)}, ${minutes(-gap)} after the onset (${iso(episode.onset)})`;
    return suspect;
  }
  if (gap > HORIZON_MS) {
    suspect.ruledOut = `it took effect ${minutes(gap)} before the onset, too long before to explain a sudden change`;
    return suspect;
  }
  const service = change.service;
  const path = service === null ? null : pathTo(c, episode, service, change.at, slackMs);
  if (path === null) {
    suspect.ruledOut =
      service === null
        ? 'it names no service, so nothing ties it to the symptoms'
        : `${service} shows no symptom of its own before ${c.paged ?? 'the paged service'} degraded, and the degradation is not specific to ${service}`;
    return suspect;
  }
  suspect.path = path;
  const rolledInto = change.finishedAt !== null && change.finishedAt + slackMs >= episode.onset;
  suspect.score += timingScore(rolledInto ? 0 : Math.max(0, gap)) + 2;
  suspect.findings.push(`took effect ${gap > 0 ? `${minutes(gap)} before` : 'at'} the onset${rolledInto ? ' (its rollout was still going on)' : ''}`, path.reason);
  suspect.evidence.push({ source: 'changes', ref: change.id, detail: `${change.type} of ${service ?? 'an unnamed service'} at ${iso(change.at)}: ${change.summary}` });
  if (path.movement) {
    const m = path.movement;
    suspect.evidence.push({ source: 'metrics', ref: m.series, detail: `${m.kind} ${m.direction} from ${level(m.before)} to ${level(m.after)} at ${iso(m.onset)}` });
  }

  const diff = c.diffs.get(change.id);
  if (diff && diff.riskSignals.length > 0) {
    suspect.score += 2;
    suspect.corroborated = true;
    suspect.risky = true;
    suspect.risks.push(...diff.riskSignals);
    const first = diff.riskSignals[0] as RiskSignalInfo;
    suspect.findings.push(`its diff ${first.detail} (${first.code})`);
    suspect.evidence.push({ source: 'diffs', ref: first.patch, detail: `${first.kind}: ${first.detail} at ${first.code}` });
  } else if (diff && change.type === 'deploy') {
    suspect.score -= 1;
    suspect.findings.push('its diff shows no risky edit');
  }
  if (change.type === 'feature_flag') {
    const guarded = guardedPaths(c, change);
    if (guarded.length > 0) {
      const first = guarded[0] as RiskSignalInfo;
      suspect.score += 2;
      suspect.corroborated = true;
      suspect.risky = true;
      suspect.risks.push(...guarded);
      suspect.findings.push(`the flag turns on a new code path (${first.code})`);
      suspect.evidence.push({ source: 'diffs', ref: first.patch, detail: `code path behind the flag: ${first.detail}` });
    }
  }
  if (INNOCENT_SUMMARY.test(change.summary)) {
    suspect.score -= 1;
    suspect.findings.push(`its description ("${change.summary}") promises no behaviour change`);
  }
  // On the paged service itself, symptoms and errors right after the change say no more
  // than its timing does: they are reported, but only count for a change elsewhere, where
  // they show the changed service itself reacting.
  const independent = service !== c.paged;
  const until = change.at + effectWindowMs(change);
  const effect = c.movements
    .filter((m) => m.info.service === service && m.onset >= change.at - slackMs && m.onset <= until)
    .sort((a, b) => a.onset - b.onset || b.strength - a.strength)[0];
  if (effect) {
    if (independent) {
      suspect.score += 1;
      suspect.corroborated = true;
    }
    suspect.findings.push(`${service} moved right after it (${effect.series} from ${level(effect.before)} to ${level(effect.after)} at ${iso(effect.onset)})`);
    if (!suspect.evidence.some((e) => e.ref === effect.series)) suspect.evidence.push({ source: 'metrics', ref: effect.series, detail: `moved at ${iso(effect.onset)}, right after ${change.id}` });
  }
  // Errors that began right after the change, in its own logs or the paged service's.
  const logged = c.templates.find((t) => {
    if (!freshProblem(t)) return false;
    if (t.firstSeen === null || t.firstSeen < change.at - slackMs || t.firstSeen > until) return false;
    const owners = servicesOfRef(c, t.example);
    return service !== null && (owners.includes(service) || (c.paged !== null && owners.includes(c.paged)));
  });
  if (logged) {
    if (independent) {
      suspect.score += 1;
      suspect.corroborated = true;
    }
    suspect.findings.push(`new log errors began right after it: "${logged.template}" (${logged.example})`);
    suspect.evidence.push({ source: 'logs', ref: logged.example, detail: `${logged.flag} after the onset: ${logged.template}` });
  }
  return suspect;
}

export function assessChanges(c: Case, episode: Episode, slackMs: number): Suspect[] {
  const suspects = [...c.changes].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1)).map((change) => assessChange(c, episode, change, slackMs));
  // A later change on the path sits closer to the onset: the earlier one must explain the wait.
  for (const suspect of suspects) {
    if (suspect.ruledOut !== null) continue;
    const closer = suspects.find((other) => other.ruledOut === null && other.change.at > suspect.change.at);
    if (closer) {
      suspect.score -= 1;
      suspect.findings.push(`${closer.change.id} came later and closer to the onset`);
    }
  }
  return suspects;
}
