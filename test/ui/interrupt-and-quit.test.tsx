// Esc while an approval waits interrupts the turn: the approval is denied as interrupted by
// the user, the turn ends, and the status says so. Ctrl+C quits with 130 and names the
// session, so the CLI can print how to resume it.
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/errors.js';
import { App } from '../../src/ui/app.js';
import { eventBuilder } from '../render/builders.js';
import { fakeSession, fakeStart, INFO } from './helpers/fake-session.js';
import { frameContaining, frameMatching, settle, stripAnsi } from './helpers/render.js';

afterEach(() => cleanup());

describe('Esc while an approval waits', () => {
  it('denies it as interrupted by the user, ends the turn and says so', async () => {
    const b = eventBuilder();
    const action = b.toolUse('action_rollback', { service: 'checkout' }, 'ask');
    const session = fakeSession([b.running(), action, b.requiresAction([action.id])], { echoConfirmations: true });
    const ui = render(<App session={session} color={false} />);
    await frameContaining(ui, 'Approve this action?');
    ui.stdin.write('\u001b');
    await settle();

    // One interrupt that first denies the waiting approval.
    expect(session.interruptDenials).toEqual([{ toolUseIds: [action.id], message: 'interrupted by the user' }]);
    expect(session.confirmations).toEqual([{ toolUseId: action.id, result: 'deny', denyMessage: 'interrupted by the user' }]);
    const interrupting = stripAnsi(await frameContaining(ui, '● interrupting'));
    expect(interrupting).toContain('interrupted: action_rollback denied (interrupted by the user); the turn ends');
    expect(interrupting).not.toContain('nothing to interrupt');
    expect(interrupting).not.toContain('Approve this action?');

    // The runtime takes the denial, then the interrupt ends the turn.
    session.push(b.running(), b.toolResult(action.id, 'not run: interrupted by the user', true), b.interrupt(), b.idle());
    const ended = stripAnsi(await frameContaining(ui, '● interrupted'));
    expect(ended).toContain('✗ action_rollback');
    expect(ended).toContain('ask a follow-up');
  });

  it('a new turn clears the interrupted status', async () => {
    const b = eventBuilder();
    const session = fakeSession([b.running(), b.interrupt(), b.idle()]);
    const ui = render(<App session={session} color={false} />);
    await frameContaining(ui, '● interrupted');
    session.push(b.userMessage('why?'), b.running());
    await frameMatching(ui, (frame) => stripAnsi(frame).includes('● running'));
  });
});

describe('Ctrl+C', () => {
  it('quits a session with 130 and the id to resume', async () => {
    const b = eventBuilder();
    const exits: Array<[number, string | null]> = [];
    const ui = render(<App session={fakeSession([b.running(), b.idle()])} color={false} onExit={(code, id) => exits.push([code, id])} />);
    await frameContaining(ui, 'ask a follow-up');
    ui.stdin.write('\u0003');
    await settle();
    expect(exits).toEqual([[EXIT.cancelled, INFO.id]]);
  });

  it('quits the start screen with 130 and no session', async () => {
    const exits: Array<[number, string | null]> = [];
    const ui = render(<App start={fakeStart([], {})} color={false} onExit={(code, id) => exits.push([code, id])} />);
    await frameContaining(ui, 'Recent sessions');
    ui.stdin.write('\u0003');
    await settle();
    expect(exits).toEqual([[EXIT.cancelled, null]]);
  });
});
