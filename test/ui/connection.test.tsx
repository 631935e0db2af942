// The terminal says when the runtime stops answering and when it is back, in the status
// line and the notice under it, while the session stays on screen.
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/protocol/events.js';
import { App } from '../../src/ui/app.js';
import type { ConnectionNotice } from '../../src/ui/types.js';
import { eventBuilder } from '../render/builders.js';
import { fakeSession } from './helpers/fake-session.js';
import { frameContaining } from './helpers/render.js';

afterEach(() => cleanup());

describe('a runtime that stops answering', () => {
  it('shows "runtime unreachable, retrying" with the wait, then that it is back', async () => {
    const b = eventBuilder();
    const base = fakeSession([b.running(), b.agentMessage('Looking at the metrics.')]);
    let tell: (notice: ConnectionNotice) => void = () => undefined;
    const session = {
      ...base,
      events(signal: AbortSignal, onConnection?: (notice: ConnectionNotice) => void): AsyncIterable<StreamEvent> {
        if (onConnection) tell = onConnection;
        return base.events(signal);
      },
    };
    const ui = render(<App session={session} color={false} />);
    await frameContaining(ui, 'Looking at the metrics.', '● running');
    tell({ kind: 'unreachable', reason: 'connection refused', retryInMs: 2000 });
    const down = await frameContaining(ui, 'runtime unreachable (connection refused), retrying in 2s');
    expect(down).toContain('● runtime unreachable, retrying');
    expect(down).toContain('Looking at the metrics.');
    tell({ kind: 'reconnected' });
    base.push(b.agentMessage('Back on it.'));
    const back = await frameContaining(ui, 'runtime reachable again', 'Back on it.');
    expect(back).toContain('● running');
  });
});
