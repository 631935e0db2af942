// A tmux server of its own for driving the terminal UI in a real pseudo-terminal: start a
// program in a detached session, send it keys, read its screen, and read its exit code
// after it quits (panes stay on exit, so the last screen remains).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';

/** True when a tmux binary is on PATH. */
export function tmuxAvailable(): boolean {
  const probe = spawnSync('tmux', ['-V'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

/** True when the tests run in CI (CI set where vitest started; vitest.config.ts passes it on as INCIDENT_TEST_CI). */
export function inCi(): boolean {
  const value = process.env['INCIDENT_TEST_CI'] ?? '';
  return value !== '' && value !== '0' && value !== 'false';
}

/**
 * Whether a tmux suite runs here. Without tmux it is skipped on a developer's machine, with a
 * warning; in CI (whose script installs tmux) it fails instead, so that CI cannot pass with
 * the terminal untested.
 */
export function tmuxSuiteRuns(suite: string): boolean {
  if (tmuxAvailable()) return true;
  if (inCi()) {
    describe(suite, () => {
      it('has tmux to run in', () => {
        throw new Error('tmux is not installed: in CI the terminal UI tests must run (apt-get install tmux)');
      });
    });
    return false;
  }
  console.warn(`${suite}: skipped, tmux is not installed (apt-get install tmux)`);
  return false;
}

const POLL_MS = 50;

export interface CaptureOptions {
  /** The whole scrollback, not only the visible screen. */
  history?: boolean;
  /** Join rows the terminal wrapped, so a line wider than the pane shows at its full width. */
  join?: boolean;
}

export class TmuxServer {
  readonly socket = `incident-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly dir = mkdtempSync(join(tmpdir(), 'incident-tmux-'));
  private readonly config = join(this.dir, 'tmux.conf');
  private sessions = 0;
  private socketPath: string | null = null;

  constructor() {
    // No status bar (the pane is the whole window), keep dead panes for their last screen,
    // keep the server up between sessions (a session started while the server exits after
    // the last one closed fails), and none of the user's own configuration.
    writeFileSync(this.config, ['set -g status off', 'set -g remain-on-exit on', 'set -g exit-empty off', 'set -g history-limit 20000', ''].join('\n'));
  }

  tmux(args: readonly string[], env?: NodeJS.ProcessEnv): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', this.config, ...args], { encoding: 'utf8', ...(env ? { env } : {}) });
  }

  /** Starts `argv` in a new detached session of `width`×`height`, with exactly `env`. */
  start(argv: readonly string[], options: { env: NodeJS.ProcessEnv; cwd: string; width: number; height: number }): TmuxPane {
    this.sessions += 1;
    const name = `s${this.sessions}`;
    const env: NodeJS.ProcessEnv = { ...options.env };
    delete env['TMUX'];
    delete env['TMUX_PANE'];
    const variables = Object.entries(env).flatMap(([key, value]) => (value === undefined ? [] : ['-e', `${key}=${value}`]));
    // The exit code goes to a file through a shell in between: tmux can be slow to collect
    // a pane's process (it stays a zombie for seconds right after a resize), a shell is not.
    const exitFile = join(this.dir, `${name}.exit`);
    const command = ['/bin/sh', '-c', '"$@"; echo $? > "$0"', exitFile, ...argv];
    // The first command starts the server with `env`; -e sets it on the session as well.
    this.tmux(['new-session', '-d', '-s', name, '-x', String(options.width), '-y', String(options.height), '-c', options.cwd, ...variables, ...command], env);
    this.socketPath ??= this.tmux(['display-message', '-p', '-t', name, '#{socket_path}']).trim();
    return new TmuxPane(this, name, exitFile);
  }

  /** Ends the server and every program in it, and removes its socket (tmux leaves it behind). */
  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
    if (this.socketPath !== null) rmSync(this.socketPath, { force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class TmuxPane {
  constructor(
    private readonly server: TmuxServer,
    readonly target: string,
    private readonly exitFile: string,
  ) {}

  /** Named keys as tmux spells them: `Enter`, `Escape`, `C-c`, or a single character. */
  keys(...keys: string[]): void {
    this.server.tmux(['send-keys', '-t', this.target, ...keys]);
  }

  /** Literal text, as if typed. */
  type(text: string): void {
    this.server.tmux(['send-keys', '-t', this.target, '-l', text]);
  }

  capture(options: CaptureOptions = {}): string {
    const args = ['capture-pane', '-p', '-t', this.target];
    if (options.history) args.push('-S', '-');
    if (options.join) args.push('-J');
    return this.server.tmux(args);
  }

  resize(width: number, height: number): void {
    this.server.tmux(['resize-window', '-t', this.target, '-x', String(width), '-y', String(height)]);
  }

  size(): { width: number; height: number } {
    const [width, height] = this.server.tmux(['display-message', '-p', '-t', this.target, '#{pane_width} #{pane_height}']).trim().split(' ').map(Number);
    return { width: width ?? 0, height: height ?? 0 };
  }

  /** The program's exit code once it has exited (128 + n for signal n), else null. */
  exitCode(): number | null {
    const text = existsSync(this.exitFile) ? readFileSync(this.exitFile, 'utf8').trim() : '';
    return /^\d+$/.test(text) ? Number(text) : null;
  }

  /**
   * Polls the screen until `condition` holds and returns that screen. On the deadline it
   * fails with what the screen showed last, so a failing run says what went wrong.
   */
  async waitFor(what: string, condition: (screen: string) => boolean, options: CaptureOptions & { timeoutMs?: number } = {}): Promise<string> {
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    for (;;) {
      const exited = this.exitCode();
      const screen = this.capture(options);
      if (condition(screen)) return screen;
      // A program that has exited draws nothing more.
      if (exited !== null) throw new Error(`the program exited with ${exited} before ${what}; the screen was:\n${screen}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen was:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const code = this.exitCode();
      if (code !== null) return code;
      if (Date.now() > deadline) throw new Error(`the program did not exit; the screen was:\n${this.capture()}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  close(): void {
    spawnSync('tmux', ['-L', this.server.socket, 'kill-session', '-t', this.target], { stdio: 'ignore' });
  }
}

/** How many times `needle` occurs in `text`. */
export function count(text: string, needle: string | RegExp): number {
  if (typeof needle === 'string') return text.split(needle).length - 1;
  const global = new RegExp(needle.source, needle.flags.includes('g') ? needle.flags : `${needle.flags}g`);
  return [...text.matchAll(global)].length;
}

/** Lines wider than `width` columns (every glyph the UI draws is one column wide). */
export function overlong(text: string, width: number): string[] {
  return text.split('\n').filter((line) => Array.from(line.trimEnd()).length > width);
}
