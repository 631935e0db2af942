// Cases the generated-input suites found, kept as plain tests so they never come back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { scriptedDeps } from '../runtime/scripted.js';

const BASE = 'http://runtime.invalid';
let home: string;
let runtime: LocalRuntime;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'incident-fuzz-found-'));
  runtime = createLocalRuntime({ home, deps: scriptedDeps([]) });
});
afterEach(async () => {
  await runtime.close();
  rmSync(home, { recursive: true, force: true });
});

async function call(method: string, path: string, body: unknown): Promise<{ status: number; error: { type: string; message: string } | undefined; json: Record<string, unknown> }> {
  const response = await runtime.handle(new Request(`${BASE}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  const json = (await response.json()) as Record<string, unknown>;
  return { status: response.status, error: json['error'] as { type: string; message: string } | undefined, json };
}

describe('found by the runtime HTTP fuzzing', () => {
  it('an agent update whose version is not a number is a 400 that says what version must be, not a conflict with "[object Object]"', async () => {
    const agent = await call('POST', '/v1/agents', { name: 'a', model: 'claude-opus-4-8' });
    for (const version of [{ n: 1 }, '1', 1.5, [1], true]) {
      const update = await call('POST', `/v1/agents/${String(agent.json['id'])}`, { version, name: 'b' });
      expect(update.status, JSON.stringify(version)).toBe(400);
      expect(update.error?.message).toBe('version must be the whole number of the agent version this update is based on');
    }
    // A whole number that is not the current version is still the conflict it was.
    const stale = await call('POST', `/v1/agents/${String(agent.json['id'])}`, { version: 7, name: 'b' });
    expect(stale.status).toBe(409);
    expect(stale.error?.message).toMatch(/is at version 1, not 7$/);
  });

  it('a custom tool result whose id is not a string is a 400 that says the id is required, not "[object Object]"', async () => {
    const agent = await call('POST', '/v1/agents', { name: 'a', model: 'claude-opus-4-8' });
    const environment = await call('POST', '/v1/environments', { name: 'e' });
    const session = await call('POST', '/v1/sessions', { agent: agent.json['id'], environment_id: environment.json['id'] });
    const path = `/v1/sessions/${String(session.json['id'])}/events`;
    for (const id of [[{ a: 1 }, null], { id: 'x' }, 7, null]) {
      const sent = await call('POST', path, { events: [{ type: 'user.custom_tool_result', custom_tool_use_id: id, content: [] }] });
      expect(sent.status, JSON.stringify(id)).toBe(400);
      expect(sent.error?.message).toBe('events[0].custom_tool_use_id is required');
    }
    // A string id that names no call is still refused by name.
    const unknown = await call('POST', path, { events: [{ type: 'user.custom_tool_result', custom_tool_use_id: 'sevt_nope', content: [] }] });
    expect(unknown.status).toBe(400);
    expect(unknown.error?.message).toBe('events[0].custom_tool_use_id sevt_nope is not a custom tool call of this session waiting for its result');
  });
});
