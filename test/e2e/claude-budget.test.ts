// `incident diagnose --max-turns / --max-cost` with the claude brain against a Messages API
// stand-in on 127.0.0.1: the budget ends the session with its own exit code (6) after the
// last request it allows has submitted the diagnosis, and a budget that is not an amount
// or a count is refused before anything runs.
import { afterEach, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../brains/claude/messages-stand-in.js';
import { cliEnv, runCli, tempHome, userBundle } from './cli.js';

let standIn: StandIn | undefined;
afterEach(async () => standIn?.close());

const UNKNOWN = {
  summary: 'Not enough evidence to name a cause.',
  root_cause: { category: 'unknown', service: null, change_id: null, description: 'undetermined' },
  confidence: 0.1,
  evidence: [],
  remediation: [],
  timeline: [],
};

describe('diagnose with a budget', () => {
  it('--max-turns 2: the second request submits the diagnosis, the session stops as budget spent, exit 6', async () => {
    standIn = await startStandIn({
      script: (request) => (request.body['tool_choice'] ? { tool: { name: 'submit_diagnosis', input: UNKNOWN } } : { text: 'Listing changes.', tool: { name: 'list_changes', input: {} } }),
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
    [['--max-cost', 'lots'], '--max-cost lots is not an amount of US dollars'],
    [['--max-turns', '0'], '--max-turns 0 is not a number of model requests'],
  ])('%j is refused in one line with exit 2', async (flags, line) => {
    const result = await runCli(['diagnose', userBundle('checkout-cache-removed'), ...flags], cliEnv(tempHome()));
    expect(result.stderr).toContain(line);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.code).toBe(2);
  });
});
