// Opening an investigation: the agent and environment definitions on the runtime,
// the bundle uploaded file by file, a session with every file mounted at its path,
// titled from the page. Shared by `diagnose`, the TUI and the eval.
import type Anthropic from '@anthropic-ai/sdk';
import type { BetaManagedAgentsSession } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import { ensureAgent, ensureEnvironment } from '../client/definitions.js';
import { checkUploadLimits, listBundleFiles, mountOrDelete, uploadFiles, uploadLimits, type RefusedFile, type UploadProgress } from '../client/upload.js';
import { defaultAgentPath, defaultEnvironmentPath, loadAgentDefinition, loadEnvironmentDefinition } from '../definitions/index.js';
import { toolSpecs } from '../hands/tools/index.js';

export const INVESTIGATE_PROMPT =
  'You have been paged. Investigate the incident in the mounted bundle: find when it started, what changed before it, ' +
  'and what caused it; rule out what did not; then submit your diagnosis with a remediation plan.';

export interface IncidentInfo {
  title: string | null;
  service: string | null;
  severity: string | null;
}

export interface OpenOptions {
  bundle: readonly string[];
  agentFile?: string;
  environmentFile?: string;
  onProgress?: (progress: UploadProgress) => void;
  /** More session metadata (the alert intake records the alert group that opened it). */
  metadata?: Readonly<Record<string, string>>;
}

/** Reads the page, if the bundle has one, for the session's title and header. */
async function readPage(root: string, files: ReadonlyArray<{ absPath: string }>): Promise<IncidentInfo> {
  const { openBundle } = await import('../bundle/index.js');
  try {
    const bundle = await openBundle(files.length === 1 ? files.map((file) => file.absPath) : root);
    const alert = await bundle.alert();
    return { title: alert?.title ?? null, service: alert?.service ?? null, severity: alert?.severity ?? null };
  } catch {
    return { title: null, service: null, severity: null };
  }
}

export async function openInvestigation(
  client: Anthropic,
  options: OpenOptions,
): Promise<{ session: BetaManagedAgentsSession; info: IncidentInfo; refused: RefusedFile[] }> {
  const agentDefinition = await loadAgentDefinition(options.agentFile ?? defaultAgentPath());
  const environmentFile = options.environmentFile ?? defaultEnvironmentPath();
  const environmentDefinition = await loadEnvironmentDefinition(environmentFile);
  const { root, files, refused } = await listBundleFiles(options.bundle);
  // A bundle that could never be mounted is refused before anything is read or sent.
  const limits = uploadLimits(environmentDefinition.worker.max_upload_bytes);
  checkUploadLimits(files, limits);
  const info = await readPage(root, files);
  const agent = await ensureAgent(client, agentDefinition, toolSpecs());
  const environment = await ensureEnvironment(client, environmentDefinition, environmentFile);
  const resources = await uploadFiles(client, files, { limits, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  const metadata: Record<string, string> = { 'incident.bundle': root.slice(-512) };
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
    }),
  );
  return { session, info, refused };
}

export async function sendMessage(client: Anthropic, sessionId: string, text: string): Promise<void> {
  await client.beta.sessions.events.send(sessionId, { events: [{ type: 'user.message', content: [{ type: 'text', text }] }] });
}

export function infoOf(session: BetaManagedAgentsSession): IncidentInfo {
  return {
    title: session.title,
    service: session.metadata['incident.service'] ?? null,
    severity: session.metadata['incident.severity'] ?? null,
  };
}
