import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import { eventBuilder, investigation } from '../render/builders.js';
import { fakeSession, fakeStart } from './helpers/fake-session.js';
import { frameContaining, frameMatching, renderSized, stripAnsi } from './helpers/render.js';

const instances: Array<{ unmount(): void }> = [];
afterEach(() => {
  for (const instance of instances.splice(0)) instance.unmount();
});

function widest(frame: string): number {
  return Math.max(...stripAnsi(frame).split('\n').map((line) => Array.from(line).length));
}

describe('at 60 columns', () => {
  it('nothing on the session screen is wider than the terminal', async () => {
    const b = eventBuilder();
    const events = investigation(b);
    const long = b.toolUse('search_logs', { query: 'connection reset by peer while reading response headers from upstream', service: 'checkout-api-gateway' });
    events.push(long, b.agentMessage(`A long line: ${'the quick brown fox jumps over the lazy dog '.repeat(4)}\n- and a **long** list item that goes on and on past the edge of the screen`));
    const ui = renderSized(<App session={fakeSession(events)} color={false} />, 60);
    instances.push(ui);
    const frame = await frameContaining(ui, '◆ Diagnosis', 'Approve this action?', 'A long line');
    expect(widest(frame)).toBeLessThanOrEqual(60);
    ui.stdin.write('d');
    const details = await frameContaining(ui, '"to_version"');
    expect(widest(details)).toBeLessThanOrEqual(60);
    ui.stdin.write('?');
    const help = await frameContaining(ui, 'approve this exact action');
    expect(widest(help)).toBeLessThanOrEqual(60);
  });

  it('the start screen fits too', async () => {
    const start = fakeStart(
      [{ id: 'sesn_0123456789abcdef', title: 'a very long incident title that will not fit on one narrow line', outcome: 'inconclusive', createdAt: '2026-11-20T14:00:00Z', updatedAt: '2026-11-20T14:05:00Z' }],
      {},
    );
    const ui = renderSized(<App start={start} color={false} />, 60);
    instances.push(ui);
    const frame = await frameContaining(ui, 'Recent sessions', 'a very long incident title');
    expect(widest(frame)).toBeLessThanOrEqual(60);
  });
});

describe('the live area', () => {
  it('stays shorter than a 24-row terminal, with panels open or not', async () => {
    const b = eventBuilder();
    const events = investigation(b);
    for (let index = 0; index < 6; index += 1) events.push(b.toolUse('search_logs', { query: `pattern ${index}` }));
    const ui = renderSized(<App session={fakeSession(events)} color={false} />, 60, 24);
    instances.push(ui);
    // Ink prints the scrollback first; the live area starts at the divider.
    const liveHeight = (frame: string): number => frame.slice(frame.lastIndexOf('─'.repeat(60))).split('\n').length;
    expect(liveHeight(await frameContaining(ui, 'Approve this action?', 'more in progress'))).toBeLessThan(24);
    ui.stdin.write('d');
    expect(liveHeight(await frameContaining(ui, '"to_version"'))).toBeLessThan(24);
    ui.stdin.write('?');
    expect(liveHeight(await frameContaining(ui, 'quit (the session keeps its history)'))).toBeLessThan(24);
  });
});

describe('on resize', () => {
  it('re-renders the live part at the new width without printing the history again', async () => {
    const b = eventBuilder();
    const session = fakeSession([b.userMessage('Investigate the page'), b.running(), b.agentMessage('first finding')]);
    const ui = renderSized(<App session={session} color={false} />, 100);
    instances.push(ui);
    await frameContaining(ui, 'first finding');
    ui.stdout.resize(60);
    const after = await frameMatching(ui, (frame) => frame.split('\n').some((line) => line === '─'.repeat(60)));
    expect(after).not.toContain('─'.repeat(61));
    const count = (text: string, needle: string): number => text.split(needle).length - 1;
    expect(count(after, 'first finding')).toBe(1);
    expect(count(after, 'Investigate the page')).toBe(1);
    session.push(b.agentMessage('second finding'));
    const later = await frameContaining(ui, 'second finding');
    expect(count(later, 'first finding')).toBe(1);
    // History printed before the resize keeps its old width (the terminal reflows it);
    // everything printed since fits the new one.
    expect(widest(later.slice(later.indexOf('first finding') + 'first finding'.length))).toBeLessThanOrEqual(60);
  });
});
