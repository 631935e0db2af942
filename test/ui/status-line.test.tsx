// The status line of the terminal: the session's outcome in the words every surface uses,
// what a running session waits on (the model, a retry after a model error), and token
// counts only for a brain that uses tokens.
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/protocol/events.js';
import { TIMEOUT_MARK_KEY } from '../../src/render/index.js';
import { App } from '../../src/ui/app.js';
import { DIAGNOSIS, eventBuilder } from '../render/builders.js';
import { fakeSession } from './helpers/fake-session.js';
import { frameContaining, frameMatching } from './helpers/render.js';

afterEach(() => cleanup());

const statusLine = (frame: string): string => frame.split('\n').find((line) => line.startsWith('● ')) ?? '';

/** A builder whose events happened just now, so a live status line measures from them. */
function recent() {
  return eventBuilder(new Date(Date.now() - 30_000).toISOString(), 1);
}

describe('the status line', () => {
  it('says inconclusive, never diagnosed, for a diagnosis with an unknown cause', async () => {
    const b = eventBuilder();
    const submit = b.submitDiagnosis();
    const unknown = { ...DIAGNOSIS, root_cause: { category: 'unknown' as const, service: null, change_id: null, description: '' } };
    const session = fakeSession([b.userMessage('go'), b.running(), submit, b.acceptedDiagnosis(submit.id, unknown), b.idle()]);
    const ui = render(<App session={session} color={false} />);
    const frame = await frameContaining(ui, '◆ Diagnosis unknown');
    expect(statusLine(frame)).toMatch(/^● inconclusive · /);
  });

  it('says timed out for a turn a scripted run ended at its time limit', async () => {
    const b = eventBuilder();
    const mark = { ...b.running(), type: 'session.updated', metadata: { [TIMEOUT_MARK_KEY]: '2026-11-20T14:10:00Z' } } as StreamEvent;
    const session = fakeSession([b.userMessage('go'), b.running(), mark, b.interrupt(), b.idle()]);
    const ui = render(<App session={session} color={false} />);
    const frame = await frameMatching(ui, (text) => !statusLine(text).startsWith('● connecting'));
    expect(statusLine(frame)).toMatch(/^● timed out · /);
  });

  it('shows that it waits for the model, with a spinner and how long, and no token count before there are tokens', async () => {
    const b = recent();
    const start = { ...b.running(), type: 'span.model_request_start' } as StreamEvent;
    const session = fakeSession([b.userMessage('go'), b.running(), start]);
    const ui = render(<App session={session} color={false} />);
    const frame = await frameContaining(ui, '● waiting for the model');
    expect(statusLine(frame)).toMatch(/^● waiting for the model \d[\d.ms]*s [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] · \d/);
    expect(statusLine(frame)).not.toContain('tokens');
  });

  it('shows a retry the runtime announces, built from the error event', async () => {
    const b = recent();
    const start = { ...b.running(), type: 'span.model_request_start' } as StreamEvent;
    const retrying = {
      ...b.running(),
      type: 'session.error',
      processed_at: new Date().toISOString(),
      // The delay is a runtime's addition to the retry status, so the SDK's type does not name it.
      error: { type: 'model_overloaded_error', message: 'Overloaded', retry_status: { type: 'retrying', retry_in_ms: 60_000 } },
    } as unknown as StreamEvent;
    const session = fakeSession([b.userMessage('go'), b.running(), start, retrying]);
    const ui = render(<App session={session} color={false} />);
    const frame = await frameContaining(ui, '● model overloaded, retrying in');
    expect(statusLine(frame)).toMatch(/^● model overloaded, retrying in \d+ s [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    // The scrollback says it in a sentence, not as the event's raw fields.
    expect(frame).toContain('The model is overloaded. Retrying in 60 s.');
    expect(frame).not.toContain('model_overloaded_error');
  });

  it('counts no tokens for a brain that uses none', async () => {
    const b = eventBuilder();
    const session = fakeSession([b.userMessage('go'), b.running(), b.usage(0, 0), b.usage(0, 0), b.idle()]);
    const ui = render(<App session={session} color={false} />);
    const frame = await frameMatching(ui, (text) => !statusLine(text).startsWith('● connecting'));
    expect(statusLine(frame)).toMatch(/^● inconclusive · \d[\d.hms]*$/);
  });
});
