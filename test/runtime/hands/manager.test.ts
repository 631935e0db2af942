// The host manager against the real built worker: lazy start, a scrubbed environment,
// streamed output, and recovery from a worker that hangs or dies.
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildWorkerEnv, createHandsManager, DEFAULT_ENV_ALLOW, type HandsManager } from '../../../src/runtime/hands/index.js';
import {
  alive,
  CANARY,
  childPids,
  DEPLOY_TOKEN,
  eventually,
  makeBundle,
  processEnv,
  testConfig,
  WORKER,
} from '../../hands/worker/fixtures.js';

let bundle: string;
const managers: HandsManager[] = [];

beforeAll(async () => {
  bundle = await makeBundle();
});
afterAll(async () => {
  await rm(bundle, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
  vi.unstubAllEnvs();
});

function manager(overrides: { callTimeoutMs?: number; startTimeoutMs?: number; withEverything?: boolean; bundleRoot?: string; onOutput?: (id: string, chunk: string) => void } = {}): HandsManager {
  vi.stubEnv('INCIDENT_CANARY', CANARY);
  vi.stubEnv('ANTHROPIC_API_KEY', CANARY);
  vi.stubEnv('INCIDENT_DEPLOY_TOKEN', DEPLOY_TOKEN);
  const created = createHandsManager({
    workerScript: WORKER,
    config: testConfig({ bundleRoot: overrides.bundleRoot ?? bundle, withEverything: overrides.withEverything ?? false }),
    env: buildWorkerEnv(process.env, DEFAULT_ENV_ALLOW, [{ name: 'deploy_token', fromEnv: 'INCIDENT_DEPLOY_TOKEN' }]),
    callTimeoutMs: overrides.callTimeoutMs ?? 20_000,
    ...(overrides.startTimeoutMs === undefined ? {} : { startTimeoutMs: overrides.startTimeoutMs }),
    ...(overrides.onOutput === undefined ? {} : { onOutput: overrides.onOutput }),
  });
  managers.push(created);
  return created;
}

describe('hands manager', () => {
  it('starts no process until the first call', async () => {
    const hands = manager();
    expect(hands.started).toBe(false);
    expect(hands.pid).toBeUndefined();
    const tools = await hands.listTools();
    expect(hands.started).toBe(true);
    expect(hands.pid).toBeTypeOf('number');
    expect(tools.map((tool) => tool.name)).toContain('action_rollback');
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(tool.input_schema.type).toBe('object');
    }
  });

  it('gives the worker only the allow-listed variables and the declared credential', async () => {
    const hands = manager();
    await hands.listTools();
    const env = await processEnv(hands.pid ?? -1);
    expect(env).not.toBeNull();
    const keys = Object.keys(env ?? {});
    const allowed = new Set([...DEFAULT_ENV_ALLOW, 'deploy_token', 'INCIDENT_HANDS_CONFIG']);
    expect(keys.filter((key) => !allowed.has(key))).toEqual([]);
    expect(JSON.stringify(env)).not.toContain(CANARY);
    expect(env?.['deploy_token']).toBe(DEPLOY_TOKEN);
  });

  it('an action sees no canary, and its credential value never comes back', async () => {
    const hands = manager();
    const result = await hands.call('action_print_env', {}, { toolUseId: 'tu_1' });
    expect(result).toMatchObject({ isError: false });
    expect(result.text).not.toContain(CANARY);
    expect(result.text).not.toContain(DEPLOY_TOKEN);
    const printed = JSON.parse(JSON.parse(result.text).output) as Record<string, string>;
    expect(printed['DEPLOY_TOKEN']).toBe('[REDACTED:deploy_token]');
    expect(printed['INCIDENT_CANARY']).toBeUndefined();
    expect(printed['ANTHROPIC_API_KEY']).toBeUndefined();
    expect(printed['deploy_token']).toBeUndefined();
    expect(printed['INCIDENT_HANDS_CONFIG']).toBeUndefined();
  });

  it('streams an action output to onOutput, redacted, and returns it whole', async () => {
    const chunks: string[] = [];
    const hands = manager({ onOutput: (id, chunk) => chunks.push(`${id}:${chunk}`) });
    const result = await hands.call('action_stream', {}, { toolUseId: 'tu_stream' });
    expect(result.isError).toBe(false);
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((chunk) => chunk.startsWith('tu_stream:'))).toBe(true);
    const streamed = chunks.map((chunk) => chunk.slice('tu_stream:'.length)).join('');
    expect(streamed).toContain('line 5\n');
    expect(streamed).toContain('token [REDACTED:deploy_token]');
    expect(streamed).not.toContain(DEPLOY_TOKEN);
    expect(JSON.parse(result.text).output).toContain('line 1\nline 2');
  });

  it('substitutes parameters as whole argv elements and dry-runs without running', async () => {
    const hands = manager();
    const dry = await hands.call('action_rollback', { service: 'checkout' }, { toolUseId: 'tu_d', dryRun: true });
    expect(dry.isError).toBe(false);
    const plan = JSON.parse(dry.text);
    expect(plan.dry_run).toBe(true);
    expect(plan.argv.slice(3)).toEqual(['--', 'deployment/checkout', '--namespace', 'production']);
    expect(plan.credential_env).toEqual(['DEPLOY_TOKEN']);
    const ran = await hands.call('action_rollback', { service: 'checkout', change_id: 'deploy-4821; rm -rf /' }, { toolUseId: 'tu_r' });
    expect(ran.isError).toBe(false);
    expect(JSON.parse(JSON.parse(ran.text).output)).toEqual(['deployment/checkout', '--namespace', 'production', 'deploy-4821; rm -rf /']);
    const bad = await hands.call('action_rollback', { service: 'Checkout Service' }, { toolUseId: 'tu_b' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('does not match the pattern');
  });

  it('kills a hung call at its timeout, with its process group, and the next call gets a fresh worker', async () => {
    // The short timeout is the call's; a fresh worker on a loaded machine may take longer to start.
    const hands = manager({ callTimeoutMs: 1_500, startTimeoutMs: 30_000, withEverything: true });
    await hands.listTools();
    const first = hands.pid ?? -1;
    const external = await childPids(first);
    expect(external.length).toBeGreaterThan(0);

    const hung = await hands.call('everything__trigger-long-running-operation', { duration: 60, steps: 2 }, { toolUseId: 'tu_h' });
    expect(hung.isError).toBe(true);
    expect(hung.text).toMatch(/did not finish within 1\.5s; the environment worker was stopped/);
    expect(await eventually(() => !alive(first))).toBe(true);
    expect(await eventually(() => external.every((pid) => !alive(pid)))).toBe(true);

    const next = await hands.call('action_rollback', { service: 'checkout' }, { toolUseId: 'tu_n' });
    expect(next.isError).toBe(false);
    expect(hands.pid).not.toBe(first);
  });

  it('a hung action is killed by its own timeout, grandchildren included, and the worker lives on', async () => {
    const hands = manager();
    await hands.listTools();
    const pid = hands.pid;
    const result = await hands.call('action_hang', {}, { toolUseId: 'tu_hang' });
    expect(result.isError).toBe(true);
    const body = JSON.parse(result.text);
    expect(body.timed_out).toBe(true);
    expect(body.summary).toContain('timed out after 1.5s');
    const grandchild = Number(/grandchild (\d+)/.exec(body.output)?.[1]);
    expect(grandchild).toBeGreaterThan(0);
    expect(await eventually(() => !alive(grandchild))).toBe(true);
    expect(hands.pid).toBe(pid);
  });

  it('a worker that dies mid-call becomes a tool error, takes its actions with it, and the next call works', async () => {
    const streamed: string[] = [];
    const hands = manager({ onOutput: (_id, chunk) => streamed.push(chunk) });
    await hands.listTools();
    const pid = hands.pid ?? -1;
    const pending = hands.call('action_hang', {}, { toolUseId: 'tu_c' });
    await eventually(() => /grandchild \d+/.test(streamed.join('')));
    const grandchild = Number(/grandchild (\d+)/.exec(streamed.join(''))?.[1]);
    const action = await childPids(pid);
    expect(action.length).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(result.text).toContain('the environment worker was killed by SIGKILL during action_hang');
    // Nothing the action started outlives the worker, however the worker died.
    expect(await eventually(() => [...action, grandchild].every((child) => !alive(child)))).toBe(true);
    const next = await hands.call('action_rollback', { service: 'checkout' }, { toolUseId: 'tu_n' });
    expect(next.isError).toBe(false);
    expect(hands.pid).not.toBe(pid);
  });

  it('cancels a running action through the signal', async () => {
    const hands = manager();
    const controller = new AbortController();
    const pending = hands.call('action_hang', {}, { toolUseId: 'tu_x', signal: controller.signal });
    let action: number[] = [];
    await eventually(async () => hands.pid !== undefined && (action = await childPids(hands.pid)).length > 0);
    controller.abort();
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(result.text).toContain('cancelled');
    expect(await eventually(() => action.every((pid) => !alive(pid)))).toBe(true);
    const next = await hands.call('action_rollback', { service: 'checkout' }, { toolUseId: 'tu_n' });
    expect(next.isError).toBe(false);
  });

  it('a worker that cannot start is an error result, never a rejection', async () => {
    const hands = manager({ bundleRoot: '/nonexistent/incident-bundle' });
    const result = await hands.call('describe_bundle', {}, { toolUseId: 'tu_s' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/exited with code 2\..*bundle root \/nonexistent\/incident-bundle is not a directory/);
    expect(hands.started).toBe(false);
    await expect(hands.listTools()).rejects.toThrow(/not a directory/);
  });

  it('closes the worker', async () => {
    const hands = manager();
    await hands.listTools();
    const pid = hands.pid ?? -1;
    await hands.close();
    expect(alive(pid)).toBe(false);
    const after = await hands.call('describe_bundle', {}, { toolUseId: 'tu_z' });
    expect(after.isError).toBe(true);
  });
});
