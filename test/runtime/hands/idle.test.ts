// An idle worker stops after its idle timeout and the next call starts another; the timer
// never stops a worker in the middle of a call and never keeps the host process alive.
// Time is faked; the worker is the real built one.
import { rm } from 'node:fs/promises';
import { setImmediate as tick } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildWorkerEnv, createHandsManager, DEFAULT_ENV_ALLOW, type HandsManager } from '../../../src/runtime/hands/index.js';
import { alive, DEPLOY_TOKEN, makeBundle, testConfig, WORKER } from '../../hands/worker/fixtures.js';

const IDLE_MS = 5 * 60_000;

let bundle: string;
const managers: HandsManager[] = [];

beforeAll(async () => {
  bundle = await makeBundle();
});
afterAll(async () => {
  await rm(bundle, { recursive: true, force: true });
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

function manager(idleTimeoutMs: number | null = IDLE_MS, callTimeoutMs = 20_000): HandsManager {
  const created = createHandsManager({
    workerScript: WORKER,
    config: testConfig({ bundleRoot: bundle }),
    env: buildWorkerEnv({ ...process.env, INCIDENT_DEPLOY_TOKEN: DEPLOY_TOKEN }, DEFAULT_ENV_ALLOW, [{ name: 'deploy_token', fromEnv: 'INCIDENT_DEPLOY_TOKEN' }]),
    callTimeoutMs,
    ...(idleTimeoutMs === null ? {} : { idleTimeoutMs }),
  });
  managers.push(created);
  return created;
}

/** Waits for a process to exit, polling with setImmediate (faked timers never fire on their own). */
async function gone(pid: number): Promise<boolean> {
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    if (!alive(pid)) return true;
    await tick();
  }
  return false;
}

/** Only the timers are faked: process I/O, setImmediate and the clock the worker uses stay real. */
function fakeTimers(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
}

describe('an idle worker', () => {
  it('is stopped once the idle timeout passes with no call, and the next call starts a fresh one', async () => {
    fakeTimers();
    const hands = manager();
    const first = await hands.call('action_rollback', { service: 'checkout' }, { toolUseId: 'tu_1' });
    expect(first.isError).toBe(false);
    const pid = hands.pid ?? -1;
    expect(alive(pid)).toBe(true);

    await vi.advanceTimersByTimeAsync(IDLE_MS - 1);
    expect(alive(pid)).toBe(true);
    expect(hands.started).toBe(true);

    await vi.advanceTimersByTimeAsync(1);
    expect(hands.started).toBe(false);
    expect(await gone(pid)).toBe(true);

    const next = await hands.call('action_rollback', { service: 'checkout' }, { toolUseId: 'tu_2' });
    expect(next.isError).toBe(false);
    expect(hands.pid).toBeTypeOf('number');
    expect(hands.pid).not.toBe(pid);
  });

  it('is never stopped in the middle of a call, however long the call takes', async () => {
    fakeTimers();
    // The host's own call timeout is out of the way: only the idle timer could stop this worker.
    const hands = manager(IDLE_MS, 24 * 3_600_000);
    await hands.listTools();
    const pid = hands.pid ?? -1;
    // A call that takes real time (it prints five lines, 20 ms apart) while fake time runs far past the timeout.
    const pending = hands.call('action_stream', {}, { toolUseId: 'tu_s' });
    await vi.advanceTimersByTimeAsync(IDLE_MS * 3);
    const result = await pending;
    expect(result.isError).toBe(false);
    expect(JSON.parse(result.text).output).toContain('line 5');
    expect(hands.pid).toBe(pid);
    expect(alive(pid)).toBe(true);

    // The idle time counts from the end of the last call.
    await vi.advanceTimersByTimeAsync(IDLE_MS - 1);
    expect(alive(pid)).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(await gone(pid)).toBe(true);
  });

  it('a call keeps the worker: the timeout starts again after each one', async () => {
    fakeTimers();
    const hands = manager();
    await hands.call('action_rollback', { service: 'checkout' }, { toolUseId: 'tu_1' });
    const pid = hands.pid ?? -1;
    await vi.advanceTimersByTimeAsync(IDLE_MS - 1_000);
    await hands.call('action_rollback', { service: 'checkout' }, { toolUseId: 'tu_2' });
    await vi.advanceTimersByTimeAsync(IDLE_MS - 1_000);
    expect(hands.pid).toBe(pid);
    expect(alive(pid)).toBe(true);
  });

  it('the idle timer does not keep the host process alive', async () => {
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    const hands = manager(3_600_000);
    await hands.listTools();
    expect(hands.started).toBe(true);
    const armed = setTimer.mock.results.filter((_, i) => setTimer.mock.calls[i]?.[1] === 3_600_000).map((result) => result.value as NodeJS.Timeout);
    expect(armed).toHaveLength(1);
    expect(armed[0]?.hasRef()).toBe(false);
  });

  it('a worker started ahead of its first call (warm) is stopped by the same timer', async () => {
    fakeTimers();
    const hands = manager();
    await hands.warm();
    const pid = hands.pid ?? -1;
    expect(alive(pid)).toBe(true);
    await vi.advanceTimersByTimeAsync(IDLE_MS);
    expect(await gone(pid)).toBe(true);
  });

  it('with no idle timeout the worker runs until it is closed', async () => {
    fakeTimers();
    const hands = manager(null);
    await hands.listTools();
    const pid = hands.pid ?? -1;
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(alive(pid)).toBe(true);
    await hands.close();
    expect(alive(pid)).toBe(false);
  });
});
