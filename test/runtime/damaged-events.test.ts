// A damaged row in a session's log: listing names it (session, seq, id, damage, what to
// do) instead of an anonymous internal error, a stream reports it instead of crashing
// the runtime, and the chain listing lets a client check the log and keep what is intact.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listChecked } from '../../src/cli/chain-check.js';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { echoHands, scriptedDeps } from './scripted.js';

let runtime: LocalRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

async function sessionWithHistory(): Promise<{ client: Anthropic; sessionId: string; ids: string[] }> {
  runtime = createLocalRuntime({
    home: mkdtempSync(join(tmpdir(), 'incident-damaged-')),
    deps: scriptedDeps([[{ kind: 'message', text: 'one' }, { kind: 'tool_use', name: 'query_metrics', input: {} }], [{ kind: 'message', text: 'two' }]], echoHands()),
  });
  const client = new Anthropic({ apiKey: 'local', baseURL: 'http://local.invalid', maxRetries: 0, fetch: runtime.fetch });
  const agent = await client.beta.agents.create({
    name: 'd',
    model: 'claude-opus-4-8',
    tools: [{ type: 'custom', name: 'query_metrics', description: 'q', input_schema: { type: 'object', properties: {} } }],
  });
  const environment = await client.beta.environments.create({ name: 'e' });
  const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id });
  await client.beta.sessions.events.send(session.id, { events: [{ type: 'user.message', content: [{ type: 'text', text: 'go' }] }] });
  await runtime.engine.whenIdle(session.id);
  const ids = runtime.store.events.list(session.id).map((item) => item.event.id);
  return { client, sessionId: session.id, ids };
}

function damage(sql: string, ...params: Array<string | number>): void {
  runtime?.store.db.prepare(sql).run(...params);
}

describe('a damaged event row', () => {
  it('is named when the log is listed, with what to do, and not retried', async () => {
    const { sessionId, ids } = await sessionWithHistory();
    damage("UPDATE events SET body = '{\"type\": \"agent.mess' WHERE session_id = ? AND seq = 3", sessionId);
    const response = await runtime!.fetch(`http://local.invalid/v1/sessions/${sessionId}/events`);
    expect(response.status).toBe(500);
    expect(response.headers.get('x-should-retry')).toBe('false');
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toContain(`event 3 (${ids[2]}) of session ${sessionId} is damaged: its stored JSON does not parse`);
    expect(error.message).toContain(`incident sessions show ${sessionId}`);
    expect(error.message).not.toMatch(/internal error|try again/);
  });

  it('is reported on a stream that reads it, and the runtime keeps serving', async () => {
    const { client, sessionId, ids } = await sessionWithHistory();
    damage("UPDATE events SET body = 'not json' WHERE session_id = ? AND seq = 4", sessionId);
    // Replaying from event 2 reads the damaged row: the stream says so and ends.
    const stream = await client.beta.sessions.events.stream(sessionId, {}, { headers: { 'last-event-id': ids[1] ?? '' } });
    const received: string[] = [];
    await expect(async () => {
      for await (const event of stream) received.push(event.type);
    }).rejects.toThrow(new RegExp(`event 4 \\(${ids[3]}\\) of session ${sessionId} is damaged`));
    expect(received).toEqual([]);
    expect((await client.beta.sessions.retrieve(sessionId)).id).toBe(sessionId);
  });

  it('lists every row with its hash link on request, so a client checks the chain and keeps the rest', async () => {
    const { client, sessionId, ids } = await sessionWithHistory();
    const clean = await listChecked(client, sessionId);
    expect(clean.problems).toEqual([]);
    expect(clean.events.map((event) => event.id)).toEqual(ids);
    // The extension is opt-in: a plain listing is exactly the API's shape.
    const plain = await client.beta.sessions.events.list(sessionId);
    expect(plain.data.some((event) => 'incident_chain' in event)).toBe(false);

    damage("UPDATE events SET body = substr(body, 1, 20) WHERE session_id = ? AND seq = 2", sessionId);
    damage("UPDATE events SET body = replace(body, 'two', 'owt') WHERE session_id = ? AND type = 'agent.message' AND body LIKE '%two%'", sessionId);
    damage("UPDATE events SET prev_hash = ? WHERE session_id = ? AND seq = 6", 'f'.repeat(64), sessionId);
    const checked = await listChecked(client, sessionId);
    expect(checked.problems?.map((p) => [p.seq, p.eventId, p.problem])).toEqual([
      [2, ids[1], 'unreadable'],
      [6, ids[5], 'broken_link'],
      [6, ids[5], 'tampered'],
      [9, ids[8], 'tampered'],
    ]);
    expect(checked.events.map((event) => event.id)).toEqual(ids.filter((_, index) => index !== 1));
  });
});
