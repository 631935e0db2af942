// Cases the fault suites found, kept as plain tests so they never come back.
import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Brain } from '../../src/brains/brain.js';
import { ZERO_USAGE } from '../../src/brains/brain.js';
import { createLocalRuntime } from '../../src/runtime/runtime.js';
import { Store } from '../../src/store/index.js';
import { cliEnv, runCli } from '../e2e/cli.js';
import { echoHands, scriptedDeps } from '../runtime/scripted.js';

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

/** A state folder with one agent, environment and session, whose stored records are then overwritten by `damage`. */
async function damagedState(damage: (store: Store, ids: { agent: string; environment: string; session: string }) => void): Promise<{ home: string; session: string }> {
  const home = mkdtempSync(join(tmpdir(), 'incident-found-'));
  homes.push(home);
  const runtime = createLocalRuntime({ home, deps: scriptedDeps([]) });
  const json = async (path: string, body: unknown): Promise<{ id: string }> =>
    (await (await runtime.handle(new Request(`http://runtime.invalid${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))).json()) as { id: string };
  const agent = await json('/v1/agents', { name: 'a', model: 'claude-opus-4-8' });
  const environment = await json('/v1/environments', { name: 'e' });
  const session = await json('/v1/sessions', { agent: agent.id, environment_id: environment.id });
  damage(runtime.store, { agent: agent.id, environment: environment.id, session: session.id });
  await runtime.close();
  return { home, session: session.id };
}

/** Cuts a stored record's JSON in half, as a torn write or a bad disk would. */
function tear(store: Store, table: string, id: string): void {
  const { body } = store.db.prepare(`SELECT body FROM ${table} WHERE id = ?`).get(id) as { body: string };
  store.db.prepare(`UPDATE ${table} SET body = ? WHERE id = ?`).run(body.slice(0, Math.floor(body.length / 2)), id);
}

describe('found by the damaged-database trials', () => {
  it('a session record that no longer parses is named, with what to do, by the CLI and the runtime: never "internal error, try again"', async () => {
    const { home, session } = await damagedState((store, ids) => tear(store, 'sessions', ids.session));
    for (const args of [['sessions', 'list'], ['sessions', 'show', session]]) {
      const run = await runCli(args, cliEnv(home));
      expect(run.code, args.join(' ')).toBe(4);
      const lines = run.stderr.trim().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0]).toContain(`the session ${session} stored in ${join(home, 'incident.db')} is damaged: its stored JSON does not parse`);
      expect(lines[0]).toContain('the other records are intact');
      expect(lines[0]).not.toContain('internal error');
    }
  });

  it('an agent or environment record that no longer parses is named by the runtime (a 500 that says which, not an internal error)', async () => {
    const { home } = await damagedState((store, ids) => {
      tear(store, 'agents', ids.agent);
      tear(store, 'environments', ids.environment);
    });
    const runtime = createLocalRuntime({ home, deps: scriptedDeps([]) });
    try {
      for (const [path, what] of [['/v1/agents', 'agent'], ['/v1/environments', 'environment']] as const) {
        const response = await runtime.handle(new Request(`http://runtime.invalid${path}`));
        const body = (await response.json()) as { error: { message: string } };
        expect(response.status).toBe(500);
        expect(body.error.message).toMatch(new RegExp(`^the ${what} \\S+ stored in .*incident\\.db is damaged: its stored JSON does not parse; the other records are intact`));
      }
    } finally {
      await runtime.close();
    }
  });
  it('a database cut off inside its last page is named as damaged, with what to do: never "disk I/O error" or an internal error', async () => {
    // A long session record is written last: its overflow pages end the file, and the cut takes half of the last one.
    const { home } = await damagedState((store, ids) => {
      const { body } = store.db.prepare('SELECT body FROM sessions WHERE id = ?').get(ids.session) as { body: string };
      const longer = { ...(JSON.parse(body) as object), metadata: { note: 'the pool was exhausted '.repeat(1000) } };
      store.db.prepare('UPDATE sessions SET body = ? WHERE id = ?').run(JSON.stringify(longer), ids.session);
    });
    const file = join(home, 'incident.db');
    truncateSync(file, statSync(file).size - 2048);
    const run = await runCli(['sessions', 'list'], cliEnv(home));
    expect(run.code).toBe(4);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`the state database ${file} is damaged: the file is shorter than the database it holds`);
    expect(lines[0]).toContain('to start fresh');
    expect(lines[0]).not.toMatch(/disk I\/O error|internal error/);
  });
});

describe('found by the full-disk trials', () => {
  it('a turn whose final answer was saved but not its end (the disk filled, the process died) ends without saying it again', async () => {
    const home = mkdtempSync(join(tmpdir(), 'incident-found-'));
    homes.push(home);
    let asked = 0;
    const brain: Brain = {
      provider: 'counting',
      async step() {
        asked += 1;
        return { outputs: [{ kind: 'message', text: 'Conclusion: the cache was removed.' }], usage: ZERO_USAGE };
      },
    };
    // The log as a crash leaves it: the answer and its model request saved, the idle status not.
    const first = createLocalRuntime({ home, deps: { brainFor: () => brain, handsFor: () => echoHands() }, resume: false });
    const post = async (path: string, body: unknown): Promise<{ id: string }> =>
      (await (await first.handle(new Request(`http://runtime.invalid${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))).json()) as { id: string };
    const agent = await post('/v1/agents', { name: 'a', model: 'claude-opus-4-8' });
    const environment = await post('/v1/environments', { name: 'e' });
    const { id } = await post('/v1/sessions', { agent: agent.id, environment_id: environment.id });
    const [start] = first.engine.log.append(id, [{ type: 'user.message', content: [{ type: 'text', text: 'why?' }] }, { type: 'session.status_running' }, { type: 'span.model_request_start' }]).slice(-1);
    first.engine.log.append(id, [
      { type: 'agent.message', content: [{ type: 'text', text: 'Conclusion: the cache was removed.' }] },
      { type: 'span.model_request_end', model_request_start_id: start?.event.id, is_error: false, model_usage: ZERO_USAGE },
    ]);
    await first.close();

    // The next runtime continues the session.
    const next = createLocalRuntime({ home, deps: { brainFor: () => brain, handsFor: () => echoHands() } });
    try {
      await next.engine.whenIdle(id);
      const events = next.store.events.list(id).map((item) => item.event);
      expect(events.filter((event) => event.type === 'agent.message')).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
      expect(asked).toBe(0);
    } finally {
      await next.close();
    }
  });
});
