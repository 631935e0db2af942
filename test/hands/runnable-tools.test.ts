// The hands as the SDK's runnable tools, run the way the SDK's runners run them
// (runRunnableTool), each call in the real environment worker: results come back as text,
// a failure as a tool error, a declared credential redacted before it leaves, and the
// toolset's bash refused with a reason.
import { runRunnableTool } from '@anthropic-ai/sdk/lib/tools/BetaRunnableTool';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeClient } from '../../src/client/sdk.js';
import { hostHands } from '../../src/cli/hands-host.js';
import { parseEnvironmentDefinition } from '../../src/definitions/index.js';
import type { RunnableHandsTool } from '../../src/hands/runnable-tools.js';

const SECRET = 'canarysecretvalueqqq';
const definition = parseEnvironmentDefinition(
  `
name: on-client
hands: client
credentials:
  - { name: deploy_token, from_env: INCIDENT_TEST_DEPLOY_TOKEN }
actions:
  - name: show_env
    kind: other
    description: Prints its environment.
    argv: [env]
    credentials: [deploy_token]
`,
  'on-client.yaml',
);

let tools: RunnableHandsTool[] = [];
afterAll(async () => {
  await tools[0]?.close?.();
});

async function run(name: string, input: Record<string, unknown>): Promise<{ text: string; isError: boolean }> {
  const tool = tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  const use = { id: `sevt_${name}`, type: 'agent.custom_tool_use', name, input, processed_at: '' } as never;
  const outcome = await runRunnableTool(tool, input, { toolUse: use, toolUseBlock: use });
  return { text: typeof outcome.content === 'string' ? outcome.content : JSON.stringify(outcome.content), isError: outcome.isError };
}

describe('the hands as runnable tools', () => {
  it('run SRE tools and actions in the environment worker, redact what leaves, and refuse bash', async () => {
    const client = await makeClient({ fetch: () => Promise.reject(new Error('the hands read the bundle folder, not the runtime')) });
    tools = hostHands({
      client,
      sessionId: 'sesn_test',
      definition,
      env: { PATH: process.env['PATH'], INCIDENT_TEST_DEPLOY_TOKEN: SECRET, INCIDENT_RUNTIME_KEY: 'incident_rk_neverpassedon' },
      toolset: true,
      bundleRoot: resolve('fixtures', 'gateway-timeout-cut'),
    });
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['describe_bundle', 'search_logs', 'action_show_env', 'read', 'bash']));
    expect(tools.map((tool) => tool.name)).not.toContain('submit_diagnosis');

    const described = await run('describe_bundle', {});
    expect(described.isError).toBe(false);
    expect(JSON.parse(described.text)).toHaveProperty('counts');

    const shown = await run('action_show_env', {});
    expect(shown.isError).toBe(false);
    expect(shown.text).toContain('DEPLOY_TOKEN=[REDACTED:deploy_token]');
    expect(shown.text).not.toContain(SECRET);
    expect(shown.text).not.toContain('INCIDENT_RUNTIME_KEY');

    const read = await run('read', { file_path: '/mnt/session/uploads/runbooks/homepage.md' });
    expect(read.isError).toBe(false);

    const refused = await run('bash', { command: 'id' });
    expect(refused).toEqual({ text: expect.stringMatching(/^bash is not available/), isError: true });

    const invalid = await run('search_logs', { pattern: 42 });
    expect(invalid.isError).toBe(true);
    expect(invalid.text).toMatch(/invalid arguments for search_logs/);
  });
});
