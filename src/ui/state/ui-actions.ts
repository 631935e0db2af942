// What the keys do, as one object the screen hands down through the actions context.
// Calls to the session return at once; a failure becomes a notice, never a crash.
import { isIncidentError } from '../../errors.js';
import type { UiActions } from '../contexts/ui-actions-context.js';
import type { TuiSession } from '../types.js';
import type { UiAction, UiState } from './ui-reducer.js';

/** What the agent is told about an approval that Esc left unanswered. */
export const INTERRUPT_DENY_MESSAGE = 'interrupted by the user';

export function errorText(error: unknown): string {
  if (isIncidentError(error)) return error.oneLine();
  return error instanceof Error ? error.message : String(error);
}

export function createActions(
  session: TuiSession,
  dispatch: (action: UiAction) => void,
  latest: () => UiState,
  quit: () => void,
): UiActions {
  const fail =
    (what: string) =>
    (error: unknown): void =>
      dispatch({ type: 'notice', notice: { level: 'error', text: `${what}: ${errorText(error)}` } });

  const answer = (toolUseId: string, result: 'allow' | 'deny', message?: string): void => {
    // One answer per approval: a second key press or the timeout after a key is ignored.
    if (latest().answering.includes(toolUseId)) return;
    if (!latest().view.pendingApprovals.includes(toolUseId)) return;
    dispatch({ type: 'answering', toolUseId, done: false });
    const sent = result === 'allow' ? session.confirm(toolUseId, 'allow') : session.confirm(toolUseId, 'deny', message);
    sent.catch((error: unknown) => {
      dispatch({ type: 'answering', toolUseId, done: true });
      fail(result === 'allow' ? 'could not approve' : 'could not deny')(error);
    });
  };

  const send = (text: string): void => {
    dispatch({ type: 'notice', notice: null });
    session.send(text).catch(fail('could not send'));
  };

  return {
    state: latest,
    send,
    submitInput() {
      const text = latest().input.trim();
      if (text === '') return;
      dispatch({ type: 'input', edit: { kind: 'clear' } });
      send(text);
    },
    approve(toolUseId) {
      answer(toolUseId, 'allow');
    },
    deny(toolUseId, message) {
      answer(toolUseId, 'deny', message);
    },
    interrupt() {
      const now = latest();
      // An approval on screen is the turn waiting on the person: Esc denies it and ends the turn.
      const waiting = now.view.pendingApprovals.filter((id) => !now.answering.includes(id));
      if (waiting.length > 0) {
        for (const toolUseId of waiting) dispatch({ type: 'answering', toolUseId, done: false });
        dispatch({ type: 'interrupting', value: true });
        const names = waiting.map((id) => now.view.tools.get(id)?.name ?? id).join(', ');
        dispatch({ type: 'notice', notice: { level: 'info', text: `interrupted: ${names} denied (${INTERRUPT_DENY_MESSAGE}); the turn ends` } });
        session.interrupt({ toolUseIds: waiting, message: INTERRUPT_DENY_MESSAGE }).catch((error: unknown) => {
          for (const toolUseId of waiting) dispatch({ type: 'answering', toolUseId, done: true });
          dispatch({ type: 'interrupting', value: false });
          fail('could not interrupt')(error);
        });
        return;
      }
      const status = now.view.status;
      if (status !== 'running' && status !== 'rescheduling' && now.answering.length === 0) {
        dispatch({ type: 'notice', notice: { level: 'info', text: 'nothing to interrupt: the agent is not running' } });
        return;
      }
      dispatch({ type: 'interrupting', value: true });
      session.interrupt().catch((error: unknown) => {
        dispatch({ type: 'interrupting', value: false });
        fail('could not interrupt')(error);
      });
    },
    toggleHelp: () => dispatch({ type: 'toggleHelp' }),
    toggleDetails: () => dispatch({ type: 'toggleDetails' }),
    closePanel: () => dispatch({ type: 'closePanel' }),
    editInput: (edit) => dispatch({ type: 'input', edit }),
    quit,
  };
}
