// Time from sending the first message to the first streamed event, with the hands
// started lazily (on the first tool call) and eagerly (with the session).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeClient } from '../src/client/sdk.js';
import { ensureAgent, ensureEnvironment } from '../src/client/definitions.js';
import { listBundleFiles, uploadFiles } from '../src/client/upload.js';
import { openLocalRuntime } from '../src/cli/local-runtime.js';
import { defaultAgentPath, defaultEnvironmentPath, loadAgentDefinition, loadEnvironmentDefinition } from '../src/definitions/index.js';
import { toolSpecs } from '../src/hands/tools/index.js';
import { buildWorkerEnv, createHandsManager, DEFAULT_ENV_ALLOW, defaultWorkerScript } from '../src/runtime/hands/index.js';

/** Cold start of an environment worker: spawn to its tool list answered. */
export async function workerBootMs(bundleRoot: string, runs: number): Promise<number[]> {
  const script = defaultWorkerScript();
  if (!script) throw new Error('build first (npm run build)');
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const manager = createHandsManager({
      workerScript: script,
      config: { bundleRoot, maxOutputChars: 16_000 },
      env: buildWorkerEnv(process.env, DEFAULT_ENV_ALLOW, []),
      callTimeoutMs: 30_000,
    });
    const began = performance.now();
    await manager.listTools();
    times.push(performance.now() - began);
    await manager.close();
  }
  return times;
}

export async function measure(bundle: string, start: 'lazy' | 'eager', runs: number): Promise<{ firstEventMs: number[]; firstToolResultMs: number[] }> {
  const home = mkdtempSync(join(tmpdir(), 'incident-bench-first-'));
  const shipped = await loadEnvironmentDefinition(defaultEnvironmentPath());
  const definition = { ...shipped, name: `local-${start}`, worker: { ...shipped.worker, start } };
  // The bench is the runtime's operator: it serves the variant it measures.
  const { runtime } = openLocalRuntime({ env: { ...process.env, INCIDENT_HOME: home, INCIDENT_BRAIN: 'triage' }, environments: [definition] });
  const client = await makeClient({ fetch: runtime.fetch });
  const agent = await ensureAgent(client, await loadAgentDefinition(defaultAgentPath()), toolSpecs());
  const environment = await ensureEnvironment(client, definition);
  const { files } = await listBundleFiles([bundle]);
  const resources = await uploadFiles(client, files);
  const firstEventMs: number[] = [];
  const firstToolResultMs: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const session = await client.beta.sessions.create({
      agent: { type: 'agent', id: agent.id, version: agent.version },
      environment_id: environment.id,
      resources: resources.map((resource) => ({ type: 'file' as const, ...resource })),
    });
    const stream = await client.beta.sessions.events.stream(session.id);
    const began = performance.now();
    await client.beta.sessions.events.send(session.id, { events: [{ type: 'user.message', content: [{ type: 'text', text: 'Investigate' }] }] });
    let first: number | null = null;
    for await (const event of stream) {
      first ??= performance.now() - began;
      if (event.type === 'agent.tool_result') {
        firstToolResultMs.push(performance.now() - began);
        break;
      }
    }
    firstEventMs.push(first ?? Number.NaN);
    await client.beta.sessions.events.send(session.id, { events: [{ type: 'user.interrupt' }] });
    await runtime.engine.whenIdle(session.id);
    await client.beta.sessions.delete(session.id);
  }
  await runtime.close();
  return { firstEventMs, firstToolResultMs };
}
