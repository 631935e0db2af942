// Kill the CLI mid-session; `incident resume <id>` shows exactly the logged history,
// no event twice, then continues the session to its end.
import { describe, expect, it } from 'vitest';
import { SessionEventSchema } from '../../src/protocol/event-schema.js';
import { cliEnv, runCli, startCli, tempHome, userBundle } from './cli.js';

interface Line {
  id: string;
  type: string;
  [key: string]: unknown;
}

function parse(stdout: string): Line[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => SessionEventSchema.parse(JSON.parse(line)) as unknown as Line);
}

describe('resume after the CLI is killed mid-session', () => {
  it('shows the logged history once and finishes the session', async () => {
    const env = cliEnv(tempHome());
    const child = startCli(['diagnose', userBundle('checkout-cache-removed'), '--ndjson'], env);
    let printed = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        // Kill it hard as soon as the investigation is under way.
        if (printed.includes('"agent.tool_result"')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`the CLI ended before it could be killed: ${printed}`)));
    });
    const before = parse(printed.slice(0, printed.lastIndexOf('\n')));
    const sessionId = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout)[0].id as string;
    const finishedBefore = before.some((line) => line.type === 'session.status_idle' && (line['stop_reason'] as { type: string }).type === 'end_turn');
    expect(finishedBefore).toBe(false);

    const resumed = await runCli(['resume', sessionId, '--ndjson'], env);
    expect(resumed.stderr).toBe('');
    const lines = parse(resumed.stdout);
    const ids = lines.map((line) => line.id);
    expect(new Set(ids).size).toBe(ids.length);
    // What the killed CLI showed is the start of what resume shows.
    expect(ids.slice(0, before.length)).toEqual(before.map((line) => line.id));
    // Resume shows exactly the log: the same events, in the same order.
    const exported = parse((await runCli(['sessions', 'export', sessionId, '--format', 'ndjson'], env)).stdout);
    expect(ids).toEqual(exported.map((line) => line.id));
    // And the session went on to its end, with its diagnosis submitted; the rollback it
    // asked to run was answered by the run's recorded policy (never), not left waiting.
    expect(lines.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
    expect(lines.some((line) => line.type === 'agent.tool_use' && line['name'] === 'submit_diagnosis')).toBe(true);
    expect(lines.some((line) => line.type === 'user.tool_confirmation' && line['result'] === 'deny')).toBe(true);
    expect(resumed.code).toBe(0);
  });
});
