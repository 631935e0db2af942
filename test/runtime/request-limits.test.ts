// What the runtime reads from a request is bounded and typed: JSON bodies only as
// application/json, never more than the cap (an endless body is cut off, not buffered),
// a broken path escape is the caller's 400, and a fault of the HTTP layer answers in
// the API's error shape without a stack or a path of this machine.
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveFetch } from '../../src/runtime/node-server.js';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { scriptedDeps } from './scripted.js';

let runtime: LocalRuntime;
const BASE = 'http://local.invalid';
/** The documented JSON body limit (README, Configuration). */
const MAX_JSON_BODY_BYTES = 1024 * 1024;

beforeEach(() => {
  runtime = createLocalRuntime({ home: mkdtempSync(join(tmpdir(), 'incident-limits-')), deps: scriptedDeps([[{ kind: 'message', text: 'ok' }]]) });
});
afterEach(async () => runtime.close());

async function errorOf(response: Response): Promise<{ status: number; type: string; message: string }> {
  const body = (await response.json()) as { type: string; error: { type: string; message: string } };
  expect(body.type).toBe('error');
  return { status: response.status, type: body.error.type, message: body.error.message };
}

async function agents(): Promise<unknown[]> {
  const response = await runtime.handle(new Request(`${BASE}/v1/agents`));
  return ((await response.json()) as { data: unknown[] }).data;
}

/** A body that never ends, counting what was pulled from it. */
function endless(): { stream: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  let pulled = 0;
  let cancelled = false;
  const chunk = new TextEncoder().encode(`{"name":"${'a'.repeat(64 * 1024)}`);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

describe('JSON bodies', () => {
  it('are refused unless sent as application/json, and nothing is created', async () => {
    const body = JSON.stringify({ name: 'a', model: 'claude-opus-4-8' });
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const refused = await errorOf(await runtime.handle(new Request(`${BASE}/v1/agents`, { method: 'POST', body, headers: { 'content-type': type } })));
      expect(refused).toMatchObject({ status: 415, type: 'invalid_request_error' });
      expect(refused.message).toContain('application/json');
    }
    const untyped = new Request(`${BASE}/v1/agents`, { method: 'POST', body: new TextEncoder().encode(body) });
    expect(untyped.headers.get('content-type')).toBeNull();
    expect((await runtime.handle(untyped)).status).toBe(415);
    expect(await agents()).toEqual([]);
    const typed = await runtime.handle(new Request(`${BASE}/v1/agents`, { method: 'POST', body, headers: { 'content-type': 'Application/JSON; charset=utf-8' } }));
    expect(typed.status).toBe(200);
  });

  it('stop being read at the cap: an endless body is a 413, not a process that fills its memory', async () => {
    const body = endless();
    const request = new Request(`${BASE}/v1/agents`, { method: 'POST', body: body.stream, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
    expect(await errorOf(await runtime.handle(request))).toMatchObject({ status: 413, type: 'request_too_large' });
    expect(body.cancelled()).toBe(true);
    expect(body.pulled()).toBeLessThan(MAX_JSON_BODY_BYTES + 256 * 1024);
    expect(await agents()).toEqual([]);
  }, 10_000);

  it('declared over the cap are refused before reading', async () => {
    const big = JSON.stringify({ name: 'a', model: 'claude-opus-4-8', description: 'x'.repeat(MAX_JSON_BODY_BYTES) });
    const response = await runtime.handle(new Request(`${BASE}/v1/agents`, { method: 'POST', body: big, headers: { 'content-type': 'application/json', 'content-length': String(big.length) } }));
    expect(await errorOf(response)).toMatchObject({ status: 413, type: 'request_too_large' });
    expect(await agents()).toEqual([]);
  });
});

describe('paths', () => {
  it('with a malformed percent-escape are a 400 invalid_request_error', async () => {
    for (const path of ['/v1/sessions/%E0%A4%A', '/v1/agents/%', '/v1/sessions/%ZZ/events']) {
      expect(await errorOf(await runtime.handle(new Request(`${BASE}${path}`)))).toMatchObject({ status: 400, type: 'invalid_request_error' });
    }
  });
});

describe('the HTTP layer', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server?.closeAllConnections();
    server = undefined;
  });

  it('answers its own faults in the API error shape, with no stack and no path of this machine', async () => {
    server = await serveFetch(
      async () => {
        throw new Error(`cannot open ${process.cwd()}/secret/incident.db`);
      },
      { host: '127.0.0.1', port: 0 },
    );
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const response = await fetch(`http://127.0.0.1:${port}/v1/sessions`);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/json');
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(text).not.toContain(process.cwd());
    expect(text).not.toMatch(/\bat .*\(/);
  });
});
