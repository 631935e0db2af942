import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import { eventBuilder } from '../render/builders.js';
import { fakeSession } from './helpers/fake-session.js';
import { frameContaining, frameMatching } from './helpers/render.js';

afterEach(() => cleanup());

function pendingRollback(options: { echoConfirmations?: boolean } = {}) {
  const b = eventBuilder();
  const action = b.toolUse('action_rollback', { target: 'deploy-4821', to_version: 'v1.41', reason: 'p99 regression' }, 'ask');
  const session = fakeSession([b.running(), action, b.requiresAction([action.id])], options);
  return { b, action, session };
}

describe('the approval prompt', () => {
  it('y approves this exact action once', async () => {
    const { action, session } = pendingRollback({ echoConfirmations: true });
    const ui = render(<App session={session} color={false} />);
    const prompt = await frameContaining(ui, 'Approve this action?');
    expect(prompt).toContain('action_rollback target=deploy-4821 to_version=v1.41 reason=p99 regression');
    expect(prompt).toContain('y approve once · n deny · d details');
    ui.stdin.write('y');
    ui.stdin.write('y');
    const frame = await frameMatching(ui, (text) => !text.includes('Approve this action?'));
    expect(session.confirmations).toEqual([{ toolUseId: action.id, result: 'allow', denyMessage: undefined }]);
    // Once allowed, the card runs until its result arrives.
    expect(frame).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] action_rollback/);
  });

  it('n denies it with a message saying who denied it', async () => {
    const { action, session } = pendingRollback({ echoConfirmations: true });
    const ui = render(<App session={session} color={false} />);
    await frameContaining(ui, 'Approve this action?');
    ui.stdin.write('n');
    const frame = await frameContaining(ui, '✗ action_rollback');
    expect(session.confirmations).toEqual([{ toolUseId: action.id, result: 'deny', denyMessage: 'Denied by the operator in the terminal.' }]);
    expect(frame).toContain('denied: Denied by the operator in the terminal.');
    expect(frame).not.toContain('Approve this action?');
  });

  it('d shows the exact input, and again hides it', async () => {
    const { session } = pendingRollback();
    const ui = render(<App session={session} color={false} />);
    await frameContaining(ui, 'Approve this action?');
    ui.stdin.write('d');
    const details = await frameContaining(ui, '"to_version": "v1.41"');
    expect(details).toContain('"target": "deploy-4821"');
    expect(details).toContain('"reason": "p99 regression"');
    expect(details).toContain('d hide');
    ui.stdin.write('d');
    await frameMatching(ui, (frame) => !frame.includes('"to_version"'));
    expect(session.confirmations).toEqual([]);
  });

  it('is denied when nobody answers before the timeout, and the message says so', async () => {
    const { action, session } = pendingRollback();
    const answered = session.nextConfirmation();
    const ui = render(<App session={session} color={false} approvalTimeoutMs={40} />);
    await frameContaining(ui, 'Approve this action?');
    expect(await answered).toEqual({
      toolUseId: action.id,
      result: 'deny',
      denyMessage: 'No answer within 40ms: denied automatically by the terminal.',
    });
    expect(session.confirmations).toHaveLength(1);
  });

  it('shows the next approval once the first is answered', async () => {
    const b = eventBuilder();
    const first = b.toolUse('action_rollback', { target: 'deploy-4821' }, 'ask');
    const second = b.toolUse('action_disable_flag', { flag: 'search-v2' }, 'ask');
    const session = fakeSession([b.running(), first, second, b.requiresAction([first.id, second.id])], { echoConfirmations: true });
    const ui = render(<App session={session} color={false} />);
    const frame = await frameContaining(ui, 'Approve this action? (1 more waiting)');
    expect(frame).toContain('action_rollback target=deploy-4821');
    ui.stdin.write('n');
    await frameMatching(ui, (text) => text.includes('│ action_disable_flag flag=search-v2') && !text.includes('more waiting'));
    ui.stdin.write('y');
    await frameMatching(ui, (text) => !text.includes('Approve this action?'));
    expect(session.confirmations.map((confirmation) => [confirmation.toolUseId, confirmation.result])).toEqual([
      [first.id, 'deny'],
      [second.id, 'allow'],
    ]);
  });
});
