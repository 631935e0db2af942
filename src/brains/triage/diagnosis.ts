// The diagnosis submitted at the end, assembled from the conclusion and the case: a
// summary to read aloud, the root cause, evidence with the exact references the tools
// printed, a remediation plan and a timeline that states the onset.
import type { Diagnosis, Evidence } from '../../protocol/diagnosis.js';
import type { Case } from './case.js';
import type { Conclusion } from './decide.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { listing, minutes, movedLevel } from './prose.js';
import { mechanism } from './story.js';
import { causeEvidence, causeTexts, type Cause } from './causes.js';
import { evidenceOf, findingTexts } from './suspects.js';
import { remediationFor } from './remedy.js';

const MAX_EVIDENCE = 8;

function dedupe(evidence: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((e) => (seen.has(e.ref) ? false : (seen.add(e.ref), true))).slice(0, MAX_EVIDENCE);
}

function onsetEvidence(episode: Episode): Evidence[] {
  const first = episode.first;
  if (first) {
    return [{ source: 'metrics', ref: first.series, detail: `${first.display} left its normal band at ${iso(first.onset)}: ${movedLevel(first, first.before)} → ${movedLevel(first, first.after)}` }];
  }
  const log = episode.firstLog;
  return log ? [{ source: 'logs', ref: log.template.example, detail: `first of the new errors of ${log.service}, at ${iso(log.onset)}: ${log.template.template}` }] : [];
}

/** When and how the incident began, as a clause. */
function onsetClause(c: Case, episode: Episode): string {
  if (episode.first) return `${episode.first.info.service ?? 'the paged service'} began to degrade at ${iso(episode.onset)} (${episode.first.display})`;
  if (episode.firstLog) return `${episode.firstLog.service} began to log "${episode.firstLog.template.template}" at ${iso(episode.onset)}`;
  return c.page ? `the page fired at ${iso(c.alertAt)}` : `nothing dates the onset before the end of the data (${iso(c.alertAt)})`;
}

