// An option value outside what the option takes is refused before any work, in one line
// that lists what it does take and, for a likely typo, the value that was meant.
import { describe, expect, it } from 'vitest';
import { toolSpecs } from '../../src/hands/tools/index.js';
import { cliEnv, runCli, tempHome, userBundle, type CliResult } from './cli.js';

function expectRefused(result: CliResult, ...mentions: string[]): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  for (const mention of mentions) expect(result.stderr).toContain(mention);
}

describe('option values', () => {
  const env = cliEnv(tempHome());
  const bundle = userBundle('checkout-cache-removed');

  const noSessions = async (): Promise<void> => {
    expect(JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout)).toEqual([]);
  };

  it('--approve takes never, all or an action of the environment, and suggests the one meant', async () => {
    const typo = await runCli(['diagnose', bundle, '--approve', 'rolback'], env);
    expectRefused(typo, 'rolback', 'did you mean rollback?', 'never, all', 'rollback, restart');
    const bogus = await runCli(['diagnose', bundle, '--approve', 'bogus'], env);
    expectRefused(bogus, 'bogus', 'never, all');
    expect(bogus.stderr).not.toContain('did you mean');
    // Refused before a session was opened.
    await noSessions();
  });

  it('--timeout takes a duration from 1s to 24h', async () => {
    for (const value of ['0', '5x', '48h']) {
      expectRefused(await runCli(['diagnose', bundle, `--timeout=${value}`], env), `--timeout ${value}`, '90s');
    }
    await noSessions();
  });

  it('--runtime takes local or an http(s) URL, on every command that has it', async () => {
    for (const args of [['diagnose', bundle], ['resume', 'sesn_x'], ['sessions', 'show', 'sesn_x'], []]) {
      expectRefused(await runCli([...args, '--runtime', 'lcoal'], env), '--runtime lcoal', 'did you mean local?', 'http://127.0.0.1:4646');
    }
    expectRefused(await runCli(['sessions', 'list', '--runtime', 'ftp://runtime.example'], env), 'http(s)');
  });

  it('--format lists the formats', async () => {
    expectRefused(await runCli(['sessions', 'export', 'sesn_x', '--format', 'xml'], env), "'xml'", 'ndjson, markdown');
  });

  it('tools run refuses an argument the tool does not take, naming those it does', async () => {
    const byArg = await runCli(['tools', 'run', 'search_logs', '--bundle', bundle, '--arg', 'pattern=timeout', '--arg', 'limit=3'], env);
    expectRefused(byArg, 'search_logs has no argument "limit"', 'pattern, regex', 'max_matches');
    const byJson = await runCli(['tools', 'run', 'search_logs', '{"patern": "timeout"}', '--bundle', bundle], env);
    expectRefused(byJson, '"patern"', 'did you mean pattern?');
  });
});

describe('tools list --json', () => {
  it('gives every tool in full: its whole description and its input schema', async () => {
    const result = await runCli(['tools', 'list', '--json', '--environment', 'environments/local.yaml'], cliEnv(tempHome()));
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as Array<{ name: string; kind: string; description: string; input_schema: { properties?: Record<string, unknown> } | null }>;
    for (const spec of toolSpecs()) {
      expect(listed).toContainEqual({ name: spec.name, kind: 'sre', description: spec.description, input_schema: spec.input_schema });
    }
    const rollback = listed.find((tool) => tool.name === 'action_rollback');
    expect(rollback?.kind).toBe('action');
    expect(rollback?.description).toContain('Runs only after a person approves');
    expect(Object.keys(rollback?.input_schema?.properties ?? {})).toContain('service');
  });
});
