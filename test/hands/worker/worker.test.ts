// The built worker (dist/hands-worker.js) driven by the MCP SDK's own client over stdio,
// as any MCP host would: the toolset, actions, redaction, bounds, streaming, and the tools
// of a real external MCP server (@modelcontextprotocol/server-everything).
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { LoggingMessageNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_RESULT_SCHEMAS } from '../../../src/protocol/results/index.js';
import { SRE_TOOL_NAMES } from '../../../src/protocol/tools.js';
import { buildWorkerEnv, DEFAULT_ENV_ALLOW } from '../../../src/runtime/hands/index.js';
import { ProcessTransport } from '../../../src/runtime/hands/process-transport.js';
import { CANARY, DEPLOY_TOKEN, makeBundle, testConfig, WORKER, type TestConfigOptions } from './fixtures.js';

let bundle: string;
const clients: Client[] = [];

beforeAll(async () => {
  bundle = await makeBundle();
});
afterAll(async () => {
  await rm(bundle, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

async function connect(options: Partial<TestConfigOptions> & { credentialKey?: string } = {}): Promise<Client> {
  const parent = { ...process.env, INCIDENT_CANARY: CANARY, ANTHROPIC_API_KEY: CANARY, INCIDENT_DEPLOY_TOKEN: DEPLOY_TOKEN };
  const env = buildWorkerEnv(parent, DEFAULT_ENV_ALLOW, [{ name: options.credentialKey ?? 'deploy_token', fromEnv: 'INCIDENT_DEPLOY_TOKEN' }]);
  // The runtime's own transport, as the runtime talks to the worker: the SDK's stdio client
  // hands over a call's response before the progress notifications read in the same chunk,
  // so under load the last lines of streamed output would be lost to the test, not the worker.
  const transport = new ProcessTransport({
    command: process.execPath,
    args: [WORKER],
    env: { ...env, INCIDENT_HANDS_CONFIG: JSON.stringify(testConfig({ bundleRoot: bundle, ...options })) },
  });
  const client = new Client({ name: 'worker-test', version: '1' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<{ text: string; isError: boolean }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.content).toHaveLength(1);
  const item = result.content[0];
  return { text: item?.type === 'text' ? item.text : '', isError: result.isError === true };
}

describe('the environment worker over stdio', () => {
  it('lists the SRE tools in order, then the actions, with names every API accepts', async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names.slice(0, SRE_TOOL_NAMES.length)).toEqual([...SRE_TOOL_NAMES]);
    expect(names).toContain('action_rollback');
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.description?.length ?? 0).toBeGreaterThan(10);
    }
    const rollback = tools.find((tool) => tool.name === 'action_rollback');
    expect(rollback?.annotations?.destructiveHint).toBe(true);
    expect(rollback?.inputSchema.required).toEqual(['service']);
    expect(tools.find((tool) => tool.name === 'describe_bundle')?.annotations?.readOnlyHint).toBe(true);
  });

  it('calls every SRE tool on the bundle and gets a JSON result with a summary line', async () => {
    const client = await connect();
    const args: Record<(typeof SRE_TOOL_NAMES)[number], Record<string, unknown>> = {
      describe_bundle: {},
      query_metrics: { name: 'http_request_duration_p99_seconds' },
      detect_changes: {},
      list_changes: {},
      get_diff: { change_id: 'deploy-4821' },
      search_logs: { pattern: 'cache timeout' },
      log_patterns: {},
      read_file: { path: 'runbooks/checkout.md' },
      note_hypothesis: { id: 'h1', statement: 'deploy-4821 lowered the cache timeout', status: 'proposed' },
      submit_diagnosis: {
        summary: 'deploy-4821 lowered the cache client timeout to 5ms; checkout p99 rose.',
        root_cause: { category: 'deploy', service: 'checkout', change_id: 'deploy-4821', description: 'cache timeout too low' },
        confidence: 0.8,
        evidence: [{ source: 'diffs', ref: 'diffs/deploy-4821.patch:9', detail: 'timeout 500ms -> 5ms' }],
        remediation: [{ action: 'rollback', target: 'deploy-4821', detail: 'roll back checkout', risk: 'low' }],
        timeline: [{ at: '2026-11-20T13:54:00Z', event: 'deploy-4821' }],
      },
    };
    // Listing first lets the SDK client check every structured result against the tool's output schema.
    const { tools } = await client.listTools();
    for (const name of SRE_TOOL_NAMES) {
      expect(tools.find((tool) => tool.name === name)?.outputSchema?.type, name).toBe('object');
      const result = (await client.callTool({ name, arguments: args[name] })) as CallToolResult;
      const text = result.content[0]?.type === 'text' ? result.content[0].text : '';
      expect({ name, isError: result.isError === true }).toEqual({ name, isError: false });
      const body = JSON.parse(text) as { summary?: unknown };
      expect(typeof body.summary).toBe('string');
      expect(text.length).toBeLessThanOrEqual(16_000);
      // The same fields, structured, valid against the protocol's schema for the tool.
      expect(result.structuredContent, name).toEqual(body);
      expect(TOOL_RESULT_SCHEMAS[name].safeParse(result.structuredContent).success, name).toBe(true);
    }
    expect((await call(client, 'get_diff', { change_id: 'deploy-4821' })).text).toContain('src/cache/client.go');
    expect((await call(client, 'search_logs', { pattern: 'cache timeout' })).text).toContain('logs/checkout.log:');
  });

  it('redacts a structured result in its text and its fields alike', async () => {
    const secret = await makeBundle();
    await writeFile(path.join(secret, 'logs', 'deployer.log'), `2026-11-20T13:55:00Z WARN deployer retried with ${DEPLOY_TOKEN}\n`);
    const client = await connect({ bundleRoot: secret });
    await client.listTools();
    const result = (await client.callTool({ name: 'search_logs', arguments: { pattern: 'deployer retried' } })) as CallToolResult;
    await rm(secret, { recursive: true, force: true });
    const text = result.content[0]?.type === 'text' ? result.content[0].text : '';
    expect(result.isError).not.toBe(true);
    expect(text).not.toContain(DEPLOY_TOKEN);
    expect(JSON.stringify(result.structuredContent)).not.toContain(DEPLOY_TOKEN);
    expect(result.structuredContent).toEqual(JSON.parse(text));
    expect((result.structuredContent as { matches: Array<{ text: string }> }).matches[0]?.text).toContain('[REDACTED:deploy_token]');
  });

  it('turns a bad tool name, bad arguments and a failing tool into error results', async () => {
    const client = await connect();
    const unknown = await call(client, 'no_such_tool');
    expect(unknown).toMatchObject({ isError: true });
    expect(unknown.text).toContain('unknown tool "no_such_tool"');
    const bad = await call(client, 'action_rollback', { service: 42.5, extra: true });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('invalid arguments for action_rollback');
    const missing = await call(client, 'action_missing_command');
    expect(missing.isError).toBe(true);
    expect(JSON.parse(missing.text).summary).toContain('"incident-no-such-command-xyz" was not found');
  });

  it('a tool that throws (its bundle vanished) becomes an error result and the worker goes on', async () => {
    const gone = await makeBundle();
    const client = await connect({ bundleRoot: gone });
    await rm(gone, { recursive: true, force: true });
    const result = await call(client, 'describe_bundle');
    expect(result.isError).toBe(true);
    expect(result.text).toContain('describe_bundle failed');
    expect((await call(client, 'action_rollback', { service: 'checkout' })).isError).toBe(false);
  });

  it('redacts declared credential values and token shapes from results', async () => {
    const client = await connect();
    const result = await call(client, 'action_print_env');
    expect(result.text).not.toContain(DEPLOY_TOKEN);
    expect(result.text).not.toContain(CANARY);
    expect(result.text).toContain('[REDACTED:deploy_token]');
  });

  it('treats a credential passed under its upper-cased name as the credential all the same', async () => {
    const client = await connect({ credentialKey: 'DEPLOY_TOKEN', withEverything: true });
    const printed = await call(client, 'action_print_env');
    expect(JSON.parse(JSON.parse(printed.text).output)).toMatchObject({ DEPLOY_TOKEN: '[REDACTED:deploy_token]' });
    const external = await call(client, 'everything__get-env');
    expect(external.text).not.toContain(DEPLOY_TOKEN);
    expect(JSON.parse(external.text)).not.toHaveProperty('DEPLOY_TOKEN');
  });

  it('bounds a result to max_output_chars and says what was left out', async () => {
    const client = await connect({ maxOutputChars: 2_000 });
    const result = await call(client, 'action_flood');
    expect(result.text.length).toBeLessThanOrEqual(2_000);
    const body = JSON.parse(result.text);
    expect(body.output_omitted_chars).toBeGreaterThan(50_000);
    expect(body.output).toContain('row 0 ');
    expect(body.output).toContain('row 1999 ');
  });

  it('streams action output as progress notifications when asked, else as log messages', async () => {
    const client = await connect();
    const progress: string[] = [];
    await client.callTool({ name: 'action_stream', arguments: {} }, undefined, {
      onprogress: (update) => progress.push(update.message ?? ''),
    });
    expect(progress.join('')).toContain('line 3\n');
    expect(progress.join('')).toContain('token [REDACTED:deploy_token]');

    const logged: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      logged.push(String(notification.params.data));
    });
    await client.callTool({ name: 'action_stream', arguments: {} });
    expect(logged.join('')).toContain('line 5\n');
    expect(logged.join('')).not.toContain(DEPLOY_TOKEN);
  });

  it('answers a dry run with the exact argv and runs nothing', async () => {
    const client = await connect();
    const result = (await client.callTool({
      name: 'action_print_env',
      arguments: {},
      _meta: { 'incident/dry_run': true },
    })) as CallToolResult;
    const item = result.content[0];
    const body = JSON.parse(item?.type === 'text' ? item.text : '{}');
    expect(body.dry_run).toBe(true);
    expect(body.argv[0]).toBe(process.execPath);
    expect(body.output).toBeUndefined();
  });
});

