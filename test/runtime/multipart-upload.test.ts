// Uploads that arrive as a multipart body (over HTTP, or any Request with a body) are
// read as they stream: the bytes come back exactly, the fields are read wherever they
// sit, and a malformed body is a 400 that stores nothing.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { scriptedDeps } from './scripted.js';

const BASE = 'http://local.invalid';
let runtime: LocalRuntime;
let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'incident-multipart-'));
  runtime = createLocalRuntime({ home, deps: scriptedDeps([]) });
});
afterEach(async () => runtime.close());

async function postForm(form: FormData): Promise<{ status: number; json: Record<string, unknown> }> {
  // A Request serializes the form as a multipart stream, as an HTTP client would send it.
  const response = await runtime.handle(new Request(`${BASE}/v1/files`, { method: 'POST', body: form }));
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function postRaw(body: string, contentType = 'multipart/form-data; boundary=XyZ'): Promise<{ status: number; message: string }> {
  const response = await runtime.handle(new Request(`${BASE}/v1/files`, { method: 'POST', body, headers: { 'content-type': contentType } }));
  const json = (await response.json()) as { error?: { message?: string } };
  return { status: response.status, message: json.error?.message ?? '' };
}

async function content(id: string): Promise<Buffer> {
  return Buffer.from(await (await runtime.handle(new Request(`${BASE}/v1/files/${id}/content`))).arrayBuffer());
}

const storedBlobs = (): string[] => readdirSync(join(home, 'files')).filter((name) => name !== 'tmp');

describe('a streamed multipart upload', () => {
  it('stores the bytes exactly, even when they hold boundary-like lines and every byte value', async () => {
    const bytes = Buffer.concat([
      Buffer.from('line one\r\n--\r\n--boundary\r\n\r\n'),
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
      Buffer.alloc(200_000, 0x2d),
      Buffer.from('\r\n'),
    ]);
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'application/x-ndjson' }), 'app "prod" ünïcode.log');
    const result = await postForm(form);
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ filename: 'app "prod" ünïcode.log', mime_type: 'application/x-ndjson', size_bytes: bytes.length });
    expect((await content(String(result.json['id']))).equals(bytes)).toBe(true);
  });

  it('reads expires_in_seconds before or after the file, and refuses a bad one without storing the file', async () => {
    const after = new FormData();
    after.append('file', new Blob(['a']), 'a.log');
    after.append('expires_in_seconds', '7200');
    const first = await postForm(after);
    expect(first.status).toBe(200);
    expect(typeof first.json['expires_at']).toBe('string');

    const before = new FormData();
    before.append('expires_in_seconds', '3600');
    before.append('file', new Blob(['b']), 'b.log');
    expect((await postForm(before)).status).toBe(200);

    const blobs = storedBlobs().length;
    const bad = new FormData();
    bad.append('file', new Blob(['never stored']), 'c.log');
    bad.append('expires_in_seconds', '5');
    const refused = await postForm(bad);
    expect(refused.status).toBe(400);
    expect(storedBlobs()).toHaveLength(blobs);
    expect(readdirSync(join(home, 'files', 'tmp'))).toEqual([]);
  });

  it.each([
    ['no file part', '--XyZ\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--XyZ--\r\n', /needs a `file` part/],
    ['two file parts', '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\na\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="b"\r\n\r\nb\r\n--XyZ--\r\n', /one file per request/],
    ['a body cut before its closing boundary', '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc', /ended before its closing boundary/],
    ['a part without a disposition', '--XyZ\r\nContent-Type: text/plain\r\n\r\nabc\r\n--XyZ--\r\n', /no Content-Disposition/],
    ['no boundary at all', 'just some bytes', /longer than|ended before/],
  ])('%s is a 400 and stores nothing', async (_name, body, message) => {
    const result = await postRaw(body);
    expect(result.status).toBe(400);
    expect(result.message).toMatch(message);
    expect(storedBlobs()).toEqual([]);
    expect(readdirSync(join(home, 'files', 'tmp'))).toEqual([]);
  });

  it('a body that is not multipart is a 400 that says how to upload', async () => {
    const result = await postRaw('{}', 'application/json');
    expect(result.status).toBe(400);
    expect(result.message).toContain('multipart/form-data');
  });
});
