// Saying that a scripted run is waiting, so a slow model never looks like a hung command:
// on a terminal a spinner with the time waited ("waiting for the model 12s", or "model
// overloaded, retrying in 8 s"), cleared before each line of output; in piped output a
// plain line now and then. The session's own view says what is waited on (`waitingOf`).
import type { Ora } from 'ora';
import { clockTime, formatDuration, waitingOf, type SessionView } from '../render/index.js';

/** A wait shorter than this is not worth a word (the offline engine's steps take milliseconds). */
const SHOWN_AFTER_MS = 1000;
/** Piped output: the first line after this long, then one more each `PLAIN_EVERY_MS`. */
const PLAIN_FIRST_MS = 10_000;
const PLAIN_EVERY_MS = 30_000;
const TICK_MS = 1000;
/** The width of a plain line's tag column (see render/plain.ts). */
const TAG_WIDTH = 9;

export interface WaitNoticeOptions {
  /** Draws the spinner (ora on a terminal); null: say it in plain lines through `write`. */
  spinner: Ora | null;
  write: (line: string) => void;
  now?: () => number;
}

export class WaitNotice {
  private view: SessionView | null = null;
  private timer: NodeJS.Timeout | undefined;
  /** Piped output: how long the current wait had lasted at its last line. */
  private saidAt = 0;
  private readonly now: () => number;

  constructor(private readonly options: WaitNoticeOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The session after its latest event: start or stop saying that it waits. */
  update(view: SessionView): void {
    this.view = view;
    const waiting = waitingOf(view, this.now());
    if (waiting === null) {
      this.saidAt = 0;
      this.clear();
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
    this.tick();
  }

  /** Before a line of output: the spinner gives way (the next tick draws it again). */
  clear(): void {
    if (this.options.spinner?.isSpinning) this.options.spinner.stop();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  private tick(): void {
    if (this.view === null) return;
    const waiting = waitingOf(this.view, this.now());
    if (waiting === null) return;
    const text = waiting.retrying ? waiting.text : `${waiting.text} ${formatDuration(waiting.elapsedMs)}`;
    const { spinner } = this.options;
    if (spinner !== null) {
      if (!waiting.retrying && waiting.elapsedMs < SHOWN_AFTER_MS) return;
      spinner.text = text;
      if (!spinner.isSpinning) spinner.start();
      return;
    }
    // Retries are told by their own error lines; a plain line is for a long silence.
    if (waiting.retrying) return;
    const due = this.saidAt === 0 ? PLAIN_FIRST_MS : this.saidAt + PLAIN_EVERY_MS;
    if (waiting.elapsedMs < due) return;
    this.saidAt = waiting.elapsedMs;
    this.options.write(`${clockTime(new Date(this.now()).toISOString())} ${'waiting'.padEnd(TAG_WIDTH)} ${text}`);
  }
}
