// A log is indexed while it uploads: the store keeps the index beside the blob, the session's
// mount map points the hands at it, and the hands (a real worker process) describe the
// bundle from it, exactly as a walk of the bytes would, instead of walking the log again.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnvironmentDefinition } from '../../src/definitions/index.js';
import type { Hands } from '../../src/runtime/deps.js';
import { environmentHands } from '../../src/runtime/environment-hands.js';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { MIN_INDEXED_BYTES } from '../../src/runtime/upload-index.js';
import { WORKER } from '../hands/worker/fixtures.js';
import { scriptedDeps } from './scripted.js';

const BASE = 'http://local.invalid';

/** A log over the indexing threshold, with stack traces under its errors. */
function bigLog(): string {
  const lines: string[] = [];
  // Counted as it grows (ASCII: a character is a byte), not by joining everything each time.
  let bytes = 0;
  const add = (line: string): void => {
    lines.push(line);
    bytes += line.length + 1;
  };
  for (let i = 0; bytes < MIN_INDEXED_BYTES * 1.5; i++) {
    const t = new Date(Date.parse('2026-11-20T13:00:00Z') + i * 200).toISOString();
    if (i % 40 === 0) {
      add(`${t} ERROR [checkout] charge ${i} failed`);
      add('\tat com.example.Pay.charge(Pay.java:42)');
    } else add(`${t} INFO [checkout] charge ${i} done in ${i % 90}ms`);
  }
  return `${lines.join('\n')}\n`;
}

const BIG = bigLog();
const SMALL = '2026-11-20T13:00:00Z WARN [api] slow\n';

interface Opened {
  runtime: LocalRuntime;
  home: string;
  hands: Hands[];
}

function open(uploadIndexer?: false, maxUploadBytes?: number): Opened {
  const home = mkdtempSync(join(tmpdir(), 'incident-upload-index-'));
  const runtime = createLocalRuntime({
    home,
    deps: scriptedDeps([[{ kind: 'message', text: 'ok' }]]),
    ...(uploadIndexer === false ? { uploadIndexer } : {}),
    ...(maxUploadBytes === undefined ? {} : { maxUploadBytes }),
  });
  return { runtime, home, hands: [] };
}

