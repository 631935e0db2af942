// Where the CLI writes, and whether it may colour or animate. One place decides, so
// NO_COLOR / FORCE_COLOR and "is this a TTY" are read once.
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** Colour is on for a TTY unless NO_COLOR is set; FORCE_COLOR (not "0") turns it on anywhere. */
export function colorEnabled(io: CliIO): boolean {
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined && force !== '' ) return force !== '0' && force !== 'false';
  if (io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '') return false;
  return io.stdout.isTTY === true;
}

/** Spinners and live redraws only where a person is watching. */
export function interactive(io: CliIO): boolean {
  const ci = (name: string): boolean => {
    const value = io.env[name];
    return value !== undefined && value !== '0' && value !== 'false';
  };
  return io.stdout.isTTY === true && !ci('CI') && !ci('CONTINUOUS_INTEGRATION');
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}

// A reader that stops reading (`incident … | head -1`) is not a failure: stdout is closed
// under the writer, and every later write fails with EPIPE. Node reports that as an
// 'error' event that, unheard, ends the process with a stack trace. Here it is heard:
// later writes are dropped by the destroyed stream, and commands that follow a session
// stop following (see `outputClosed`); the exit code is then 0 (README "Exit codes").
const closedOutput = new AbortController();
let guarded = false;

/** True for the errors a write gets once its reader has gone away. */
export function isClosedOutputError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/**
 * Listens for stdout's reader going away (and stderr's, whose loss only drops the lines).
 * Called once, before the command runs. Any other write error is still a bug.
 */
export function guardOutput(stdout: NodeJS.EventEmitter = process.stdout, stderr: NodeJS.EventEmitter = process.stderr): void {
  if (guarded) return;
  guarded = true;
  const listen = (stream: NodeJS.EventEmitter, onClosed: () => void): void => {
    stream.on('error', (error: unknown) => {
      if (!isClosedOutputError(error)) throw error;
      onClosed();
    });
  };
  listen(stdout, () => closedOutput.abort());
  listen(stderr, () => undefined);
}

/**
 * Aborted once stdout's reader has gone away. A command that follows a session stops
 * following there and leaves the session as it stands: `incident resume <id>` goes on.
 */
export function outputClosed(): AbortSignal {
  return closedOutput.signal;
}
