// What a first user meets in the terminal, through the real CLI: every session's outcome
// in one vocabulary (`sessions list`, `--json`, the report), an action that cannot run
// denied with its reason instead of being approved into a failure, and a failing model
// told in a sentence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempHome, userBundle, type CliResult } from './cli.js';
import { startFakeModel, type FakeModel } from './fake-model.js';

interface Line {
  id: string;
  type: string;
  [key: string]: unknown;
}

const env = cliEnv(tempHome());
let hanging: FakeModel;
let overloaded: FakeModel;
const runs: Record<'inconclusive' | 'diagnosed' | 'timedOut' | 'failed', CliResult> = {} as never;

const withModel = (model: FakeModel): NodeJS.ProcessEnv => ({ ...env, ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: model.url });

beforeAll(async () => {
  hanging = await startFakeModel(() => ({ kind: 'hang' }));
  overloaded = await startFakeModel(() => ({ kind: 'error', status: 529, type: 'overloaded_error', message: 'Overloaded' }));
  // The state folder is made once, before the runs share it.
  await runCli(['sessions', 'list'], env);
  [runs.inconclusive, runs.diagnosed, runs.timedOut, runs.failed] = await Promise.all([
    runCli(['diagnose', userBundle('gateway-latency-unexplained'), '--json'], env),
    runCli(['diagnose', userBundle('checkout-cache-removed'), '--ndjson', '--approve', 'all'], env),
    runCli(['diagnose', userBundle('checkout-cache-removed'), '--json', '--timeout', '2s'], withModel(hanging)),
    runCli(['diagnose', userBundle('checkout-cache-removed')], withModel(overloaded)),
  ]);
});
afterAll(async () => {
  await hanging.close();
  await overloaded.close();
});

describe('the outcome of each session', () => {
  it('is said the same way by the exit code, --json, sessions list (plain and --json) and the report', async () => {
    expect([runs.inconclusive.code, runs.diagnosed.code, runs.timedOut.code, runs.failed.code]).toEqual([3, 0, 5, 4]);
    expect(JSON.parse(runs.inconclusive.stdout)).toMatchObject({ outcome: 'inconclusive', diagnosis: { root_cause: { category: 'unknown' } } });
    expect(JSON.parse(runs.timedOut.stdout)).toMatchObject({ outcome: 'timed_out' });

    // Each run's session, by the id it printed (the NDJSON run's is the one left).
    const ids = {
      inconclusive: (JSON.parse(runs.inconclusive.stdout) as { session_id: string }).session_id,
      timedOut: (JSON.parse(runs.timedOut.stdout) as { session_id: string }).session_id,
      failed: /^session (sesn_\w+) /.exec(runs.failed.stdout)?.[1] ?? '',
    };
    const listed = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout) as Array<{ id: string; outcome: string }>;
    const outcome = new Map(listed.map((session) => [session.id, session.outcome]));
    const diagnosed = listed.find((session) => !Object.values(ids).includes(session.id))?.id ?? '';
    expect([ids.inconclusive, diagnosed, ids.timedOut, ids.failed].map((id) => outcome.get(id))).toEqual(['inconclusive', 'diagnosed', 'timed_out', 'failed']);
    const plain = new Map(
      (await runCli(['sessions', 'list'], env)).stdout
        .trim()
        .split('\n')
        .map((line): [string, string] => {
          const match = /^(sesn_\w+) {2}(.+?) {2,}\d{4}-/.exec(line);
          return [match?.[1] ?? '', match?.[2] ?? ''];
        }),
    );
    expect([ids.inconclusive, diagnosed, ids.timedOut, ids.failed].map((id) => plain.get(id)?.trim())).toEqual(['inconclusive', 'diagnosed', 'timed out', 'failed']);

    const report = (await runCli(['sessions', 'export', ids.timedOut, '--format', 'markdown'], env)).stdout;
    expect(report).toContain('| Outcome | timed out |');
    expect((await runCli(['sessions', 'export', ids.inconclusive, '--format', 'markdown'], env)).stdout).toContain('| Outcome | inconclusive |');
  });
});

describe('an action that cannot run', () => {
  it('is denied with the reason even under --approve all, and never run; the log says what it would have run', () => {
    const lines = runs.diagnosed.stdout.trim().split('\n').map((line) => JSON.parse(line) as Line);
    const use = lines.find((line) => line.type === 'agent.tool_use' && line['name'] === 'action_rollback');
    expect(use?.['incident_action_check']).toEqual({
      argv: ['kubectl', 'rollout', 'undo', 'deployment/checkout', '--namespace', 'production'],
      environment: 'local',
      timeout_ms: 120_000,
      credentials: ['kubeconfig'],
      missing_credentials: [{ name: 'kubeconfig', from_env: 'INCIDENT_KUBECONFIG' }],
      can_run: false,
      problem: 'the credential kubeconfig is not set where the runtime runs (set INCIDENT_KUBECONFIG)',
    });
    const reason = 'it cannot run in environment local: the credential kubeconfig is not set where the runtime runs (set INCIDENT_KUBECONFIG)';
    expect(lines.find((line) => line.type === 'user.tool_confirmation')).toMatchObject({ tool_use_id: use?.id, result: 'deny', deny_message: reason });
    const result = lines.find((line) => line.type === 'agent.tool_result' && line['tool_use_id'] === use?.id);
    expect(JSON.stringify(result?.['content'])).toContain(`not run: ${reason}`);
  });
});

describe('a model that fails', () => {
  it('is told in a sentence that says what happened and what to do, not as the raw response', () => {
    const out = runs.failed.stdout;
    expect(out).toMatch(/error {5}The model is overloaded \(HTTP 529\)\. The turn stopped; send a message to try again in a few minutes\./);
    expect(out).not.toContain('{"type":"error"');
    expect(out).not.toContain('model_request_failed_error');
  });
});
