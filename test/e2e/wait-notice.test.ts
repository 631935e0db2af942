// A scripted run says that it waits on the model, so a slow model never looks like a hung
// command: a spinner with the time waited where a person watches, a plain line now and then
// when piped, nothing once the model has answered, and nothing for the offline engine.
import type { Ora } from 'ora';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WaitNotice } from '../../src/cli/wait-notice.js';
import type { StreamEvent } from '../../src/protocol/events.js';
import { foldSession, type SessionView } from '../../src/render/index.js';
import { eventBuilder } from '../render/builders.js';

const T0 = Date.parse('2026-11-20T14:00:00.000Z');

function waitingOnModel(): { view: SessionView; answered: SessionView } {
  // The request starts at T0.
  const b = eventBuilder(new Date(T0 - 3).toISOString(), 1);
  const events: StreamEvent[] = [b.userMessage('go'), b.running(), { ...b.running(), type: 'span.model_request_start' } as StreamEvent];
  return { view: foldSession(events), answered: foldSession([...events, b.usage(900, 40)]) };
}

class FakeSpinner {
  text = '';
  isSpinning = false;
  starts = 0;
  start(): this {
    this.isSpinning = true;
    this.starts += 1;
    return this;
  }
  stop(): this {
    this.isSpinning = false;
    return this;
  }
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the wait notice of a scripted run', () => {
  it('piped: a line after ten seconds of silence, then one every thirty, and none once the model answers', () => {
    const lines: string[] = [];
    const notice = new WaitNotice({ spinner: null, write: (line) => lines.push(line) });
    const { view, answered } = waitingOnModel();
    notice.update(view);
    vi.advanceTimersByTime(9_000);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(lines).toEqual(['14:00:10 waiting   waiting for the model 10.0s']);
    vi.advanceTimersByTime(30_000);
    expect(lines.at(-1)).toBe('14:00:40 waiting   waiting for the model 40.0s');
    notice.update(answered);
    vi.advanceTimersByTime(120_000);
    expect(lines).toHaveLength(2);
    notice.stop();
  });

  it('on a terminal: a spinner with the time waited, cleared before each line of output', () => {
    const spinner = new FakeSpinner();
    const notice = new WaitNotice({ spinner: spinner as unknown as Ora, write: () => undefined });
    const { view, answered } = waitingOnModel();
    notice.update(view);
    // A wait shorter than a second is not worth a spinner.
    expect(spinner.isSpinning).toBe(false);
    vi.advanceTimersByTime(3_000);
    expect(spinner.isSpinning).toBe(true);
    expect(spinner.text).toBe('waiting for the model 3.0s');
    notice.clear();
    expect(spinner.isSpinning).toBe(false);
    vi.advanceTimersByTime(1_000);
    expect(spinner.text).toBe('waiting for the model 4.0s');
    notice.update(answered);
    expect(spinner.isSpinning).toBe(false);
    vi.advanceTimersByTime(10_000);
    expect(spinner.isSpinning).toBe(false);
    notice.stop();
  });

  it('says nothing while the offline engine works: its steps use no tokens', () => {
    const b = eventBuilder(new Date(T0 - 2).toISOString(), 1);
    const view = foldSession([b.running(), b.usage(0, 0), { ...b.running(), type: 'span.model_request_start' } as StreamEvent]);
    const lines: string[] = [];
    const spinner = new FakeSpinner();
    const notice = new WaitNotice({ spinner: null, write: (line) => lines.push(line) });
    const spun = new WaitNotice({ spinner: spinner as unknown as Ora, write: () => undefined });
    notice.update(view);
    spun.update(view);
    vi.advanceTimersByTime(60_000);
    expect(lines).toEqual([]);
    expect(spinner.starts).toBe(0);
    notice.stop();
    spun.stop();
  });
});
