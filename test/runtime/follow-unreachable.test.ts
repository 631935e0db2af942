// Following a session whose runtime stops answering: the follower says so before every
// wait (0.5 s doubling to 10 s), keeps trying, and when the runtime answers again
// continues with every event exactly once. The runtime is real (in process); only the
// line to it is cut, so no socket and no real waiting: timers are fake.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { followSession, type Unreachable } from '../../src/client/follow.js';
import type { StreamEvent } from '../../src/protocol/events.js';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { scriptedDeps } from './scripted.js';

let runtime: LocalRuntime | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await runtime?.close();
  runtime = undefined;
});

/** What undici throws when nothing listens on the port. */
function refused(): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4646'), { code: 'ECONNREFUSED' }) });
}

describe('following a session while the runtime is unreachable', () => {
  it('tells each wait with its backoff, then continues with every event once', async () => {
    runtime = createLocalRuntime({
      home: mkdtempSync(join(tmpdir(), 'incident-follow-')),
      deps: scriptedDeps([[{ kind: 'message', text: 'Looking.' }, { kind: 'tool_use', name: 'describe_bundle', input: {} }], [{ kind: 'message', text: 'Done.' }]]),
    });
    let reachable = false;
    const local = runtime;
    const fetchThroughLine = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
      if (!reachable) throw refused();
      return local.fetch(url, init);
    };
    const setup = new Anthropic({ apiKey: 'local', baseURL: 'http://local.invalid', maxRetries: 0, fetch: runtime.fetch });
    const agent = await setup.beta.agents.create({ name: 'a', model: 'claude-opus-4-8' });
    const environment = await setup.beta.environments.create({ name: 'e' });
    const session = await setup.beta.sessions.create({ agent: agent.id, environment_id: environment.id });
    await setup.beta.sessions.events.send(session.id, { events: [{ type: 'user.message', content: [{ type: 'text', text: 'go' }] }] });
    await runtime.engine.whenIdle(session.id);
    const logged = (await setup.beta.sessions.events.list(session.id, { limit: 1000 })).data.map((event) => event.id);

    vi.useFakeTimers();
    // A remote client retries on its own too; the follower must not let it wait in silence.
    const client = new Anthropic({ apiKey: 'local', baseURL: 'http://local.invalid', maxRetries: 2, fetch: fetchThroughLine as typeof fetch });
    const notices: Unreachable[] = [];
    let reconnected = 0;
    const seen: string[] = [];
    const following = (async () => {
      const events = followSession(client, session.id, {
        until: (event: StreamEvent) => event.type === 'session.status_idle',
        onUnreachable: (trouble) => notices.push(trouble),
        onReconnected: () => (reconnected += 1),
      });
      for await (const event of events) seen.push((event as { id: string }).id);
    })();

    // Each failed try is told at once, before its wait.
    const waits = [500, 1000, 2000, 4000, 8000, 10_000, 10_000];
    for (const [index, wait] of waits.entries()) {
      await vi.waitFor(() => expect(notices).toHaveLength(index + 1));
      expect(notices[index]).toEqual({ reason: 'connection refused', retryInMs: wait, attempt: index + 1 });
      await vi.advanceTimersByTimeAsync(wait);
    }
    await vi.waitFor(() => expect(notices).toHaveLength(waits.length + 1));
    reachable = true;
    await vi.advanceTimersByTimeAsync(10_000);
    await following;
    expect(reconnected).toBe(1);
    expect(seen).toEqual(logged);
  });
});

describe('the words for a connection failure', () => {
  it('come from the deepest cause that says something', async () => {
    const { describeTrouble } = await import('../../src/client/follow.js');
    expect(describeTrouble(refused())).toBe('connection refused');
    expect(describeTrouble(new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }))).toBe('connection lost');
    expect(describeTrouble(Object.assign(new Error('503'), { status: 503 }))).toBe('HTTP 503');
    expect(describeTrouble(new Error('no data from the runtime for 45s'))).toBe('no data from the runtime for 45s');
  });
});
