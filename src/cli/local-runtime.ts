// Builds the embedded local runtime: the store under the state home, the brain chosen
// by configuration (Claude with an API key, else the offline triage engine), and
// hands that run in a separate environment worker process.
import type { Brain } from '../brains/brain.js';
import { createClaudeBrain } from '../brains/claude/index.js';
import { createTriageBrain } from '../brains/triage/index.js';
import { InputError, RuntimeFailure } from '../errors.js';
import { environmentHands } from '../runtime/environment-hands.js';
import { defaultWorkerScript } from '../runtime/hands/index.js';
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

export interface OpenLocalOptions {
  env: NodeJS.ProcessEnv;
  /** Continue every session left running by a process that died (serve does; one-shot commands resume only theirs). */
  resumeAll?: boolean;
}

export function openLocalRuntime(options: OpenLocalOptions): { runtime: LocalRuntime; brain: BrainChoice; home: string } {
  const { env } = options;
  const brain = chooseBrain(env);
  const workerScript = defaultWorkerScript();
  if (!workerScript) {
    throw new InputError('the environment worker is not built', { hint: 'run `npm run build` (npm install does it) and try again' });
  }
  const apiKey = env['ANTHROPIC_API_KEY'];
  const makeBrain = (): Brain => (brain === 'claude' && apiKey ? createClaudeBrain({ apiKey, ...(env['ANTHROPIC_BASE_URL'] ? { baseURL: env['ANTHROPIC_BASE_URL'] } : {}) }) : createTriageBrain());
  const home = stateHome(env);
  let runtime: LocalRuntime;
  try {
    runtime = createLocalRuntime({
    home,
    maxUploadBytes: uploadLimit(env),
    resume: options.resumeAll ?? false,
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
