// One investigation end to end with secrets about, in process and through `incident serve`:
// a canary in the environment of the CLI and of the server that nothing allows through; a
// canary credential that the environment declares for one action; and a log line in the
// bundle holding a token-shaped canary and the credential's value, which the tools read.
// The action runs `env` after it is approved, so its result is the environment the hands
// really got. The parent canary must appear nowhere; the credential only inside the action
// that declares it; and the credential and the token are redacted wherever they are shown
// or kept: tool output, the stream, the history, exports, listings, the server's own
// output and the state database itself. (The uploaded bundle is kept as it was given: the
// tools read it. Only what incident writes about it is checked.)
import { randomBytes } from 'node:crypto';
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServed, type Served } from '../runtime/served.js';
import { BIN, cliEnv, runCli, tempHome, userBundle, type CliResult } from './cli.js';

/** Letters only, and no known token prefix: only an exact value can give it away. */
const word = (): string => randomBytes(12).toString('hex').replace(/[0-9]/g, (digit) => 'ghijklmnop'[Number(digit)] ?? 'q');
const PARENT = `canaryparent${word()}`;
const CREDENTIAL = `canarycred${word()}`;
/** Shaped like a GitHub token: redacted by its shape alone, whoever owns it. */
const TOKEN = `ghp_${word()}${word()}`.slice(0, 40);
const CANARIES = { 'the parent canary': PARENT, 'the credential': CREDENTIAL, 'the token': TOKEN };

const home = tempHome();
const canaryEnv = { INCIDENT_TEST_CANARY_SECRET: PARENT, INCIDENT_TEST_DEPLOY_TOKEN: CREDENTIAL };
const env = cliEnv(home, canaryEnv);
const bundle = userBundle('gateway-timeout-cut');
const environment = join(home, 'environment.yaml');
/** A line the tools will read, in the hour of the incident. */
const LEAK_LINE = `2026-12-03T10:41:07.000+01:00 level=error service=api-gateway msg="deploy hook rejected ${CREDENTIAL}, retried with ${TOKEN}" route=/api/deploy status=500`;

/** The served runtime: its own state folder, the same canaries in its environment. */
const servedHome = tempHome();
const runtimeKey = randomBytes(24).toString('base64url');
let served: Served;
let servedRun: CliResult;
let servedOutput = '';

interface StoredEvent {
  type: string;
  id: string;
  name?: string;
  tool_use_id?: string;
  content?: Array<{ type: string; text?: string }>;
}

let diagnosed: CliResult;
let events: StoredEvent[] = [];
let sessionId = '';

beforeAll(async () => {
  await writeFile(
    environment,
    [
      'name: canary',
      'credentials:',
      '  - name: deploy_token',
      '    from_env: INCIDENT_TEST_DEPLOY_TOKEN',
      'actions:',
      // What the offline engine proposes for this fixture's config change.
      '  - name: revert_config',
      '    kind: revert_config',
      '    description: Revert a config change (prints its environment instead).',
      '    argv: [env]',
      '    credentials: [deploy_token]',
      '  - name: restart',
      '    kind: restart',
      '    description: Restart a service (prints its environment instead).',
      '    argv: [env]',
      '',
    ].join('\n'),
  );
  await appendFile(join(bundle, 'logs', 'api-gateway.log'), `${LEAK_LINE}\n`);
  served = await startServed(process.execPath, [BIN, 'serve', '--port', '0', '--environment', environment], cliEnv(servedHome, { ...canaryEnv, INCIDENT_RUNTIME_KEY: runtimeKey }));
  served.child.stdout?.on('data', (chunk: Buffer) => (servedOutput += chunk.toString()));
  served.child.stderr?.on('data', (chunk: Buffer) => (servedOutput += chunk.toString()));
  const message = `Investigate the page. If you need to deploy, the token is ${CREDENTIAL}.`;
  const args = ['diagnose', bundle, '--ndjson', '--environment', environment, '--approve', 'revert_config', '--message', message];
  [diagnosed, servedRun] = await Promise.all([runCli(args, env), runCli([...args, '--runtime', served.url], cliEnv(tempHome(), { ...canaryEnv, INCIDENT_RUNTIME_KEY: runtimeKey }))]);
  events = diagnosed.stdout.trim().split('\n').map((line) => JSON.parse(line) as StoredEvent);
  const listed = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout) as Array<{ id: string }>;
  sessionId = listed[0]?.id ?? '';
});

afterAll(async () => {
  served.child.kill('SIGTERM');
  await served.exited;
});

/** The state database's own files (the database, its write-ahead log), as bytes read as text. */
async function databaseText(state: string): Promise<string> {
  const names = (await readdir(state)).filter((name) => name.startsWith('incident.db'));
  return (await Promise.all(names.map((name) => readFile(join(state, name), 'latin1')))).join('\n');
}

function expectNoCanary(outputs: Record<string, string>, allowed: readonly string[] = []): void {
  for (const [name, text] of Object.entries(outputs)) {
    for (const [what, canary] of Object.entries(CANARIES)) {
      if (!allowed.includes(what)) expect(text.includes(canary), `${name} holds ${what}`).toBe(false);
    }
  }
}

