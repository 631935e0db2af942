// Connecting to a runtime: `local` (the embedded runtime, in this process, no port) or
// the URL of an `incident serve`. The choice is one option, so another runtime (Claude
// Managed Agents) is one more value.
import type Anthropic from '@anthropic-ai/sdk';
import { InputError, RuntimeFailure } from '../errors.js';

export interface RuntimeConnection {
  client: Anthropic;
  /** Shown in the header: `local (triage)`, or the URL. */
  label: string;
  /** Local runtime only: continue a session a dead process left running. */
  continueSession?: (sessionId: string) => void;
  close(): Promise<void>;
}

export interface ConnectOptions {
  runtime: string;
  env: NodeJS.ProcessEnv;
  /** Local runtime only: continue this session if a dead process left it running. */
  resumeSession?: string;
  /**
   * Local runtime only: the environment files this process serves. The user on their own
   * machine is the runtime's operator; a remote runtime serves what its operator loaded.
   */
  environmentFiles?: readonly string[];
}

export async function connect(options: ConnectOptions): Promise<RuntimeConnection> {
  const { makeClient } = await import('../client/sdk.js');
  if (options.runtime === 'local') {
    const { loadOperatorEnvironments, openLocalRuntime } = await import('./local-runtime.js');
    const files = options.environmentFiles ?? [];
    const environments = files.length > 0 ? (await loadOperatorEnvironments(files)).map((loaded) => loaded.definition) : [];
    const { runtime, brain } = openLocalRuntime({ env: options.env, environments });
    if (options.resumeSession) runtime.engine.resume(options.resumeSession);
    return {
      client: await makeClient({ fetch: runtime.fetch }),
      label: `local (${brain})`,
      continueSession: (sessionId) => runtime.engine.resume(sessionId),
      close: () => runtime.close(),
    };
  }
  let url: URL;
  try {
    url = new URL(options.runtime);
  } catch {
    throw new InputError(`--runtime ${options.runtime} is neither "local" nor a URL`, { hint: 'use local, or the URL an `incident serve` printed, like http://127.0.0.1:4646' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`--runtime ${options.runtime} must be an http(s) URL`, { hint: 'like http://127.0.0.1:4646' });
  }
  const client = await makeClient({ baseURL: url.toString().replace(/\/$/, ''), apiKey: await runtimeKeyFor(url, options.env) });
  return { client, label: url.host, close: async () => undefined };
}

/** Where a client gets the key of a runtime, said once for every message that needs it. */
export const KEY_HINT =
  "set INCIDENT_RUNTIME_KEY to that runtime's key; `incident serve` names the file that holds it when it starts";

/**
 * INCIDENT_RUNTIME_KEY, else (for a runtime on this machine) the key of a runtime served
 * from this machine's state folder, else none: the runtime's 401 then says what to do
 * (and a runtime that cannot be reached is reported as that, not as a missing key). The
 * key file is sent only to a loopback address: a mistyped or hostile URL must not
 * collect the key of the user's own runtime.
 */
export async function runtimeKeyFor(url: URL, env: NodeJS.ProcessEnv): Promise<string | null> {
  const given = env['INCIDENT_RUNTIME_KEY'];
  if (given !== undefined && given !== '') return given;
  const { isLoopback } = await import('../runtime/http-guard.js');
  if (!isLoopback(url.hostname)) return null;
  const { stateHome } = await import('../store/index.js');
  const { readRuntimeKey } = await import('../store/runtime-key.js');
  return readRuntimeKey(stateHome(env));
}

/**
 * Turns an SDK failure into one line that says what to do: a 404 names the missing
 * thing, another 4xx is the caller's to fix, a 5xx or an unreachable runtime is a
 * runtime failure. Anything else is returned unchanged (a bug, printed with its stack).
 */
export function clientFailure(error: unknown, label: string): unknown {
  const { status, headers, error: body } = (error ?? {}) as { status?: unknown; headers?: { get?: (name: string) => string | null }; error?: unknown };
  const name = error instanceof Error ? error.constructor.name : '';
  const message = error instanceof Error ? error.message : String(error);
  const said = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  // The runtime's own account of a failure retrying will not fix (a full disk, a damaged
  // log), or an error frame on its event stream: it already names what and what to do.
  const final = typeof headers?.get === 'function' && headers.get('x-should-retry') === 'false';
  if (typeof said === 'string' && ((typeof status === 'number' && status >= 500 && final) || status === undefined)) {
    return new RuntimeFailure(said);
  }
  if (typeof status === 'number') {
    const detail = message.replace(/^\d{3}\s*/, '').replace(/^\{.*"message":"([^"]+)".*\}$/, '$1');
    if (status === 401) return new InputError(`the runtime at ${label} requires its key`, { hint: KEY_HINT });
    if (status === 403) return new InputError(`the runtime at ${label} refused the connection: ${detail}`, { hint: 'use the address the runtime printed when it started' });
    if (status === 404) return new InputError(detail, { hint: 'see `incident sessions list` for the ids' });
    if (status >= 400 && status < 500) return new InputError(`the runtime refused the request: ${detail}`, { hint: 'check the ids and arguments you gave' });
    return new RuntimeFailure(`the runtime at ${label} failed: ${detail}`, { hint: 'try again; if it persists, check the runtime' });
  }
  if (/Connection|Timeout/.test(name)) {
    return new RuntimeFailure(`cannot reach the runtime at ${label}: ${message}`, { hint: 'start it with `incident serve`, or use --runtime local' });
  }
  return error;
}
