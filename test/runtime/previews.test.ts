// Text a brain streams is previewed (event_start, event_delta: never stored) under the
// id its agent.message is then stored with, so a client can swap one for the other.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ZERO_USAGE, type Brain } from '../../src/brains/brain.js';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { echoHands } from './scripted.js';

let runtime: LocalRuntime | undefined;
afterEach(async () => runtime?.close());

const streamingBrain: Brain = {
  provider: 'streaming',
  async step(context) {
    context.onTextDelta?.('Checking ');
    context.onTextDelta?.('the page.');
    return { outputs: [{ kind: 'message', text: 'Checking the page.' }], usage: ZERO_USAGE };
  },
};

describe('streamed text previews', () => {
  it('previews under the id the message is stored with, and stores no preview', async () => {
    runtime = createLocalRuntime({ home: mkdtempSync(join(tmpdir(), 'incident-preview-')), deps: { brainFor: () => streamingBrain, handsFor: () => echoHands() } });
    const client = new Anthropic({ apiKey: 'local', baseURL: 'http://local.invalid', maxRetries: 0, fetch: runtime.fetch });
    const agent = await client.beta.agents.create({ name: 'a', model: 'claude-opus-4-8' });
    const environment = await client.beta.environments.create({ name: 'e' });
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id });
    const stream = await client.beta.sessions.events.stream(session.id);
    await client.beta.sessions.events.send(session.id, { events: [{ type: 'user.message', content: [{ type: 'text', text: 'go' }] }] });
    const seen: Array<Record<string, unknown>> = [];
    for await (const event of stream) {
      seen.push(event as unknown as Record<string, unknown>);
      if (event.type === 'session.status_idle') break;
    }
    const start = seen.find((event) => event['type'] === 'event_start') as { event: { id: string } } | undefined;
    const deltas = seen.filter((event) => event['type'] === 'event_delta') as Array<{ event_id: string; delta: { content: { text: string } } }>;
    const message = seen.find((event) => event['type'] === 'agent.message');
    expect(start?.event.id).toMatch(/^sevt_/);
    expect(deltas.map((delta) => delta.event_id)).toEqual([start?.event.id, start?.event.id]);
    expect(deltas.map((delta) => delta.delta.content.text).join('')).toBe('Checking the page.');
    expect(message?.['id']).toBe(start?.event.id);
    expect(seen.indexOf(message as Record<string, unknown>)).toBeGreaterThan(seen.indexOf(start as unknown as Record<string, unknown>));
    const listed = [];
    for await (const event of client.beta.sessions.events.list(session.id)) listed.push(event.type as string);
    expect(listed).not.toContain('event_start');
    expect(listed).not.toContain('event_delta');
  });
});
