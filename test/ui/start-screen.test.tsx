import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import type { SessionSummary } from '../../src/ui/types.js';
import { eventBuilder } from '../render/builders.js';
import { fakeSession, fakeStart } from './helpers/fake-session.js';
import { frameContaining, settle } from './helpers/render.js';

afterEach(() => cleanup());

const RECENT: SessionSummary[] = [
  { id: 'sesn_A', title: 'checkout latency', outcome: 'diagnosed', createdAt: '2026-11-20T14:00:00Z', updatedAt: '2026-11-20T14:10:00Z' },
  { id: 'sesn_B', title: 'cart 5xx', outcome: 'waiting_for_approval', createdAt: '2026-11-19T09:00:00Z', updatedAt: '2026-11-19T09:30:00Z' },
];

describe('the start screen', () => {
  it('lists recent sessions and resumes the one chosen with the arrows', async () => {
    const b = eventBuilder();
    const resumed = fakeSession([b.agentMessage('resumed history')], { info: { id: 'sesn_B', title: 'cart 5xx' } });
    const start = fakeStart(RECENT, { sesn_B: resumed });
    const ui = render(<App start={start} color={false} />);
    const list = await frameContaining(ui, '› checkout latency');
    expect(list).toContain('  cart 5xx · waiting for approval · 2026-11-19 09:30 · sesn_B');
    ui.stdin.write('\u001b[B');
    await frameContaining(ui, '› cart 5xx');
    ui.stdin.write('\r');
    const frame = await frameContaining(ui, 'resumed history');
    expect(start.resumed).toEqual(['sesn_B']);
    expect(frame).toContain('incident cart 5xx');
  });

  it('opens a typed bundle path', async () => {
    const b = eventBuilder();
    const opened = fakeSession([b.userMessage('Investigate this bundle')]);
    const start = fakeStart(RECENT, { './fixtures/checkout': opened });
    const ui = render(<App start={start} color={false} />);
    await frameContaining(ui, 'Recent sessions', 'checkout latency');
    for (const char of './fixtures/checkout') ui.stdin.write(char);
    await frameContaining(ui, 'Bundle path ./fixtures/checkout');
    ui.stdin.write('\r');
    await frameContaining(ui, 'Investigate this bundle');
    expect(start.opened).toEqual(['./fixtures/checkout']);
  });

  it('opens a path pasted with its Enter in one burst', async () => {
    const b = eventBuilder();
    const opened = fakeSession([b.userMessage('Investigate this bundle')]);
    const start = fakeStart(RECENT, { './fixtures/checkout': opened });
    const ui = render(<App start={start} color={false} />);
    await frameContaining(ui, 'Recent sessions', 'checkout latency');
    ui.stdin.write('./fixtures/checkout\r');
    await frameContaining(ui, 'Investigate this bundle');
    expect(start.opened).toEqual(['./fixtures/checkout']);
  });

  it('shows why a path could not be opened and lets the person try again', async () => {
    const start = fakeStart([], {});
    const ui = render(<App start={start} color={false} />);
    await frameContaining(ui, 'none yet');
    for (const char of '/nope') ui.stdin.write(char);
    await settle();
    ui.stdin.write('\r');
    await frameContaining(ui, 'no bundle at /nope');
    ui.stdin.write('\u007f');
    await frameContaining(ui, 'Bundle path /nop');
  });
});
