// One diagnosis with the hands in each of their three places, against one in-process
// runtime: `local` (the runtime's own environment worker), `client` (the SDK's
// SessionToolRunner in this process answering agent.custom_tool_use) and `worker` (the
// SDK's EnvironmentWorker claiming the session from the work queue). Measured from the
// stream as a client sees it: the first event after the message is sent, and each tool
// call the hands answer, from its use to its result.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runClientHands } from '../src/client/hands-runner.js';
import { ensureAgent, ensureEnvironment } from '../src/client/definitions.js';
import { makeClient } from '../src/client/sdk.js';
import { listBundleFiles, uploadFiles } from '../src/client/upload.js';
import { hostHands } from '../src/cli/hands-host.js';
import { openLocalRuntime } from '../src/cli/local-runtime.js';
import { defaultAgentPath, defaultEnvironmentPath, loadAgentDefinition, loadEnvironmentDefinition, type EnvironmentDefinition } from '../src/definitions/index.js';
import { toolSpecs } from '../src/hands/tools/index.js';
import { RUNTIME_TOOL_NAMES } from '../src/protocol/tools.js';

export type Mode = 'local' | 'client' | 'worker';

export interface ModeTimes {
  firstEventMs: number[];
  /** Use-to-result of every call the hands answered, over all runs. */
  callMs: number[];
  totalMs: number[];
}

const RUNTIME_TOOLS: readonly string[] = RUNTIME_TOOL_NAMES;

function variant(shipped: EnvironmentDefinition, mode: Mode): EnvironmentDefinition {
  // No actions: the investigation is measured, not a remediation.
  return { ...shipped, name: `bench-${mode}`, actions: [], credentials: [], ...(mode === 'local' ? {} : { hands: mode }) };
}

export async function measureModes(bundle: string, runs: number): Promise<Record<Mode, ModeTimes>> {
  const home = mkdtempSync(join(tmpdir(), 'incident-bench-hands-'));
  const shipped = await loadEnvironmentDefinition(defaultEnvironmentPath());
  const definitions = { local: variant(shipped, 'local'), client: variant(shipped, 'client'), worker: variant(shipped, 'worker') };
  const env = { ...process.env, INCIDENT_HOME: home, INCIDENT_BRAIN: 'triage' };
  const { runtime } = openLocalRuntime({ env, environments: Object.values(definitions) });
  const client = await makeClient({ fetch: runtime.fetch });
  const agent = await ensureAgent(client, await loadAgentDefinition(defaultAgentPath()), toolSpecs());
  const environments = {
    local: await ensureEnvironment(client, definitions.local),
    client: await ensureEnvironment(client, definitions.client),
    worker: await ensureEnvironment(client, definitions.worker),
  };
  const { files } = await listBundleFiles([bundle]);
  const resources = await uploadFiles(client, files);

  // The worker polls all along, as a deployed one does; it reads each session's files from the runtime.
  const stopWorker = new AbortController();
  // Sessions are deleted as soon as they rest: what the worker then says about them is not the bench's business.
  const working = client
    .withOptions({ logLevel: 'off' })
    .beta.environments.work
    .worker({
      environmentId: environments.worker.id,
      environmentKey: 'in-process',
      workdir: mkdtempSync(join(tmpdir(), 'incident-bench-worker-')),
      memorySyncIntervalMs: null,
      maxIdleMs: 500,
      tools: (context) =>
        hostHands({ client: context.client as Anthropic, sessionId: context.session?.id ?? '', definition: definitions.worker, env, toolset: true }),
    })
    .run(stopWorker.signal)
    .catch(() => undefined);

  const times: Record<Mode, ModeTimes> = {
    local: { firstEventMs: [], callMs: [], totalMs: [] },
    client: { firstEventMs: [], callMs: [], totalMs: [] },
    worker: { firstEventMs: [], callMs: [], totalMs: [] },
  };
  for (let run = 0; run < runs; run += 1) {
    for (const mode of ['local', 'client', 'worker'] as const) {
      const session = await client.beta.sessions.create({
        agent: { type: 'agent', id: agent.id, version: agent.version },
        environment_id: environments[mode].id,
        resources: resources.map((resource) => ({ type: 'file' as const, ...resource })),
      });
      const hands =
        mode === 'client'
          ? runClientHands(client, session.id, { tools: hostHands({ client, sessionId: session.id, definition: definitions.client, env, toolset: false }) })
          : null;
      const stream = await client.beta.sessions.events.stream(session.id);
      const uses = new Map<string, number>();
      const began = performance.now();
      await client.beta.sessions.events.send(session.id, { events: [{ type: 'user.message', content: [{ type: 'text', text: 'Investigate' }] }] });
      let first: number | null = null;
      for await (const event of stream) {
        const now = performance.now();
        first ??= now - began;
        if ((event.type === 'agent.tool_use' || event.type === 'agent.custom_tool_use') && !RUNTIME_TOOLS.includes(event.name)) uses.set(event.id, now);
        const answered =
          event.type === 'agent.tool_result' || event.type === 'user.tool_result' ? event.tool_use_id : event.type === 'user.custom_tool_result' ? event.custom_tool_use_id : null;
        const used = answered === null ? undefined : uses.get(answered);
        if (used !== undefined) times[mode].callMs.push(now - used);
        if (event.type === 'session.status_idle' && event.stop_reason.type !== 'requires_action') break;
      }
      times[mode].totalMs.push(performance.now() - began);
      times[mode].firstEventMs.push(first ?? Number.NaN);
      await hands?.stop();
      await client.beta.sessions.delete(session.id);
    }
  }
  stopWorker.abort();
  await working;
  await runtime.close();
  return times;
}