describe('external MCP servers', () => {
  it('joins the tools of a real MCP server package to the toolset and proxies calls', async () => {
    const client = await connect({ withEverything: true });
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toContain('everything__echo');
    expect(names).toContain('everything__get-env');
    expect(names.slice(0, SRE_TOOL_NAMES.length)).toEqual([...SRE_TOOL_NAMES]);
    expect(tools.find((tool) => tool.name === 'everything__echo')?.description).toContain('[from the MCP server "everything"]');

    const echoed = await call(client, 'everything__echo', { message: `hello ${DEPLOY_TOKEN}` });
    expect(echoed.isError).toBe(false);
    expect(echoed.text).toBe('Echo: hello [REDACTED:deploy_token]');

    const env = await call(client, 'everything__get-env');
    expect(env.isError).toBe(false);
    const seen = JSON.parse(env.text) as Record<string, string>;
    expect(seen['PATH']).toBeDefined();
    expect(env.text).not.toContain(CANARY);
    expect(seen['deploy_token']).toBeUndefined();
    expect(seen['INCIDENT_HANDS_CONFIG']).toBeUndefined();

    const invalid = await call(client, 'everything__echo', {});
    expect(invalid.isError).toBe(true);
  });

  it('leaves out a server that cannot start, and serves the rest', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [WORKER],
      env: {
        PATH: process.env['PATH'] ?? '',
        INCIDENT_HANDS_CONFIG: JSON.stringify({
          ...testConfig({ bundleRoot: bundle }),
          mcpServers: [{ name: 'broken', command: 'incident-no-such-server-xyz', args: [], env: {} }],
        }),
      },
      stderr: 'pipe',
    });
    const stderr: string[] = [];
    transport.stderr?.on('data', (data: Buffer) => stderr.push(data.toString()));
    const client = new Client({ name: 'worker-test', version: '1' });
    await client.connect(transport);
    clients.push(client);
    const { tools } = await client.listTools();
    expect(tools.some((tool) => tool.name.startsWith('broken__'))).toBe(false);
    expect(tools.some((tool) => tool.name === 'describe_bundle')).toBe(true);
    expect(stderr.join('')).toContain('MCP server "broken" (incident-no-such-server-xyz) could not start');
  });
});
