// Where a session's hands run, as its runtime reports it, and, when they run on the
// client, this process answering them: the SDK's SessionToolRunner with the hands of this
// machine, for as long as the command follows the session. Shared by diagnose, resume and
// the terminal UI.
import type Anthropic from '@anthropic-ai/sdk';
import type { BetaManagedAgentsSession } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { APPROVED_ACTIONS_FOLDER, ApprovedActions } from '../client/approved-actions.js';
import { localMounts, runClientHands, settleUnfinishedActions } from '../client/hands-runner.js';
import { listBundleFiles } from '../client/upload.js';
import {
  defaultEnvironmentPath,
  definitionHash,
  HANDS_METADATA_KEY,
  HASH_METADATA_KEY,
  HANDS_PLACES,
  loadEnvironmentDefinition,
  type EnvironmentDefinition,
  type HandsPlace,
} from '../definitions/index.js';
import { InputError } from '../errors.js';
import { stateHome } from '../store/home.js';
import { notePosted, settleRecordedActions, type ActionGate } from './action-gate.js';
import { clientVerdictTools } from './client-verdict.js';
import { hostHands } from './hands-host.js';

/** The environment file a session was opened with, so a later resume can run the same hands. */
export const ENVIRONMENT_FILE_KEY = 'incident.environment_file';

export interface SessionHands {
  place: HandsPlace;
  /** Stops answering (a call under way finishes first). */
  stop(): Promise<void>;
}

const NO_HANDS: Omit<SessionHands, 'place'> = { stop: async () => undefined };

/**
 * Where a session's hands run. On Claude Managed Agents (`cloud`) an environment runs none
 * of the SRE tools: a cloud environment's are answered by the client, a self-hosted one's
 * by its workers, whatever its metadata says (the cloud does not write it).
 */
export async function handsPlaceOf(client: Anthropic, environmentId: string, cloud = false): Promise<{ place: HandsPlace; hash: string | null }> {
  let environment;
  try {
    environment = await client.beta.environments.retrieve(environmentId);
  } catch (error) {
    // An environment deleted since: its sessions are still read (and resumed) where the runtime runs them.
    if ((error as { status?: unknown }).status === 404) return { place: cloud ? 'client' : 'local', hash: null };
    throw error;
  }
  if (cloud) return { place: environment.config.type === 'self_hosted' ? 'worker' : 'client', hash: environment.metadata[HASH_METADATA_KEY] ?? null };
  const said = environment.metadata[HANDS_METADATA_KEY];
  const place = (HANDS_PLACES as readonly string[]).includes(said ?? '') ? (said as HandsPlace) : environment.config.type === 'self_hosted' ? 'worker' : 'local';
  return { place, hash: environment.metadata[HASH_METADATA_KEY] ?? null };
}

/**
 * The hands of an environment whose hands run on workers cannot be reached by a runtime
 * inside this process: refused before anything is uploaded.
 */
export function checkHandsReachable(definition: EnvironmentDefinition, runtime: string, source: string): void {
  if (definition.hands !== 'worker' || runtime !== 'local') return;
  throw new InputError(`the environment ${definition.name} runs its hands on workers (hands: worker), which only a served runtime can reach`, {
    hint: `serve it and start a worker: incident serve --environment ${source}; incident worker --runtime <url> --environment ${source}; then incident diagnose --runtime <url>`,
  });
}

/** The definition file among `candidates` whose hash is the environment's. */
async function definitionFor(hash: string | null, candidates: readonly string[]): Promise<EnvironmentDefinition | null> {
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    const definition = await loadEnvironmentDefinition(file).catch(() => null);
    if (definition && definitionHash(definition) === hash) return definition;
  }
  return null;
}

export interface StartHandsOptions {
  client: Anthropic;
  session: Pick<BetaManagedAgentsSession, 'id' | 'environment_id' | 'metadata'>;
  env: NodeJS.ProcessEnv;
  /** The definition the session was just opened with, if this process opened it. */
  definition?: EnvironmentDefinition;
  /** Environment files to look in before the one recorded with the session and the shipped default. */
  candidates?: readonly string[];
  /** Files of the bundle this process just uploaded, by mount path. */
  localFiles?: ReadonlyMap<string, string>;
  /** Where trouble with the hands is told. */
  warn: (line: string) => void;
  /** Claude Managed Agents: the client answers every tool of the agent, the verifier's too. */
  cloud?: boolean;
  /**
   * Claude Managed Agents: who answers the environment's actions, which the cloud never
   * asks anyone about (a scripted run's policy, the terminal's prompt). Unset: no one here,
   * and they wait for a process that has a gate.
   */
  actionGate?: ActionGate;
}

