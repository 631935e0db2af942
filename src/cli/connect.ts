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
}

export async function connect(options: ConnectOptions): Promise<RuntimeConnection> {
  const { makeClient } = await import('../client/sdk.js');
  if (options.runtime === 'local') {
    const { openLocalRuntime } = await import('./local-runtime.js');
    const { runtime, brain } = openLocalRuntime({ env: options.env });
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
  const apiKey = options.env['INCIDENT_RUNTIME_KEY'] ?? 'local';
  const client = await makeClient({ baseURL: url.toString().replace(/\/$/, ''), apiKey });
  return { client, label: url.host, close: async () => undefined };
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
    if (status === 404) return new InputError(detail, { hint: 'see `incident sessions list` for the ids' });
    if (status >= 400 && status < 500) return new InputError(`the runtime refused the request: ${detail}`, { hint: 'check the ids and arguments you gave' });
    return new RuntimeFailure(`the runtime at ${label} failed: ${detail}`, { hint: 'try again; if it persists, check the runtime' });
  }
  if (/Connection|Timeout/.test(name)) {
    return new RuntimeFailure(`cannot reach the runtime at ${label}: ${message}`, { hint: 'start it with `incident serve`, or use --runtime local' });
  }
  return error;
}
