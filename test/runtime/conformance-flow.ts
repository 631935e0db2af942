// The client flow every runtime must pass: the same SDK calls, whoever answers.
import type Anthropic from '@anthropic-ai/sdk';
import type { toFile as ToFile } from '@anthropic-ai/sdk';
import { expect } from 'vitest';

type Event = { id: string; type: string; [key: string]: unknown };

export async function runConformance(client: Anthropic, toFile: typeof ToFile): Promise<void> {
  const agent = await client.beta.agents.create({
    name: 'sre',
    model: 'claude-opus-4-8',
    tools: [
      { type: 'custom', name: 'describe_bundle', description: 'd', input_schema: { type: 'object', properties: {} } },
      { type: 'custom', name: 'query_metrics', description: 'q', input_schema: { type: 'object', properties: {} } },
    ],
  });
  expect(agent.version).toBe(1);
  expect(agent.model).toEqual({ id: 'claude-opus-4-8' });
  const environment = await client.beta.environments.create({ name: 'local' });
  const file = await client.beta.files.upload({
    file: await toFile(Buffer.from('2026-11-20T14:00:00Z ERROR boom\n'), 'api.log', { type: 'text/plain' }),
  });
  expect(file.size_bytes).toBe(32);
  const session = await client.beta.sessions.create({
    agent: { type: 'agent', id: agent.id, version: agent.version },
    environment_id: environment.id,
    resources: [{ type: 'file', file_id: file.id, mount_path: '/logs/api.log' }],
    title: 'api errors',
  });
  expect(session.status).toBe('idle');
  expect(session.resources[0]).toMatchObject({ type: 'file', mount_path: '/mnt/session/uploads/logs/api.log' });

  const stream = await client.beta.sessions.events.stream(session.id);
  await client.beta.sessions.events.send(session.id, {
    events: [{ type: 'user.message', content: [{ type: 'text', text: 'Investigate' }] }],
  });
  const streamed: Event[] = [];
  for await (const event of stream) {
    streamed.push(event as unknown as Event);
    if (event.type === 'session.status_idle') break;
  }
  expect(streamed[0]?.type).toBe('user.message');
  expect(streamed.map((event) => event.type)).toContain('agent.tool_result');

  const listed: Event[] = [];
  const firstPage = await client.beta.sessions.events.list(session.id, { limit: 3 });
  expect(firstPage.data).toHaveLength(3);
  for await (const event of client.beta.sessions.events.list(session.id, { limit: 3 })) listed.push(event as unknown as Event);
  expect(listed.map((event) => event.id)).toEqual(streamed.map((event) => event.id));
  expect(new Set(listed.map((event) => event.id)).size).toBe(listed.length);

  // A stream reopened after a disconnect plus the listed history yields every event exactly once.
  const reopened = await client.beta.sessions.events.stream(session.id);
  const history: Event[] = [];
  for await (const event of client.beta.sessions.events.list(session.id, { limit: 4 })) history.push(event as unknown as Event);
  const seen = new Set(history.map((event) => event.id));
  await client.beta.sessions.events.send(session.id, {
    events: [{ type: 'user.message', content: [{ type: 'text', text: 'Anything else?' }] }],
  });
  const merged = [...history];
  for await (const event of reopened) {
    const item = event as unknown as Event;
    if (!item.id || seen.has(item.id)) continue;
    seen.add(item.id);
    merged.push(item);
    if (item.type === 'session.status_idle') break;
  }
  const all: Event[] = [];
  for await (const event of client.beta.sessions.events.list(session.id)) all.push(event as unknown as Event);
  expect(merged.map((event) => event.id)).toEqual(all.map((event) => event.id));

  const final = await client.beta.sessions.retrieve(session.id);
  expect(final.status).toBe('idle');
}
