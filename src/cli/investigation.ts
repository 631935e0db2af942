// Opening an investigation: the agent and environment definitions on the runtime,
// the bundle uploaded file by file, a session with every file mounted at its path,
// titled from the page. Shared by `diagnose`, the TUI and the eval.
import type Anthropic from '@anthropic-ai/sdk';
import type { BetaManagedAgentsSession } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import { ensureAgent, ensureEnvironment } from '../client/definitions.js';
import { checkUploadLimits, listBundleFiles, mountOrDelete, uploadBundle, uploadLimits, type BundleFileRef, type RefusedFile, type UploadProgress } from '../client/upload.js';
import type { UploadRecord } from '../client/upload-record.js';
import { defaultAgentPath, defaultEnvironmentPath, loadAgentDefinition, loadEnvironmentDefinition, type EnvironmentDefinition } from '../definitions/index.js';
import { InputError } from '../errors.js';
import type { IncidentInfo } from './incident-info.js';
import { toolSpecs } from '../hands/tools/index.js';
import { actionToolSpec } from '../runtime/environment-hands.js';
import { costBudget } from './session-budget.js';
import { BUNDLE_KEY, environmentFileMetadata } from './session-hands.js';

export const INVESTIGATE_PROMPT =
  'You have been paged. Investigate the incident in the mounted bundle: find when it started, what changed before it, ' +
  'and what caused it; rule out what did not; then submit your diagnosis with a remediation plan.';

/** What `incident resume` says to an investigation that was interrupted (Ctrl-C, its time limit) before its diagnosis. */
export const CONTINUE_PROMPT =
  'The investigation was interrupted before its diagnosis. Continue it from where it stopped, ' +
  'then submit your diagnosis with a remediation plan.';

export interface OpenOptions {
  bundle: readonly string[];
  agentFile?: string;
  environmentFile?: string;
  onProgress?: (progress: UploadProgress) => void;
  /** Refuses an environment before anything is uploaded (its hands cannot be reached from here). */
  checkEnvironment?: (definition: EnvironmentDefinition, file: string) => void;
  /** Mount files the runtime already holds instead of sending them again (Claude Managed Agents). */
  record?: UploadRecord;
  /** More session metadata (the alert intake records the alert group that opened it). */
  metadata?: Readonly<Record<string, string>>;
  /** The session's spend ceiling in US dollars (the API's `budget`, set only at creation). */
  maxCostUsd?: number;
  /** Claude Managed Agents: its environments declare no actions, so the agent declares the environment's. */
  cloud?: boolean;
}

export interface OpenedInvestigation {
  session: BetaManagedAgentsSession;
  info: IncidentInfo;
  refused: RefusedFile[];
  /** The bundle's files as uploaded (what the session mounts). */
  files: BundleFileRef[];
  /** The environment definition the session runs. */
  environment: EnvironmentDefinition;
}

/** What a bundle must hold to be investigated (spec/bundle.md), for the line that refuses one that holds none of it. */
export const BUNDLE_NEEDS =
  'a bundle needs at least one of: the page (incident.yaml or alert.json), metrics (metrics/*.json or metrics/*.csv), ' +
  'changes (changes.yaml or changes.json), diffs (diffs/*.patch) or logs (logs/*.log whose lines start with a timestamp, logs/*.jsonl)';

/** The first few names of a list, the rest counted. */
function some(names: readonly string[], max = 3): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/**
 * Opens the bundle as the hands will read it: refuses one with nothing to investigate (one
 * line: what it holds and what a bundle needs), before anything is uploaded or created;
 * else reads the page, if it has one, for the session's title and header.
 */
async function inspectBundle(bundlePaths: readonly string[], root: string): Promise<IncidentInfo> {
  const { openBundle, hasReadableContent } = await import('../bundle/index.js');
  const bundle = await openBundle(bundlePaths.length === 1 ? (bundlePaths[0] ?? root) : bundlePaths);
  if (!(await hasReadableContent(bundle))) {
    const index = await bundle.index();
    const found = [
      ...(index.unknown.length > 0 ? [`${some(index.unknown)}: not bundle files`] : []),
      ...index.skipped.slice(0, 3).map((file) => `${file.path}: ${file.reason}`),
      ...(index.skipped.length > 3 ? [`${index.skipped.length - 3} more files that could not be read`] : []),
      ...(index.runbooks.length > 0 ? [`${some(index.runbooks)}: runbooks only`] : []),
    ];
    throw new InputError(`${root} holds nothing to investigate${found.length > 0 ? ` (${found.join('; ')})` : ''}`, { hint: BUNDLE_NEEDS });
  }
  const alert = await bundle.alert();
  return { title: alert?.title ?? null, service: alert?.service ?? null, severity: alert?.severity ?? null };
}

export async function openInvestigation(
  client: Anthropic,
  options: OpenOptions,
): Promise<OpenedInvestigation> {
  const agentDefinition = await loadAgentDefinition(options.agentFile ?? defaultAgentPath());
  const environmentFile = options.environmentFile ?? defaultEnvironmentPath();
  const environmentDefinition = await loadEnvironmentDefinition(environmentFile);
  options.checkEnvironment?.(environmentDefinition, environmentFile);
  const { root, files, refused } = await listBundleFiles(options.bundle);
  // A bundle that could never be mounted is refused before anything is read or sent.
  const limits = uploadLimits(environmentDefinition.worker.max_upload_bytes);
  checkUploadLimits(files, limits);
  const info = await inspectBundle(options.bundle, root);
  // On the cloud the client gates the actions it answers; workers ask no one, so theirs are not offered there.
  const actions = options.cloud && environmentDefinition.hands !== 'worker' ? environmentDefinition.actions.map(actionToolSpec) : [];
  const agent = await ensureAgent(client, agentDefinition, toolSpecs(), actions);
  const environment = await ensureEnvironment(client, environmentDefinition, environmentFile);
  const { resources, reused } = await uploadBundle(client, files, {
    limits,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.record ? { record: options.record } : {}),
  });
  const metadata: Record<string, string> = { [BUNDLE_KEY]: root.slice(-512), ...environmentFileMetadata(environmentFile) };
  if (info.service) metadata['incident.service'] = info.service;
  if (info.severity) metadata['incident.severity'] = info.severity;
  Object.assign(metadata, options.metadata);
  const session = await mountOrDelete(client, resources, () =>
    client.beta.sessions.create({
      agent: { type: 'agent', id: agent.id, version: agent.version },
      environment_id: environment.id,
      resources: resources.map((resource) => ({ type: 'file', ...resource })),
      title: info.title ?? `incident in ${root.split('/').pop() ?? root}`,
      metadata,
      ...(options.maxCostUsd ? { budget: costBudget(options.maxCostUsd) } : {}),
    }),
    reused,
  );
  return { session, info, refused, files, environment: environmentDefinition };
}

export async function sendMessage(client: Anthropic, sessionId: string, text: string): Promise<void> {
  await client.beta.sessions.events.send(sessionId, { events: [{ type: 'user.message', content: [{ type: 'text', text }] }] });
}
