// `incident serve` under load: many offline investigations at once, each followed by a
// stream client, and many more stream clients on one of them. Every client receives every
// logged event of its session exactly once and in log order; every investigation ends with
// a diagnosis; no request times out; the server's memory stays within a bound of where it
// started (measured from outside, as the operator would see it).
import Anthropic from '@anthropic-ai/sdk';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { INVESTIGATE_PROMPT, openInvestigation, sendMessage } from '../../src/cli/investigation.js';
import { BIN, cliEnv } from '../e2e/cli.js';
import { FIXTURE } from '../faults/investigation.js';
import { loggedEvents, MiB, peakRss, readStream, rssBytes } from '../faults/helpers.js';
import { scratchDir } from '../fuzz/seed.js';
import { startServed } from '../runtime/served.js';

export interface LoadSize {
  /** Investigations running at once, each with one stream client. */
  sessions: number;
  /** Stream clients on the first investigation (its own included). */
  watchers: number;
}

/**
 * How far the server's memory may rise above where it started: a generous allowance per
 * investigation running at once (each holds its log while its turn runs), never anything
 * that grows with the number of clients or events.
 */
export function memoryBound(startBytes: number, sessions: number): number {
  return startBytes + 64 * MiB + sessions * 24 * MiB;
}

export function serveLoad(size: LoadSize): void {
  it(`serves ${size.sessions} investigations at once, ${size.watchers} clients on one, every event once and in order`, async () => {
    const home = mkdtempSync(join(scratchDir(), 'incident-load-'));
    const environmentFile = join(home, 'load.yaml');
    writeFileSync(environmentFile, 'name: load\n');
    const key = randomBytes(24).toString('base64url');
    const served = await startServed(process.execPath, [BIN, 'serve', '--port', '0', '--environment', environmentFile], cliEnv(home, { INCIDENT_RUNTIME_KEY: key }));
    try {
      const pid = served.child.pid ?? -1;
      // The SDK's own timeout (10 minutes) is the bound: a request that hits it fails the test.
      const client = new Anthropic({ apiKey: key, baseURL: served.url, maxRetries: 0 });
      const { session: first } = await openInvestigation(client, { bundle: [resolve('fixtures', FIXTURE)], environmentFile });
      const resources = first.resources.flatMap((resource) => (resource.type === 'file' ? [{ type: 'file' as const, file_id: resource.file_id, mount_path: resource.mount_path }] : []));
      const others = await Promise.all(
        Array.from({ length: size.sessions - 1 }, async () =>
          (await client.beta.sessions.create({ agent: { type: 'agent', id: first.agent.id, version: first.agent.version }, environment_id: first.environment_id, resources })).id,
        ),
      );
      const sessions = [first.id, ...others];
      const watchers = await Promise.all([
        ...Array.from({ length: size.watchers }, async () => ({ sessionId: first.id, read: await readStream(client, first.id) })),
        ...others.map(async (sessionId) => ({ sessionId, read: await readStream(client, sessionId) })),
      ]);
      const start = rssBytes(pid);

      const { result: received, peak } = await peakRss(pid, async () => {
        await Promise.all(sessions.map((sessionId) => sendMessage(client, sessionId, INVESTIGATE_PROMPT)));
        return Promise.all(watchers.map(async ({ sessionId, read }) => ({ sessionId, events: await read() })));
      });

      let delivered = 0;
      const logs = new Map(await Promise.all(sessions.map(async (sessionId) => [sessionId, await loggedEvents(client, sessionId)] as const)));
      for (const { sessionId, events } of received) {
        expect(events, `a client of ${sessionId} saw other events than the log holds`).toEqual(logs.get(sessionId));
        delivered += events.length;
      }
      const stored = [...logs.values()].reduce((sum, events) => sum + events.length, 0);
      for (const [sessionId, events] of logs) {
        expect(events.filter((event) => event.type === 'agent.tool_use' && event.id).length, sessionId).toBeGreaterThan(5);
        expect(events.at(-1), sessionId).toMatchObject({ type: 'session.status_idle', stop: 'end_turn' });
      }
      // Every investigation reached a diagnosis, and each the same one (the bundle is the same).
      const diagnoses = await Promise.all(
        sessions.map(async (sessionId) => {
          const page = await client.beta.sessions.events.list(sessionId, { limit: 1000 });
          const submitted = page.data.flatMap((event) => (event.type === 'agent.tool_use' && event.name === 'submit_diagnosis' ? [event.input] : []));
          return JSON.stringify(submitted.at(-1) ?? null);
        }),
      );
      expect(new Set(diagnoses).size).toBe(1);
      expect(diagnoses[0]).not.toBe('null');

      console.info(
        `load: ${size.sessions} investigations at once, ${watchers.length} stream clients (${size.watchers} on one); ${stored} events logged, ${delivered} delivered, 0 lost, 0 twice; server memory ${Math.round(start / MiB)} MiB at start, ${Math.round(peak / MiB)} MiB at most`,
      );
      expect(peak, `the server grew from ${Math.round(start / MiB)} MiB to ${Math.round(peak / MiB)} MiB`).toBeLessThan(memoryBound(start, size.sessions));
      // The server is still answering, and stops cleanly.
      expect((await client.beta.sessions.list({ limit: 1 })).data).toHaveLength(1);
    } finally {
      served.child.kill('SIGTERM');
      expect(await served.exited).toBe(0);
      rmSync(home, { recursive: true, force: true });
    }
  });
}