function resultOf(name: string): string {
  const use = events.find((event) => event.type === 'agent.tool_use' && event.name === name);
  const result = events.find((event) => event.type === 'agent.tool_result' && event.tool_use_id === use?.id);
  return (result?.content ?? []).map((block) => block.text ?? '').join('\n');
}

describe('secrets during an investigation', () => {
  it('the approved action ran with the scrubbed environment: its credential redacted, the parent canary absent', () => {
    expect(sessionId).toMatch(/^sesn_/);
    const output = resultOf('action_revert_config');
    expect(output).toContain('PATH=');
    expect(output).toContain('DEPLOY_TOKEN=[REDACTED:deploy_token]');
    expect(output).not.toContain('INCIDENT_TEST_CANARY_SECRET');
    expect(output).not.toContain(PARENT);
  });

  it('an action that does not declare the credential does not get it at all', async () => {
    const run = await runCli(['tools', 'run', 'action_restart', '--bundle', bundle, '--environment', environment, '--json'], env);
    expect(run.stdout).toContain('PATH=');
    expect(run.stdout).not.toContain('DEPLOY_TOKEN');
    expect(run.stdout).not.toContain('REDACTED');
    expect(run.stdout + run.stderr).not.toContain(CREDENTIAL);
    expect(run.stdout + run.stderr).not.toContain(PARENT);
  });

  it('no canary is in the stream, the history, the exports, the listings or the state database', async () => {
    const report = join(home, 'report.md');
    const outputs: Record<string, string> = { 'diagnose --ndjson': diagnosed.stdout + diagnosed.stderr };
    const commands: Record<string, string[]> = {
      'sessions export ndjson': ['sessions', 'export', sessionId, '--format', 'ndjson'],
      'sessions export markdown': ['sessions', 'export', sessionId, '--format', 'markdown', '-o', report],
      'sessions list --json': ['sessions', 'list', '--json'],
      'sessions show': ['sessions', 'show', sessionId],
      'sessions show --json': ['sessions', 'show', sessionId, '--json'],
    };
    for (const [name, args] of Object.entries(commands)) {
      const run = await runCli(args, env);
      outputs[name] = run.stdout + run.stderr;
    }
    outputs['markdown report'] = await readFile(report, 'utf8');
    outputs['state database'] = await databaseText(home);
    expectNoCanary(outputs);
    // The person's message is kept, with the credential marked.
    expect(outputs['sessions export ndjson']).toContain('the token is [REDACTED:deploy_token].');
  });

  it('the tools read the log line with the token and the credential, and show both redacted', async () => {
    const runs: Record<string, CliResult> = {
      search_logs: await runCli(['tools', 'run', 'search_logs', '--bundle', bundle, '--environment', environment, '--arg', 'pattern=deploy hook rejected', '--json'], env),
      read_file: await runCli(['tools', 'run', 'read_file', '--bundle', bundle, '--environment', environment, '--arg', 'path=logs/api-gateway.log', '--arg', 'start=2364', '--json'], env),
    };
    for (const [name, run] of Object.entries(runs)) {
      expect(run.code, `${name}: ${run.stderr}`).toBe(0);
      // The line itself came back, with each secret marked.
      expect(run.stdout, name).toContain('deploy hook rejected [REDACTED:deploy_token], retried with [REDACTED:github-token]');
      expectNoCanary({ [name]: run.stdout + run.stderr });
    }
  });

  it('through incident serve: the action, the stream, the history, the server output and its database hold no canary', async () => {
    expect([0, 3], servedRun.stderr).toContain(servedRun.code);
    const servedEvents = servedRun.stdout.trim().split('\n').map((line) => JSON.parse(line) as StoredEvent);
    const use = servedEvents.find((event) => event.type === 'agent.tool_use' && event.name === 'action_revert_config');
    const result = servedEvents.find((event) => event.type === 'agent.tool_result' && event.tool_use_id === use?.id);
    const output = (result?.content ?? []).map((block) => block.text ?? '').join('\n');
    expect(output).toContain('DEPLOY_TOKEN=[REDACTED:deploy_token]');
    expect(output).not.toContain('INCIDENT_TEST_CANARY_SECRET');
    const clientEnv = cliEnv(tempHome(), { INCIDENT_RUNTIME_KEY: runtimeKey });
    const sessions = JSON.parse((await runCli(['sessions', 'list', '--json', '--runtime', served.url], clientEnv)).stdout) as Array<{ id: string }>;
    const exported = await runCli(['sessions', 'export', sessions[0]?.id ?? '', '--format', 'ndjson', '--runtime', served.url], clientEnv);
    expect(exported.code, exported.stderr).toBe(0);
    expectNoCanary({
      'diagnose --runtime': servedRun.stdout + servedRun.stderr,
      'sessions export --runtime': exported.stdout + exported.stderr,
      'incident serve output': servedOutput,
      'served state database': await databaseText(servedHome),
    });
  });
});
