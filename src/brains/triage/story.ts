// The mechanism in one sentence, for the summary an incident commander reads aloud: what
// the change did (the edit its diff shows, the flag it switched, what it rolled back) and
// the symptom that edit explains.
import { revertedBy } from './reverts.js';
import type { Episode } from './episode.js';
import { flagKeyOf, newCodeWords } from './identifiers.js';
import { minutes, movedLevel } from './prose.js';
import type { ChangeInfo } from './read.js';
import { leadingRisk, riskInWords } from './edit-traits.js';
import type { Suspect } from './suspects.js';

/** What the change did, when its diff or its record says more than its summary (already quoted). */
function whatItDid(suspect: Suspect, changes: readonly ChangeInfo[]): string | null {
  const { change } = suspect;
  // A conversion edit whose effect was measured is what the change did, before any other edit.
  const measured = suspect.findings.some((f) => f.kind === 'output_rescaled') ? suspect.risks.find((r) => r.kind === 'unit_mismatch') : undefined;
  const risk = measured ?? leadingRisk(suspect.risks);
  if (risk) return `its diff: ${riskInWords(risk)}`;
  if (change.type === 'rollback') {
    const reverted = revertedBy(change, changes);
    if (reverted) return `it undid ${reverted.id} ("${reverted.summary}"), ${minutes(change.at - reverted.at)} after that had shipped`;
  }
  const flag = flagKeyOf(change);
  if (change.type === 'feature_flag' && flag !== null) return `it switched the flag ${flag}`;
  return null;
}

function symptomItExplains(suspect: Suspect, episode: Episode): string | null {
  if (suspect.identifierHit?.newCode) return `the new errors are thrown from ${suspect.identifierHit.newCode}, ${newCodeWords(suspect.identifierHit.newCode)} (${suspect.identifierHit.ref})`;
  if (suspect.identifierHit) return `the new errors name ${suspect.identifierHit.identifier}, which it ${suspect.identifierHit.setValue ? 'set' : 'touches'} (${suspect.identifierHit.ref})`;
  const work = suspect.newWork;
  if (work) return `${work.display} ${work.how} the moment it took effect`;
  const m = suspect.path?.movement ?? null;
  if (m) return `${m.display} went from ${movedLevel(m, m.before)} to ${movedLevel(m, m.after)}`;
  const log = suspect.path?.log ?? null;
  if (log) return `${log.service} began to log "${log.template.template}"`;
  const first = episode.first;
  if (first) return `${first.display} went from ${movedLevel(first, first.before)} to ${movedLevel(first, first.after)}`;
  return null;
}

export function mechanism(suspect: Suspect, episode: Episode, changes: readonly ChangeInfo[]): string {
  const parts = [whatItDid(suspect, changes), symptomItExplains(suspect, episode)].filter((x): x is string => x !== null);
  return parts.length > 0 ? parts.join(', and ') : 'it is the only change on the causal path that its timing and evidence single out';
}
