// The work queue of a self-hosted environment, through the SDK's own work methods against
// the local runtime: poll with a sessions token in the secret, acknowledge, heartbeats with
// their 412 precondition, stop and its 409, reclaim of an unacknowledged item and of one
// whose lease lapsed, and what the credentials of `incident serve` may reach.
import type Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeClient } from '../../src/client/sdk.js';
import { definitionHash, parseEnvironmentDefinition } from '../../src/definitions/index.js';
import { environmentHands } from '../../src/runtime/environment-hands.js';
import { guardHandler } from '../../src/runtime/http-guard.js';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { scriptedBrain, type ScriptStep } from './scripted.js';

const WORKER_ENVIRONMENT = parseEnvironmentDefinition(
  `
name: ops-workers
hands: worker
actions:
  - name: rollback
    kind: rollback
    description: Roll back a deployment.
    argv: [echo, rollback]
`,
  'ops-workers.yaml',
);

const open: LocalRuntime[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(open.splice(0).map((runtime) => runtime.close()));
});

interface Setup {
  runtime: LocalRuntime;
  client: Anthropic;
  environmentId: string;
  keyPath: string;
  sessionId: string;
}

async function setUp(steps: readonly ScriptStep[] = [[{ kind: 'message', text: 'done' }]]): Promise<Setup> {
  const runtime = createLocalRuntime({
    home: mkdtempSync(join(tmpdir(), 'incident-work-')),
    resume: false,
    environments: [WORKER_ENVIRONMENT],
    // The runtime never starts these hands: every call of a worker environment goes to its workers.
    deps: { brainFor: () => scriptedBrain(steps), handsFor: (setup) => environmentHands(setup, { workerScript: '/nonexistent', parentEnv: {} }) },
  });
  open.push(runtime);
  const [provisioned] = runtime.provisionWorkerEnvironments();
  if (!provisioned) throw new Error('no worker environment');
  const client = await makeClient({ fetch: runtime.fetch });
  const agent = await client.beta.agents.create({
    name: 'sre',
    model: 'claude-opus-4-8',
    tools: [{ type: 'custom', name: 'describe_bundle', description: 'd', input_schema: { type: 'object', properties: {} } }],
  });
  const session = await client.beta.sessions.create({ agent: agent.id, environment_id: provisioned.environmentId });
  return { runtime, client, environmentId: provisioned.environmentId, keyPath: provisioned.keyPath, sessionId: session.id };
}

function tokenOf(secret: string | null): string {
  const parsed = JSON.parse(Buffer.from(secret ?? '', 'base64url').toString('utf8')) as { sessions_token?: string };
  return parsed.sessions_token ?? '';
}

