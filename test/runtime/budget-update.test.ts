// A session's spend ceiling after creation, as the API has it: replaced or removed on
// update (a resume's --max-cost), never added to a session created without one.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeClient } from '../../src/client/sdk.js';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { echoHands, scriptedBrain } from './scripted.js';

const open: LocalRuntime[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((runtime) => runtime.close()));
});

const limit = (cents: string) => ({ type: 'limit' as const, max_list_cost: { amount: cents, currency: 'USD' as const } });

describe('a session budget on update', () => {
  it('is replaced or removed when the session has one, and refused when it was created without', async () => {
    const runtime = createLocalRuntime({ home: mkdtempSync(join(tmpdir(), 'incident-budget-')), resume: false, deps: { brainFor: () => scriptedBrain([]), handsFor: () => echoHands() } });
    open.push(runtime);
    const client = await makeClient({ fetch: runtime.fetch });
    const agent = await client.beta.agents.create({ name: 'sre', model: 'claude-opus-4-8' });
    const environment = await client.beta.environments.create({ name: 'local' });
    const limited = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id, budget: limit('200') });
    expect((await client.beta.sessions.update(limited.id, { budget: limit('500') })).budget).toEqual(limit('500'));
    expect((await client.beta.sessions.retrieve(limited.id)).budget).toEqual(limit('500'));
    expect((await client.beta.sessions.update(limited.id, { budget: null })).budget).toBeNull();

    const unlimited = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id });
    await expect(client.beta.sessions.update(unlimited.id, { budget: limit('500') })).rejects.toMatchObject({ status: 400 });
    expect((await client.beta.sessions.retrieve(unlimited.id)).budget).toBeNull();
  });
});
