import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import { eventBuilder, investigation } from '../render/builders.js';
import { fakeSession, INFO } from './helpers/fake-session.js';
import { frameContaining, frameMatching, settle, stripAnsi } from './helpers/render.js';

afterEach(() => cleanup());

describe('tool cards', () => {
  it('spin while running, then show the duration and the one-line result', async () => {
    const b = eventBuilder('2026-11-20T14:00:00.000Z', 2300);
    const running = b.running();
    const use = b.toolUse('query_metrics', { selector: 'checkout_latency_p99', window: '14:00..14:30' });
    const session = fakeSession([running, use]);
    const ui = render(<App session={session} color={false} />);
    const spinning = await frameContaining(ui, 'query_metrics checkout_latency_p99 [14:00..14:30]');
    expect(spinning).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] query_metrics/);
    expect(spinning).not.toContain('✓ query_metrics');

    session.push(b.toolResult(use.id, { summary: 'p99 rose from 120ms to 2.4s at 14:03' }));
    const done = await frameContaining(ui, '✓ query_metrics');
    expect(done).toContain('2.3s · p99 rose from 120ms to 2.4s at 14:03');
    expect(done).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] query_metrics/);
  });

  it('shows a failed result and a rejected diagnosis with its reason', async () => {
    const b = eventBuilder();
    const read = b.toolUse('read_file', { path: 'runbooks/none.md' });
    const submit = b.submitDiagnosis();
    const session = fakeSession([
      read,
      b.toolResult(read.id, 'no such file: runbooks/none.md', true),
      submit,
      b.toolResult(submit.id, { summary: 'change deploy-4821 took effect after the onset' }, true),
    ]);
    const ui = render(<App session={session} color={false} />);
    const frame = await frameContaining(ui, 'diagnosis rejected');
    expect(frame).toContain('✗ read_file runbooks/none.md');
    expect(frame).toContain('no such file: runbooks/none.md');
    expect(frame).toContain('diagnosis rejected: change deploy-4821 took effect after the onset');
  });
});

describe('the diagnosis card', () => {
  it('shows category, culprit, confidence, evidence and remediation with risks', async () => {
    const session = fakeSession(investigation());
    const ui = render(<App session={session} color={false} />);
    const frame = await frameContaining(ui, '◆ Diagnosis');
    expect(frame).toContain('◆ Diagnosis deploy');
    expect(frame).toContain('service checkout · change deploy-4821');
    expect(frame).toContain('confidence ████████░░ 82%');
    expect(frame).toContain('metrics checkout_latency_p99 rose from 120ms to 2.4s at 14:03');
    expect(frame).toContain('1. rollback deploy-4821 · risk low · roll back to v1.41');
  });
});

describe('the header', () => {
  it('names the incident and the session, with status, elapsed time, tokens and cost', async () => {
    const b = eventBuilder('2026-11-20T14:00:00.000Z', 15_000);
    const session = fakeSession([b.userMessage('go'), b.running(), b.usage(100_000, 20_000, 0, 0), b.agentMessage('done'), b.idle()]);
    const ui = render(<App session={session} color={false} />);
    const frame = await frameContaining(ui, '● inconclusive');
    expect(frame).toContain('checkout p99 latency above 2s · checkout · SEV2');
    // 100k in at $5/MTok + 20k out at $25/MTok = $1.00; five events 15 s apart span a minute.
    expect(frame).toContain('● inconclusive · 1m00s · 120k tokens · $1.00\nsesn_01HX · local');
  });

  it('says when it waits for an approval and when the agent is thinking', async () => {
    const b = eventBuilder();
    const session = fakeSession([b.running(), b.thinking()]);
    const ui = render(<App session={session} color={false} />);
    await frameContaining(ui, '● thinking');
    const action = b.toolUse('action_rollback', { target: 'deploy-4821' }, 'ask');
    session.push(action, b.requiresAction([action.id]));
    await frameContaining(ui, '● waiting for approval');
  });
});

describe('messages, hypotheses and input', () => {
  it('renders agent markdown and the hypothesis panel', async () => {
    const session = fakeSession(investigation());
    const ui = render(<App session={session} color={false} />);
    const frame = await frameContaining(ui, 'Hypotheses');
    expect(frame).toContain('The deploy deploy-4821 lines up with the onset:');
    expect(frame).toContain('• p99 up 20x');
    expect(frame).toContain('Hypotheses 1 supported · 0 open · 1 ruled out');
    expect(frame).toContain('◆ supported H2 deploy-4821 caused it');
    expect(frame).toContain('✗ ruled out H1 The cfg-77 pool size change caused it');
  });

  it('sends a follow-up question on Enter and keeps ? for help on an empty line', async () => {
    const b = eventBuilder();
    const session = fakeSession([b.running(), b.agentMessage('Looking.'), b.idle()]);
    const ui = render(<App session={session} color={false} />);
    await frameContaining(ui, 'ask a follow-up');
    ui.stdin.write('?');
    const help = await frameContaining(ui, 'send the question');
    // Keys that do nothing here are not listed.
    expect(help).not.toContain('approve this exact action');
    ui.stdin.write('?');
    await frameMatching(ui, (frame) => !frame.includes('send the question'));
    for (const char of 'why not cfg-77?') ui.stdin.write(char);
    await frameContaining(ui, 'why not cfg-77?');
    ui.stdin.write('\r');
    await frameContaining(ui, 'ask a follow-up');
    expect(session.sent).toEqual(['why not cfg-77?']);
  });

  it('sends a line typed or pasted with its Enter in one burst, and keeps a pasted line break as a space', async () => {
    const b = eventBuilder();
    const session = fakeSession([b.running(), b.agentMessage('Looking.'), b.idle()]);
    const ui = render(<App session={session} color={false} />);
    await frameContaining(ui, 'ask a follow-up');
    ui.stdin.write('search the logs\nfor timeouts\r');
    await frameContaining(ui, 'ask a follow-up');
    expect(session.sent).toEqual(['search the logs for timeouts']);
    // A break in the middle of a burst is not an Enter: nothing more is sent until one comes.
    ui.stdin.write('why not\ncfg-77');
    await frameContaining(ui, 'why not cfg-77');
    expect(session.sent).toHaveLength(1);
    ui.stdin.write('\r');
    await frameContaining(ui, 'ask a follow-up');
    expect(session.sent).toEqual(['search the logs for timeouts', 'why not cfg-77']);
  });

  it('interrupts a running agent on Esc', async () => {
    const b = eventBuilder();
    const session = fakeSession([b.running(), b.toolUse('search_logs', { query: 'timeout' })]);
    const ui = render(<App session={session} color={false} />);
    await frameContaining(ui, 'search_logs');
    ui.stdin.write('\u001b');
    await settle();
    await frameContaining(ui, '● interrupting');
    expect(session.interrupts).toBe(1);
    session.push(b.interrupt(), b.idle());
    const frame = await frameContaining(ui, '● interrupted');
    expect(frame).toContain('■ search_logs');
  });

  it('shows a stream failure instead of crashing', async () => {
    const b = eventBuilder();
    const session = fakeSession([b.running()]);
    const ui = render(<App session={session} color={false} />);
    await frameContaining(ui, '● running');
    session.fail(new Error('connection reset'));
    const frame = await frameContaining(ui, 'stream failed: connection reset');
    expect(stripAnsi(frame)).toContain('● disconnected');
    expect(INFO.id).toBe(session.info.id);
  });
});
