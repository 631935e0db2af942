// Every result of the built worker is well-formed JSON within its bound, even when redaction
// makes it longer than the tool fitted it, or takes a quote with a secret: the environment
// cuts lists, never text, and says how to page on.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkerEnv, DEFAULT_ENV_ALLOW } from '../../../src/runtime/hands/index.js';
import { makeBundle, testConfig, WORKER } from './fixtures.js';

const MAX = 6000;
const EVENTS = 400;
let bundle: string;
let client: Client;

beforeAll(async () => {
  bundle = await makeBundle();
  // Each line carries credentials that redaction replaces with a longer marker.
  const lines = Array.from({ length: EVENTS }, (_, i) => `${new Date(Date.parse('2026-11-20T13:00:00Z') + i * 1000).toISOString()} INFO login ok token=t${i} pwd=p${i} secret=s${i}`);
  // A URL with a port, then an address with an @ in another string: the URL-password rule would join them.
  lines.push('2026-11-20T14:00:00Z WARN cache at http://cache:6379', '2026-11-20T14:00:01Z WARN paged ops@example.com');
  await writeFile(path.join(bundle, 'logs', 'auth.log'), `${lines.join('\n')}\n`);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [WORKER],
    env: { ...buildWorkerEnv(process.env, DEFAULT_ENV_ALLOW, []), INCIDENT_HANDS_CONFIG: JSON.stringify(testConfig({ bundleRoot: bundle, maxOutputChars: MAX })) },
    stderr: 'pipe',
  });
  client = new Client({ name: 'bounds-test', version: '1' });
  await client.connect(transport);
});
afterAll(async () => {
  await client.close();
  await rm(bundle, { recursive: true, force: true });
});

async function call(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const item = result.content[0];
  const text = item?.type === 'text' ? item.text : '';
  expect(text.length).toBeLessThanOrEqual(MAX);
  expect(() => JSON.parse(text), text.slice(-200)).not.toThrow();
  return JSON.parse(text) as Record<string, unknown>;
}

describe('results past the bound after redaction', () => {
  it('stay JSON, and paging by the offsets they give reaches every event', async () => {
    const refs: string[] = [];
    let offset = 0;
    const total = EVENTS + 2;
    for (let pages = 0; offset < total && pages < 100; pages++) {
      const page = await call('log_patterns', { file: 'logs/auth.log', assign: true, offset, limit: 500 });
      const shown = page['assignments'] as Array<{ ref: string; message: string }>;
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.every((event) => !/token=t\d/.test(event.message))).toBe(true);
      refs.push(...shown.map((event) => event.ref));
      offset += shown.length;
      const hint = (page['truncated'] as { hint: string } | undefined)?.hint;
      if (offset < total) expect(hint).toBe(`call log_patterns with assign: true, offset: ${offset}`);
      else expect(hint).toBeUndefined();
    }
    expect(refs).toEqual(Array.from({ length: total }, (_, i) => `logs/auth.log:${i + 1}`));
  });

  it('stay JSON when a secret spans two strings of the result', async () => {
    const found = await call('search_logs', { pattern: 'cache at|paged ops', regex: true, file: 'logs/auth.log' });
    expect(JSON.stringify(found)).toContain('ops@example.com');
  });
});
