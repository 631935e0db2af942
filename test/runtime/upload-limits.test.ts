// The runtime bounds what any client can leave behind: a file over the upload limit is
// refused while it streams and its partial bytes are deleted at once; a client that goes
// away mid-upload leaves nothing; uploads that no session mounts are capped. In every
// failure the store's files folder is byte-identical before and after.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serveFetch } from '../../src/runtime/node-server.js';
import { createLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../src/runtime/runtime.js';
import { scriptedDeps } from './scripted.js';

const BASE = 'http://local.invalid';
const BOUNDARY = 'incident-test-boundary';
const KIB = 1024;

let runtime: LocalRuntime | undefined;
let server: Server | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  await runtime?.close();
  runtime = undefined;
});

function open(options: Partial<LocalRuntimeOptions> = {}): { runtime: LocalRuntime; home: string } {
  const home = mkdtempSync(join(tmpdir(), 'incident-upload-'));
  runtime = createLocalRuntime({ home, deps: scriptedDeps([[{ kind: 'message', text: 'ok' }]]), ...options });
  return { runtime, home };
}

/** Every file under the store's files folder, with a hash of its bytes. */
function snapshot(home: string): Record<string, string> {
  const root = join(home, 'files');
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return out;
}

const tmpFiles = (home: string): string[] => readdirSync(join(home, 'files', 'tmp'));

/** Waits (on the event loop, a bounded number of turns) until `check` holds. */
async function until(check: () => boolean, turns = 20_000): Promise<boolean> {
  for (let i = 0; i < turns; i++) {
    if (check()) return true;
    await tick();
  }
  return check();
}

function partHead(filename: string): Buffer {
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n`,
  );
}
const TAIL = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

/**
 * A multipart upload of `size` bytes of file content, sent in 16 KiB chunks with no
 * declared length (as a client streaming a growing log would). `afterBytes` runs once that
 * much content has been sent; its promise holds the rest of the body back.
 */
function streamedUpload(size: number, hooks: { afterBytes?: [number, () => Promise<void>]; failAfter?: number } = {}): ReadableStream<Uint8Array> {
  let sent = 0;
  let headSent = false;
  let hooked = false;
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headSent) {
        headSent = true;
        controller.enqueue(partHead('big.log'));
        return;
      }
      if (hooks.failAfter !== undefined && sent >= hooks.failAfter) {
        controller.error(new Error('the client went away'));
        return;
      }
      if (hooks.afterBytes && !hooked && sent >= hooks.afterBytes[0]) {
        hooked = true;
        await hooks.afterBytes[1]();
      }
      if (cancelled) return;
      if (sent >= size) {
        controller.enqueue(TAIL);
        controller.close();
        return;
      }
      const chunk = Buffer.alloc(Math.min(16 * KIB, size - sent), 0x61 + ((sent / (16 * KIB)) % 26));
      sent += chunk.length;
      controller.enqueue(chunk);
    },
    cancel() {
      cancelled = true;
    },
  });
}

async function post(rt: LocalRuntime, body: ReadableStream<Uint8Array>): Promise<{ status: number; message: string; id?: string }> {
  const response = await rt.handle(
    new Request(`${BASE}/v1/files`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    } as RequestInit),
  );
  const json = (await response.json()) as { id?: string; error?: { message?: string } };
  return { status: response.status, message: json.error?.message ?? '', ...(json.id ? { id: json.id } : {}) };
}

async function uploadSmall(rt: LocalRuntime, content: string, name = 'a.log'): Promise<{ status: number; json: Record<string, unknown> }> {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  const response = await rt.fetch(`${BASE}/v1/files`, { method: 'POST', body: form });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function listFiles(rt: LocalRuntime): Promise<Array<{ id: string }>> {
  const response = await rt.handle(new Request(`${BASE}/v1/files?limit=1000`));
  return ((await response.json()) as { data: Array<{ id: string }> }).data;
}

async function mountInSession(rt: LocalRuntime, fileIds: readonly string[]): Promise<number> {
  const json = async (path: string, body: unknown): Promise<Record<string, unknown>> =>
    (await (await rt.handle(new Request(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))).json()) as Record<string, unknown>;
  const agent = await json('/v1/agents', { name: 'a', model: 'claude-opus-4-8' });
  const environment = await json('/v1/environments', { name: 'e' });
  const response = await rt.handle(
    new Request(`${BASE}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        agent: agent['id'],
        environment_id: environment['id'],
        resources: fileIds.map((id, i) => ({ type: 'file', file_id: id, mount_path: `/f${i}.log` })),
      }),
    }),
  );
  return response.status;
}

