// Before anyone approves an action, the prompt shows the exact command line, where it runs
// and whether it can; an action its environment cannot run is not offered for approval.
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_CHECK_FIELD, type ActionCheck } from '../../src/protocol/action-check.js';
import type { ToolUseEvent } from '../../src/protocol/events.js';
import { App } from '../../src/ui/app.js';
import { CANNOT_RUN_NOTE } from '../../src/ui/components/approval-prompt.js';
import { eventBuilder } from '../render/builders.js';
import { fakeSession } from './helpers/fake-session.js';
import { frameContaining, frameMatching, settle } from './helpers/render.js';

afterEach(() => cleanup());

const CAN_RUN: ActionCheck = {
  argv: ['kubectl', 'rollout', 'undo', 'deployment/checkout', '--namespace', 'production'],
  environment: 'local',
  timeout_ms: 120_000,
  credentials: ['kubeconfig'],
  missing_credentials: [],
  can_run: true,
  problem: null,
};

const MISSING: ActionCheck = {
  ...CAN_RUN,
  missing_credentials: [{ name: 'kubeconfig', from_env: 'INCIDENT_KUBECONFIG' }],
  can_run: false,
  problem: 'the credential kubeconfig is not set where the runtime runs (set INCIDENT_KUBECONFIG)',
};

function pending(check: ActionCheck | null, info: { runtimeUrl?: string } = {}) {
  const b = eventBuilder();
  const use = b.toolUse('action_rollback', { service: 'checkout' }, 'ask');
  const action: ToolUseEvent = check === null ? use : ({ ...use, [ACTION_CHECK_FIELD]: check } as ToolUseEvent);
  const session = fakeSession([b.running(), action, b.requiresAction([action.id])], { echoConfirmations: true, info });
  return { action, session };
}

describe('the approval prompt', () => {
  it('shows the exact command, where it runs and its time limit before the person answers', async () => {
    const { action, session } = pending(CAN_RUN);
    const ui = render(<App session={session} color={false} />);
    const frame = await frameContaining(ui, 'Approve this action?');
    expect(frame).toContain('runs   kubectl rollout undo deployment/checkout --namespace production');
    expect(frame).toContain('where  local worker · environment local · timeout 2m00s');
    expect(frame).toContain('y approve once · n deny · d details');
    ui.stdin.write('y');
    await frameMatching(ui, (text) => !text.includes('Approve this action?'));
    expect(session.confirmations).toEqual([{ toolUseId: action.id, result: 'allow', denyMessage: undefined }]);
  });

  it('names the served runtime it runs on', async () => {
    const { session } = pending(CAN_RUN, { runtimeUrl: 'http://127.0.0.1:4646' });
    const ui = render(<App session={session} color={false} />);
    const frame = await frameContaining(ui, 'Approve this action?');
    expect(frame).toContain('where  worker of the runtime at http://127.0.0.1:4646 · environment local');
  });

  it('does not offer an action that cannot run: the reason shows, y does nothing, n denies it', async () => {
    const { action, session } = pending(MISSING);
    const ui = render(<App session={session} color={false} />);
    const frame = await frameContaining(ui, 'This action cannot run');
    expect(frame).not.toContain('Approve this action?');
    expect(frame).toContain('runs   kubectl rollout undo deployment/checkout --namespace production');
    expect(frame).toContain('✗ cannot run: the credential kubeconfig is not set where the runtime runs');
    expect(frame).toContain('INCIDENT_KUBECONFIG)');
    expect(frame).not.toContain('y approve once');
    expect(frame).toContain('n deny · d details');
    ui.stdin.write('y');
    await frameContaining(ui, CANNOT_RUN_NOTE);
    await settle();
    expect(session.confirmations).toEqual([]);
    ui.stdin.write('d');
    expect(await frameContaining(ui, 'credentials it receives: kubeconfig (missing)')).not.toContain('INCIDENT_KUBECONFIG=');
    ui.stdin.write('n');
    await frameMatching(ui, (text) => !text.includes('This action cannot run'));
    expect(session.confirmations).toEqual([{ toolUseId: action.id, result: 'deny', denyMessage: 'Denied by the operator in the terminal.' }]);
  });

  it('says when the runtime did not report what an action would run', async () => {
    const { session } = pending(null);
    const ui = render(<App session={session} color={false} />);
    const frame = await frameContaining(ui, 'Approve this action?');
    expect(frame).toContain('runs   not reported by the runtime: it is checked only when it runs');
    expect(frame).toContain('y approve once');
  });
});
