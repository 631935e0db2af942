// Reads the session's event stream into the reducer. Events that arrive together (a
// page of history, a burst of live events) are folded as one batch, so loading a long
// history costs one render, not one per event.
import { useEffect } from 'react';
import type { StreamEvent } from '../../protocol/events.js';
import type { UiAction } from '../state/ui-reducer.js';
import type { ConnectionNotice, TuiSession } from '../types.js';

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const hint = 'hint' in error && typeof error.hint === 'string' ? ` (${error.hint})` : '';
    return `stream failed: ${error.message}${hint}`;
  }
  return `stream failed: ${String(error)}`;
}

function connectionActions(notice: ConnectionNotice): UiAction[] {
  if (notice.kind === 'reconnected') {
    return [
      { type: 'stream', state: 'live' },
      { type: 'notice', notice: { level: 'info', text: 'runtime reachable again; continuing where the session was' } },
    ];
  }
  return [
    { type: 'stream', state: 'reconnecting' },
    { type: 'notice', notice: { level: 'warn', text: `runtime unreachable (${notice.reason}), retrying in ${notice.retryInMs / 1000}s` } },
  ];
}

export function useSessionEvents(session: TuiSession, dispatch: (action: UiAction) => void, onFailure: (error: unknown) => void): void {
  useEffect(() => {
    const controller = new AbortController();
    let buffer: StreamEvent[] = [];
    let scheduled: NodeJS.Immediate | null = null;
    const flush = (): void => {
      scheduled = null;
      if (buffer.length === 0) return;
      const events = buffer;
      buffer = [];
      dispatch({ type: 'events', events });
    };
    const read = async (): Promise<void> => {
      try {
        const onConnection = (notice: ConnectionNotice): void => {
          if (controller.signal.aborted) return;
          flush();
          for (const action of connectionActions(notice)) dispatch(action);
        };
        for await (const event of session.events(controller.signal, onConnection)) {
          if (controller.signal.aborted) return;
          buffer.push(event);
          // Whatever else is already available arrives before the next macrotask.
          scheduled ??= setImmediate(flush);
        }
        if (controller.signal.aborted) return;
        flush();
        dispatch({ type: 'stream', state: 'ended' });
      } catch (error) {
        if (controller.signal.aborted) return;
        flush();
        dispatch({ type: 'stream', state: 'failed', error: describeError(error) });
        onFailure(error);
      }
    };
    void read();
    return () => {
      controller.abort();
      if (scheduled) clearImmediate(scheduled);
    };
  }, [session, dispatch, onFailure]);
}
