// Hands on the client, against an `incident serve` with its own key: the environment says
// its hands run on the client, so the session emits agent.custom_tool_use and this CLI
// answers through the SDK's SessionToolRunner, running each call in its own environment
// worker; an approved action runs here too. Killed while a call is pending, the CLI's
// `resume` answers it, once.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SRE_TOOL_NAMES, RUNTIME_TOOL_NAMES } from '../../src/protocol/tools.js';
import { cliEnv, runCli, startCli, tempHome, userBundle } from './cli.js';
import { answersPerCall, loggedEvents, eventually, freezeAtFirstMessage, history, pendingCustomCalls, startServe, textOf, type Serve } from './hands-helpers.js';

const home = tempHome();
const environmentFile = join(home, 'on-client.yaml');
const CREDENTIAL = `canarycred${randomBytes(8).toString('hex').replace(/[0-9]/g, 'q')}`;
const HANDS_TOOLS = SRE_TOOL_NAMES.filter((name) => !(RUNTIME_TOOL_NAMES as readonly string[]).includes(name));

let serve: Serve;

beforeAll(async () => {
  await writeFile(
    environmentFile,
    [
      'name: on-client',
      'hands: client',
      'credentials:',
      '  - { name: deploy_token, from_env: INCIDENT_TEST_DEPLOY_TOKEN }',
      'actions:',
      '  - name: revert_config',
      '    kind: revert_config',
      '    description: Revert a config change (prints its environment instead).',
      '    argv: [env]',
      '    credentials: [deploy_token]',
      '',
    ].join('\n'),
  );
  // The runtime's machine does not have the credential: only the client that runs the action does.
  serve = await startServe(tempHome(), [environmentFile]);
});
afterAll(async () => {
  await serve.stop();
});

function clientEnv(): NodeJS.ProcessEnv {
  return cliEnv(home, { INCIDENT_RUNTIME_KEY: serve.key, INCIDENT_TEST_DEPLOY_TOKEN: CREDENTIAL });
}

describe('hands on the client', () => {
  it('answers every tool call of a diagnosis once, and runs the approved action here with its credential redacted', async () => {
    const run = await runCli(['diagnose', userBundle('gateway-timeout-cut'), '--runtime', serve.url, '--environment', environmentFile, '--approve', 'revert_config', '--ndjson'], clientEnv());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const events = loggedEvents(run.stdout);
    const custom = events.filter((event) => event.type === 'agent.custom_tool_use');
    expect(custom.length).toBeGreaterThan(5);
    expect(new Set(custom.map((event) => event.name))).toContain('describe_bundle');
    // The runtime ran none of the SRE tools itself.
    expect(events.filter((event) => event.type === 'agent.tool_use' && HANDS_TOOLS.includes(event.name as never))).toEqual([]);
    expect([...answersPerCall(events).values()].every((count) => count === 1)).toBe(true);

    const action = events.find((event) => event.type === 'agent.tool_use' && event.name === 'action_revert_config');
    expect(action?.evaluated_permission).toBe('ask');
    expect(events.some((event) => event.type === 'user.tool_confirmation' && event.tool_use_id === action?.id)).toBe(true);
    const result = events.filter((event) => event.type === 'user.tool_result' && event.tool_use_id === action?.id);
    expect(result).toHaveLength(1);
    expect(textOf(result[0])).toContain('DEPLOY_TOKEN=[REDACTED:deploy_token]');
    // The CLI holds the runtime key; the hands it starts never get it.
    expect(textOf(result[0])).not.toContain('INCIDENT_RUNTIME_KEY');
    expect(run.stdout).not.toContain(serve.key);
    expect(run.stdout).not.toContain(CREDENTIAL);
    expect(events.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
  });

  it('killed (kill -9) while a custom tool call is pending, resume answers it once and the session finishes', async () => {
    const child = startCli(['diagnose', userBundle('gateway-timeout-cut'), '--runtime', serve.url, '--environment', environmentFile, '--ndjson'], clientEnv());
    // Frozen as soon as the investigation starts: the calls that follow stay unanswered.
    const { exited } = await freezeAtFirstMessage(child);
    const [latest] = (await serve.client.beta.sessions.list({ limit: 1, order: 'desc' })).data;
    const sessionId = latest?.id ?? '';
    const pending = await eventually(() => pendingCustomCalls(serve.client, sessionId));
    child.kill('SIGKILL');
    await exited;

    const resumed = await runCli(['resume', sessionId, '--runtime', serve.url, '--ndjson'], clientEnv());
    expect(resumed.stderr).toBe('');
    const events = await history(serve.client, sessionId);
    const answers = answersPerCall(events);
    for (const id of pending) expect(answers.get(id)).toBe(1);
    expect([...answers.values()].every((count) => count === 1)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
    // What the resume printed is the log, each event once.
    const printed = loggedEvents(resumed.stdout).map((event) => event.id);
    expect(printed).toEqual(events.map((event) => event.id));
  });
});
