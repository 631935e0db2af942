// Runs one action process: no shell, its own process group (so a timeout or a cancel
// kills everything it started, not just the first process), output streamed as it comes
// and kept within a bound (the head and the tail, which is where errors usually are). A
// small leader process heads the group and takes it down if the worker dies first.
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

export interface RunOptions {
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
  timeoutMs: number;
  signal: AbortSignal;
  onOutput(chunk: string): void;
  /** How many characters of output to keep (split between head and tail). */
  keepChars: number;
  /** Between SIGTERM and SIGKILL when the group must be stopped. */
  killGraceMs?: number;
}

export interface RunOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the process could not be started at all (e.g. the command is not on PATH). */
  spawnError: string | null;
  durationMs: number;
  output: string;
  omittedChars: number;
}

/** Process groups of the actions running now, so a worker that is told to stop can stop them. */
const running = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone, or no process groups here (Windows): the process itself, then.
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** Kills every running action's process group at once (used when the worker shuts down). */
export function killRunningActions(): void {
  for (const pid of running) killGroup(pid, 'SIGKILL');
  running.clear();
}

/** Keeps the first and the last `keep / 2` characters of a stream and counts what falls between. */
class BoundedOutput {
  private head = '';
  private tail = '';
  private total = 0;
  constructor(private readonly half: number) {}

  add(chunk: string): void {
    this.total += chunk.length;
    if (this.head.length < this.half) {
      const room = this.half - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (chunk === '') return;
    this.tail += chunk;
    if (this.tail.length > this.half * 2) this.tail = this.tail.slice(-this.half);
  }

  result(): { output: string; omittedChars: number } {
    const tail = this.tail.length > this.half ? this.tail.slice(-this.half) : this.tail;
    const omitted = this.total - this.head.length - tail.length;
    if (omitted === 0) return { output: this.head + tail, omittedChars: 0 };
    return { output: `${this.head}\n[... ${omitted} characters of output omitted ...]\n${tail}`, omittedChars: omitted };
  }
}

/**
 * The leader of an action's process group, a few lines of Node run with `node -e`: it
 * starts the command in its group and reports how it ended on fd 3. It holds a pipe from
 * the worker on its stdin; when that closes (the worker is gone, however it died, even by
 * SIGKILL) it kills the whole group, so no action outlives the worker that started it.
 */
const LEADER = `
const { spawn } = require('node:child_process');
const { writeSync } = require('node:fs');
const [command, ...args] = process.argv.slice(1);
const report = (message) => { try { writeSync(3, JSON.stringify(message) + '\\n'); } catch {} };
const killGroup = () => { try { process.kill(-process.pid, 'SIGKILL'); } catch {} };
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
child.on('error', (error) => { report({ error: error.code || error.message }); process.exit(127); });
child.on('exit', (code, signal) => { report({ code, signal }); process.exit(code === null ? 1 : code); });
process.on('SIGTERM', () => child.kill('SIGTERM'));
process.stdin.on('end', killGroup);
process.stdin.on('error', killGroup);
process.stdin.resume();
`;

interface LeaderReport {
  code?: number | null;
  signal?: NodeJS.Signals | null;
  error?: string;
}

export function runProcess(options: RunOptions): Promise<RunOutcome> {
  const started = performance.now();
  const output = new BoundedOutput(Math.max(200, Math.floor(options.keepChars / 2)));
  const grace = options.killGraceMs ?? 3_000;
  const [command, ...args] = options.argv;

  return new Promise<RunOutcome>((resolve) => {
    let timedOut = false;
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let report: LeaderReport = {};

    const child = spawn(process.execPath, ['-e', LEADER, '--', command ?? '', ...args], {
      env: { ...options.env },
      // stdin: the pipe whose closing tells the leader the worker is gone; fd 3: its report.
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      detached: true,
      shell: false,
      windowsHide: true,
    });
    const pid = child.pid;
    if (pid !== undefined) running.add(pid);
    child.stdin?.on('error', () => undefined);
    let reportText = '';
    child.stdio[3]?.on('data', (data: Buffer) => {
      reportText += data.toString('utf8');
    });

    const stop = (): void => {
      if (pid === undefined) return;
      killGroup(pid, 'SIGTERM');
      killTimer ??= setTimeout(() => killGroup(pid, 'SIGKILL'), grace);
      killTimer.unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = (): void => {
      cancelled = true;
      stop();
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });

    for (const stream of [child.stdout, child.stderr]) {
      const decoder = new StringDecoder('utf8');
      stream?.on('data', (data: Buffer) => {
        const text = decoder.write(data);
        if (text === '') return;
        output.add(text);
        options.onOutput(text);
      });
      stream?.on('end', () => {
        const rest = decoder.end();
        if (rest !== '') {
          output.add(rest);
          options.onOutput(rest);
        }
      });
    }

    let leaderError: string | null = null;
    child.on('error', (error) => {
      leaderError = `could not start the action: ${error.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      if (pid !== undefined) {
        running.delete(pid);
        // Whatever the action left behind in its group goes with it.
        killGroup(pid, 'SIGKILL');
      }
      if (killTimer !== undefined) clearTimeout(killTimer);
      try {
        report = JSON.parse(reportText.trim().split('\n')[0] ?? '{}') as LeaderReport;
      } catch {
        // No report: the leader itself was killed (a timeout or a cancel); its own exit says how.
      }
      const spawnError =
        leaderError ??
        (report.error === undefined
          ? null
          : report.error === 'ENOENT'
            ? `command "${command}" was not found (is it installed and on the worker's PATH?)`
            : `could not start "${command}": ${report.error}`);
      resolve({
        exitCode: report.code !== undefined ? report.code : spawnError === null ? code : null,
        signal: report.signal !== undefined ? report.signal : signal,
        timedOut,
        cancelled,
        spawnError,
        durationMs: Math.round(performance.now() - started),
        ...output.result(),
      });
    });
  });
}
