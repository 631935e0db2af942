// Bad input gets the API's error envelope with the right 4xx, and changes nothing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { scriptedDeps } from './scripted.js';

let runtime: LocalRuntime;
const BASE = 'http://local.invalid';

beforeEach(() => {
  runtime = createLocalRuntime({
    home: mkdtempSync(join(tmpdir(), 'incident-bad-')),
    deps: scriptedDeps([[{ kind: 'message', text: 'ok' }]]),
    maxUploadBytes: 1024,
  });
});
afterEach(async () => runtime.close());

async function call(method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await runtime.handle(new Request(`${BASE}${path}`, { method, body, headers: { 'content-type': 'application/json', ...headers } }));
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function newSession(): Promise<string> {
  const agent = await call('POST', '/v1/agents', JSON.stringify({ name: 'a', model: 'claude-opus-4-8' }));
  const env = await call('POST', '/v1/environments', JSON.stringify({ name: 'e' }));
  const session = await call('POST', '/v1/sessions', JSON.stringify({ agent: agent.json['id'], environment_id: env.json['id'] }));
  return String(session.json['id']);
}

function expectEnvelope(result: { status: number; json: Record<string, unknown> }, status: number, type: string): void {
  expect(result.status).toBe(status);
  expect(result.json['type']).toBe('error');
  expect(result.json['error']).toMatchObject({ type });
  expect(typeof result.json['request_id']).toBe('string');
}

describe('bad input to the runtime', () => {
  it('malformed JSON is a 400 and creates nothing', async () => {
    expectEnvelope(await call('POST', '/v1/agents', '{"name": "a",'), 400, 'invalid_request_error');
    expect((await call('GET', '/v1/agents')).json['data']).toEqual([]);
  });

  it('an unknown event type is a 400 and appends nothing, even beside a valid event', async () => {
    const id = await newSession();
    const result = await call(
      'POST',
      `/v1/sessions/${id}/events`,
      JSON.stringify({ events: [{ type: 'user.message', content: [{ type: 'text', text: 'hi' }] }, { type: 'user.bogus' }] }),
    );
    expectEnvelope(result, 400, 'invalid_request_error');
    expect((await call('GET', `/v1/sessions/${id}/events`)).json['data']).toEqual([]);
  });

  it('unknown ids are 404s', async () => {
    expectEnvelope(await call('GET', '/v1/sessions/sesn_nope'), 404, 'not_found_error');
    expectEnvelope(await call('GET', '/v1/agents/agent_nope'), 404, 'not_found_error');
    expectEnvelope(await call('GET', '/v1/files/file_nope'), 404, 'not_found_error');
    expectEnvelope(await call('POST', '/v1/sessions', JSON.stringify({ agent: 'agent_nope', environment_id: 'env_nope' })), 404, 'not_found_error');
    expect((await call('GET', '/v1/sessions')).json['data']).toEqual([]);
  });

  it('a confirmation for a tool call that is not waiting is a 400', async () => {
    const id = await newSession();
    const result = await call('POST', `/v1/sessions/${id}/events`, JSON.stringify({ events: [{ type: 'user.tool_confirmation', tool_use_id: 'sevt_nope', result: 'allow' }] }));
    expectEnvelope(result, 400, 'invalid_request_error');
  });

  it('an upload over the configured limit is a 413 and stores nothing', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(4096, 65)]), 'big.log');
    const response = await runtime.fetch(`${BASE}/v1/files`, { method: 'POST', body: form });
    expect(response.status).toBe(413);
    const json = (await response.json()) as Record<string, unknown>;
    expect(json['error']).toMatchObject({ type: 'request_too_large' });
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect((await call('GET', '/v1/files')).json['data']).toEqual([]);
  });

  it('an unknown endpoint is a 404 and a wrong method a 405, both in the envelope', async () => {
    expectEnvelope(await call('GET', '/v1/nothing'), 404, 'not_found_error');
    expectEnvelope(await call('PUT', '/v1/agents'), 405, 'invalid_request_error');
  });
});
