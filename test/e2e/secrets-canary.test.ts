// One investigation end to end with secrets about: a canary in the CLI's environment that
// nothing allows through, and a canary credential that the environment declares for one
// action. The action runs `env` after it is approved, so its result is the environment the
// hands really got. The parent canary must appear nowhere; the credential only inside the
// action that declares it, and redacted there and everywhere else it is mentioned.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempHome, userBundle, type CliResult } from './cli.js';

/** Letters only, and no known token prefix: only an exact value can give it away. */
const word = (): string => randomBytes(12).toString('hex').replace(/[0-9]/g, (digit) => 'ghijklmnop'[Number(digit)] ?? 'q');
const PARENT = `canaryparent${word()}`;
const CREDENTIAL = `canarycred${word()}`;

const home = tempHome();
const env = cliEnv(home, { INCIDENT_TEST_CANARY_SECRET: PARENT, INCIDENT_TEST_DEPLOY_TOKEN: CREDENTIAL });
const bundle = userBundle('gateway-timeout-cut');
const environment = join(home, 'environment.yaml');

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
  const message = `Investigate the page. If you need to deploy, the token is ${CREDENTIAL}.`;
  diagnosed = await runCli(['diagnose', bundle, '--ndjson', '--environment', environment, '--approve', 'revert_config', '--message', message], env);
  events = diagnosed.stdout.trim().split('\n').map((line) => JSON.parse(line) as StoredEvent);
  const listed = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout) as Array<{ id: string }>;
  sessionId = listed[0]?.id ?? '';
});

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

  it('neither canary is in the stream, the history, the exports or the listings', async () => {
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
    for (const [name, text] of Object.entries(outputs)) {
      expect(text.includes(PARENT), `${name} holds the parent canary`).toBe(false);
      expect(text.includes(CREDENTIAL), `${name} holds the credential`).toBe(false);
    }
    // The person's message is kept, with the credential marked.
    expect(outputs['sessions export ndjson']).toContain('the token is [REDACTED:deploy_token].');
  });
});
