// Where a session stands, in one vocabulary for every surface: the terminal's status line,
// `sessions list`, the start screen, `--json` and the report all say it with these words,
// derived from the folded event log by this one function.
import type { SessionView } from './view.js';

export const OUTCOMES = [
  /** An accepted diagnosis with a known cause. */
  'diagnosed',
  /** The investigation ended without a verified cause (category unknown, or no diagnosis). */
  'inconclusive',
  /** An action waits for a person to allow or deny it. */
  'waiting_for_approval',
  /** A scripted run's time limit ended the latest turn. */
  'timed_out',
  /** The session's budget (cost or model requests) ended the latest turn. */
  'budget_spent',
  /** The latest turn ended on an error retrying would not fix. */
  'failed',
  /** A person ended the latest turn. */
  'interrupted',
  /** A turn is under way (or input waits for one to start). */
  'running',
  /** Nothing has been asked yet. */
  'not_started',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

const LABELS: Readonly<Record<Outcome, string>> = {
  diagnosed: 'diagnosed',
  inconclusive: 'inconclusive',
  waiting_for_approval: 'waiting for approval',
  timed_out: 'timed out',
  budget_spent: 'budget spent',
  failed: 'failed',
  interrupted: 'interrupted',
  running: 'running',
  not_started: 'not started',
};

/** The outcome as a person reads it ("waiting for approval"); JSON carries the identifier. */
export function outcomeLabel(outcome: Outcome): string {
  return LABELS[outcome];
}

/** The widest label, for lining up a column of them. */
export const OUTCOME_LABEL_WIDTH = Math.max(...Object.values(LABELS).map((label) => label.length));

/**
 * The session metadata key a scripted run sets (to the time) just before it interrupts a
 * turn because its `--timeout` ran out: the log then says the turn timed out, not that a
 * person stopped it.
 */
export const TIMEOUT_MARK_KEY = 'incident.timed_out_at';

/**
 * How a turn ended wins over what it found: a run stopped by a person, its time limit or its
 * budget says so (as its exit code does), even when a diagnosis was accepted before; a later turn starts
 * afresh. An accepted diagnosis then wins over a failure after it.
 */
export function outcomeOf(view: SessionView): Outcome {
  if (view.interruptedBy !== null) return view.interruptedBy === 'timeout' ? 'timed_out' : 'interrupted';
  if (view.status === 'running' || view.status === 'rescheduling' || view.inputQueued) return 'running';
  if (view.stopReason === 'budget_reached') return 'budget_spent';
  if (view.pendingApprovals.length > 0) return 'waiting_for_approval';
  if (view.diagnosis) return view.diagnosis.value.root_cause.category === 'unknown' ? 'inconclusive' : 'diagnosed';
  if (view.turnFailed) return 'failed';
  if (!view.hasRun) return 'not_started';
  return 'inconclusive';
}