describe('the work queue', () => {
  it('hands a session out once, leases it by heartbeat, refuses a stale heartbeat with 412, and stops once', async () => {
    const { runtime, client, environmentId, sessionId } = await setUp();
    const environment = await client.beta.environments.retrieve(environmentId);
    expect(environment.config.type).toBe('self_hosted');
    const work = client.beta.environments.work;
    const item = await work.poll(environmentId, { block_ms: 50, 'Anthropic-Worker-ID': 'w1' });
    expect(item).toMatchObject({ type: 'work', state: 'queued', data: { type: 'session', id: sessionId } });
    const token = tokenOf(item?.secret ?? null);
    expect(token).toMatch(/^incident_st_/);
    // Handed out and not yet acknowledged: nobody else gets it before reclaim_older_than_ms.
    expect(await work.poll(environmentId, { block_ms: 1 })).toBeNull();
    const id = item?.id ?? '';
    expect(await work.ack(id, { environment_id: environmentId })).toMatchObject({ state: 'starting' });
    await expect(work.ack(id, { environment_id: environmentId })).rejects.toMatchObject({ status: 409 });

    const first = await work.heartbeat(id, { environment_id: environmentId, expected_last_heartbeat: 'NO_HEARTBEAT' });
    expect(first).toMatchObject({ type: 'work_heartbeat', lease_extended: true, state: 'active' });
    const stale = await work.heartbeat(id, { environment_id: environmentId, expected_last_heartbeat: 'NO_HEARTBEAT' }).catch((error: unknown) => error);
    expect(stale).toMatchObject({ status: 412, errorCode: 'heartbeat_precondition_failed' });
    expect((stale as { details: { current_state: { last_heartbeat: string } } }).details.current_state.last_heartbeat).toBe(first.last_heartbeat);
    const second = await work.heartbeat(id, { environment_id: environmentId, expected_last_heartbeat: first.last_heartbeat, desired_ttl_seconds: 7 });
    expect(second).toMatchObject({ lease_extended: true, ttl_seconds: 7 });
    expect(second.last_heartbeat).not.toBe(first.last_heartbeat);
    expect(runtime.access.principal(token)).toMatchObject({ kind: 'work', sessionId, current: true });

    expect(await work.stop(id, { environment_id: environmentId, force: true })).toMatchObject({ state: 'stopped' });
    await expect(work.stop(id, { environment_id: environmentId, force: true })).rejects.toMatchObject({ status: 409 });
    expect(await work.heartbeat(id, { environment_id: environmentId, expected_last_heartbeat: second.last_heartbeat })).toMatchObject({
      lease_extended: false,
      state: 'stopped',
    });
    expect(runtime.access.principal(token)).toMatchObject({ current: false });
  });

  it('gives an unacknowledged item to the next poll after reclaim_older_than_ms, and a lapsed lease to the next poll, each with a new token', async () => {
    const { runtime, client, environmentId } = await setUp();
    const work = client.beta.environments.work;
    const first = await work.poll(environmentId, {});
    const again = await work.poll(environmentId, { reclaim_older_than_ms: 0 });
    expect(again?.id).toBe(first?.id);
    expect(runtime.access.principal(tokenOf(first?.secret ?? null))).toMatchObject({ current: false });
    const id = again?.id ?? '';
    await work.ack(id, { environment_id: environmentId });
    await work.heartbeat(id, { environment_id: environmentId, expected_last_heartbeat: 'NO_HEARTBEAT', desired_ttl_seconds: 2 });
    expect(await work.poll(environmentId, {})).toBeNull();

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3_000);
    const reclaimed = await work.poll(environmentId, {});
    expect(reclaimed?.id).toBe(id);
    const holder = runtime.access.principal(tokenOf(again?.secret ?? null));
    expect(holder).toMatchObject({ current: false });
    // The old holder's next heartbeat learns that the lease is no longer its own.
    const refused = await runtime.handle(
      new Request(`http://runtime.test/v1/environments/${environmentId}/work/${id}/heartbeat?expected_last_heartbeat=x`, { method: 'POST' }),
    );
    expect(refused.status).toBe(412);
  });

  it('answers an approved action whose worker went away as not run again, before the next worker reads the session', async () => {
    const steps: ScriptStep[] = [[{ kind: 'tool_use', name: 'action_rollback', input: {} }], [{ kind: 'message', text: 'done' }]];
    const { client, environmentId, sessionId } = await setUp(steps);
    const work = client.beta.environments.work;
    const item = await work.poll(environmentId, {});
    const id = item?.id ?? '';
    await work.ack(id, { environment_id: environmentId });
    await work.heartbeat(id, { environment_id: environmentId, expected_last_heartbeat: 'NO_HEARTBEAT', desired_ttl_seconds: 2 });
    const stream = await client.beta.sessions.events.stream(sessionId);
    await client.beta.sessions.events.send(sessionId, { events: [{ type: 'user.message', content: [{ type: 'text', text: 'roll back' }] }] });
    let useId = '';
    for await (const event of stream) {
      if (event.type === 'agent.tool_use') {
        expect(event).toMatchObject({ name: 'action_rollback', evaluated_permission: 'ask' });
        useId = event.id;
      }
      if (event.type === 'session.status_idle') break;
    }
    await client.beta.sessions.events.send(sessionId, { events: [{ type: 'user.tool_confirmation', tool_use_id: useId, result: 'allow' }] });

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3_000);
    expect((await work.poll(environmentId, {}))?.id).toBe(id);
    const history = [];
    for await (const event of client.beta.sessions.events.list(sessionId)) history.push(event);
    const answers = history.filter((event) => event.type === 'user.tool_result');
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ tool_use_id: useId, is_error: true });
    expect(JSON.stringify(answers[0])).toContain('not run again');
    // That answer settled the call: a result the next worker sends for it is refused.
    await expect(
      client.beta.sessions.events.send(sessionId, { events: [{ type: 'user.tool_result', tool_use_id: useId, content: [{ type: 'text', text: 'ran' }] }] }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('a stopped item whose session still waits on its hands is queued again for the next worker', async () => {
    const { client, environmentId, sessionId } = await setUp([[{ kind: 'tool_use', name: 'describe_bundle', input: {} }], [{ kind: 'message', text: 'done' }]]);
    const work = client.beta.environments.work;
    const item = await work.poll(environmentId, {});
    const id = item?.id ?? '';
    await work.ack(id, { environment_id: environmentId });
    const stream = await client.beta.sessions.events.stream(sessionId);
    await client.beta.sessions.events.send(sessionId, { events: [{ type: 'user.message', content: [{ type: 'text', text: 'go' }] }] });
    for await (const event of stream) if (event.type === 'session.status_idle') break;
    // The worker lets the session go just as a call arrives: another worker must get it.
    await work.stop(id, { environment_id: environmentId, force: true });
    const next = await work.poll(environmentId, {});
    expect(next?.id).not.toBe(id);
    expect(next?.data).toEqual({ type: 'session', id: sessionId });
  });

  it('an environment key reaches its environments and their queue; a sessions token only its session, and only to answer calls', async () => {
    const { runtime, client, environmentId, sessionId } = await setUp();
    const { key: environmentKey } = runtime.access.issueEnvironmentKey(definitionHash(WORKER_ENVIRONMENT));
    const other = await client.beta.sessions.create({ agent: (await client.beta.sessions.retrieve(sessionId)).agent.id, environment_id: environmentId });
    const guarded = guardHandler(runtime.handle, { key: 'incident_rk_operator', bindHost: '127.0.0.1', principal: (credential) => runtime.access.principal(credential) });
    const connection = { localAddress: '127.0.0.1', localPort: 4646, remoteAddress: '127.0.0.1' };
    const as = async (credential: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
      const headers: Record<string, string> = { host: '127.0.0.1:4646', authorization: `Bearer ${credential}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await guarded(new Request(`http://127.0.0.1:4646${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }), connection);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    const listed = await as(environmentKey, 'GET', '/v1/environments');
    expect(listed.status).toBe(200);
    expect((listed.body['data'] as Array<{ id: string }>).map((environment) => environment.id)).toEqual([environmentId]);
    expect((await as(environmentKey, 'GET', `/v1/sessions/${sessionId}`)).status).toBe(403);
    const polled = await as(environmentKey, 'GET', `/v1/environments/${environmentId}/work/poll`);
    expect(polled.status).toBe(200);
    const token = tokenOf(polled.body['secret'] as string);
    const own = polled.body['data'] as { id: string };

    expect((await as(token, 'GET', `/v1/sessions/${own.id}/events`)).status).toBe(200);
    const otherId = own.id === sessionId ? other.id : sessionId;
    expect((await as(token, 'GET', `/v1/sessions/${otherId}/events`)).status).toBe(403);
    expect((await as(token, 'GET', '/v1/sessions')).status).toBe(403);
    expect((await as(token, 'GET', `/v1/environments/${environmentId}/work/poll`)).status).toBe(403);
    const spoken = await as(token, 'POST', `/v1/sessions/${own.id}/events`, { events: [{ type: 'user.message', content: [{ type: 'text', text: 'hi' }] }] });
    expect(spoken.status).toBe(400);
    expect((await as('incident_st_forged', 'GET', `/v1/sessions/${own.id}`)).status).toBe(401);
  });
});
