import { describe, expect, it } from 'vitest';
import { foldEvent, foldEvents, foldSession, emptyView, elapsedMs } from '../../src/render/index.js';
import type { StreamEvent } from '../../src/protocol/events.js';
import { DIAGNOSIS, eventBuilder, investigation } from './builders.js';

describe('foldSession', () => {
  it('folds an event seen twice once', () => {
    const events = investigation();
    const once = foldSession(events);
    const twice = foldSession([...events, ...events]);
    expect(twice.eventCount).toBe(events.length);
    expect(twice.settled.map((item) => item.key)).toEqual(once.settled.map((item) => item.key));
    expect(twice.messages).toHaveLength(once.messages.length);
    expect(twice.usage.inputTokens).toBe(1200);
  });

  it('returns the same view when a replayed batch holds nothing new', () => {
    const events = investigation();
    const view = foldSession(events);
    expect(foldEvents(view, events)).toBe(view);
    expect(foldEvent(view, events[3] as StreamEvent)).toBe(view);
  });

  it('never changes a view it handed out', () => {
    const b = eventBuilder();
    const use = b.toolUse('search_logs', { query: 'timeout', service: 'checkout' });
    const before = foldSession([use]);
    const snapshot = JSON.stringify({ ...before, seen: [...before.seen], tools: [...before.tools] });
    const after = foldEvent(before, b.toolResult(use.id, 'found 12 lines\nmore'));
    expect(JSON.stringify({ ...before, seen: [...before.seen], tools: [...before.tools] })).toBe(snapshot);
    expect(before.tools.get(use.id)?.state).toBe('running');
    expect(after.tools.get(use.id)?.state).toBe('done');
  });

  it('keeps the settled list append-only across views', () => {
    const events = investigation();
    let view = emptyView();
    let previous: readonly unknown[] = [];
    for (const event of events) {
      view = foldEvent(view, event);
      expect(view.settled.slice(0, previous.length)).toEqual(previous);
      previous = view.settled;
    }
  });

  it('tracks a tool from running to done with duration, key arguments and summary', () => {
    const b = eventBuilder('2026-11-20T14:00:00.000Z', 1500);
    const use = b.toolUse('query_metrics', { selector: 'checkout_latency_p99', window: '14:00..14:30' });
    const running = foldSession([use]);
    expect(running.tools.get(use.id)).toMatchObject({ state: 'running', keyArgs: 'checkout_latency_p99 [14:00..14:30]' });
    expect(running.live.map((item) => item.key)).toEqual([`tool:${use.id}`]);
    const done = foldEvent(running, b.toolResult(use.id, { summary: 'p99 rose 20x at 14:03', series: [] }));
    expect(done.tools.get(use.id)).toMatchObject({ state: 'done', summary: 'p99 rose 20x at 14:03', durationMs: 1500, isError: false });
    expect(done.live).toEqual([]);
    expect(done.settled.map((item) => item.key)).toEqual([`tool:${use.id}`]);
  });

  it('falls back to the first line of a result that is not JSON, and marks errors', () => {
    const b = eventBuilder();
    const use = b.toolUse('read_file', { path: 'runbooks/checkout.md' });
    const view = foldSession([use, b.toolResult(use.id, '\n  no such file: runbooks/checkout.md\nhint: list the bundle', true)]);
    expect(view.tools.get(use.id)).toMatchObject({ state: 'failed', isError: true, summary: 'no such file: runbooks/checkout.md' });
  });

  it('extracts the accepted diagnosis from the submit_diagnosis result', () => {
    const view = foldSession(investigation());
    expect(view.diagnosis?.value).toEqual(DIAGNOSIS);
    expect(view.rejectedDiagnoses).toEqual([]);
  });

  it('records a rejected diagnosis with its reason and keeps no diagnosis', () => {
    const b = eventBuilder();
    const submit = b.submitDiagnosis();
    const view = foldSession([
      submit,
      b.toolResult(submit.id, { summary: 'evidence ref logs/api.log:9999 was never seen in a tool result', accepted: false }, true),
    ]);
    expect(view.diagnosis).toBeNull();
    expect(view.rejectedDiagnoses).toEqual([
      expect.objectContaining({ toolUseId: submit.id, reason: 'evidence ref logs/api.log:9999 was never seen in a tool result' }),
    ]);
    expect(view.tools.get(submit.id)?.state).toBe('failed');
  });

  it('keeps an approval pending until a confirmation answers it', () => {
    const b = eventBuilder();
    const action = b.toolUse('action_rollback', { target: 'deploy-4821' }, 'ask');
    const pending = foldSession([action, b.requiresAction([action.id])]);
    expect(pending.pendingApprovals).toEqual([action.id]);
    expect(pending.tools.get(action.id)?.state).toBe('awaiting_approval');
    expect(pending.stopReason).toBe('requires_action');

    const allowed = foldEvent(pending, b.confirmation(action.id, 'allow'));
    expect(allowed.pendingApprovals).toEqual([]);
    expect(allowed.tools.get(action.id)?.state).toBe('running');

    const denied = foldEvent(pending, b.confirmation(action.id, 'deny', 'not during peak'));
    expect(denied.pendingApprovals).toEqual([]);
    expect(denied.tools.get(action.id)).toMatchObject({ state: 'denied', summary: 'not during peak' });
    expect(denied.settled.some((item) => item.key === `tool:${action.id}`)).toBe(true);
  });

  it('measures an approved action from its approval, not from the wait', () => {
    const b = eventBuilder('2026-11-20T14:00:00.000Z', 60_000);
    const action = b.toolUse('action_rollback', { target: 'deploy-4821' }, 'ask');
    const view = foldSession([action, b.confirmation(action.id, 'allow'), b.toolResult(action.id, { summary: 'rolled back' })]);
    expect(view.tools.get(action.id)?.durationMs).toBe(60_000);
  });

  it('updates hypotheses by id and remembers their statuses', () => {
    const view = foldSession(investigation());
    expect(view.hypothesisOrder).toEqual(['H1', 'H2']);
    expect(view.hypotheses['H1']).toMatchObject({ status: 'refuted', statuses: ['proposed', 'refuted'] });
    expect(view.hypotheses['H1']?.evidence[0]?.ref).toBe('cfg-77');
    expect(view.hypotheses['H2']?.status).toBe('supported');
  });

  it('sums tokens and prices them by model', () => {
    const b = eventBuilder();
    const events = [b.usage(1_000_000, 0), b.usage(0, 1_000_000)];
    expect(foldSession(events, { model: 'claude-opus-4-8' }).usage).toMatchObject({ requests: 2, inputTokens: 1_000_000, outputTokens: 1_000_000, costUsd: 30 });
    expect(foldSession(events, { model: 'claude-sonnet-4-5' }).usage.costUsd).toBe(18);
    expect(foldSession(events, { model: 'claude-haiku-4-5' }).usage.costUsd).toBe(6);
    expect(foldSession(events, { model: 'some-local-model' }).usage.costUsd).toBeNull();
    expect(foldSession(events).usage.costUsd).toBeNull();
  });

  it('ignores event types it does not know', () => {
    const b = eventBuilder();
    const unknown = { id: 'sevt_x', processed_at: '2026-11-20T14:00:00Z', type: 'session.future_thing', payload: 1 } as unknown as StreamEvent;
    const view = foldSession([b.running(), unknown, b.agentMessage('still here')]);
    expect(view.status).toBe('running');
    expect(view.messages.map((message) => message.text)).toEqual(['still here']);
  });

  it('stops tools still running when the session goes idle, but not those it waits on', () => {
    const b = eventBuilder();
    const slow = b.toolUse('search_logs', { query: 'x' });
    const action = b.toolUse('action_restart', { service: 'cart' }, 'ask');
    const view = foldSession([b.running(), slow, action, b.interrupt(), b.requiresAction([action.id])]);
    expect(view.tools.get(slow.id)?.state).toBe('stopped');
    expect(view.tools.get(action.id)?.state).toBe('awaiting_approval');
    expect(view.live.map((item) => item.key)).toEqual([`tool:${action.id}`]);
    expect(view.interruptedBy).toBe('user');
  });

  it('records errors and status, and measures elapsed time without a clock once idle', () => {
    const b = eventBuilder('2026-11-20T14:00:00.000Z', 10_000);
    const view = foldSession([b.running(), b.error('overloaded', 'retrying'), b.error('gave up', 'exhausted'), b.idle()]);
    expect(view.errors.map((error) => error.retryStatus)).toEqual(['retrying', 'exhausted']);
    expect(view.status).toBe('idle');
    expect(elapsedMs(view, Number.MAX_SAFE_INTEGER)).toBe(30_000);
  });

  it('builds streamed previews from deltas and drops them when the message lands', () => {
    const b = eventBuilder();
    const message = b.agentMessage('Hello world');
    const start: StreamEvent = { type: 'event_start', event: { type: 'agent.message', id: message.id } };
    const delta = (text: string): StreamEvent => ({ type: 'event_delta', event_id: message.id, delta: { type: 'content_delta', content: { type: 'text', text } } });
    const streaming = foldSession([start, delta('Hello '), delta('world')]);
    expect(streaming.previews[message.id]).toBe('Hello world');
    expect(foldEvent(streaming, message).previews).toEqual({});
  });
});
