// The end of an investigation: record every hypothesis with why it stands or falls,
// submit the diagnosis, correct it if the verifier rejects a claim (or fall back to
// unknown), ask to run the remediation action that fits, and say what was found.
import { CATEGORIES, type Category, type Diagnosis } from '../../protocol/diagnosis.js';
import { readRejection, type VerifierProblem } from '../../protocol/results/index.js';
import type { ToolSpec } from '../../protocol/tools.js';
import type { Case } from './case.js';
import type { Cause } from './causes.js';
import { UNKNOWN_CONFIDENCE, type Conclusion } from './decide.js';
import { buildDiagnosis } from './diagnosis.js';
import type { Episode } from './episode.js';
import { isObject } from './json.js';
import { listing } from './prose.js';
import { actionCall } from './remedy.js';
import type { Replay } from './replay.js';
import type { Suspect } from './suspects.js';
import { hypothesisNotes } from './notes.js';

/** Submissions before giving up: the first, one correction, and a fall back to unknown. */
const MAX_SUBMISSIONS = 3;
/** Below this confidence no action is proposed: a person should not be asked to act on a hunch. */
const ACTION_CONFIDENCE = 0.7;

/** How far under a confidence it must stay below, the brain goes. */
const BELOW_MARGIN = 0.05;

/**
 * The verifier's problems applied to the claim: drop unseen refs, lower confidence, take the
 * category or service it names, drop timeline entries that are not times. Null when a problem
 * cannot be patched (a change after the onset, a change no tool returned, missing proof).
 */
export function corrected(diagnosis: Diagnosis, problems: readonly VerifierProblem[]): Diagnosis | null {
  if (problems.length === 0) return null;
  const next: Diagnosis = structuredClone(diagnosis);
  const unseen = new Set<number>();
  for (const problem of problems) {
    switch (problem.code) {
      case 'evidence_not_seen': {
        const index = problem.path[1];
        if (typeof index !== 'number') return null;
        unseen.add(index);
        break;
      }
      case 'service_mismatch':
        if (typeof problem.expected !== 'string') return null;
        next.root_cause.service = problem.expected;
        break;
      case 'category_mismatch': {
        const allowed = Array.isArray(problem.expected) ? problem.expected.filter((c): c is Category => (CATEGORIES as readonly string[]).includes(c)) : [];
        if (allowed[0] === undefined) return null;
        next.root_cause.category = allowed[0];
        break;
      }
      case 'confidence_too_high':
        if (typeof problem.expected !== 'number') return null;
        next.confidence = Math.min(next.confidence, problem.expected);
        break;
      case 'confidence_uncorroborated':
        if (typeof problem.expected !== 'number') return null;
        next.confidence = Math.min(next.confidence, Math.max(0, problem.expected - BELOW_MARGIN));
        break;
      case 'timeline_time_invalid':
        next.timeline = next.timeline.filter((entry) => !Number.isNaN(Date.parse(entry.at)));
        break;
      default:
        return null;
    }
  }
  next.evidence = next.evidence.filter((_, i) => !unseen.has(i));
  return next;
}

function unknownFrom(diagnosis: Diagnosis, why: string): Diagnosis {
  return {
    ...diagnosis,
    summary: `The cause could not be established: ${why}. No change is blamed.`,
    root_cause: { category: 'unknown', service: null, change_id: null, description: why },
    confidence: Math.min(diagnosis.confidence, UNKNOWN_CONFIDENCE),
    evidence: diagnosis.evidence.filter((e) => e.source === 'metrics'),
    remediation: [{ action: 'other', target: diagnosis.root_cause.service ?? 'the paged service', detail: 'Mitigate the symptoms and keep investigating.', risk: 'low' }],
  };
}

async function submit(r: Replay, first: Diagnosis): Promise<Diagnosis | null> {
  let diagnosis = first;
  for (let attempt = 0; attempt < MAX_SUBMISSIONS && r.left > 0; attempt++) {
    const reply = await r.call('submit_diagnosis', diagnosis as unknown as Record<string, unknown>);
    if (!reply.isError) return diagnosis;
    // A rejection that does not read as the verifier's problems cannot be corrected, only reported.
    const problems = readRejection(reply.json)?.problems ?? [];
    const said = problems.length > 0 ? problems.map((p) => p.message) : [reply.text];
    r.say(`The verifier rejected the diagnosis: ${listing(said)}.`);
    const fixed = diagnosis.root_cause.category === 'unknown' ? null : corrected(diagnosis, problems);
    if (fixed) {
      r.say('Correcting the claim and submitting again.');
      diagnosis = fixed;
    } else if (diagnosis.root_cause.category !== 'unknown') {
      r.say('The claim cannot be supported as it stands, so the diagnosis falls back to unknown.');
      diagnosis = unknownFrom(diagnosis, `the claim against ${diagnosis.root_cause.change_id ?? diagnosis.root_cause.service ?? 'the suspect'} did not hold (${said[0] ?? 'rejected'})`);
    } else {
      return null;
    }
  }
  return null;
}

