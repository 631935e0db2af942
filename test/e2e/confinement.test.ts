// A bundle may come from anyone, and a symbolic link in it must not turn the tools into a
// way to read the machine: links that leave the bundle are not read (and are named as a
// problem), and no tool of `tools run`, `incident mcp` or `diagnose` sees the CLI's own
// environment. Everything runs as a user runs it: the built CLI, real worker processes.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBundle } from '../hands/worker/fixtures.js';
import { BIN, cliEnv, runCli, tempHome } from './cli.js';

/** Letters only, so log templating keeps it as a word. */
const word = (): string => randomBytes(12).toString('hex').replace(/[0-9]/g, (digit) => 'ghijklmnop'[Number(digit)] ?? 'q');
/** In a file outside the bundle that a link points at. */
const LINKED = `canarylinked${word()}`;
/** In the CLI's environment, which no tool may see. */
const PARENT = `canaryparent${word()}`;
const PARENT_VARIABLE = 'INCIDENT_TEST_CANARY_SECRET';

let bundle: string;
let outside: string;

beforeAll(async () => {
  bundle = await makeBundle();
  outside = await (async () => {
    const dir = path.join(os.tmpdir(), `incident-outside-${word()}`);
    await mkdir(dir, { recursive: true });
    return dir;
  })();
  const lines = Array.from({ length: 5 }, (_, i) => `2026-11-20T13:5${i}:00Z ERROR ${LINKED} token leaked line ${i}`).join('\n');
  await writeFile(path.join(outside, 'secret.log'), `${lines}\n`);
  await writeFile(path.join(outside, 'incident.yaml'), `title: ${LINKED} page\nservice: checkout\nseverity: SEV2\nstarted_at: 2026-11-20T14:00:00Z\n`);
  await symlink(path.join(outside, 'secret.log'), path.join(bundle, 'logs', 'secret.log'));
  await symlink('/proc/self/environ', path.join(bundle, 'logs', 'env.log'));
  await symlink(outside, path.join(bundle, 'logs', 'elsewhere'));
  await rm(path.join(bundle, 'incident.yaml'));
  await symlink(path.join(outside, 'incident.yaml'), path.join(bundle, 'incident.yaml'));
  // A link that stays inside keeps working.
  await symlink(path.join(bundle, 'logs', 'checkout.log'), path.join(bundle, 'logs', 'checkout-copy.log'));
});
afterAll(async () => {
  await rm(bundle, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

function env(home = tempHome()): NodeJS.ProcessEnv {
  return cliEnv(home, { [PARENT_VARIABLE]: PARENT });
}

function expectClean(text: string): void {
  expect(text).not.toContain(LINKED);
  expect(text).not.toContain(PARENT);
}

describe('incident tools run on a bundle with links that leave it', () => {
  it('search_logs, log_patterns and describe_bundle read no file outside the bundle, and say which links they refused', async () => {
    const home = tempHome();
    const search = await runCli(['tools', 'run', 'search_logs', '--bundle', bundle, '--json', '--arg', 'pattern=canary', '--arg', 'ignore_case=true'], env(home));
    expect(search.code).toBe(0);
    expectClean(search.stdout + search.stderr);
    const inside = await runCli(['tools', 'run', 'search_logs', '--bundle', bundle, '--json', '--arg', 'pattern=cache timeout', '--arg', 'file=checkout-copy'], env(home));
    expect(inside.stdout).toContain('logs/checkout-copy.log');

    const patterns = await runCli(['tools', 'run', 'log_patterns', '--bundle', bundle, '--json'], env(home));
    expect(patterns.code).toBe(0);
    expectClean(patterns.stdout + patterns.stderr);

    const described = await runCli(['tools', 'run', 'describe_bundle', '--bundle', bundle, '--json', '--arg', 'section=problems'], env(home));
    expect(described.code).toBe(0);
    expectClean(described.stdout + described.stderr);
    for (const link of ['logs/secret.log', 'logs/env.log', 'logs/elsewhere', 'incident.yaml']) {
      expect(described.stdout).toContain(`${link}: not read: symbolic link leaves the bundle`);
    }
  });
});

describe('incident mcp on a bundle with links that leave it', () => {
  it('serves tools that see neither the linked files nor the environment of the command', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--bundle', bundle],
      env: { PATH: process.env['PATH'] ?? '', [PARENT_VARIABLE]: PARENT },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'confinement-test', version: '1' });
    await client.connect(transport);
    try {
      const calls: Array<[string, Record<string, unknown>]> = [
        ['search_logs', { pattern: 'canary', ignore_case: true }],
        ['search_logs', { pattern: PARENT_VARIABLE }],
        ['log_patterns', {}],
        ['describe_bundle', { section: 'problems' }],
        ['describe_bundle', {}],
        ['read_file', { path: 'logs/env.log' }],
        ['read_file', { path: 'logs/secret.log' }],
      ];
      const texts: string[] = [];
      for (const [name, args] of calls) {
        const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
        texts.push(result.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n'));
      }
      for (const text of texts) expectClean(text);
      expect(texts[3]).toContain('logs/env.log: not read: symbolic link leaves the bundle');
    } finally {
      await client.close();
    }
  });
});

describe('incident diagnose on a bundle with links that leave it', () => {
  it('uploads none of them, says so, and its output holds neither canary', async () => {
    const home = tempHome();
    for (const format of ['--json', '--ndjson']) {
      const result = await runCli(['diagnose', bundle, format], env(home));
      expect(result.code === 0 || result.code === 3, result.stderr).toBe(true);
      expectClean(result.stdout + result.stderr);
      expect(result.stderr).toContain('incident: logs/secret.log was not uploaded: symbolic link leaves the bundle');
    }
    const listed = await runCli(['sessions', 'list', '--json'], env(home));
    expectClean(listed.stdout);
  });
});
