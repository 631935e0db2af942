// A session's mount is a view of the stored uploads: laying it out copies no byte, and the
// hands (a real worker process) read the session's own files and nothing else of the store.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEnvironmentDefinition } from '../../src/definitions/index.js';
import type { Hands } from '../../src/runtime/deps.js';
import { environmentHands } from '../../src/runtime/environment-hands.js';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { WORKER } from '../hands/worker/fixtures.js';
import { scriptedDeps } from './scripted.js';

const BASE = 'http://local.invalid';
const OURS = 'ours-marker';
const THEIRS = 'theirs-marker';
let runtime: LocalRuntime;
let home: string;
const opened: Hands[] = [];

async function call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await runtime.handle(
    new Request(`${BASE}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  );
  return (await response.json()) as Record<string, unknown>;
}

async function upload(name: string, text: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([text]), name);
  return ((await (await runtime.fetch(`${BASE}/v1/files`, { method: 'POST', body: form })).json()) as { id: string }).id;
}

function logOf(marker: string): string {
  return Array.from({ length: 50 }, (_, i) => `2026-11-20T13:${String(i).padStart(2, '0')}:00Z ERROR ${marker} request ${i} failed`).join('\n') + '\n';
}

/** Every regular file under `dir` whose bytes are `content`. */
function copiesOf(dir: string, content: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...copiesOf(path, content));
    else if (entry.isFile() && statSync(path).size === Buffer.byteLength(content) && readFileSync(path, 'utf8') === content) found.push(path);
  }
  return found;
}

async function session(fileId: string, mountPath: string): Promise<string> {
  const agent = String((await call('POST', '/v1/agents', { name: 'a', model: 'claude-opus-4-8' }))['id']);
  const environment = String((await call('POST', '/v1/environments', { name: 'e' }))['id']);
  const created = await call('POST', '/v1/sessions', { agent, environment_id: environment, resources: [{ type: 'file', file_id: fileId, mount_path: mountPath }] });
  return String(created['id']);
}

function handsOf(sessionId: string): Hands {
  const hands = environmentHands(
    {
      sessionId,
      agent: {} as BetaManagedAgentsAgent,
      environment: parseEnvironmentDefinition('name: view-test\n', 'view-test.yaml'),
      ensureMounted: () => runtime.engine.ensureMounted(sessionId),
      onToolOutput: () => undefined,
    },
    { workerScript: WORKER, parentEnv: process.env },
  );
  opened.push(hands);
  return hands;
}

async function run(hands: Hands, name: string, input: Record<string, unknown>): Promise<{ text: string; isError: boolean }> {
  const result = await hands.call(name, input, { toolUseId: `tu_${name}`, signal: new AbortController().signal });
  return { text: result.text, isError: result.isError === true };
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'incident-view-'));
  runtime = createLocalRuntime({ home, deps: scriptedDeps([[{ kind: 'message', text: 'ok' }]]) });
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((hands) => hands.close()));
  await runtime.close();
  rmSync(home, { recursive: true, force: true });
});

describe("a session's mount", () => {
  it('is a view of the stored upload: its bytes are kept once, and the hands read them', async () => {
    const content = logOf(OURS);
    const id = await session(await upload('app.log', content), '/logs/app.log');
    const hands = handsOf(id);
    const read = await run(hands, 'read_file', { path: 'logs/app.log', start: 1, end: 2 });
    expect(read.isError).toBe(false);
    expect(read.text).toContain(`ERROR ${OURS} request 0 failed`);
    const search = await run(hands, 'search_logs', { pattern: OURS });
    expect(search.isError).toBe(false);
    expect(JSON.parse(search.text)).toMatchObject({ total_matches: 50 });
    expect(copiesOf(home, content)).toHaveLength(1);
  });

  it('confines the hands to the files it maps: not another session’s upload, not the store, not the map', async () => {
    const theirs = await upload('other.log', logOf(THEIRS));
    await session(theirs, '/logs/other.log');
    const id = await session(await upload('app.log', logOf(OURS)), '/logs/app.log');
    const hands = handsOf(id);
    const { map } = await runtime.engine.ensureMounted(id);
    const theirBlob = copiesOf(home, logOf(THEIRS))[0] ?? '';
    expect(theirBlob).not.toBe('');

    expect((await run(hands, 'read_file', { path: '/mnt/session/uploads/logs/app.log' })).isError).toBe(false);
    for (const path of ['logs/other.log', theirBlob, map, '../../files', `/mnt/session/uploads/../../..${theirBlob}`, join(home, 'incident.db')]) {
      const refused = await run(hands, 'read_file', { path });
      expect(refused.isError, path).toBe(true);
      expect(refused.text, path).not.toContain(THEIRS);
      // A refusal may repeat the path it was given, never name another place in the state folder.
      if (!path.includes(home)) expect(refused.text, path).not.toContain(home);
    }
    const listed = await run(hands, 'describe_bundle', {});
    expect(JSON.parse(listed.text)).toMatchObject({ counts: { logs: 1, unknown: 0, problems: 0 } });
    const search = await run(hands, 'search_logs', { pattern: THEIRS });
    expect(search.text).not.toContain(`ERROR ${THEIRS}`);
  });
});
