// Rendering helpers: ink-testing-library's 100-column terminal for most tests, and a
// terminal of any width (the same debug-mode contract) for the narrow-width tests.
import { EventEmitter } from 'node:events';
import { render as inkRender } from 'ink';
import type { ReactElement } from 'react';
import { vi } from 'vitest';

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export interface Frames {
  lastFrame(): string | undefined;
}

/**
 * Wait until the latest frame satisfies `check` (polls the frame, asserts nothing about
 * time). A frame is written at commit, before React runs effects, so this also lets the
 * effects run: keys typed next reach the input handlers of what is on screen.
 */
export async function frameMatching(instance: Frames, check: (frame: string) => boolean): Promise<string> {
  let frame = '';
  await vi.waitFor(
    () => {
      frame = stripAnsi(instance.lastFrame() ?? '');
      if (!check(frame)) throw new Error(`frame never matched; last frame:\n${frame}`);
    },
    { timeout: 5000, interval: 5 },
  );
  await settle();
  return frame;
}

export function frameContaining(instance: Frames, ...texts: string[]): Promise<string> {
  return frameMatching(instance, (frame) => texts.every((text) => frame.includes(text)));
}

/** Let pending input parsing (a lone Esc waits one macrotask) and renders run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class SizedStdout extends EventEmitter {
  readonly frames: string[] = [];
  isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = (): string | undefined => this.frames.at(-1);
  resize(columns: number, rows = this.rows): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class FakeStdin extends EventEmitter {
  constructor(public isTTY = true) {
    super();
  }
  private data: string | null = null;
  write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = (): string | null => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export function renderSized(tree: ReactElement, columns: number, rows = 40) {
  const stdout = new SizedStdout(columns, rows);
  const stdin = new FakeStdin();
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { ...instance, stdout, stdin, lastFrame: stdout.lastFrame, frames: stdout.frames };
}
