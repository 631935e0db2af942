// Connecting to a runtime: `local` (the embedded runtime, in this process, no port) or
// the URL of an `incident serve`, or `cloud`: Claude Managed Agents with the user's
// ANTHROPIC_API_KEY. The choice is one option; the commands work the same on each.
import type Anthropic from '@anthropic-ai/sdk';
import type { makeClient as MakeClientFn } from '../client/sdk.js';
import type { UploadRecord } from '../client/upload-record.js';
import { join } from 'node:path';
import { InputError, RuntimeFailure } from '../errors.js';

export interface RuntimeConnection {
  client: Anthropic;
  /** Shown in the header: `local (triage)`, or the URL. */
  label: string;
  /**
   * Claude Managed Agents: its environments never run the SRE tools (the client answers
   * them), nothing binds a definition hash on its side, and uploads are deduplicated.
   */
  cloud: boolean;
  /** What to do about a 401 from this runtime. */
  keyHint: string;
  /** Cloud only: what this user already uploaded there, so a file's bytes go up once. */
  uploadRecord?: UploadRecord;
  /** Local runtime only: continue a session a dead process left running. */
  continueSession?: (sessionId: string) => void;
  /**
   * The runtime runs in this process (`local`): a session it drives stops when this
   * process ends, so a command that stops following must stop the turn too, or the log
   * would say `running` with nothing running it.
   */
  inProcess: boolean;
  close(): Promise<void>;
}

type MakeClient = typeof MakeClientFn;

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
      cloud: false,
      inProcess: true,
      keyHint: KEY_HINT,
      continueSession: (sessionId) => runtime.engine.resume(sessionId),
      close: () => runtime.close(),
    };
  }
  if (options.runtime === 'cloud') return connectCloud(options.env, makeClient);
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
  return { client, label: url.host, cloud: false, inProcess: false, keyHint: KEY_HINT, close: async () => undefined };
}

/** What a 401 from the cloud means. */
export const CLOUD_KEY_HINT = 'set ANTHROPIC_API_KEY to a Claude API key of your organization (console.anthropic.com, API keys)';

async function connectCloud(env: NodeJS.ProcessEnv, makeClient: MakeClient): Promise<RuntimeConnection> {
  const apiKey = env['ANTHROPIC_API_KEY'];
  if (apiKey === undefined || apiKey.trim() === '') {
    throw new InputError('the cloud runtime (Claude Managed Agents) needs a Claude API key, and ANTHROPIC_API_KEY is not set', { hint: 'set ANTHROPIC_API_KEY to your Claude API key, or use --runtime local' });
  }
  // The SDK's own override of its address, honoured as the SDK honours it.
  const baseURL = env['ANTHROPIC_BASE_URL'] || undefined;
  const client = await makeClient({ cloud: { apiKey: apiKey.trim(), ...(baseURL ? { baseURL } : {}) } });
  const { UploadRecord, UPLOAD_RECORD_FILE } = await import('../client/upload-record.js');
  const { stateHome } = await import('../store/home.js');
  const uploadRecord = new UploadRecord(join(stateHome(env), UPLOAD_RECORD_FILE), client.baseURL);
  return { client, label: `cloud (${new URL(client.baseURL).host})`, cloud: true, inProcess: false, keyHint: CLOUD_KEY_HINT, uploadRecord, close: async () => undefined };
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
export function clientFailure(error: unknown, label: string, keyHint: string = KEY_HINT): unknown {
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
    if (status === 401) return new InputError(keyHint === KEY_HINT ? `the runtime at ${label} requires its key` : `the runtime at ${label} refused the key: ${detail}`, { hint: keyHint });
    if (status === 403) return new InputError(`the runtime at ${label} refused the connection: ${detail}`, { hint: 'use the address the runtime printed when it started' });
    if (status === 404) return new InputError(detail, { hint: 'see `incident sessions list` for the ids' });
    if (status >= 400 && status < 500) return new InputError(`the runtime refused the request: ${detail}`, { hint: 'check the ids and arguments you gave' });
    return new RuntimeFailure(`the runtime at ${label} failed: ${detail}`, { hint: 'try again; if it persists, check the runtime' });
  }
  if (/Connection|Timeout/.test(name)) {
    const hint = keyHint === CLOUD_KEY_HINT ? 'check the network (and ANTHROPIC_BASE_URL, if set), or use --runtime local' : 'start it with `incident serve`, or use --runtime local';
    return new RuntimeFailure(`cannot reach the runtime at ${label}: ${message}`, { hint });
  }
  return error;
}