/** When there is nothing to investigate, the session still ends with an honest unknown. */
export async function submitNothing(r: Replay, why: string): Promise<void> {
  const diagnosis: Diagnosis = {
    summary: `Nothing could be investigated: ${why}. No cause is named.`,
    root_cause: { category: 'unknown', service: null, change_id: null, description: why },
    confidence: 0,
    evidence: [],
    remediation: [{ action: 'other', target: 'the bundle', detail: 'Mount a bundle with the page, metrics, changes and logs, then investigate again.', risk: 'low' }],
    timeline: [],
  };
  if (r.left > 0 && (await submit(r, diagnosis))) r.say(verdictLine(diagnosis));
}

function wantsAction(conclusion: Conclusion): boolean {
  if (conclusion.confidence < ACTION_CONFIDENCE) return false;
  // A change already undone needs no action: asking for it again would repeat what was done.
  if (conclusion.kind === 'change') return conclusion.suspect.undone === null && ['deploy', 'config', 'feature_flag'].includes(conclusion.suspect.change.type);
  return conclusion.kind === 'cause' && conclusion.cause.category === 'capacity';
}

/**
 * The conclusion in one line. A party outside the bundle has no service in the diagnosis (none of
 * the bundle's is at fault); the line names it as the investigation did (`party`).
 */
function verdictLine(diagnosis: Diagnosis, party: string | null = null): string {
  const cause = diagnosis.root_cause;
  if (cause.category === 'unknown') return `Conclusion: unknown (confidence ${diagnosis.confidence}). ${diagnosis.summary}`;
  const outside = party === null ? 'a party outside the bundle' : `${party}, outside the bundle`;
  const where = cause.service ?? (cause.category === 'dependency' ? outside : 'an unnamed service');
  const culprit = cause.change_id ? ` ${cause.change_id} on ${where}` : ` on ${where}`;
  return `Conclusion: ${cause.category}${culprit} (confidence ${diagnosis.confidence}). ${diagnosis.summary}`;
}

export async function conclude(
  r: Replay,
  tools: readonly ToolSpec[],
  c: Case,
  episode: Episode,
  suspects: readonly Suspect[],
  causes: readonly Cause[],
  conclusion: Conclusion,
): Promise<void> {
  const notes = hypothesisNotes(c, episode, suspects, causes, conclusion, Math.max(0, r.left - MAX_SUBMISSIONS - 1));
  if (notes.length > 0) await r.calls(notes.map((input) => ({ name: 'note_hypothesis', input })));

  const accepted = await submit(r, buildDiagnosis(c, episode, conclusion));
  if (!accepted) {
    r.say('No diagnosis could be supported by what the tools returned; the investigation ends without one.');
    return;
  }
  const stillClaimed =
    conclusion.kind === 'change' ? accepted.root_cause.change_id === conclusion.suspect.change.id : conclusion.kind === 'cause' && accepted.root_cause.category === conclusion.cause.category;
  const step = accepted.remediation[0];
  const call = stillClaimed && step && wantsAction(conclusion) && r.left > 0 ? actionCall(tools, step, conclusion) : null;
  if (call) {
    r.say(`Asking to run ${call.name} (${step?.detail ?? ''}).`);
    const reply = await r.call(call.name, call.input);
    // An action's result says what happened in its summary; a denial is plain text.
    const summary = isObject(reply.json) && typeof reply.json['summary'] === 'string' && reply.json['summary'] !== '' ? reply.json['summary'] : null;
    const said = (summary ?? reply.text).replace(/^not run:\s*/, '');
    r.say(reply.isError ? `${call.name} was not run (${said}). The remediation plan stands for a person to carry out.` : `${call.name} ran: ${said}`);
  }
  const ruledOut = suspects.filter((s) => s.ruledOut !== null && s.change.at <= episode.onset + 24 * 3600_000).map((s) => `${s.change.id} (${s.ruledOut})`);
  const party = conclusion.kind === 'cause' && accepted.root_cause.service === null ? conclusion.cause.service : null;
  r.say([verdictLine(accepted, party), ruledOut.length > 0 ? `Ruled out: ${listing(ruledOut.slice(0, 6))}.` : ''].filter(Boolean).join(' '));
}
