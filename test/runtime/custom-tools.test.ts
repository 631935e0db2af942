// The custom tool round trip of the Managed Agents API, through the local runtime and the
// SDK: a custom tool the runtime's environment does not run is emitted as
// agent.custom_tool_use, the session idles with requires_action naming exactly the
// outstanding ids, and it continues once every one has its user.custom_tool_result.
import type Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Brain, BrainContext } from '../../src/brains/brain.js';
import { ZERO_USAGE } from '../../src/brains/brain.js';
import { makeClient } from '../../src/client/sdk.js';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { echoHands } from './scripted.js';

type Event = { id: string; type: string; [key: string]: unknown };

const open: LocalRuntime[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((runtime) => runtime.close()));
});

/** Asks for two lookups in one step, then says what it read: the brain sees the client's answers as tool results. */
function lookupBrain(seen: string[]): Brain {
  return {
    provider: 'scripted',
    async step(context: BrainContext) {
      const results = context.history.filter((event) => event.type === 'agent.tool_result');
      if (results.length === 0) {
        return {
          outputs: [
            { kind: 'tool_use', name: 'lookup_customer', input: { id: 'c1' } },
            { kind: 'tool_use', name: 'lookup_customer', input: { id: 'c2' } },
          ],
          usage: ZERO_USAGE,
        };
      }
      for (const result of results) seen.push(JSON.stringify(result.content));
      return { outputs: [{ kind: 'message', text: 'done' }], usage: ZERO_USAGE };
    },
  };
}

async function setUp(brain: Brain): Promise<{ client: Anthropic; sessionId: string }> {
  const runtime = createLocalRuntime({ home: mkdtempSync(join(tmpdir(), 'incident-custom-')), resume: false, deps: { brainFor: () => brain, handsFor: () => echoHands() } });
  open.push(runtime);
  const client = await makeClient({ fetch: runtime.fetch });
  const agent = await client.beta.agents.create({
    name: 'support',
    model: 'claude-opus-4-8',
    tools: [{ type: 'custom', name: 'lookup_customer', description: 'Look a customer up.', input_schema: { type: 'object', properties: { id: { type: 'string' } } } }],
  });
  const environment = await client.beta.environments.create({ name: 'local' });
  const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id });
  return { client, sessionId: session.id };
}

async function next(stream: AsyncIterator<unknown>, until: (event: Event) => boolean, into: Event[]): Promise<Event> {
  for (;;) {
    const item = await stream.next();
    if (item.done) throw new Error('the stream ended');
    const event = item.value as Event;
    into.push(event);
    if (until(event)) return event;
  }
}

describe('custom tools answered by the client', () => {
  it('idles with requires_action naming the outstanding calls, re-idles with the rest after one answer, and refuses ids it is not waiting on', async () => {
    const seen: string[] = [];
    const { client, sessionId } = await setUp(lookupBrain(seen));
    const stream = (await client.beta.sessions.events.stream(sessionId))[Symbol.asyncIterator]();
    await client.beta.sessions.events.send(sessionId, { events: [{ type: 'user.message', content: [{ type: 'text', text: 'who are c1 and c2?' }] }] });
    const events: Event[] = [];
    const idle = await next(stream, (event) => event.type === 'session.status_idle', events);
    const uses = events.filter((event) => event.type === 'agent.custom_tool_use');
    expect(uses.map((use) => use.input)).toEqual([{ id: 'c1' }, { id: 'c2' }]);
    expect(events.some((event) => event.type === 'agent.tool_use')).toBe(false);
    const [first, second] = uses.map((use) => use.id);
    expect(idle['stop_reason']).toEqual({ type: 'requires_action', event_ids: [first, second] });

    const answer = (id: string | undefined, text: string) => ({ type: 'user.custom_tool_result' as const, custom_tool_use_id: id ?? '', content: [{ type: 'text' as const, text }] });
    const echoed = await client.beta.sessions.events.send(sessionId, { events: [answer(first, 'Ada')] });
    expect(echoed.data?.[0]).toMatchObject({ type: 'user.custom_tool_result', custom_tool_use_id: first });
    expect((echoed.data?.[0] as unknown as Event)['processed_at']).toEqual(expect.any(String));
    const between: Event[] = [];
    const again = await next(stream, (event) => event.type === 'session.status_idle', between);
    expect(again['stop_reason']).toEqual({ type: 'requires_action', event_ids: [second] });
    expect(between.map((event) => event.type)).toEqual(['user.custom_tool_result', 'session.status_idle']);

    await expect(client.beta.sessions.events.send(sessionId, { events: [answer(first, 'again')] })).rejects.toMatchObject({ status: 400 });
    await expect(client.beta.sessions.events.send(sessionId, { events: [answer('sevt_unknown', 'x')] })).rejects.toMatchObject({ status: 400 });
    await expect(client.beta.sessions.events.send(sessionId, { events: [answer(second, 'x'), answer(second, 'y')] })).rejects.toMatchObject({ status: 400 });

    await client.beta.sessions.events.send(sessionId, { events: [answer(second, 'Grace')] });
    const rest: Event[] = [];
    const end = await next(stream, (event) => event.type === 'session.status_idle', rest);
    expect(end['stop_reason']).toEqual({ type: 'end_turn' });
    expect(rest.map((event) => event.type)).toContain('session.status_running');
    expect(seen.join(' ')).toContain('Ada');
    expect(seen.join(' ')).toContain('Grace');
  });

  it("the SDK's SessionToolRunner answers each call once and the turn ends", async () => {
    const seen: string[] = [];
    const { client, sessionId } = await setUp(lookupBrain(seen));
    const ran: string[] = [];
    const runner = client.beta.sessions.events.toolRunner(sessionId, {
      maxIdleMs: 1,
      tools: [
        {
          type: 'custom',
          name: 'lookup_customer',
          input_schema: { type: 'object', properties: { id: { type: 'string' } } },
          parse: (input: unknown) => input as { id: string },
          run: ({ id }: { id: string }) => {
            ran.push(id);
            return `customer ${id}`;
          },
        },
      ],
    });
    await client.beta.sessions.events.send(sessionId, { events: [{ type: 'user.message', content: [{ type: 'text', text: 'go' }] }] });
    const calls = [];
    for await (const call of runner) calls.push(call);
    expect(ran.sort()).toEqual(['c1', 'c2']);
    expect(calls.map((call) => call.posted)).toEqual([true, true]);
    const history: Event[] = [];
    for await (const event of client.beta.sessions.events.list(sessionId)) history.push(event as unknown as Event);
    expect(history.filter((event) => event.type === 'user.custom_tool_result')).toHaveLength(2);
    expect(history.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
    expect(seen.join(' ')).toContain('customer c2');
  });
});
