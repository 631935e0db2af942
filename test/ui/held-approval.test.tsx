// The approval of an action in a cloud session: the log has only the custom tool call
// (Claude Managed Agents has no confirmation for it), the hands on this machine hold it
// with the dry run's check, and the same prompt as for a local session answers it: y
// releases the held call, Esc denies it and ends the turn once the denial is posted,
// and nothing is ever sent as a confirmation.
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { HeldActions } from '../../src/cli/action-gate.js';
import { withHeldActions } from '../../src/cli/tui-run.js';
import type { ActionCheck } from '../../src/protocol/action-check.js';
import type { StreamEvent } from '../../src/protocol/events.js';
import { App } from '../../src/ui/app.js';
import { eventBuilder } from '../render/builders.js';
import { fakeSession } from './helpers/fake-session.js';
import { frameContaining, frameMatching, settle } from './helpers/render.js';

afterEach(() => cleanup());

const CHECK: ActionCheck = {
  argv: ['kubectl', 'rollout', 'undo', 'deployment/checkout'],
  environment: 'prod',
  timeout_ms: 60_000,
  credentials: [],
  missing_credentials: [],
  can_run: true,
  problem: null,
};

function heldCall() {
  const b = eventBuilder();
  const running = b.running();
  const call = { ...b.running(), type: 'agent.custom_tool_use', name: 'action_rollback', input: { service: 'checkout' } } as unknown as StreamEvent & { id: string };
  const base = fakeSession([running, call, b.requiresAction([call.id])]);
  const held = new HeldActions();
  const session = withHeldActions(base, held, 'oncall-laptop');
  const stop = new AbortController();
  // What the hands do when the runner hands them the call: the dry run, then the question.
  const answer = held.ask({ toolUseId: call.id, name: 'action_rollback', input: { service: 'checkout' }, check: CHECK }, stop.signal);
  return { call, base, held, session, answer, stop };
}

describe('an action held by the hands on this machine', () => {
  it('is put to the person with the check the hands made, and y releases it to run', async () => {
    const { base, session, answer, stop } = heldCall();
    const ui = render(<App session={session} color={false} />);
    const frame = await frameContaining(ui, 'Approve this action?', 'runs   kubectl');
    expect(frame).toContain('runs   kubectl rollout undo deployment/checkout');
    expect(frame).toContain('where  worker on this machine (oncall-laptop) · environment prod');
    ui.stdin.write('y');
    await expect(answer).resolves.toEqual({ allow: true, by: 'the operator in the terminal' });
    // The cloud has no confirmation to send: the hands post the result.
    expect(base.confirmations).toEqual([]);
    stop.abort();
  });

  it('Esc denies it, and the interrupt follows once the hands posted the denial', async () => {
    const { call, base, held, session, answer } = heldCall();
    const ui = render(<App session={session} color={false} />);
    await frameContaining(ui, 'Approve this action?', 'runs   kubectl');
    ui.stdin.write('\u001b');
    await expect(answer).resolves.toEqual({ allow: false, reason: 'interrupted by the user' });
    await settle();
    expect(base.interrupts).toBe(0);
    held.posted(call.id);
    await frameMatching(ui, () => base.interrupts === 1);
    expect(base.confirmations).toEqual([]);
  });
});