function timeline(c: Case, episode: Episode, conclusion: Conclusion): Diagnosis['timeline'] {
  const entries: Diagnosis['timeline'] = [];
  if (conclusion.kind === 'change') {
    const { change, undone } = conclusion.suspect;
    entries.push({ at: iso(change.at), event: `${change.id} (${change.type} of ${change.service ?? 'an unnamed service'}) took effect: ${change.summary}` });
    if (undone) entries.push({ at: iso(undone.by.at), event: `${undone.by.id} undid ${change.id}${undone.eased === true ? '; the symptoms eased' : undone.eased === false ? '; the symptoms did not ease' : ''}` });
  }
  if (conclusion.kind === 'cause' && conclusion.cause.signature !== null) {
    const hit = c.signatures.filter((h) => h.kind === conclusion.cause.signature && h.t !== null).sort((a, b) => (a.t as number) - (b.t as number))[0];
    if (hit?.t != null) entries.push({ at: iso(hit.t), event: `first log line of the failure (${hit.ref})` });
  }
  // A blamed rollout whose own signal showed a few minutes before its record's time: the
  // incident is dated from the rollout, and the earlier first sign is said as such.
  const rollout = conclusion.kind === 'change' && conclusion.suspect.change.at > episode.onset ? conclusion.suspect.change : null;
  if (episode.first && rollout) {
    entries.push({
      at: iso(rollout.at),
      event: `Onset: ${rollout.id} rolled out; ${episode.first.display} had begun to leave its normal band at ${iso(episode.onset)}, as its first pods started (${movedLevel(episode.first, episode.first.before)} → ${movedLevel(episode.first, episode.first.after)})`,
    });
  } else if (episode.first) {
    entries.push({ at: iso(episode.onset), event: `Onset: ${episode.first.display} left its normal band (${movedLevel(episode.first, episode.first.before)} → ${movedLevel(episode.first, episode.first.after)})` });
  } else if (episode.firstLog) {
    entries.push({ at: iso(episode.onset), event: `Onset: ${episode.firstLog.service} first logged "${episode.firstLog.template.template}" (${episode.firstLog.template.example})` });
  }
  const shown = new Set<string>([episode.first?.info.service ?? episode.firstLog?.service ?? '']);
  for (const m of episode.symptoms) {
    const service = m.info.service;
    if (service === null || shown.has(service) || entries.length >= 6) continue;
    shown.add(service);
    entries.push({ at: iso(m.onset), event: `${service} degraded (${m.display})` });
  }
  if (c.page) entries.push({ at: iso(c.alertAt), event: `Page fired${c.page.title ? `: ${c.page.title}` : ''}` });
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export function buildDiagnosis(c: Case, episode: Episode, conclusion: Conclusion): Diagnosis {
  return withUnread(c, assemble(c, episode, conclusion));
}

/** The diagnosis says which files it could not weigh, and why: a limit of what it rests on. */
function withUnread(c: Case, diagnosis: Diagnosis): Diagnosis {
  const unread = c.unread ?? [];
  if (unread.length === 0) return diagnosis;
  const named = unread.slice(0, 3).map((line) => (line.length > 160 ? `${line.slice(0, 160)}…` : line));
  const more = unread.length > 3 ? ` and ${unread.length - 3} more` : '';
  return { ...diagnosis, summary: `${diagnosis.summary} Not weighed, because they could not be read: ${named.join('; ')}${more}.` };
}

function assemble(c: Case, episode: Episode, conclusion: Conclusion): Diagnosis {
  const paged = c.paged ?? 'the paged service';
  const onsetText = onsetClause(c, episode);
  const remediation = remediationFor(conclusion, c.changes, c.paged);
  if (conclusion.kind === 'change') {
    const { suspect, category } = conclusion;
    const { change } = suspect;
    const gap = Math.max(0, episode.onset - change.at);
    const when = gap === 0 ? 'as it took effect' : `${minutes(gap)} after it took effect`;
    return {
      summary: `${change.id}, the ${change.type.replace('_', ' ')} change of ${change.service ?? 'an unnamed service'} at ${iso(change.at)} ("${change.summary}"), caused the incident on ${paged}: ${mechanism(suspect, episode, c.changes)}. ${capitalised(onsetText)}, ${when}. ${remediation[0]?.detail ?? ''}`.trim(),
      root_cause: {
        category,
        service: change.service,
        change_id: change.id,
        description: `${change.summary}. ${capitalised(listing(findingTexts(suspect)))}.`,
      },
      confidence: conclusion.confidence,
      evidence: dedupe([...evidenceOf(suspect), ...onsetEvidence(episode)]),
      remediation,
      timeline: timeline(c, episode, conclusion),
    };
  }
  if (conclusion.kind === 'cause') {
    const { cause } = conclusion;
    return {
      summary: `No change explains the incident on ${paged}: ${cause.statement}. ${capitalised(onsetText)}. ${capitalised(listing(causeTexts(cause)))}. ${remediation[0]?.detail ?? ''}`.trim(),
      root_cause: { category: cause.category, service: causeService(c, cause), change_id: null, description: `${capitalised(cause.statement)}. ${capitalised(listing(causeTexts(cause)))}.` },
      confidence: conclusion.confidence,
      evidence: dedupe([...causeEvidence(cause), ...onsetEvidence(episode)]),
      remediation,
      timeline: timeline(c, episode, conclusion),
    };
  }
  return {
    summary: `The cause of the incident on ${paged} could not be established from the bundle (${onsetText}): ${conclusion.reason}. No change is blamed.`,
    root_cause: { category: 'unknown', service: null, change_id: null, description: capitalised(conclusion.reason) + '.' },
    confidence: conclusion.confidence,
    evidence: dedupe(onsetEvidence(episode)),
    remediation,
    timeline: timeline(c, episode, conclusion),
  };
}

/**
 * Where a cause lives, as the diagnosis names it: a dependency counts as a service only when
 * it is one of the bundle's own services; a third party it merely calls is named in the
 * words, and the service is left empty (spec/bundle.md, "The diagnosis").
 */
function causeService(c: Case, cause: Cause): string | null {
  if (cause.category !== 'dependency' || cause.service === null) return cause.service;
  return c.topology.services.includes(cause.service) ? cause.service : null;
}

/** A sentence's first letter raised, unless its first word is a name as written (`auction-state`, `cfg_7`, `db2`): a name keeps its spelling. */
function capitalised(text: string): string {
  if (/^[a-z][a-z0-9]*[-_.0-9]/.test(text)) return text;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
