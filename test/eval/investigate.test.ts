// The evaluation's sessions: a bundle investigated through the local runtime's own loop,
// with the hands served in process.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentDefinitionSchema } from '../../src/definitions/index.js';
import { openEvalRuntime, type EvalRuntime } from '../../src/eval/investigate.js';

const FIXTURE = resolve('fixtures', 'inventory-db-disk-full');
const SENTINEL = 'answer-key-sentinel-7f3c';
const made: string[] = [];
let runtime: EvalRuntime | undefined;

afterAll(async () => {
  await runtime?.close();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

async function shared(): Promise<EvalRuntime> {
  runtime ??= await openEvalRuntime();
  return runtime;
}

/** A copy of the fixture whose answer key carries a word nothing else in the bundle has. */
function markedBundle(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'incident-eval-test-')), 'bundle');
  made.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  writeFileSync(join(dir, 'truth.json'), JSON.stringify({ category: 'unknown', service: null, change_id: null, notes: SENTINEL }));
  return dir;
}

describe('an evaluated investigation', () => {
  it('runs as a session to its diagnosis, and the brain never sees the answer key', async () => {
    const run = await (await shared()).investigate(markedBundle());
    expect(run.diagnosis?.root_cause).toMatchObject({ category: 'infrastructure', service: 'inventory-db' });
    expect(run.events[0]?.type).toBe('user.message');
    expect(run.events.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
    const log = JSON.stringify(run.events);
    expect(log).toContain('describe_bundle');
    expect(log).not.toContain('truth.json');
    expect(log).not.toContain(SENTINEL);
  });

  it('denies every remediation action unless told otherwise, and the brain reads the denial', async () => {
    const environment = EnvironmentDefinitionSchema.parse({
      name: 'rollback-only',
      actions: [
        {
          name: 'rollback',
          kind: 'rollback',
          description: 'Roll back a deployment.',
          argv: ['true', '{service}'],
          parameters: { service: { type: 'string' }, change_id: { type: 'string', required: false } },
        },
      ],
    });
    const run = await (await shared()).investigate(resolve('fixtures', 'orders-n-plus-one'), { environment });
    const asked = run.toolCalls.filter((call) => call.name === 'action_rollback');
    expect(asked.length).toBeGreaterThan(0);
    const confirmations = run.events.filter((event) => event.type === 'user.tool_confirmation');
    expect(confirmations).toHaveLength(asked.length);
    expect(confirmations.every((event) => event.result === 'deny')).toBe(true);
    const answered = run.events.filter((event) => event.type === 'agent.tool_result' && JSON.stringify(event.content).includes('not run: denied: an evaluation runs no remediation'));
    expect(answered).toHaveLength(asked.length);
    expect(run.diagnosis?.root_cause.change_id).toBe('deploy-7713');
  });
});
