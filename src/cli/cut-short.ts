// An investigation stopped before its diagnosis (Ctrl-C, its time limit, a reader that went
// away, the terminal UI quit mid-turn): `incident resume` asks it to go on, in the terminal
// UI and in scripted output alike, since the hint that sent the person there says it does.
import type { SessionEvent } from '../protocol/events.js';
import { emptyView, foldEvents, type SessionView } from '../render/index.js';

/** The runtime owes a turn: input arrived (a message, an answer) after the session last rested. */
export function awaitsRuntime(history: readonly SessionEvent[]): boolean {
  const lastIdle = history.findLastIndex((event) => event.type === 'session.status_idle');
  return history.slice(lastIdle + 1).some((event) => event.type === 'user.message' || event.type === 'user.tool_confirmation');
}

/**
 * At rest, its latest turn interrupted, no diagnosis reached, nothing waiting for a person or
 * already queued. `view` is the history folded, when the caller has it already.
 */
export function cutShort(history: readonly SessionEvent[], status: string, view: SessionView = foldEvents(emptyView(), history)): boolean {
  return status === 'idle' && view.interruptedBy !== null && view.diagnosis === null && view.pendingApprovals.length === 0 && !awaitsRuntime(history);
}
