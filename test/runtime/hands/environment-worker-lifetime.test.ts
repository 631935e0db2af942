// A session's worker, as its environment file says: gone after `idle_timeout` with no
// call and back on the next call; started ahead of the first call with `start: eager`,
// and never more than one per session, however the eager start and the first call race.
// Real worker processes; the idle timeout is waited out on faked timers.
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import { readFile, rm } from 'node:fs/promises';
import { setImmediate as tick } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseEnvironmentDefinition } from '../../../src/definitions/index.js';
import type { Hands } from '../../../src/runtime/deps.js';
import { environmentHands } from '../../../src/runtime/environment-hands.js';
import { alive, childPids, eventually, makeBundle, WORKER } from '../../hands/worker/fixtures.js';

let bundle: string;
const opened: Hands[] = [];

beforeAll(async () => {
  bundle = await makeBundle();
});
afterAll(async () => {
  await rm(bundle, { recursive: true, force: true });
});
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(opened.splice(0).map((hands) => hands.close()));
});

/** Waits for a process to exit, polling with setImmediate (faked timers never fire on their own). */
async function gone(pid: number): Promise<boolean> {
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    if (!alive(pid)) return true;
    await tick();
  }
  return false;
}

/** The hands worker processes this test process is running. */
async function workers(): Promise<number[]> {
  const pids: number[] = [];
  for (const pid of await childPids(process.pid)) {
    const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (command.includes('hands-worker.js')) pids.push(pid);
  }
  return pids;
}

function environmentFile(worker: string): string {
  return `name: lifetime-test\nworker:\n${worker}`;
}

/** Lays the files out when the test lets it: call by call, each mount waits for its gate (none: at once). */
function open(yaml: string, mountGates: Array<Promise<void>> = []): Hands {
  const environment = parseEnvironmentDefinition(yaml, 'lifetime-test.yaml');
  let mounts = 0;
  const hands = environmentHands(
    {
      sessionId: 'sesn_lifetime',
      agent: {} as BetaManagedAgentsAgent,
      environment,
      ensureMounted: async () => {
        await mountGates[mounts++];
        return bundle;
      },
      onToolOutput: () => undefined,
    },
    { workerScript: WORKER, parentEnv: process.env },
  );
  opened.push(hands);
  return hands;
}

const call = (hands: Hands, id: string): ReturnType<Hands['call']> =>
  hands.call('describe_bundle', {}, { toolUseId: id, signal: new AbortController().signal });

describe('the worker of a session', () => {
  it('stops after the idle timeout of its environment file and starts again on the next call', async () => {
    // Only the timers are faked: process I/O and setImmediate stay real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const hands = open(environmentFile('  idle_timeout: 2m\n'));
    expect(await workers()).toEqual([]);
    const first = await call(hands, 'tu_1');
    expect(first.isError).toBe(false);
    const [pid] = await workers();
    expect(pid).toBeTypeOf('number');

    await vi.advanceTimersByTimeAsync(120_000 - 1);
    expect(alive(pid ?? -1)).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(await gone(pid ?? -1)).toBe(true);
    expect(await workers()).toEqual([]);

    const second = await call(hands, 'tu_2');
    expect(second.isError).toBe(false);
    expect(JSON.parse(second.text)).toEqual(JSON.parse(first.text));
    const again = await workers();
    expect(again).toHaveLength(1);
    expect(again[0]).not.toBe(pid);
  });

  it('starts eagerly, before any call, and stops when the session closes', async () => {
    const hands = open(environmentFile('  start: eager\n'));
    expect(await eventually(async () => (await workers()).length === 1)).toBe(true);
    const [pid] = await workers();
    const result = await call(hands, 'tu_1');
    expect(result.isError).toBe(false);
    expect(await workers()).toEqual([pid]);
    await hands.close();
    expect(await workers()).toEqual([]);
  });

  it('an eager start racing the first call makes one worker, and closing leaves none', async () => {
    // The eager start is still laying the files out when the first call comes.
    let release = (): void => undefined;
    const hands = open(environmentFile('  start: eager\n'), [new Promise<void>((resolve) => (release = resolve))]);
    const pending = call(hands, 'tu_1');
    release();
    const result = await pending;
    expect(result.isError).toBe(false);
    // The eager start has settled by now (it awaits what the call awaited); let its continuations run.
    for (let i = 0; i < 10; i++) await tick();
    expect(await workers()).toHaveLength(1);
    await hands.close();
    expect(await workers()).toEqual([]);
  });

  it('a session whose files cannot be laid out gets a tool error that names no host path', async () => {
    const environment = parseEnvironmentDefinition(environmentFile('  start: lazy\n'), 'lifetime-test.yaml');
    const hands = environmentHands(
      {
        sessionId: 'sesn_broken',
        agent: {} as BetaManagedAgentsAgent,
        environment,
        ensureMounted: async () => {
          // (A full disk is not this: it stops the turn, to resume once there is room.)
          throw Object.assign(new Error(`EACCES: permission denied, copyfile '/var/state/incident/files/ab/abcd' -> '/var/state/incident/mounts/x'`), {
            code: 'EACCES',
          });
        },
        onToolOutput: () => undefined,
      },
      { workerScript: WORKER, parentEnv: process.env },
    );
    opened.push(hands);
    const result = await call(hands, 'tu_1');
    expect(result.isError).toBe(true);
    expect(result.text).toContain('EACCES');
    expect(result.text).not.toContain('/var/state');
  });

  it('what the worker says about its mount root names the session path, not the host one', async () => {
    const hostRoot = `${bundle}-missing`;
    const environment = parseEnvironmentDefinition(environmentFile('  start: lazy\n'), 'lifetime-test.yaml');
    const hands = environmentHands(
      {
        sessionId: 'sesn_missing',
        agent: {} as BetaManagedAgentsAgent,
        environment,
        ensureMounted: async () => hostRoot,
        onToolOutput: () => undefined,
      },
      { workerScript: WORKER, parentEnv: process.env },
    );
    opened.push(hands);
    const result = await call(hands, 'tu_1');
    expect(result.isError).toBe(true);
    expect(result.text).toContain('the bundle root /mnt/session/uploads is not a directory');
    expect(result.text).not.toContain(hostRoot);
  });
});
