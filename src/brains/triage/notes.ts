// The hypotheses recorded with note_hypothesis, so the report can answer "why not the
// deploy?": the conclusion first, then every suspect and cause weighed and why it fell.
// When the budget is short, changes ruled out for the same reason share one note.
import type { Evidence } from '../../protocol/diagnosis.js';
import type { Case } from './case.js';
import { causeEvidence, causeTexts, type Cause } from './causes.js';
import type { Conclusion } from './decide.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { listing } from './prose.js';
import { corroborated, evidenceOf, findingTexts, type Suspect } from './suspects.js';

type Note = Record<string, unknown>;

function note(id: number, statement: string, status: 'supported' | 'refuted' | 'proposed', extra: { change_id?: string | null; service?: string | null; evidence?: Evidence[] }): Note {
  return { id: `h${id}`, statement, status, change_id: extra.change_id ?? null, service: extra.service ?? null, evidence: extra.evidence ?? [] };
}

export function hypothesisNotes(c: Case, episode: Episode, suspects: readonly Suspect[], causes: readonly Cause[], conclusion: Conclusion, max: number): Note[] {
  if (max <= 0) return [];
  const notes: Note[] = [];
  let n = 0;
  const chosen = conclusion.kind === 'change' ? conclusion.suspect : null;
  const chosenCause = conclusion.kind === 'cause' ? conclusion.cause : null;
  if (chosen) {
    notes.push(note(++n, `${chosen.change.id} caused the incident: ${listing(findingTexts(chosen))}`, 'supported', { change_id: chosen.change.id, service: chosen.change.service, evidence: evidenceOf(chosen) }));
  } else if (chosenCause) {
    notes.push(note(++n, `${chosenCause.statement}: ${listing(causeTexts(chosenCause))}`, 'supported', { service: chosenCause.service, evidence: causeEvidence(chosenCause) }));
  } else if (conclusion.kind === 'unknown') {
    notes.push(note(++n, `The cause cannot be established from the bundle: ${conclusion.reason}`, 'proposed', { evidence: [] }));
  }

  const standing = suspects.filter((s) => s.ruledOut === null && s !== chosen);
  for (const s of standing) {
    const why = standingWhy(s, chosen, chosenCause);
    notes.push(note(++n, `${s.change.id} (${s.change.type} of ${s.change.service ?? 'no service'}) is not the cause: ${why}; ${listing(findingTexts(s))}`, 'refuted', { change_id: s.change.id, service: s.change.service, evidence: evidenceOf(s) }));
  }
  for (const cause of causes.filter((x) => x !== chosenCause)) {
    notes.push(
      note(++n, `The ${cause.category} reading (${cause.statement}) is not the cause: the evidence for the conclusion is stronger; ${listing(causeTexts(cause))}`, 'refuted', {
        service: cause.service,
        evidence: causeEvidence(cause),
      }),
    );
  }
  // Changes ruled out before weighing: one note each while the budget lasts, then grouped by reason.
  const ruledOut = suspects.filter((s) => s.ruledOut !== null);
  const before = ruledOut.filter((s) => s.change.at <= episode.onset);
  const after = ruledOut.filter((s) => s.change.at > episode.onset);
  const room = max - notes.length - (after.length > 0 ? 1 : 0);
  const single = before.length <= room ? before : before.slice(0, Math.max(0, room - 1));
  for (const s of single) {
    notes.push(note(++n, `${s.change.id} (${s.change.type} of ${s.change.service ?? 'no service'}) is not the cause: ${s.ruledOut}`, 'refuted', { change_id: s.change.id, service: s.change.service }));
  }
  const rest = before.slice(single.length);
  if (rest.length > 0) notes.push(note(++n, `${listing(rest.map((s) => s.change.id))} are not the cause: none is on the causal path before the onset`, 'refuted', {}));
  if (after.length > 0) {
    notes.push(note(++n, `${listing(after.map((s) => s.change.id))} took effect after the onset (${iso(episode.onset)}) and cannot have caused it`, 'refuted', {}));
  }
  return notes.slice(0, Math.max(0, max));
}

/** Why a suspect still standing after the weighing is not the conclusion. */
function standingWhy(s: Suspect, chosen: Suspect | null, cause: Cause | null): string {
  if (!corroborated(s)) {
    return s.change.service !== null && s.path?.movement === null && s.path.log === null
      ? `only its timing and its place on the paged service point at it (symptoms there right after it say no more than its timing)`
      : 'only its timing and its place on the causal path point at it';
  }
  if (chosen) return `the case against ${chosen.change.id}, the change blamed, is stronger`;
  if (cause) return `${cause.statement} explains the symptoms better`;
  return 'the evidence is not strong enough to blame it';
}
