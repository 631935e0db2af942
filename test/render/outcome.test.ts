// One outcome vocabulary, folded from the event log: every surface that says where a session
// stands (--json, the report, the status line, sessions list) says it with the same word.
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/protocol/events.js';
import {
  diagnosisToJson,
  foldSession,
  outcomeLabel,
  outcomeOf,
  renderMarkdownReport,
  TIMEOUT_MARK_KEY,
  type Outcome,
} from '../../src/render/index.js';
import { DIAGNOSIS, eventBuilder } from './builders.js';

const INFO = { id: 'sesn_01', title: 'checkout p99', service: 'checkout', severity: 'SEV2', runtime: 'local', createdAt: '2026-11-20T14:00:00.000Z' };

const UNKNOWN = { ...DIAGNOSIS, root_cause: { category: 'unknown' as const, service: null, change_id: null, description: 'undetermined' } };

function timeoutMark(b: ReturnType<typeof eventBuilder>, at: string): StreamEvent {
  return { ...b.running(), type: 'session.updated', metadata: { 'incident.approve': 'never', [TIMEOUT_MARK_KEY]: at } } as StreamEvent;
}

/** One log per outcome, each the way a runtime writes it. */
function logs(): Record<Outcome, StreamEvent[]> {
  const b = eventBuilder();
  const diagnosed = (diagnosis = DIAGNOSIS): StreamEvent[] => {
    const submit = b.submitDiagnosis(diagnosis);
    return [b.userMessage('go'), b.running(), submit, b.acceptedDiagnosis(submit.id, diagnosis)];
  };
  const action = b.toolUse('action_rollback', { service: 'checkout' }, 'ask');
  return {
    diagnosed: [...diagnosed(), b.idle()],
    inconclusive: [...diagnosed(UNKNOWN), b.idle()],
    waiting_for_approval: [...diagnosed(), action, b.requiresAction([action.id])],
    timed_out: [...diagnosed(), timeoutMark(b, '2026-11-20T14:10:00Z'), b.interrupt(), b.idle()],
    budget_spent: [...diagnosed(), { ...b.idle(), stop_reason: { type: 'budget_reached' } }],
    failed: [b.userMessage('go'), b.running(), b.error('529 overloaded', 'exhausted'), { ...b.idle(), stop_reason: { type: 'retries_exhausted' } }],
    interrupted: [...diagnosed(), b.interrupt(), b.idle()],
    running: [b.userMessage('go'), b.running()],
    not_started: [{ ...b.running(), type: 'session.updated', metadata: { 'incident.approve': 'never' } } as StreamEvent],
  };
}

describe('the outcome of a session', () => {
  it('is one word per state, folded from the log, and --json and the report say the same', () => {
    const all = logs();
    for (const [expected, events] of Object.entries(all) as Array<[Outcome, StreamEvent[]]>) {
      const view = foldSession(events);
      expect(outcomeOf(view), expected).toBe(expected);
      expect(diagnosisToJson(view, INFO).outcome).toBe(expected);
      expect(renderMarkdownReport(view, events, INFO)).toContain(`| Outcome | ${outcomeLabel(expected)} |`);
    }
  });

  it('never calls an unknown cause diagnosed', () => {
    const view = foldSession(logs().inconclusive);
    expect(outcomeOf(view)).toBe('inconclusive');
    expect(outcomeLabel(outcomeOf(view))).toBe('inconclusive');
  });

  it('says the labels a person reads', () => {
    expect(['waiting_for_approval', 'timed_out', 'not_started'].map((outcome) => outcomeLabel(outcome as Outcome))).toEqual([
      'waiting for approval',
      'timed out',
      'not started',
    ]);
  });

  it('counts a time-limit mark once: a later interrupt by a person is an interruption', () => {
    const b = eventBuilder();
    const events = [...logs().timed_out];
    expect(outcomeOf(foldSession(events))).toBe('timed_out');
    // A later turn, its metadata carrying the same mark on, then interrupted by a person.
    events.push(b.userMessage('and now?'), b.running(), timeoutMark(b, '2026-11-20T14:10:00Z'), b.interrupt(), b.idle());
    expect(outcomeOf(foldSession(events))).toBe('interrupted');
  });

  it('lets a new turn start afresh after an interruption or a failure', () => {
    const b = eventBuilder();
    const interrupted = [...logs().interrupted, b.userMessage('go on'), b.running(), b.idle()];
    expect(outcomeOf(foldSession(interrupted))).toBe('diagnosed');
    const failed = [...logs().failed, b.userMessage('again'), b.running(), b.idle()];
    expect(outcomeOf(foldSession(failed))).toBe('inconclusive');
  });

  it('is running as soon as a message waits for a turn, before the runtime starts it', () => {
    const b = eventBuilder();
    expect(outcomeOf(foldSession([...logs().diagnosed, b.userMessage('why not cfg-77?')]))).toBe('running');
  });
});
