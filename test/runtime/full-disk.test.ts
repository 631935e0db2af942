// `incident serve` on a full disk: a request that cannot be saved gets a 507 naming the
// state folder and the server keeps answering; a session whose turn cannot be saved
// tells its stream client (an error, not a hang), keeps every committed event, and
// continues once there is room again. SQLite's page limit makes the disk "full".
import Anthropic, { toFile } from '@anthropic-ai/sdk';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serveFetch } from '../../src/runtime/node-server.js';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { echoHands, scriptedDeps, type ScriptStep } from './scripted.js';

let runtime: LocalRuntime | undefined;
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  await runtime?.close();
  runtime = undefined;
  server = undefined;
});

/** Many steps, each a long message and a tool call: the turn outgrows any small limit. */
const STEPS: ScriptStep[] = Array.from({ length: 60 }, (_, index) => [
  { kind: 'message', text: `step ${index} ${'.'.repeat(3000)}` },
  { kind: 'tool_use', name: 'query_metrics', input: { step: index } },
]);

async function serve(): Promise<{ client: Anthropic; url: string; home: string }> {
  const home = mkdtempSync(join(tmpdir(), 'incident-full-'));
  runtime = createLocalRuntime({ home, deps: scriptedDeps(STEPS, echoHands([], 5)) });
  server = await serveFetch(runtime.handle, { host: '127.0.0.1', port: 0 });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { client: new Anthropic({ apiKey: 'local', baseURL: url, maxRetries: 0 }), url, home };
}

function limitPages(extra: number): void {
  const db = runtime?.store.db;
  const { page_count: pages } = db?.prepare('PRAGMA page_count').get() as { page_count: number };
  db?.exec(`PRAGMA max_page_count = ${pages + extra}`);
}

async function openSession(client: Anthropic): Promise<string> {
  const agent = await client.beta.agents.create({
    name: 'full',
    model: 'claude-opus-4-8',
    tools: [{ type: 'custom', name: 'query_metrics', description: 'q', input_schema: { type: 'object', properties: {} } }],
    metadata: { 'incident.max_steps': '500' },
  });
  const environment = await client.beta.environments.create({ name: 'local' });
  return (await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id })).id;
}

const message = (text: string) => ({ events: [{ type: 'user.message' as const, content: [{ type: 'text' as const, text }] }] });

describe('the served runtime on a full disk', () => {
  it('answers a request it cannot save with 507 naming the folder, and keeps serving', async () => {
    const { client, url, home } = await serve();
    const sessionId = await openSession(client);
    limitPages(0);
    const response = await fetch(`${url}/v1/sessions/${sessionId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message('x'.repeat(50_000))),
    });
    expect(response.status).toBe(507);
    expect(response.headers.get('x-should-retry')).toBe('false');
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('api_error');
    expect(body.error.message).toContain(`the state folder ${home} is out of space`);
    // Still up: the next request is answered, and nothing half-written is in the log.
    const listed = await client.beta.sessions.events.list(sessionId);
    expect(listed.data).toEqual([]);
    expect((await client.beta.sessions.retrieve(sessionId)).status).toBe('idle');
  });

  it('tells a stream client the turn stopped, keeps the log whole, and continues when there is room', async () => {
    const { client, home } = await serve();
    const sessionId = await openSession(client);
    const stream = await client.beta.sessions.events.stream(sessionId);
    await client.beta.sessions.events.send(sessionId, message('go'));
    let seen = 0;
    let failure: unknown;
    try {
      for await (const event of stream) {
        // Let the turn get going, then let the disk run out under it.
        if (event.type === 'agent.tool_result' && (seen += 1) === 2) limitPages(2);
        if (event.type === 'session.status_idle') break;
      }
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as Error).message).toContain(`the state folder ${home} is out of space`);
    expect((failure as Error).message).toContain(`incident resume ${sessionId}`);
    const store = runtime?.store;
    expect(store?.verify(sessionId)).toEqual([]);
    const kept = store?.events.list(sessionId) ?? [];
    expect(kept.length).toBeGreaterThan(4);
    expect((await client.beta.sessions.retrieve(sessionId)).status).toBe('running');

    // A client that attaches while the disk is still full is told again, at once.
    const again = await client.beta.sessions.events.stream(sessionId);
    await expect(async () => {
      for await (const event of again) void event;
    }).rejects.toThrow(/out of space/);

    // Room again: attaching continues the session from its last saved event to its end.
    store?.db.exec('PRAGMA max_page_count = 1073741823');
    const resumed = await client.beta.sessions.events.stream(sessionId);
    for await (const event of resumed) if (event.type === 'session.status_idle') break;
    expect(store?.verify(sessionId)).toEqual([]);
    const events = store?.events.list(sessionId).map((item) => item.event) ?? [];
    expect(events.slice(0, kept.length).map((event) => event.id)).toEqual(kept.map((item) => item.event.id));
    expect(events.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
    expect(events.filter((event) => event.type === 'agent.tool_use')).toHaveLength(STEPS.length);
  });

  it('answers an upload that does not fit on a real small file system with 507, leaving no partial file', async (context) => {
    const mount = mkdtempSync(join(tmpdir(), 'incident-smallfs-'));
    try {
      // Mounting needs root (and a container that allows it); otherwise this variant cannot run here.
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=640k', 'tmpfs', mount], { stdio: 'ignore' });
    } catch {
      rmSync(mount, { recursive: true, force: true });
      context.skip('cannot mount a small tmpfs here (needs root); the page-limit tests above cover a full disk');
      return;
    }
    try {
      const home = join(mount, 'state');
      mkdirSync(home);
      runtime = createLocalRuntime({ home, deps: scriptedDeps(STEPS) });
      const client = new Anthropic({ apiKey: 'local', baseURL: 'http://local.invalid', maxRetries: 0, fetch: runtime.fetch });
      const failure = await client.beta.files.upload({ file: await toFile(Buffer.alloc(1024 * 1024, 0x61), 'big.log') }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Anthropic.APIError);
      expect((failure as InstanceType<typeof Anthropic.APIError>).status).toBe(507);
      expect((failure as Error).message).toContain(`the state folder ${home} is out of space`);
      expect(readdirSync(join(home, 'files', 'tmp'))).toEqual([]);
      // Still answering, and a file that fits is stored.
      const small = await client.beta.files.upload({ file: await toFile(Buffer.from('fits'), 'small.log') });
      expect(existsSync(runtime.store.blobs.pathOf((runtime.store.files.get(small.id)?.sha256) ?? ''))).toBe(true);
    } finally {
      await runtime?.close();
      runtime = undefined;
      execFileSync('umount', [mount], { stdio: 'ignore' });
      rmSync(mount, { recursive: true, force: true });
    }
  });
});