/**
 * Starts answering the session's calls on this machine when its hands run on the client;
 * otherwise says where they run and answers nothing. A resumed session first settles an
 * approved action the process before may have been running.
 */
export async function startSessionHands(options: StartHandsOptions): Promise<SessionHands> {
  const { client, session } = options;
  const { place, hash } = await handsPlaceOf(client, session.environment_id, options.cloud === true);
  if (place !== 'client') return { place, ...NO_HANDS };
  const recorded = session.metadata[ENVIRONMENT_FILE_KEY];
  const definition =
    options.definition ?? (await definitionFor(hash, [...(options.candidates ?? []), ...(recorded ? [recorded] : []), defaultEnvironmentPath()]));
  if (!definition) {
    throw new InputError(`session ${session.id} runs its hands on this client, and none of the environment files at hand is the definition it was started with (hash ${hash ?? 'none'})`, {
      hint: `give that file: incident resume ${session.id} --environment <file>`,
    });
  }
  // Approvals on this machine of calls whose log has no confirmation (Claude Managed Agents).
  const approved = options.cloud ? new ApprovedActions(join(stateHome(options.env), APPROVED_ACTIONS_FOLDER), session.id) : null;
  if (!options.definition) {
    const settled = [...(await settleUnfinishedActions(client, session.id)), ...(approved ? await settleRecordedActions(client, session.id, approved) : [])];
    for (const name of settled) options.warn(`incident: ${name} was approved when the last process stopped; it is not run again (check its effect)`);
  }
  const stopped = new AbortController();
  // A session resumed on the machine that opened it: its bundle folder, for files the runtime will not give back.
  const fallbackFiles = options.localFiles ? undefined : await bundleFolderFiles(session.metadata[BUNDLE_KEY]);
  const tools = [
    ...hostHands({
      client,
      sessionId: session.id,
      definition,
      env: options.env,
      toolset: false,
      ...(options.localFiles ? { localFiles: options.localFiles } : {}),
      ...(fallbackFiles ? { fallbackFiles } : {}),
      ...(approved ? { actions: options.actionGate ? { gate: options.actionGate, record: approved, signal: stopped.signal } : null } : {}),
    }),
    ...(options.cloud ? clientVerdictTools(client, session.id) : []),
  ];
  const onCall = notePosted(options.actionGate);
  const run = runClientHands(client, session.id, {
    tools,
    signal: stopped.signal,
    onFailure: (reason) => options.warn(`incident: this process stopped answering the session's tool calls (${reason}); resume it with: incident resume ${session.id}`),
    ...(onCall ? { onCall } : {}),
  });
  return {
    place,
    // The runner and a question still open stop together, so a question dropped unanswered is never posted as a failure.
    stop: () => {
      stopped.abort();
      return run.stop();
    },
  };
}

/** The bundle folder a session was opened from (cut to its last 512 characters). */
export const BUNDLE_KEY = 'incident.bundle';

/** The files of a bundle folder by mount path, or none when this machine does not have that folder. */
async function bundleFolderFiles(folder: string | undefined): Promise<Map<string, string> | undefined> {
  if (folder === undefined || !isAbsolute(folder) || !existsSync(folder)) return undefined;
  try {
    return localMounts((await listBundleFiles([folder])).files);
  } catch {
    return undefined;
  }
}

/** The metadata that lets a resume find the environment file again. */
export function environmentFileMetadata(file: string): Record<string, string> {
  const absolute = resolve(file);
  return absolute.length <= 512 ? { [ENVIRONMENT_FILE_KEY]: absolute } : {};
}

/** How long a session may wait on its workers before the person following it is told. */
export const WORKER_WAIT_NOTICE_MS = 10_000;

/**
 * Tells the person following a session on a self-hosted environment, once, when it has
 * waited a while for a worker to answer (none may be running). Feed it every event.
 */
export function workerWaitNotice(environmentName: string, warn: (line: string) => void): { onEvent(event: { type: string }): void; dispose(): void } {
  let timer: NodeJS.Timeout | undefined;
  let told = false;
  const dispose = (): void => {
    clearTimeout(timer);
    timer = undefined;
  };
  return {
    onEvent(event) {
      dispose();
      const stop = (event as { stop_reason?: { type?: string } }).stop_reason;
      if (told || event.type !== 'session.status_idle' || stop?.type !== 'requires_action') return;
      timer = setTimeout(() => {
        told = true;
        warn(`incident: waiting for a worker of environment ${environmentName} to answer; start one with: incident worker --runtime <url> --environment <file>`);
      }, WORKER_WAIT_NOTICE_MS);
      timer.unref();
    },
    dispose,
  };
}
