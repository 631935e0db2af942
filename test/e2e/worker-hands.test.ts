// Hands on self-hosted workers: `incident serve` queues each session of an environment
// whose hands run on workers, and `incident worker` (the SDK's EnvironmentWorker) claims
// it with the environment key, answers its calls next to the credentials, and runs the
// approved action there. It finds a served runtime by its URL, or, taken for Claude
// Managed Agents (--runtime cloud, INCIDENT_RUNTIME=cloud), at ANTHROPIC_BASE_URL.
// Everything the worker sends goes through a recording proxy: the
// action's credential (which only the worker's machine has), the worker's API key and the
// runtime key appear nowhere in it, nor in the session's events and exports. A worker
// killed (kill -9) while calls are pending loses its lease; a second one reclaims the
// session and it finishes with every call answered exactly once.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitionHash, loadEnvironmentDefinition } from '../../src/definitions/index.js';
import { cliEnv, runCli, startCli, tempHome, userBundle } from './cli.js';
import { answersPerCall, loggedEvents, eventually, history, pendingCustomCalls, recordingProxy, startServe, textOf, type Serve } from './hands-helpers.js';

/** Letters only, and no known token prefix: only an exact value can give it away. */
const word = (): string => randomBytes(12).toString('hex').replace(/[0-9]/g, (digit) => 'ghijklmnop'[Number(digit)] ?? 'q');
const CREDENTIAL = `canarycred${word()}`;
const API_KEY = `canaryapikey${word()}`;

const serveHome = tempHome();
const clientHome = tempHome();
const environmentFile = join(serveHome, 'on-workers.yaml');
let serve: Serve;
let environmentKey = '';

