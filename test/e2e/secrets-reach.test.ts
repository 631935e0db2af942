// Where a secret could still travel during an investigation, beyond the stream and the
// exports: the session's title (taken from the alert), an action that fails and prints
// its credential in its error, another MCP server of the environment, and an action
// that does not declare the credential but runs in the same worker as one that does.
// A canary in the CLI's environment must reach none of them; the declared credential
// only the action that declares it, and it is redacted wherever it shows.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVERYTHING } from '../hands/worker/fixtures.js';
import { BIN, cliEnv, runCli, tempHome, userBundle, type CliResult } from './cli.js';

/** Letters only, and no known token prefix: only an exact value can give it away. */
const word = (): string => randomBytes(12).toString('hex').replace(/[0-9]/g, (digit) => 'ghijklmnop'[Number(digit)] ?? 'q');
const PARENT = `canaryparent${word()}`;
const CREDENTIAL = `canarycred${word()}`;
const PARENT_VARIABLE = 'INCIDENT_TEST_CANARY_SECRET';
const CREDENTIAL_VARIABLE = 'INCIDENT_TEST_DEPLOY_TOKEN';

const home = tempHome();
const env = cliEnv(home, { [PARENT_VARIABLE]: PARENT, [CREDENTIAL_VARIABLE]: CREDENTIAL });
const bundle = userBundle('gateway-timeout-cut');
const environment = join(home, 'environment.yaml');

/** An action's command: prints the environment it got as JSON, then fails naming its token on stderr. */
const FAILING = "process.stdout.write(JSON.stringify(process.env)+'\\n');console.error('deploy refused for token '+process.env.DEPLOY_TOKEN);process.exit(1)";
const PRINT_ENV = 'process.stdout.write(JSON.stringify(process.env))';

interface StoredEvent {
  type: string;
  id: string;
  name?: string;
  tool_use_id?: string;
  is_error?: boolean;
  content?: Array<{ type: string; text?: string }>;
}

let diagnosed: CliResult;
let events: StoredEvent[] = [];
let sessionId = '';

beforeAll(async () => {
  const alert = await readFile(join(bundle, 'incident.yaml'), 'utf8');
  await writeFile(join(bundle, 'incident.yaml'), alert.replace(/^title: .*$/m, `title: "Homepage failing (deploy token ${CREDENTIAL})"`));
  await writeFile(
    environment,
    [
      'name: canary-reach',
      'credentials:',
      '  - name: deploy_token',
      `    from_env: ${CREDENTIAL_VARIABLE}`,
      'actions:',
      // What the offline engine proposes for this fixture's config change.
      '  - name: revert_config',
      '    kind: revert_config',
      '    description: Revert a config change (prints its environment, then fails).',
      `    argv: [${JSON.stringify(process.execPath)}, "-e", ${JSON.stringify(FAILING)}]`,
      '    credentials: [deploy_token]',
      '  - name: restart',
      '    kind: restart',
      '    description: Restart a service (prints its environment instead).',
      `    argv: [${JSON.stringify(process.execPath)}, "-e", ${JSON.stringify(PRINT_ENV)}]`,
      'mcp_servers:',
      '  - name: everything',
      `    command: ${JSON.stringify(process.execPath)}`,
      `    args: [${JSON.stringify(EVERYTHING)}, stdio]`,
      '',
    ].join('\n'),
  );
  diagnosed = await runCli(['diagnose', bundle, '--ndjson', '--environment', environment, '--approve', 'revert_config'], env);
  events = diagnosed.stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as StoredEvent);
  const listed = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout) as Array<{ id: string }>;
  sessionId = listed[0]?.id ?? '';
});

function expectNeither(text: string, where: string): void {
  expect(text.includes(PARENT), `${where} holds the parent canary`).toBe(false);
  expect(text.includes(CREDENTIAL), `${where} holds the credential`).toBe(false);
}

describe('a declared credential and a parent canary during an investigation', () => {
  it('the failing action that declares the credential got it, and its result and error show it redacted', () => {
    expect(sessionId).toMatch(/^sesn_/);
    const use = events.find((event) => event.type === 'agent.tool_use' && event.name === 'action_revert_config');
    const result = events.find((event) => event.type === 'agent.tool_result' && event.tool_use_id === use?.id);
    const text = (result?.content ?? []).map((block) => block.text ?? '').join('\n');
    expect(result?.is_error).toBe(true);
    expect(text).toContain('[REDACTED:deploy_token]');
    expect(text).toContain('deploy refused for token [REDACTED:deploy_token]');
    expect(text).not.toContain(PARENT_VARIABLE);
    expectNeither(text, 'the action result');
  });

  it('the session title from the alert keeps the credential out, in every place it is shown', async () => {
    const listed = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout) as Array<{ id: string; title: string }>;
    expect(listed.find((session) => session.id === sessionId)?.title).toBe('Homepage failing (deploy token [REDACTED:deploy_token])');
    const report = join(home, 'report.md');
    const outputs: Record<string, string> = { 'diagnose --ndjson': diagnosed.stdout + diagnosed.stderr };
    const commands: Record<string, string[]> = {
      'sessions list': ['sessions', 'list'],
      'sessions show': ['sessions', 'show', sessionId],
      'sessions export ndjson': ['sessions', 'export', sessionId, '--format', 'ndjson'],
      'sessions export markdown': ['sessions', 'export', sessionId, '--format', 'markdown', '-o', report],
    };
    for (const [name, args] of Object.entries(commands)) {
      const run = await runCli(args, env);
      outputs[name] = run.stdout + run.stderr;
    }
    outputs['markdown report'] = await readFile(report, 'utf8');
    for (const [name, text] of Object.entries(outputs)) expectNeither(text, name);
    expect(outputs['markdown report']).toContain('[REDACTED:deploy_token]');
  });

  it('another MCP server, and an action that does not declare it, run without either', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--bundle', bundle, '--environment', environment],
      env: { PATH: process.env['PATH'] ?? '', [PARENT_VARIABLE]: PARENT, [CREDENTIAL_VARIABLE]: CREDENTIAL },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'secrets-reach-test', version: '1' });
    await client.connect(transport);
    try {
      const text = async (name: string): Promise<string> => {
        const result = (await client.callTool({ name, arguments: {} })) as CallToolResult;
        return result.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
      };
      const server = await text('everything__get-env');
      expect(server).toContain('PATH');
      const restart = await text('action_restart');
      expect(restart).toContain('PATH');
      for (const [where, output] of [['the other MCP server', server], ['the action without the credential', restart]] as const) {
        expectNeither(output, where);
        expect(output).not.toContain('DEPLOY_TOKEN');
        expect(output).not.toContain('REDACTED');
      }
    } finally {
      await client.close();
    }
  });
});