describe('a file over the upload limit', () => {
  it('is refused as soon as the limit is passed, while it streams, and its partial bytes are already gone', async () => {
    const { runtime: rt, home } = open({ maxUploadBytes: 64 * KIB });
    await uploadSmall(rt, 'already stored\n');
    const before = snapshot(home);
    let partialGoneBeforeEnd = false;
    let sawPartial = false;
    const result = await post(
      rt,
      streamedUpload(1024 * KIB, {
        // Past the limit, the body pauses: by then the runtime has already dropped what it had stored.
        afterBytes: [
          128 * KIB,
          async () => {
            partialGoneBeforeEnd = await until(() => tmpFiles(home).length === 0);
          },
        ],
      }),
    );
    expect(result.status).toBe(413);
    expect(result.message).toContain('upload limit (65536 bytes');
    expect(partialGoneBeforeEnd).toBe(true);
    expect(snapshot(home)).toEqual(before);
    expect(await listFiles(rt)).toHaveLength(1);
    // The same limit, with the bytes under it, is fine (and proves bytes did stream to a temporary file).
    const fits = post(
      rt,
      streamedUpload(48 * KIB, {
        afterBytes: [
          32 * KIB,
          async () => {
            sawPartial = await until(() => tmpFiles(home).length === 1);
          },
        ],
      }),
    );
    expect((await fits).status).toBe(200);
    expect(sawPartial).toBe(true);
  });

  it('is refused over HTTP with a 413 the client hears, and nothing is left in the store', async () => {
    const { runtime: rt, home } = open({ maxUploadBytes: 64 * KIB });
    server = await serveFetch(rt.handle, { host: '127.0.0.1', port: 0 });
    const before = snapshot(home);
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/v1/files`, {
      method: 'POST',
      body: streamedUpload(512 * KIB),
      duplex: 'half',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('request_too_large');
    expect(snapshot(home)).toEqual(before);
  });
});

describe('a client that goes away mid-upload', () => {
  it('leaves no temporary file (in process: the body errors)', async () => {
    const { runtime: rt, home } = open();
    await uploadSmall(rt, 'already stored\n');
    const before = snapshot(home);
    const result = await post(rt, streamedUpload(512 * KIB, { failAfter: 128 * KIB }));
    expect(result.status).toBe(400);
    expect(result.message).toContain('cut off');
    expect(snapshot(home)).toEqual(before);
    expect(await listFiles(rt)).toHaveLength(1);
  });

  it('leaves no temporary file (over HTTP: the socket is destroyed)', async () => {
    const { runtime: rt, home } = open();
    server = await serveFetch(rt.handle, { host: '127.0.0.1', port: 0 });
    const before = snapshot(home);
    const { port } = server.address() as AddressInfo;
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/v1/files',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'transfer-encoding': 'chunked' },
    });
    req.on('error', () => undefined);
    req.write(partHead('cut.log'));
    for (let i = 0; i < 8; i++) req.write(Buffer.alloc(16 * KIB, 0x62));
    // The upload is under way: its bytes are on disk in a temporary file.
    expect(await until(() => tmpFiles(home).length === 1)).toBe(true);
    req.destroy();
    expect(await until(() => tmpFiles(home).length === 0)).toBe(true);
    expect(snapshot(home)).toEqual(before);
    expect(await listFiles(rt)).toEqual([]);
  });
});

describe('uploads that no session mounts', () => {
  it('are capped in number; mounting them in a session makes room', async () => {
    const { runtime: rt, home } = open({ maxUnmountedFiles: 3 });
    const ids: string[] = [];
    for (const content of ['one', 'two', 'three']) ids.push(String((await uploadSmall(rt, content)).json['id']));
    const before = snapshot(home);
    const refused = await uploadSmall(rt, 'four');
    expect(refused.status).toBe(429);
    expect(String((refused.json['error'] as { message: string }).message)).toMatch(/already holds 3 uploaded files that no session mounts/);
    expect(snapshot(home)).toEqual(before);
    expect(await mountInSession(rt, ids)).toBe(200);
    expect((await uploadSmall(rt, 'four')).status).toBe(200);
  });

  it('are capped in bytes, counting what is still streaming, and a refused upload leaves nothing', async () => {
    const { runtime: rt, home } = open({ maxUnmountedBytes: 100 * KIB });
    expect((await uploadSmall(rt, 'x'.repeat(60 * KIB))).status).toBe(200);
    const before = snapshot(home);
    // Known size (in process): refused before a byte is stored.
    const known = await uploadSmall(rt, 'y'.repeat(60 * KIB));
    expect(known.status).toBe(413);
    expect(String((known.json['error'] as { message: string }).message)).toMatch(/past this runtime's limit of 102400 bytes/);
    // Unknown size (streamed): refused when the cap is passed.
    const streamed = await post(rt, streamedUpload(60 * KIB));
    expect(streamed.status).toBe(413);
    expect(snapshot(home)).toEqual(before);
  });

  it('older than an hour are deleted to make room when the cap is reached, and younger ones are not', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-20T10:00:00Z'));
    const { runtime: rt, home } = open({ maxUnmountedFiles: 2 });
    const old = String((await uploadSmall(rt, 'left behind')).json['id']);
    vi.setSystemTime(new Date('2026-11-20T10:30:00Z'));
    const recent = String((await uploadSmall(rt, 'recent')).json['id']);
    vi.setSystemTime(new Date('2026-11-20T11:10:00Z'));
    const next = await uploadSmall(rt, 'next');
    expect(next.status).toBe(200);
    const left = (await listFiles(rt)).map((file) => file.id);
    expect(left).not.toContain(old);
    expect(left).toContain(recent);
    const oldSha = createHash('sha256').update('left behind').digest('hex');
    expect(existsSync(join(home, 'files', oldSha.slice(0, 2), oldSha))).toBe(false);
    // The recent one still counts: a third is refused until it is mounted or an hour old.
    expect((await uploadSmall(rt, 'third')).status).toBe(429);
  });
});

describe('deleting an upload', () => {
  it('removes its bytes when no other record has them, and keeps them while a session mounts the same bytes', async () => {
    const { runtime: rt, home } = open();
    const empty = snapshot(home);
    const first = String((await uploadSmall(rt, 'shared bytes')).json['id']);
    expect(await mountInSession(rt, [first])).toBe(200);
    const mounted = snapshot(home);
    const second = String((await uploadSmall(rt, 'shared bytes')).json['id']);
    const lonely = String((await uploadSmall(rt, 'nobody mounts this')).json['id']);
    for (const id of [second, lonely]) expect((await rt.handle(new Request(`${BASE}/v1/files/${id}`, { method: 'DELETE' }))).status).toBe(200);
    expect(snapshot(home)).toEqual(mounted);
    expect(snapshot(home)).not.toEqual(empty);
  });
});

describe('the store', () => {
  it('removes the temporary files of a process that died mid-upload when it opens, and keeps a live one', async () => {
    const home = mkdtempSync(join(tmpdir(), 'incident-upload-'));
    createLocalRuntime({ home, deps: scriptedDeps([]) }).close();
    // A pid that is not running: one past the largest the system hands out is never in use.
    const maxPid = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim());
    const dead = join(home, 'files', 'tmp', `${maxPid}-0123456789ab`);
    const live = join(home, 'files', 'tmp', `${process.ppid}-ba9876543210`);
    writeFileSync(dead, 'half an upload');
    writeFileSync(live, 'an upload under way');
    const { runtime: rt } = { runtime: createLocalRuntime({ home, deps: scriptedDeps([]) }) };
    runtime = rt;
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it('says a file whose bytes are missing is missing, without the host path', async () => {
    const { runtime: rt, home } = open();
    const id = String((await uploadSmall(rt, 'soon gone')).json['id']);
    const sha = createHash('sha256').update('soon gone').digest('hex');
    rt.store.blobs.remove(sha);
    const response = await rt.handle(new Request(`${BASE}/v1/files/${id}/content`));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain(`the bytes of file ${id} are missing`);
    expect(text).not.toContain(home);
  });
});
