// `incident worker`: the hands of a self-hosted environment, next to the data and the
// credentials. The SDK's EnvironmentWorker polls the environment's work queue with the
// environment key, takes one session at a time (acknowledged, its lease kept alive by
// heartbeats) and answers its calls through a SessionToolRunner with this machine's hands:
// the SRE tools over the session's mounted files (fetched from the runtime with the
// session's own token) or over --bundle, the environment's actions with the credentials
// of this machine, and the read-only part of the built-in toolset. Results are redacted
// here before they are sent; the credentials never leave. Several workers may serve one
// environment: each session goes to one, and a worker that dies loses its lease to the next.
import type Anthropic from '@anthropic-ai/sdk';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeClient } from '../client/sdk.js';
import { definitionHash, HASH_METADATA_KEY, loadEnvironmentDefinition, type EnvironmentDefinition } from '../definitions/index.js';
import { InputError, RuntimeFailure } from '../errors.js';
import { environmentKeyPath } from '../runtime/access.js';
import { stateHome } from '../store/index.js';
import { readKeyAt } from '../store/runtime-key.js';
import { clientFailure } from './connect.js';
import { hostHands } from './hands-host.js';

export interface WorkerRun {
  runtime: string;
  environmentFile: string;
  bundle?: string;
  workerId?: string;
  env: NodeJS.ProcessEnv;
  /** Lines for whoever runs the worker (stderr). */
  log: (line: string) => void;
  signal: AbortSignal;
}

/**
 * A worker serves one session at a time: once a session's turn has ended it lets it go
 * after this long, free for the next. A follow-up question queues the session again.
 */
const SESSION_IDLE_MS = 5_000;

const KEY_HINT = 'set INCIDENT_ENVIRONMENT_KEY to the key in the file `incident serve` named for this environment, or run the worker with the runtime\'s INCIDENT_HOME';

/** The environment key: INCIDENT_ENVIRONMENT_KEY, else the one the runtime issued into this machine's state folder. */
function environmentKey(env: NodeJS.ProcessEnv, definition: EnvironmentDefinition): string {
  const given = env['INCIDENT_ENVIRONMENT_KEY'];
  if (given !== undefined && given !== '') return given;
  const hash = definitionHash(definition);
  const key = readKeyAt(environmentKeyPath(stateHome(env), hash));
  if (key === null) throw new InputError(`no environment key for ${definition.name} (hash ${hash})`, { hint: KEY_HINT });
  return key;
}

async function bundleRoot(dir: string | undefined): Promise<string | undefined> {
  if (dir === undefined) return undefined;
  const absolute = resolve(dir);
  const info = await stat(absolute).catch(() => null);
  if (info === null || !info.isDirectory()) throw new InputError(`--bundle ${dir} is not a folder`, { hint: 'pass the folder that holds the bundle files, or leave --bundle out to read each session\'s own files' });
  return absolute;
}

/** The self-hosted environment of this definition on the runtime: the one its operator provisioned. */
async function findEnvironment(client: Anthropic, hash: string, definition: EnvironmentDefinition, source: string): Promise<string> {
  for await (const environment of client.beta.environments.list({ limit: 100 })) {
    if (environment.archived_at || environment.config.type !== 'self_hosted') continue;
    if (environment.metadata[HASH_METADATA_KEY] === hash) return environment.id;
  }
  throw new InputError(`the runtime has no self-hosted environment for ${definition.name} (hash ${hash})`, {
    hint: `its operator must serve that definition: incident serve --environment ${source}`,
  });
}

/** Claude Managed Agents' address when ANTHROPIC_BASE_URL does not move it (the SDK's own default). */
const CLOUD_API_URL = 'https://api.anthropic.com';

/**
 * Where the worker polls and with which key: a served runtime's URL with the key its
 * operator issued, or Claude Managed Agents (`cloud`) at the SDK's address with the key
 * of the self-hosted environment there. Never ANTHROPIC_API_KEY: a worker holds only its
 * environment's key.
 */
function workerTarget(run: WorkerRun, definition: EnvironmentDefinition): { address: string; key: string } {
  if (run.runtime !== 'cloud') return { address: run.runtime.replace(/\/$/, ''), key: environmentKey(run.env, definition) };
  const key = run.env['INCIDENT_ENVIRONMENT_KEY']?.trim();
  if (!key) {
    throw new InputError('a worker for Claude Managed Agents needs its environment key, and INCIDENT_ENVIRONMENT_KEY is not set', {
      hint: `set INCIDENT_ENVIRONMENT_KEY to the key of the self-hosted environment for ${definition.name}`,
    });
  }
  const address = run.env['ANTHROPIC_BASE_URL']?.trim() || CLOUD_API_URL;
  return { address: address.replace(/\/$/, ''), key };
}

export async function runWorker(run: WorkerRun): Promise<void> {
  if (run.runtime === 'local') {
    throw new InputError('a worker serves a runtime over HTTP, not the one inside a command', {
      hint: 'give --runtime cloud (Claude Managed Agents), or the URL `incident serve` printed, like http://127.0.0.1:4646',
    });
  }
  const definition = await loadEnvironmentDefinition(run.environmentFile);
  if (definition.hands !== 'worker') {
    throw new InputError(`the environment ${definition.name} does not run its hands on workers`, { hint: `add \`hands: worker\` to ${run.environmentFile}, and serve it with incident serve --environment ${run.environmentFile}` });
  }
  const hash = definitionHash(definition);
  const { address, key } = workerTarget(run, definition);
  const host = new URL(address).host;
  const root = await bundleRoot(run.bundle);
  const base = await makeClient({ baseURL: address, apiKey: key });
  const client = base.withOptions({
    // What the SDK has to say about the queue and the lease, on this worker's own log.
    logLevel: 'warn',
    logger: {
      error: (message: string) => run.log(`incident worker: ${message}`),
      warn: (message: string) => run.log(`incident worker: ${message}`),
      info: () => undefined,
      debug: () => undefined,
    },
  });
  let environmentId: string;
  try {
    environmentId = await findEnvironment(client, hash, definition, run.environmentFile);
  } catch (error) {
    throw clientFailure(error, host);
  }
  // The SDK's per-session folder (skills); the hands lay each session's files out on their own.
  const workdir = await mkdtemp(join(tmpdir(), 'incident-worker-'));
  run.log(`incident worker serving environment ${definition.name} (${environmentId}) of ${run.runtime === 'cloud' ? `Claude Managed Agents (${host})` : address}${root ? ` over ${root}` : ''}`);
  try {
    await client.beta.environments.work
      .worker({
        environmentId,
        environmentKey: key,
        workdir,
        memorySyncIntervalMs: null,
        maxIdleMs: SESSION_IDLE_MS,
        ...(run.workerId ? { workerId: run.workerId } : {}),
        tools: (context) => {
          const session = context.session;
          if (!session || !context.client) throw new RuntimeFailure('the worker was given a session it cannot read');
          run.log(`incident worker: serving session ${session.id}`);
          return hostHands({
            client: context.client,
            sessionId: session.id,
            definition,
            env: run.env,
            toolset: true,
            ...(root ? { bundleRoot: root } : {}),
            secrets: [{ name: 'environment_key', value: key }],
          });
        },
      })
      .run(run.signal);
  } catch (error) {
    if (run.signal.aborted) return;
    throw clientFailure(error, host);
  } finally {
    await rm(workdir, { recursive: true, force: true });
  }
}