beforeAll(async () => {
  await writeFile(
    environmentFile,
    [
      'name: on-workers',
      'hands: worker',
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
  // A short lease, so a dead worker's session is reclaimed within seconds.
  serve = await startServe(serveHome, [environmentFile], { INCIDENT_WORK_LEASE_TTL: '2s' });
  const hash = definitionHash(await loadEnvironmentDefinition(environmentFile));
  environmentKey = (await readFile(join(serveHome, 'environment-keys', `${hash}.key`), 'utf8')).trim();
});
afterAll(async () => {
  await serve.stop();
});

/**
 * A worker on "another machine": its own state folder, the environment key, the credential, and an API key it must never use.
 * `cloud`: it takes the runtime as Claude Managed Agents, at the SDK's address (ANTHROPIC_BASE_URL) with INCIDENT_RUNTIME=cloud.
 */
function startWorker(runtime: string | { cloud: string }, id: string): ReturnType<typeof startCli> {
  const where = typeof runtime === 'string' ? ['--runtime', runtime] : [];
  const cloud = typeof runtime === 'string' ? {} : { INCIDENT_RUNTIME: 'cloud', ANTHROPIC_BASE_URL: runtime.cloud };
  const env = cliEnv(tempHome(), { INCIDENT_ENVIRONMENT_KEY: environmentKey, INCIDENT_TEST_DEPLOY_TOKEN: CREDENTIAL, ANTHROPIC_API_KEY: API_KEY, ...cloud });
  const child = startCli(['worker', ...where, '--environment', environmentFile, '--id', id], env);
  child.stderr?.resume();
  return child;
}

async function stopped(child: ReturnType<typeof startCli>, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

describe('hands on a self-hosted worker', () => {
  it('a worker answers a diagnosis and runs the approved action; its credential, its API key and the runtime key are in nothing it sends', async () => {
    const proxy = await recordingProxy(serve.url);
    // The served runtime stands in for Claude Managed Agents: the worker finds it as it would the cloud.
    const worker = startWorker({ cloud: proxy.url }, 'worker-one');
    try {
      const run = await runCli(
        ['diagnose', userBundle('gateway-timeout-cut'), '--runtime', serve.url, '--environment', environmentFile, '--approve', 'revert_config', '--ndjson'],
        cliEnv(clientHome, { INCIDENT_RUNTIME_KEY: serve.key }),
      );
      expect(run.code).toBe(0);
      const events = loggedEvents(run.stdout);
      expect(events.filter((event) => event.type === 'agent.custom_tool_use').length).toBeGreaterThan(5);
      expect([...answersPerCall(events).values()].every((count) => count === 1)).toBe(true);
      const action = events.find((event) => event.type === 'agent.tool_use' && event.name === 'action_revert_config');
      const result = events.filter((event) => event.type === 'user.tool_result' && event.tool_use_id === action?.id);
      expect(result).toHaveLength(1);
      const output = textOf(result[0]);
      // The action ran on the worker, with its credential, which was redacted before it was sent.
      expect(output).toContain('DEPLOY_TOKEN=[REDACTED:deploy_token]');
      expect(output).not.toContain('INCIDENT_ENVIRONMENT_KEY');
      expect(output).not.toContain('ANTHROPIC_API_KEY');

      const sessionId = (await serve.client.beta.sessions.list({ limit: 1, order: 'desc' })).data[0]?.id ?? '';
      const report = join(clientHome, 'report.md');
      const exportEnv = cliEnv(clientHome, { INCIDENT_RUNTIME_KEY: serve.key });
      const outputs: Record<string, string> = {
        'diagnose --ndjson': run.stdout + run.stderr,
        'what the worker sent': JSON.stringify(proxy.requests),
        'sessions export ndjson': (await runCli(['sessions', 'export', sessionId, '--runtime', serve.url, '--format', 'ndjson'], exportEnv)).stdout,
      };
      await runCli(['sessions', 'export', sessionId, '--runtime', serve.url, '--format', 'markdown', '-o', report], exportEnv);
      outputs['markdown report'] = await readFile(report, 'utf8');
      expect(proxy.requests.some((request) => request.url.includes('/work/poll'))).toBe(true);
      expect(proxy.requests.some((request) => request.body.includes('user.tool_result'))).toBe(true);
      for (const [name, text] of Object.entries(outputs)) {
        expect(text.includes(CREDENTIAL), `${name} holds the action's credential`).toBe(false);
        expect(text.includes(API_KEY), `${name} holds the worker's API key`).toBe(false);
        expect(text.includes(serve.key), `${name} holds the runtime key`).toBe(false);
      }
    } finally {
      await stopped(worker, 'SIGTERM');
      await proxy.close();
    }
  });

  it('a worker killed (kill -9) with calls pending loses its lease; a second reclaims the session and every call is answered once', async () => {
    const first = startWorker(serve.url, 'worker-first');
    let second: ReturnType<typeof startCli> | undefined;
    try {
      const diagnosis = startCli(['diagnose', userBundle('gateway-timeout-cut'), '--runtime', serve.url, '--environment', environmentFile, '--ndjson'], cliEnv(clientHome, { INCIDENT_RUNTIME_KEY: serve.key }));
      let printed = '';
      diagnosis.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
      const finished = new Promise<number | null>((resolve) => diagnosis.once('exit', (code) => resolve(code)));
      // Frozen once it has answered a call: it holds the lease, and the calls that follow stay unanswered.
      await eventually(async () => (printed.includes('"user.custom_tool_result"') ? true : null));
      first.kill('SIGSTOP');
      const sessionId = (await serve.client.beta.sessions.list({ limit: 1, order: 'desc' })).data[0]?.id ?? '';
      const pending = await eventually(() => pendingCustomCalls(serve.client, sessionId));
      await stopped(first, 'SIGKILL');

      second = startWorker(serve.url, 'worker-second');
      expect(await finished).toBe(0);
      const events = await history(serve.client, sessionId);
      const answers = answersPerCall(events);
      for (const id of pending) expect(answers.get(id)).toBe(1);
      expect([...answers.values()].every((count) => count === 1)).toBe(true);
      expect(events.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
    } finally {
      await stopped(first, 'SIGKILL');
      if (second) await stopped(second, 'SIGTERM');
    }
  });

  it('refuses, in one line and with exit code 2, what a worker cannot serve', async () => {
    const home = tempHome();
    const clientFile = join(home, 'on-client.yaml');
    await writeFile(clientFile, 'name: on-client\nhands: client\n');
    const attempts = [
      { args: ['worker', '--runtime', 'local', '--environment', environmentFile], says: /a worker serves a runtime over HTTP/ },
      { args: ['worker', '--runtime', serve.url, '--environment', clientFile], says: /does not run its hands on workers/ },
      { args: ['worker', '--runtime', serve.url, '--environment', environmentFile], says: /no environment key for on-workers/ },
      { args: ['worker', '--runtime', 'cloud', '--environment', environmentFile], says: /Claude Managed Agents needs its environment key, and INCIDENT_ENVIRONMENT_KEY is not set/ },
      // The runtime inside a command cannot be reached by workers: refused before anything is uploaded.
      { args: ['diagnose', userBundle('gateway-timeout-cut'), '--environment', environmentFile], says: /runs its hands on workers \(hands: worker\), which only a served runtime can reach/ },
    ];
    for (const attempt of attempts) {
      const run = await runCli(attempt.args, cliEnv(home));
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(attempt.says);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(JSON.parse((await runCli(['sessions', 'list', '--json'], cliEnv(home))).stdout)).toEqual([]);
  });
});
