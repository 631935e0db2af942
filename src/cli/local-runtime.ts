// Builds the embedded local runtime: the store under the state home, the brain chosen
// by configuration (Claude with an API key, else the offline triage engine), hands that
// run in a separate environment worker process, and the environment definitions it
// serves, which only its operator chooses: the files `incident serve` was given, or the
// one a local command was given (the user on their own machine is the operator there).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Brain } from '../brains/brain.js';
import { loadEnvironmentDefinition, parseDuration, shippedEnvironmentsDir, type EnvironmentDefinition } from '../definitions/index.js';
import { InputError, RuntimeFailure } from '../errors.js';
import { environmentHands } from '../runtime/environment-hands.js';
import { defaultWorkerScript } from '../runtime/hands/worker-script.js';
import { createLocalRuntime, DEFAULT_MAX_UPLOAD_BYTES, type LocalRuntime } from '../runtime/runtime.js';
import { stateHome, StoreFailure } from '../store/index.js';

export type BrainChoice = 'claude' | 'triage';

/** INCIDENT_BRAIN=triage keeps incident data on this machine even when a key is set. */
export function chooseBrain(env: NodeJS.ProcessEnv): BrainChoice {
  const forced = env['INCIDENT_BRAIN'];
  if (forced === 'triage' || forced === 'claude') {
    if (forced === 'claude' && !env['ANTHROPIC_API_KEY']) {
      throw new InputError('INCIDENT_BRAIN=claude needs ANTHROPIC_API_KEY', { hint: 'set ANTHROPIC_API_KEY, or unset INCIDENT_BRAIN to use the offline engine' });
    }
    return forced;
  }
  if (forced !== undefined && forced !== '') {
    throw new InputError(`INCIDENT_BRAIN=${forced} is not a brain`, { hint: 'use claude or triage' });
  }
  return env['ANTHROPIC_API_KEY'] ? 'claude' : 'triage';
}

function uploadLimit(env: NodeJS.ProcessEnv): number {
  const raw = env['INCIDENT_MAX_UPLOAD_BYTES'];
  if (raw === undefined || raw === '') return DEFAULT_MAX_UPLOAD_BYTES;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new InputError(`INCIDENT_MAX_UPLOAD_BYTES=${raw} is not a byte count`, { hint: 'give a positive whole number of bytes' });
  }
  return value;
}

/** INCIDENT_WORK_LEASE_TTL: how long a worker's lease lasts without a heartbeat (a duration, default 30s). */
function workLeaseTtlSeconds(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env['INCIDENT_WORK_LEASE_TTL'];
  if (raw === undefined || raw === '') return undefined;
  const ms = parseDuration(raw.trim());
  if (ms === undefined || ms < 1000 || ms > 3_600_000) {
    throw new InputError(`INCIDENT_WORK_LEASE_TTL=${raw} is not a duration from 1s to 1h`, { hint: 'e.g. 30s or 2m' });
  }
  return Math.round(ms / 1000);
}

export interface OpenLocalOptions {
  env: NodeJS.ProcessEnv;
  /** Continue every session left running by a process that died (serve does; one-shot commands resume only theirs). */
  resumeAll?: boolean;
  /** The environment definitions this runtime serves, as its operator loaded them (see loadOperatorEnvironments). */
  environments?: readonly EnvironmentDefinition[];
}

export interface OperatorEnvironment {
  file: string;
  definition: EnvironmentDefinition;
}

/** The shipped environments/*.yaml of this install, by name. */
async function shippedEnvironmentFiles(): Promise<string[]> {
  const dir = shippedEnvironmentsDir();
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => join(dir, name));
}

/**
 * Reads the environment files an operator gives; with none given, the shipped
 * environments/*.yaml of this install. A file that does not parse stops here, with its
 * positioned error, before anything is served.
 */
export async function loadOperatorEnvironments(files: readonly string[]): Promise<OperatorEnvironment[]> {
  const chosen = files.length > 0 ? files : await shippedEnvironmentFiles();
  const loaded: OperatorEnvironment[] = [];
  for (const file of chosen) loaded.push({ file, definition: await loadEnvironmentDefinition(file) });
  return loaded;
}

/**
 * A brain loaded with its first step: a command that runs no turn (a listing, a replay,
 * a deletion) never loads the triage engine or the model client.
 */
function lazyBrain(provider: string, load: () => Promise<Brain>): Brain {
  let loaded: Promise<Brain> | undefined;
  return {
    provider,
    async step(context) {
      loaded ??= load();
      return (await loaded).step(context);
    },
  };
}

export function openLocalRuntime(options: OpenLocalOptions): { runtime: LocalRuntime; brain: BrainChoice; home: string } {
  const { env } = options;
  const brain = chooseBrain(env);
  const workerScript = defaultWorkerScript();
  if (!workerScript) {
    throw new InputError('the environment worker is not built', { hint: 'run `npm run build` (npm install does it) and try again' });
  }
  const apiKey = env['ANTHROPIC_API_KEY'];
  const baseURL = env['ANTHROPIC_BASE_URL'];
  const makeBrain = (): Brain =>
    brain === 'claude' && apiKey
      ? lazyBrain('claude', async () => (await import('../brains/claude/index.js')).createClaudeBrain({ apiKey, ...(baseURL ? { baseURL } : {}) }))
      : lazyBrain('triage', async () => (await import('../brains/triage/index.js')).createTriageBrain());
  const home = stateHome(env);
  const leaseTtl = workLeaseTtlSeconds(env);
  let runtime: LocalRuntime;
  try {
    runtime = createLocalRuntime({
      ...(leaseTtl !== undefined ? { workLeaseTtlSeconds: leaseTtl } : {}),
      home,
      maxUploadBytes: uploadLimit(env),
      resume: options.resumeAll ?? false,
      environments: options.environments ?? [],
      secretEnv: env,
      deps: {
        brainFor: () => makeBrain(),
        handsFor: (setup) => environmentHands(setup, { workerScript, parentEnv: env }),
      },
    });
  } catch (error) {
    // A damaged database file or a full disk names the file or folder and what to do.
    if (error instanceof StoreFailure) throw new RuntimeFailure(error.message, { hint: error.advice });
    const reason = error instanceof Error ? error.message : String(error);
    throw new RuntimeFailure(`cannot open the state database in ${home}: ${reason}`, {
      hint: 'check that the folder is writable, or point INCIDENT_HOME at one that is',
    });
  }
  return { runtime, brain, home };
}
