// Mount paths are checked when the session is created: a path the hands could never lay
// out is a 400 that names it, the session is not created, and no error shows a host path.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { scriptedDeps } from './scripted.js';

const BASE = 'http://local.invalid';
let runtime: LocalRuntime;
let home: string;
let agentId: string;
let environmentId: string;
let fileId: string;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await runtime.handle(
    new Request(`${BASE}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  );
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function messageOf(result: { json: Record<string, unknown> }): string {
  return String((result.json['error'] as { message?: unknown } | undefined)?.message);
}

async function createSession(mountPaths: unknown[]): Promise<{ status: number; json: Record<string, unknown> }> {
  return call('POST', '/v1/sessions', {
    agent: agentId,
    environment_id: environmentId,
    resources: mountPaths.map((mountPath) => ({ type: 'file', file_id: fileId, mount_path: mountPath })),
  });
}

async function sessionCount(): Promise<number> {
  return ((await call('GET', '/v1/sessions')).json['data'] as unknown[]).length;
}

async function fileCount(): Promise<number> {
  return ((await call('GET', '/v1/files')).json['data'] as unknown[]).length;
}

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'incident-mounts-'));
  runtime = createLocalRuntime({ home, deps: scriptedDeps([[{ kind: 'message', text: 'ok' }]]) });
  agentId = String((await call('POST', '/v1/agents', { name: 'a', model: 'claude-opus-4-8' })).json['id']);
  environmentId = String((await call('POST', '/v1/environments', { name: 'e' })).json['id']);
  const form = new FormData();
  form.append('file', new Blob(['a log line\n']), 'a.log');
  const uploaded = (await (await runtime.fetch(`${BASE}/v1/files`, { method: 'POST', body: form })).json()) as { id: string };
  fileId = uploaded.id;
});
afterEach(async () => runtime.close());

const NAME_255 = 'n'.repeat(251) + '.log';
const NAME_256 = 'n'.repeat(252) + '.log';

describe('mount paths at session creation', () => {
  it.each([
    ['a name over 255 bytes', [`/logs/${NAME_256}`], /resources\[0\]\.mount_path \/logs\/n+… has a name of 256 bytes; each name in a path may be at most 255 bytes/],
    ['a name over 255 bytes in UTF-8, though fewer characters', [`/${'é'.repeat(128)}`], /has a name of 256 bytes/],
    ['a path over 1024 bytes', [`/${Array.from({ length: 9 }, () => 'd'.repeat(120)).join('/')}`], /is too long \(1109 bytes with the \/mnt\/session\/uploads prefix\); a mount path may be at most 1024 bytes/],
    ['a .. segment', ['/logs/../../etc/passwd'], /resources\[0\]\.mount_path \/logs\/\.\.\/\.\.\/etc\/passwd contains '\.\.'/],
    ['a .. after the uploads root', ['/mnt/session/uploads/../outputs/x'], /contains '\.\.'/],
    ['a NUL', ['/logs/a\u0000.log'], /resources\[0\]\.mount_path \/logs\/a\\u0000\.log contains a control character/],
    ['a newline', ['/logs/a\n.log'], /contains a control character/],
    ['a backslash', ['..\\..\\etc\\passwd'], /contains a backslash/],
    ['the uploads root itself', ['/mnt/session/uploads'], /names no file/],
    ['a path that is only slashes and dots', ['/./'], /names no file/],
    ['a mount path that is not a string', [42], /resources\[0\]\.mount_path must be a string/],
    ['the same path twice', ['/logs/a.log', '/logs/a.log'], /resources\[1\]\.mount_path \/logs\/a\.log is already mounted in this session/],
    ['the same path twice, written two ways', ['/logs/a.log', '/mnt/session/uploads/logs//./a.log'], /resources\[1\]\.mount_path .* is already mounted/],
    ['a file, then a file under it', ['/logs', '/logs/a.log'], /resources\[1\]\.mount_path \/logs\/a\.log puts a file under \/mnt\/session\/uploads\/logs, which is already a file/],
    ['a file under a path, then that path as a file', ['/logs/a.log', '/logs'], /resources\[1\]\.mount_path \/logs is a folder in this session \(it holds \/mnt\/session\/uploads\/logs\/a\.log\)/],
    ['a file, then a file two levels under it', ['/x', '/x/y/z.log'], /resources\[1\]\.mount_path \/x\/y\/z\.log puts a file under \/mnt\/session\/uploads\/x/],
  ])('%s is a 400 that names it, and creates nothing', async (_name, paths, message) => {
    const before = await fileCount();
    const result = await createSession(paths);
    expect(result.status).toBe(400);
    expect(result.json['error']).toMatchObject({ type: 'invalid_request_error' });
    expect(messageOf(result)).toMatch(message);
    expect(messageOf(result)).not.toContain(home);
    expect(await sessionCount()).toBe(0);
    expect(await fileCount()).toBe(before);
  });

  it('accepts names of exactly 255 bytes and sibling folders, and the hands can lay them out', async () => {
    const result = await createSession([`/logs/${NAME_255}`, '/logs/b.log', '/logs-old/a.log', '/metrics.csv', '/mnt/session/uploads/deep/er/c.log']);
    expect(result.status).toBe(200);
    const id = String(result.json['id']);
    const { map } = await runtime.engine.ensureMounted(id);
    const mapped = (JSON.parse(readFileSync(map, 'utf8')) as { files: Array<{ path: string; source: string }> }).files;
    expect(mapped.map((file) => file.path).sort()).toEqual(['deep/er/c.log', `logs/${NAME_255}`, 'logs-old/a.log', 'logs/b.log', 'metrics.csv'].sort());
    for (const file of mapped) expect(existsSync(file.source)).toBe(true);
  });

  it('a resource added later is checked against the mounts already there', async () => {
    const created = await createSession(['/logs/a.log']);
    const id = String(created.json['id']);
    const clash = await call('POST', `/v1/sessions/${id}/resources`, { type: 'file', file_id: fileId, mount_path: '/logs' });
    expect(clash.status).toBe(400);
    expect(messageOf(clash)).toMatch(/resource\.mount_path \/logs is a folder in this session/);
    const long = await call('POST', `/v1/sessions/${id}/resources`, { type: 'file', file_id: fileId, mount_path: `/${NAME_256}` });
    expect(long.status).toBe(400);
    expect(messageOf(long)).toMatch(/has a name of 256 bytes/);
    const fine = await call('POST', `/v1/sessions/${id}/resources`, { type: 'file', file_id: fileId, mount_path: '/logs/b.log' });
    expect(fine.status).toBe(200);
    expect(((await call('GET', `/v1/sessions/${id}/resources`)).json['data'] as unknown[]).length).toBe(2);
  });

  it('more than 500 files is a 400 that says the limit and the count, before any file is looked up', async () => {
    const result = await call('POST', '/v1/sessions', {
      agent: agentId,
      environment_id: environmentId,
      resources: Array.from({ length: 501 }, (_, i) => ({ type: 'file', file_id: `file_missing_${i}`, mount_path: `/f${i}` })),
    });
    expect(result.status).toBe(400);
    expect(messageOf(result)).toMatch(/at most 500 files, and this asks for 501/);
  });
});
