// Running a local command for a source (git, kubectl logs, journalctl): argv only, never a
// shell; bounded in time (the whole process group is killed) and in output (reading stops
// at the cap and the command is stopped). A command that cannot start says so in one line.
import { spawn } from 'node:child_process';
import { SourceError } from './problems.js';

export interface CommandOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface CommandEnd {
  code: number | null;
  /** The last of what it wrote to stderr, for the reason it failed. */
  stderr: string;
  timedOut: boolean;
  /** Stopped by us: the consumer had enough (a cap was reached). */
  stopped: boolean;
}

const STDERR_KEEP = 2048;

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Runs `argv`, handing each stdout chunk to `onData`; `onData` returns false to stop the
 * command (its cap is reached). Resolves when the command has ended.
 */
export function streamCommand(argv: readonly string[], options: CommandOptions, onData: (chunk: Buffer) => boolean): Promise<CommandEnd> {
  const [command, ...args] = argv;
  if (command === undefined) return Promise.reject(new SourceError('the command is empty'));
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout also ends what it started (kubectl's plugins, a pager).
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    let timedOut = false;
    let stopped = false;
    let settled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    const onAbort = (): void => killGroup(child.pid);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (stopped) return;
      if (!onData(chunk)) {
        stopped = true;
        killGroup(child.pid);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      finish();
      reject(
        error.code === 'ENOENT'
          ? new SourceError(`command not found: ${command} (is it installed and on PATH?)`)
          : new SourceError(`cannot run ${command}: ${error.message}`),
      );
    });
    child.once('close', (code) => {
      if (settled) return;
      settled = true;
      finish();
      if (options.signal?.aborted) {
        reject(options.signal.reason ?? new Error('aborted'));
        return;
      }
      resolve({ code, stderr: stderr.trim(), timedOut, stopped });
    });
  });
}

export interface CapturedOutput extends CommandEnd {
  stdout: string;
  /** Output went past `maxBytes`: what is kept is its first `maxBytes`. */
  truncated: boolean;
}

/** Runs `argv` and keeps at most `maxBytes` of its stdout. */
export async function captureCommand(argv: readonly string[], options: CommandOptions & { maxBytes: number }): Promise<CapturedOutput> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const end = await streamCommand(argv, options, (chunk) => {
    const room = options.maxBytes - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, Math.max(0, room)));
      size = options.maxBytes;
      truncated = true;
      return false;
    }
    chunks.push(chunk);
    size += chunk.length;
    return true;
  });
  return { ...end, stdout: Buffer.concat(chunks).toString('utf8'), truncated };
}

/** The first line of what a failed command said, for a problem record. */
export function failureLine(end: CommandEnd, what: string, timeoutMs: number): string {
  if (end.timedOut) return `${what} did not finish within ${Math.round(timeoutMs / 1000)}s`;
  const said = end.stderr.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? '';
  return `${what} failed (exit ${end.code ?? 'signal'})${said ? `: ${said.slice(0, 300)}` : ''}`;
}
