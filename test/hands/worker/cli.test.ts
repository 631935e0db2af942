// `incident tools list|run` in-process (their output captured through commander), and
// `incident mcp` as a real process that an MCP client talks to over stdio.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerMcp } from '../../../src/cli/commands/mcp.js';
import { registerTools } from '../../../src/cli/commands/tools.js';
import { InputError } from '../../../src/errors.js';
import { SRE_TOOL_NAMES } from '../../../src/protocol/tools.js';
import { CANARY, DEPLOY_TOKEN, EVERYTHING, makeBundle, NODE, REPO } from './fixtures.js';

let bundle: string;
let scratch: string;
let environment: string;

beforeAll(async () => {
  bundle = await makeBundle();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'incident-hands-cli-'));
  environment = path.join(scratch, 'env.yaml');
  await writeFile(
    environment,
    [
      'name: test',
      'credentials:',
      '  - name: deploy_token',
      '    from_env: INCIDENT_DEPLOY_TOKEN',
      'actions:',
      '  - name: rollback',
      '    kind: rollback',
      '    description: Roll back a deployment. Then wait.',
      `    argv: [${JSON.stringify(NODE)}, -e, "console.log(process.argv.slice(1).join(' '), process.env.DEPLOY_TOKEN)", "deployment/{service}", "{replicas}"]`,
      '    parameters:',
      '      service: { type: string, pattern: "^[a-z-]+$" }',
      '      replicas: { type: integer, default: 2 }',
      '    credentials: [deploy_token]',
      'mcp_servers:',
      '  - name: everything',
      `    command: ${JSON.stringify(NODE)}`,
      `    args: [${JSON.stringify(EVERYTHING)}, stdio]`,
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await rm(bundle, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

/** Runs the CLI commands in-process and returns what they printed. */
async function cli(...args: string[]): Promise<{ out: string; err: string; exitCode: number | undefined }> {
  let out = '';
  let err = '';
  const program = new Command('incident')
    .exitOverride()
    .configureOutput({ writeOut: (text) => void (out += text), writeErr: (text) => void (err += text) });
  registerTools(program);
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'incident', ...args]);
    return { out, err, exitCode: typeof process.exitCode === 'number' ? process.exitCode : undefined };
  } finally {
    process.exitCode = before;
  }
}

describe('incident tools list', () => {
  it('lists every SRE tool with a one-line description', async () => {
    const { out } = await cli('tools', 'list');
    for (const name of SRE_TOOL_NAMES) expect(out).toMatch(new RegExp(`^  ${name} +\\S.*$`, 'm'));
    expect(out).toContain('--environment');
  });

  it('prints JSON, with the actions of an environment', async () => {
    const { out } = await cli('tools', 'list', '--json', '--environment', environment);
    const listed = JSON.parse(out) as Array<{ name: string; kind: string; description: string; input_schema: { properties?: object } | null }>;
    expect(listed.filter((tool) => tool.kind === 'sre').map((tool) => tool.name)).toEqual([...SRE_TOOL_NAMES]);
    const rollback = listed.find((tool) => tool.name === 'action_rollback');
    expect(rollback?.kind).toBe('action');
    expect(rollback?.description).toContain('Roll back a deployment. Then wait.');
    expect(Object.keys(rollback?.input_schema?.properties ?? {})).toEqual(['service', 'replicas']);
    expect(listed.some((tool) => tool.kind === 'mcp_server' && tool.name === 'everything__*')).toBe(true);
  });
});

