// Remediation actions in `--runtime cloud` sessions. Claude Managed Agents declares no
// actions in its environments and never asks anyone about a custom tool, so the CLI
// declares the environment's actions on the agent and gates every call on this machine:
// by --approve, a credential it lacks, and a record of approvals that keeps a call from
// running twice when the process dies between approving and reporting. An `incident
// serve` stands in for the API, as in cloud-runtime.test.ts: its agent's custom tools
// are answered by the client, actions included.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, tempHome, userBundle } from './cli.js';
import { answersPerCall, cloudUserEnv, loggedEvents, eventually, freezeAtFirstMessage, history, startServe, textOf, type LoggedEvent, type Serve } from './hands-helpers.js';

const home = tempHome();
const environmentFile = join(home, 'cloud-actions.yaml');
const bundle = userBundle('gateway-timeout-cut');
const ACTION = 'action_revert_config';

let serve: Serve;
let markers = 0;

/** The environment: one harmless action that appends a line to `marker` (then waits `holdMs`), needing a credential. */
function environment(name: string, marker: string, holdMs: number): string {
  const script = `require('fs').appendFileSync(${JSON.stringify(marker)}, 'ran\\n'); setTimeout(() => {}, ${holdMs})`;
  return [
    `name: ${name}`,
    'hands: client',
    'credentials:',
    '  - { name: deploy_token, from_env: INCIDENT_TEST_DEPLOY_TOKEN }',
    'actions:',
    '  - name: revert_config',
    '    kind: revert_config',
    '    description: Revert a config change (writes a marker file instead).',
    `    argv: [${JSON.stringify(process.execPath)}, "-e", ${JSON.stringify(script)}]`,
    '    credentials: [deploy_token]',
    '',
  ].join('\n');
}

const marker = join(home, 'marker');
const slowMarker = join(home, 'slow-marker');
const slowEnvironmentFile = join(home, 'cloud-actions-slow.yaml');

beforeAll(async () => {
  writeFileSync(environmentFile, environment('cloud-actions', marker, 0));
  writeFileSync(slowEnvironmentFile, environment('cloud-actions-slow', slowMarker, 20_000));
  serve = await startServe(tempHome(), [environmentFile, slowEnvironmentFile]);
});
afterAll(async () => {
  await serve.stop();
});

/** A user of the cloud with the action's credential (unless told otherwise). */
function cloudEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cloudUserEnv(home, serve.key, serve.url, { INCIDENT_TEST_DEPLOY_TOKEN: 'deploy-token-value', ...extra });
}

function lines(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

/** The action's call and its one result, from a run's events. */
function actionOf(events: readonly LoggedEvent[]): { call: LoggedEvent | undefined; results: LoggedEvent[] } {
  const call = events.find((event) => event.type === 'agent.custom_tool_use' && event.name === ACTION);
  return { call, results: events.filter((event) => event.type === 'user.custom_tool_result' && event.custom_tool_use_id === call?.id) };
}

async function diagnose(args: readonly string[], env = cloudEnv(), output = '--ndjson'): Promise<{ events: LoggedEvent[]; code: number | null; stderr: string; stdout: string }> {
  const run = await runCli(['diagnose', bundle, '--runtime', 'cloud', '--environment', environmentFile, output, ...args], env);
  return { events: output === '--ndjson' ? loggedEvents(run.stdout) : [], code: run.code, stderr: run.stderr, stdout: run.stdout };
}

describe('remediation actions in a cloud session', () => {
  it('a call nobody was there to answer is asked again by the resume: --approve runs it once here, and the result says who approved it where', async () => {
    markers = lines(marker);
    // Killed (kill -9) as the investigation starts: the action is asked for after, with no one to answer it.
    const child = startCli(['diagnose', bundle, '--runtime', 'cloud', '--environment', environmentFile, '--ndjson'], cloudEnv());
    const { exited } = await freezeAtFirstMessage(child);
    const [latest] = (await serve.client.beta.sessions.list({ limit: 1, order: 'desc' })).data;
    const sessionId = latest?.id ?? '';
    child.kill('SIGKILL');
    await exited;

    const resumed = await runCli(['resume', sessionId, '--runtime', 'cloud', '--ndjson', '--approve', 'revert_config'], cloudEnv());
    expect(resumed.stderr).toContain('answering approvals by --approve revert_config');
    expect(resumed.code).toBe(0);
    const events = await history(serve.client, sessionId);
    const { call, results } = actionOf(events);
    // Declared to the agent as a custom tool: the cloud asks no one, this machine did.
    expect(call).toBeDefined();
    expect(results).toHaveLength(1);
    expect(results[0]?.is_error).toBe(false);
    expect(textOf(results[0])).toContain(`approved on ${hostname()} by --approve revert_config`);
    expect(lines(marker)).toBe(markers + 1);
    expect([...answersPerCall(events).values()].every((count) => count === 1)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
  });

  it('the default policy denies it without running it, and the agent is told why', async () => {
    markers = lines(marker);
    const run = await diagnose([]);
    expect(run.code).not.toBe(2);
    const { results } = actionOf(run.events);
    expect(results).toHaveLength(1);
    expect(results[0]?.is_error).toBe(true);
    expect(textOf(results[0])).toContain(`denied on ${hostname()}: this scripted run approves no actions`);
    expect(lines(marker)).toBe(markers);
  });

  it('a credential missing here denies it as "cannot run", whatever --approve says', async () => {
    markers = lines(marker);
    const env = cloudEnv();
    delete env['INCIDENT_TEST_DEPLOY_TOKEN'];
    const run = await diagnose(['--approve', 'all'], env, '--json');
    expect(run.stderr).toBe('');
    const { results } = actionOf((await history(serve.client, (await serve.client.beta.sessions.list({ limit: 1, order: 'desc' })).data[0]?.id ?? '')));
    expect(results).toHaveLength(1);
    expect(results[0]?.is_error).toBe(true);
    expect(textOf(results[0])).toMatch(/denied on .*: it cannot run in environment cloud-actions: the credential deploy_token is not set/);
    expect(JSON.parse(run.stdout)).toMatchObject({ denied: [expect.stringContaining('action_revert_config: it cannot run')] });
    expect(lines(marker)).toBe(markers);
  });

  it('killed (kill -9) after approving, a resume answers the call "not run again" and never runs it twice', async () => {
    const child = startCli(['diagnose', bundle, '--runtime', 'cloud', '--environment', slowEnvironmentFile, '--ndjson', '--approve', 'revert_config'], cloudEnv());
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // The action has started (its marker is written) and has not reported.
    await eventually(() => Promise.resolve(lines(slowMarker) > 0 ? true : null), 600);
    child.kill('SIGKILL');
    await exited;
    const [latest] = (await serve.client.beta.sessions.list({ limit: 1, order: 'desc' })).data;
    const sessionId = latest?.id ?? '';
    expect(actionOf(await history(serve.client, sessionId)).results).toHaveLength(0);

    // The recorded policy would approve it again: the record of the approval keeps it from running.
    const resumed = await runCli(['resume', sessionId, '--runtime', 'cloud', '--ndjson'], cloudEnv());
    expect(resumed.stderr).toContain(`${ACTION} was approved when the last process stopped; it is not run again`);
    const events = await history(serve.client, sessionId);
    const { results } = actionOf(events);
    expect(results).toHaveLength(1);
    expect(textOf(results[0])).toContain('not run again');
    expect(textOf(results[0])).toContain('check its effect');
    expect([...answersPerCall(events).values()].every((count) => count === 1)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
    expect(lines(slowMarker)).toBe(1);
  });
});
