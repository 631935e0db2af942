// The interactive terminal. Loaded lazily by the CLI (it pulls in Ink and React), it
// renders inline (no alternate screen) and resolves with the exit code once the person
// quits; the session itself carries on in its runtime and can be resumed.
import { render } from 'ink';
import { EXIT, InputError } from '../errors.js';
import { App } from './app.js';
import type { TuiExit, TuiOptions } from './types.js';

export type { SessionInfo, SessionSummary, TuiExit, TuiOptions, TuiSession, TuiStart } from './types.js';
export { DEFAULT_APPROVAL_TIMEOUT_MS } from './types.js';
export { App, type AppProps } from './app.js';
export { KEY_BINDINGS, matches, type Binding, type Command } from './keys.js';

export async function runTui(options: TuiOptions): Promise<TuiExit> {
  if (!options.session && !options.start) {
    throw new InputError('nothing to show in the terminal UI', { hint: 'pass a session to open or a way to start one' });
  }
  const stdin = options.stdin ?? process.stdin;
  if (!stdin.isTTY) {
    throw new InputError('the interactive terminal needs a keyboard (stdin is not a TTY)', {
      hint: 'use `incident diagnose <bundle>` in scripts and pipes',
    });
  }
  let result: TuiExit = { exitCode: EXIT.cancelled, sessionId: null };
  const instance = render(
    <App
      session={options.session}
      start={options.start}
      approvalTimeoutMs={options.approvalTimeoutMs}
      color={options.color}
      onExit={(exitCode, sessionId) => {
        result = { exitCode, sessionId };
      }}
    />,
    { stdout: options.stdout ?? process.stdout, stdin, exitOnCtrlC: false, patchConsole: false },
  );
  await instance.waitUntilExit();
  return result;
}