describe('incident tools run', () => {
  it('runs a tool through a real worker and prints its result', async () => {
    const { out, exitCode } = await cli('tools', 'run', 'describe_bundle', '--bundle', bundle, '--json');
    expect(exitCode).toBeUndefined();
    const result = JSON.parse(out);
    expect(typeof result.summary).toBe('string');
    expect(out.trim().split('\n')).toHaveLength(1);
  });

  it('reads --arg pairs by their schema type, and a JSON object', async () => {
    const byArg = await cli('tools', 'run', 'read_file', '--bundle', bundle, '--arg', 'path=runbooks/checkout.md', '--json');
    expect(byArg.out).toContain('Roll back the last deploy');
    const byJson = await cli('tools', 'run', 'read_file', '{"path": "runbooks/checkout.md"}', '--bundle', bundle, '--json');
    expect(byJson.out).toBe(byArg.out);
  });

  it('runs an action with its credential, redacted, and dry-runs it', async () => {
    vi.stubEnv('INCIDENT_DEPLOY_TOKEN', DEPLOY_TOKEN);
    vi.stubEnv('INCIDENT_CANARY', CANARY);
    try {
      const dry = await cli('tools', 'run', 'action_rollback', '--bundle', bundle, '--environment', environment, '--arg', 'service=checkout', '--dry-run', '--json');
      expect(JSON.parse(dry.out).argv.slice(3)).toEqual(['deployment/checkout', '2']);
      const ran = await cli('tools', 'run', 'action_rollback', '--bundle', bundle, '--environment', environment, '--arg', 'service=checkout', '--arg', 'replicas=3', '--json');
      expect(JSON.parse(ran.out).output).toBe('deployment/checkout 3 [REDACTED:deploy_token]\n');
      expect(ran.err).toContain('deployment/checkout 3 [REDACTED:deploy_token]');
      expect(ran.out + ran.err).not.toContain(DEPLOY_TOKEN);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('runs a tool of an external MCP server', async () => {
    const { out } = await cli('tools', 'run', 'everything__get-sum', '--bundle', bundle, '--environment', environment, '--arg', 'a=2', '--arg', 'b=3', '--json');
    expect(out).toMatch(/\b5\b/);
  });

  it('says what to do about a bad tool name, bad arguments or a missing bundle', async () => {
    await expect(cli('tools', 'run', 'no_such_tool', '--bundle', bundle)).rejects.toThrow(InputError);
    await expect(cli('tools', 'run', 'no_such_tool', '--bundle', bundle)).rejects.toThrow(/unknown tool "no_such_tool"/);
    await expect(cli('tools', 'run', 'read_file', '--bundle', bundle, '--arg', 'nokey')).rejects.toThrow(/--arg nokey is not key=value/);
    await expect(cli('tools', 'run', 'read_file', '--bundle', bundle, '{"path": 5}')).rejects.toThrow(/invalid arguments for read_file/);
    await expect(cli('tools', 'run', 'read_file', '--bundle', bundle, '[1]')).rejects.toThrow(/must be a JSON object/);
    const noEnvironment = await cli('tools', 'run', 'action_rollback', '--bundle', bundle).catch((e: unknown) => e);
    expect((noEnvironment as InputError).oneLine()).toBe('unknown tool "action_rollback" (actions come from an environment: pass --environment <file>)');
    await expect(cli('tools', 'run', 'describe_bundle', '--bundle', path.join(scratch, 'nope'))).rejects.toThrow(/does not exist/);
    await expect(cli('tools', 'run', 'describe_bundle', '--bundle', bundle, '--assign')).rejects.toThrow(/--assign is not an option of describe_bundle/);
    const error = await cli('tools', 'run', 'action_rollback', '--bundle', bundle, '--environment', environment, '--arg', 'service=Bad Name').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).oneLine()).toMatch(/does not match the pattern.*\(the keys of action_rollback: service, replicas; pass --arg key=value/);
  });
});

// `incident mcp` owns stdin and stdout, so it runs as its own process through the launcher.
describe('incident mcp', () => {
  it('serves the toolset to an MCP client over stdio', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(REPO, 'bin', 'incident.js'), 'mcp', '--bundle', bundle, '--environment', environment],
      env: { PATH: process.env['PATH'] ?? '', INCIDENT_DEPLOY_TOKEN: DEPLOY_TOKEN, INCIDENT_CANARY: CANARY },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'cli-test', version: '1' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      const names = tools.map((tool) => tool.name);
      expect(names.slice(0, SRE_TOOL_NAMES.length)).toEqual([...SRE_TOOL_NAMES]);
      expect(names).toContain('action_rollback');
      expect(names).toContain('everything__echo');
      const result = (await client.callTool({ name: 'describe_bundle', arguments: {} })) as CallToolResult;
      expect(result.isError).not.toBe(true);
      const env = (await client.callTool({ name: 'everything__get-env', arguments: {} })) as CallToolResult;
      const text = env.content[0]?.type === 'text' ? env.content[0].text : '';
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(DEPLOY_TOKEN);
    } finally {
      await client.close();
    }
  });

  it('refuses a bundle that does not exist, in one line', () => {
    const run = spawnSync(process.execPath, [path.join(REPO, 'bin', 'incident.js'), 'mcp', '--bundle', path.join(scratch, 'nope')], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/bundle .* does not exist/);
  });
});

describe('incident mcp arguments', () => {
  function program(): Command {
    const command = new Command('incident').exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    registerMcp(command);
    return command;
  }

  it('needs --bundle', async () => {
    await expect(program().parseAsync(['node', 'incident', 'mcp'])).rejects.toThrow(/required option '--bundle <dir>'/);
  });

  it('checks the bundle before it serves anything', async () => {
    await expect(program().parseAsync(['node', 'incident', 'mcp', '--bundle', path.join(scratch, 'nope')])).rejects.toThrow(InputError);
  });
});
