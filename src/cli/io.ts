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
