// `incident diagnose --max-turns / --max-cost` with the claude brain against a Messages API
// stand-in on 127.0.0.1: the budget ends the session with its own exit code (6) after the
// last request it allows has submitted the diagnosis, and a budget that is not an amount
// or a count is refused before anything runs.
import { afterEach, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../brains/claude/messages-stand-in.js';
import { cliEnv, runCli, startCli, tempHome, userBundle } from './cli.js';
import { UNKNOWN_DIAGNOSIS } from './fake-model.js';

let standIn: StandIn | undefined;
afterEach(async () => standIn?.close());


describe('diagnose with a budget', () => {
  it('--max-turns 2: the second request submits the diagnosis, the session stops as budget spent, exit 6', async () => {
    standIn = await startStandIn({
      script: (request) => (request.body['tool_choice'] ? { tool: { name: 'submit_diagnosis', input: UNKNOWN_DIAGNOSIS } } : { text: 'Listing changes.', tool: { name: 'list_changes', input: {} } }),
    });
    const env = cliEnv(tempHome(), { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: standIn.baseURL });
    const result = await runCli(['diagnose', userBundle('checkout-cache-removed'), '--json', '--max-turns', '2'], env);
    const output = JSON.parse(result.stdout) as { outcome: string; diagnosis: { root_cause: { category: string } } | null };
    expect(output.outcome).toBe('budget_spent');
    expect(output.diagnosis?.root_cause.category).toBe('unknown');
    expect(standIn.requests).toHaveLength(2);
    expect(result.code).toBe(6);
  });

  it.each([
    [['diagnose', 'fixtures/checkout-cache-removed', '--max-cost', 'lots'], '--max-cost lots is not an amount of US dollars'],
    [['diagnose', 'fixtures/checkout-cache-removed', '--max-turns', '0'], '--max-turns 0 is not a number of model requests'],
    [['resume', 'sesn_any', '--max-turns', 'many'], '--max-turns many is not a number of model requests'],
    [['resume', 'sesn_any', '--max-cost', '-1'], '--max-cost -1 is not an amount of US dollars'],
    [['fixtures/checkout-cache-removed', '--max-turns', '1.5'], '--max-turns 1.5 is not a number of model requests'],
  ])('%j is refused in one line with exit 2', async (args, line) => {
    const result = await runCli(args, cliEnv(tempHome()));
    expect(result.stderr).toContain(line);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.code).toBe(2);
  });

  it('resume --max-turns stops a session a killed run left going, as budget spent with exit 6; --max-cost cannot add a ceiling it was started without', async () => {
    standIn = await startStandIn({ script: () => ({ text: 'Listing changes.', tool: { name: 'list_changes', input: {} } }) });
    const env = cliEnv(tempHome(), { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: standIn.baseURL });
    // No ceiling: it would go on to the agent's step limit. Killed (kill -9) once it has made a request.
    const child = startCli(['diagnose', userBundle('checkout-cache-removed'), '--ndjson'], env);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve) => {
      let printed = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        if (printed.includes('"span.model_request_end"')) resolve();
      });
    });
    child.kill('SIGKILL');
    await exited;
    const [session] = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout) as Array<{ id: string }>;
    const before = standIn.requests.length;

    const resumed = await runCli(['resume', session?.id ?? '', '--json', '--max-turns', '1'], env);
    expect(resumed.code).toBe(6);
    expect((JSON.parse(resumed.stdout) as { outcome: string }).outcome).toBe('budget_spent');
    // At most the request the resumed turn had under way when the ceiling came.
    expect(standIn.requests.length - before).toBeLessThanOrEqual(1);

    const costly = await runCli(['resume', session?.id ?? '', '--json', '--max-cost', '5'], env);
    expect(costly.code).toBe(2);
    expect(costly.stderr).toContain('was started without --max-cost');
    expect(costly.stderr.trim().split('\n')).toHaveLength(1);
  });
});
