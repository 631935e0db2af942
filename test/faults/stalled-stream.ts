// A stream client that stops reading while a session writes a lot: the server must not
// keep what that client has not read (it would hold the whole log for it), must go on
// serving the other clients (every event, once, in order) and the session itself, and
// must give the stalled client every event, once, in order, when it reads again.
//
// The runtime is served over HTTP from this process (the stalled client is a process of
// its own), so what it holds can be measured exactly: the frames it keeps for a client are
// ArrayBuffers, and after a full garbage collection the ArrayBuffers alive are those kept.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { serveFetch } from '../../src/runtime/node-server.js';
import { createLocalRuntime } from '../../src/runtime/runtime.js';
import { scratchDir } from '../fuzz/seed.js';
import { echoHands, scriptedDeps, type ScriptStep } from '../runtime/scripted.js';
import { endsTurn, framesOf, loggedEvents, MiB, readStream, scriptedSession, stalledClient } from './helpers.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** ArrayBuffer bytes still alive after a full collection. */
function keptBuffers(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().arrayBuffers;
}

/**
 * What the server may keep for a client that reads nothing, whatever the size of the turn:
 * its stream's buffer (1 MiB), the frame that filled it, the frame the socket is writing,
 * and some slack for the socket's own buffer.
 */
const keptBound = (messageBytes: number): number => 2 * MiB + 2 * messageBytes;

export interface StallSize {
  /** Steps of the turn, each a message of `messageBytes` and a tool call. */
  steps: number;
  messageBytes: number;
  /** Clients that keep reading beside the stalled one. */
  readers: number;
}

function talkativeSteps(size: StallSize): ScriptStep[] {
  const steps: ScriptStep[] = Array.from({ length: size.steps }, (_, index) => [
    // Words, not one long run of a letter: what a model writes, nothing a redactor takes for a token.
    { kind: 'message', text: `step ${index} ${'the pool was exhausted '.repeat(Math.ceil(size.messageBytes / 23)).slice(0, size.messageBytes)}` },
    { kind: 'tool_use', name: 'query_metrics', input: { step: index } },
  ]);
  return [...steps, [{ kind: 'message', text: 'finished' }]];
}

export function stalledStreamClient(size: StallSize): void {
  const logBytes = size.steps * size.messageBytes;
  it(`keeps a bounded part of a ${Math.round(logBytes / MiB)} MiB turn for a client that stops reading, and serves ${size.readers} others`, async () => {
    const home = mkdtempSync(join(scratchDir(), 'incident-stall-'));
    const runtime = createLocalRuntime({ home, deps: scriptedDeps(talkativeSteps(size), echoHands()) });
    let server: Server | undefined;
    try {
      server = await serveFetch(runtime.handle, { host: '127.0.0.1', port: 0 });
      const address = server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const client = new Anthropic({ apiKey: 'local', baseURL: url, maxRetries: 0 });
      const sessionId = await scriptedSession(client);
      const stalled = await stalledClient(url, sessionId);
      const readers = await Promise.all(Array.from({ length: size.readers }, () => readStream(client, sessionId)));
      const before = keptBuffers();

      await client.beta.sessions.events.send(sessionId, { events: [{ type: 'user.message', content: [{ type: 'text', text: 'go' }] }] });
      const received = await Promise.all(readers.map((read) => read()));
      await runtime.engine.whenIdle(sessionId);

      // The readers were not held up: each has the whole turn, once, in order, as logged.
      const logged = await loggedEvents(client, sessionId);
      expect(logged.filter((event) => event.type === 'agent.message')).toHaveLength(size.steps + 1);
      for (const events of received) expect(events).toEqual(logged);
      // What the stalled client has not read is not kept for it.
      const kept = keptBuffers() - before;
      console.info(`stalled stream: ${Math.round(logBytes / MiB)} MiB logged past a stalled client, ${size.readers} readers served; ${(kept / MiB).toFixed(1)} MiB kept for it`);
      expect(kept, `${(kept / MiB).toFixed(1)} MiB kept for a client that read nothing of a ${Math.round(logBytes / MiB)} MiB turn`).toBeLessThan(keptBound(size.messageBytes));

      // Reading again, it gets everything: once, in order.
      stalled.resume();
      // The end of the turn is the last frame: look for it in what arrived last, not in all of it each time.
      const text = await stalled.until((sse) => framesOf(sse.slice(-8192)).some(endsTurn));
      expect(framesOf(text)).toEqual(logged);
      stalled.close();
    } finally {
      server?.closeAllConnections();
      server?.close();
      await runtime.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
}
