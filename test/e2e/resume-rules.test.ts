// A scripted run killed while its remediation action waits for approval: `incident
// resume` off a terminal answers it by the run's recorded --approve (denied with the
// same message) and finishes, instead of waiting for a person nobody asked to be there;
// an --approve given to the resume overrides the record and says so.
import Anthropic from '@anthropic-ai/sdk';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionEventSchema } from '../../src/protocol/event-schema.js';
import { startServed, type Served } from '../runtime/served.js';
import { BIN, cliEnv, runCli, startCli, tempHome, userBundle } from './cli.js';

interface Line {
  id: string;
  type: string;
  [key: string]: unknown;
}

const NEVER_REASON = 'this scripted run approves no actions (rerun with --approve rollback, or approve it in the TUI)';
/** The rollback's credential is there, so the action could run: what decides is the policy. */
const KUBECONFIG = { INCIDENT_KUBECONFIG: '/nonexistent/kubeconfig' };

function parse(stdout: string): Line[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => SessionEventSchema.parse(JSON.parse(line)) as unknown as Line);
}

/** Resolves once the CLI printed an event of this type (a line of its --ndjson output). */
function whenPrinted(child: ChildProcess, type: string): Promise<void> {
  let printed = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      if (printed.includes(`"type":"${type}"`)) resolve();
    });
    child.on('exit', () => reject(new Error(`the CLI ended before printing ${type}: ${printed}`)));
  });
}

let served: Served | undefined;
afterEach(async () => {
  served?.child.kill('SIGTERM');
  await served?.exited;
  served = undefined;
});

describe('resume applies the run’s recorded approval policy', () => {
  it('answers an approval left pending by a killed `diagnose --approve never` and finishes', async () => {
    const key = 'resume-rules-runtime-key-0123456789';
    const env = cliEnv(tempHome(), { INCIDENT_RUNTIME_KEY: key, ...KUBECONFIG });
    served = await startServed(process.execPath, [BIN, 'serve', '--port', '0'], env);
    const client = new Anthropic({ apiKey: key, baseURL: served.url, maxRetries: 0 });
    const run = startCli(['diagnose', userBundle('checkout-cache-removed'), '--ndjson', '--approve', 'never', '--timeout', '10m', '--runtime', served.url], env);
    await whenPrinted(run, 'agent.tool_result');
    // Freeze the run: the served runtime goes on to the approval, which nobody answers.
    run.kill('SIGSTOP');
    const sessionId = (await client.beta.sessions.list()).data[0]?.id ?? '';
    // The run's rules are recorded with its session before it starts.
    expect((await client.beta.sessions.retrieve(sessionId)).metadata).toMatchObject({ 'incident.approve': 'never', 'incident.timeout_ms': '600000' });
    let last: { type: string; stop_reason?: { type: string } } | undefined;
    for (let i = 0; i < 400 && last?.stop_reason?.type !== 'requires_action'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      last = (await client.beta.sessions.events.list(sessionId, { order: 'desc', limit: 1 })).data[0] as typeof last;
    }
    expect(last).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'requires_action' } });
    run.kill('SIGKILL');

    const resumed = await runCli(['resume', sessionId, '--ndjson', '--runtime', served.url], env);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const lines = parse(resumed.stdout);
    expect(lines.find((line) => line.type === 'user.tool_confirmation')).toMatchObject({ result: 'deny', deny_message: NEVER_REASON });
    const rollback = lines.find((line) => line.type === 'agent.tool_use' && line['name'] === 'action_rollback');
    const result = lines.find((line) => line.type === 'agent.tool_result' && line['tool_use_id'] === rollback?.id);
    expect(JSON.stringify(result?.['content'])).toContain(`not run: ${NEVER_REASON}`);
    expect(lines.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
  });

  it('lets --approve on the resume override the record, and says so', async () => {
    const env = cliEnv(tempHome(), KUBECONFIG);
    const run = startCli(['diagnose', userBundle('checkout-cache-removed'), '--ndjson'], env);
    await whenPrinted(run, 'agent.tool_result');
    run.kill('SIGKILL');
    await new Promise((resolve) => run.once('exit', resolve));
    const sessionId = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout)[0].id as string;

    const resumed = await runCli(['resume', sessionId, '--ndjson', '--approve', 'rollback'], env);
    expect(resumed.stderr).toBe("incident: answering approvals by --approve rollback (instead of this run's recorded --approve never)\n");
    const lines = parse(resumed.stdout);
    expect(lines.find((line) => line.type === 'user.tool_confirmation')).toMatchObject({ result: 'allow' });
    // The new rules are the session's now: a later resume keeps them.
    expect(lines.findLast((line) => line.type === 'session.updated')).toMatchObject({ metadata: { 'incident.approve': 'rollback' } });
    expect(lines.at(-1)).toMatchObject({ type: 'session.status_idle' });
  });
});
