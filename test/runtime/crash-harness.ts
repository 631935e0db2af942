// kill -9 a served runtime at the given points of one long turn, restarting it each
// time, then check the log: no gap, no duplicate, no torn row, and the turn finished.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { Store } from '../../src/store/index.js';
import { bundleEntry, startServed, type Served } from './served.js';

async function waitForIdle(client: Anthropic, sessionId: string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    const session = await client.beta.sessions.retrieve(sessionId);
    if (session.status === 'idle') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the session did not finish');
}

export async function crashThroughATurn(steps: number, delays: readonly number[]): Promise<void> {
  const entry = await bundleEntry(resolve('test/runtime/fixtures/scripted-server.ts'));
  const home = mkdtempSync(join(tmpdir(), 'incident-crash-'));
  const env = { ...process.env, INCIDENT_HOME: home, SCRIPT_STEPS: String(steps), TOOL_DELAY_MS: '25' };
  let served: Served = await startServed(process.execPath, [entry], env);
  let client = new Anthropic({ apiKey: 'local', baseURL: served.url, maxRetries: 0 });
  const agent = await client.beta.agents.create({
    name: 'crash',
    model: 'claude-opus-4-8',
    tools: [{ type: 'custom', name: 'query_metrics', description: 'q', input_schema: { type: 'object', properties: {} } }],
    metadata: { 'incident.max_steps': '500' },
  });
  const environment = await client.beta.environments.create({ name: 'local' });
  const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id });
  await client.beta.sessions.events.send(session.id, {
    events: [{ type: 'user.message', content: [{ type: 'text', text: 'go' }] }],
  });
  let killedMidTurn = 0;
  for (const delay of delays) {
    await new Promise((r) => setTimeout(r, delay));
    if ((await client.beta.sessions.retrieve(session.id)).status === 'running') killedMidTurn += 1;
    served.child.kill('SIGKILL');
    await served.exited;
    served = await startServed(process.execPath, [entry], env);
    client = new Anthropic({ apiKey: 'local', baseURL: served.url, maxRetries: 0 });
  }
  // Each kill must land while the turn is still going, or the test proves nothing.
  expect(killedMidTurn).toBeGreaterThanOrEqual(delays.length - 2);
  await waitForIdle(client, session.id);
  served.child.kill('SIGTERM');
  await served.exited;

  const store = new Store(home, { readOnly: true });
  try {
    expect(store.verify(session.id)).toEqual([]);
    const events = store.events.list(session.id).map((item) => item.event);
    const ids = events.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    const messages = events.filter((event) => event.type === 'agent.message').map((event) => JSON.stringify(event['content']));
    expect(new Set(messages).size).toBe(messages.length);
    expect(messages).toHaveLength(steps + 1);
    const uses = events.filter((event) => event.type === 'agent.tool_use').map((event) => event.id);
    const results = events.filter((event) => event.type === 'agent.tool_result').map((event) => String(event['tool_use_id']));
    expect(uses).toHaveLength(steps);
    expect([...results].sort()).toEqual([...uses].sort());
    expect(events.filter((event) => event.type === 'agent.tool_result' && event['is_error'] === true)).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
  } finally {
    store.close();
  }
}