async function call(at: Opened, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await at.runtime.handle(
    new Request(`${BASE}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  );
  return (await response.json()) as Record<string, unknown>;
}

async function upload(at: Opened, name: string, text: string): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([text]), name);
  return at.runtime.fetch(`${BASE}/v1/files`, { method: 'POST', body: form });
}

async function uploadedId(at: Opened, name: string, text: string): Promise<string> {
  return ((await (await upload(at, name, text)).json()) as { id: string }).id;
}

/** A session mounting the files, and its hands. */
async function handsFor(at: Opened, files: Record<string, string>): Promise<{ sessionId: string; hands: Hands }> {
  const agent = String((await call(at, 'POST', '/v1/agents', { name: 'a', model: 'claude-opus-4-8' }))['id']);
  const environment = String((await call(at, 'POST', '/v1/environments', { name: 'e' }))['id']);
  const resources = Object.entries(files).map(([mountPath, fileId]) => ({ type: 'file', file_id: fileId, mount_path: mountPath }));
  const sessionId = String((await call(at, 'POST', '/v1/sessions', { agent, environment_id: environment, resources }))['id']);
  const hands = environmentHands(
    {
      sessionId,
      agent: {} as BetaManagedAgentsAgent,
      environment: parseEnvironmentDefinition('name: index-test\n', 'index-test.yaml'),
      ensureMounted: () => at.runtime.engine.ensureMounted(sessionId),
      onToolOutput: () => undefined,
    },
    { workerScript: WORKER, parentEnv: process.env },
  );
  at.hands.push(hands);
  return { sessionId, hands };
}

async function describeBundle(hands: Hands): Promise<string> {
  const result = await hands.call('describe_bundle', {}, { toolUseId: 'tu_describe', signal: new AbortController().signal });
  expect(result.isError).not.toBe(true);
  return result.text;
}

function shaOf(at: Opened, fileId: string): string {
  const row = at.runtime.store.files.get(fileId);
  if (!row) throw new Error(`no file ${fileId}`);
  return row.sha256;
}

const opened: Opened[] = [];
afterAll(async () => {
  for (const at of opened) {
    await Promise.all(at.hands.map((hands) => hands.close()));
    await at.runtime.close();
    rmSync(at.home, { recursive: true, force: true });
  }
});

describe('a log indexed as it uploads', () => {
  it('is described by the hands from its index, as a walk of its bytes describes it', async () => {
    const indexed = open();
    const walked = open(false);
    opened.push(indexed, walked);
    const ids = { big: await uploadedId(indexed, 'checkout.log', BIG), small: await uploadedId(indexed, 'api.log', SMALL) };
    const blobs = indexed.runtime.store.blobs;
    expect(existsSync(blobs.indexPathOf(shaOf(indexed, ids.big)))).toBe(true);
    // A small log is walked in milliseconds when first read: not worth indexing on upload.
    expect(existsSync(blobs.indexPathOf(shaOf(indexed, ids.small)))).toBe(false);

    const mounts = { '/logs/checkout.log': ids.big, '/logs/api.log': ids.small };
    const { sessionId, hands } = await handsFor(indexed, mounts);
    const { map } = await indexed.runtime.engine.ensureMounted(sessionId);
    expect(JSON.parse(readFileSync(map, 'utf8')).files.find((f: { path: string }) => f.path === 'logs/checkout.log')).toHaveProperty('logIndex');
    const fromIndex = await describeBundle(hands);

    const plain = await handsFor(walked, { '/logs/checkout.log': await uploadedId(walked, 'checkout.log', BIG), '/logs/api.log': await uploadedId(walked, 'api.log', SMALL) });
    expect(readdirSync(join(walked.home, 'files'), { recursive: true }).some((name) => String(name).endsWith('.index'))).toBe(false);
    expect(fromIndex).toBe(await describeBundle(plain.hands));
    expect(JSON.parse(fromIndex)).toMatchObject({ counts: { logs: 2 } });

    // Read from the index, not from the bytes: a new session over the same upload whose stored
    // bytes were (behind the store's back) rewritten, same size, reports what was uploaded.
    const blob = blobs.pathOf(shaOf(indexed, ids.big));
    chmodSync(blob, 0o644);
    writeFileSync(blob, BIG.replaceAll(' ERROR ', ' INFO  '));
    const later = await handsFor(indexed, { '/logs/checkout.log': ids.big });
    expect(await describeBundle(later.hands)).toContain('"error"');
    writeFileSync(blob, BIG);
  });

  it('goes with its bytes, and is never left behind by an upload refused while it streams', async () => {
    const limited = open(undefined, MIN_INDEXED_BYTES * 1.6);
    opened.push(limited);
    const id = await uploadedId(limited, 'checkout.log', BIG);
    const blobs = limited.runtime.store.blobs;
    const sha = shaOf(limited, id);
    expect(existsSync(blobs.indexPathOf(sha))).toBe(true);
    await call(limited, 'DELETE', `/v1/files/${id}`);
    expect(existsSync(blobs.pathOf(sha))).toBe(false);
    expect(existsSync(blobs.indexPathOf(sha))).toBe(false);

    // Over HTTP (a multipart body read as it streams, as `incident serve` receives it) too.
    const form = new FormData();
    form.append('file', new Blob([BIG]), 'served.log');
    const served = (await (await limited.runtime.handle(new Request(`${BASE}/v1/files`, { method: 'POST', body: form }))).json()) as { id: string };
    expect(existsSync(blobs.indexPathOf(shaOf(limited, served.id)))).toBe(true);
    await call(limited, 'DELETE', `/v1/files/${served.id}`);

    const response = await upload(limited, 'checkout.log', BIG + BIG);
    expect(response.status).toBe(413);
    const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name);
    expect(files(join(limited.home, 'files'))).toEqual([]);
  });
});
