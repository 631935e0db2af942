// A session's worker, as its environment file says: gone after `idle_timeout` with no
// call and back on the next call; started ahead of the first call with `start: eager`,
// and never more than one per session, however the eager start and the first call race.
// Real worker processes, real time (a tiny idle timeout).
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import { readFile, rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
  await Promise.all(opened.splice(0).map((hands) => hands.close()));
});

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

function open(yaml: string, mountDelays: number[] = []): Hands {
  const environment = parseEnvironmentDefinition(yaml, 'lifetime-test.yaml');
  let mounts = 0;
  const hands = environmentHands(
    {
      sessionId: 'sesn_lifetime',
      agent: {} as BetaManagedAgentsAgent,
      environment,
      // Laying the files out takes as long as the test says, call by call (the first is usually the slow one).
      ensureMounted: async () => {
        const delay = mountDelays[mounts++] ?? 0;
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
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
    const hands = open(environmentFile('  idle_timeout: 300ms\n'));
    expect(await workers()).toEqual([]);
    const first = await call(hands, 'tu_1');
    expect(first.isError).toBe(false);
    const [pid] = await workers();
    expect(pid).toBeTypeOf('number');

    expect(await eventually(() => !alive(pid ?? -1))).toBe(true);
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
    // The eager start mounts slowly and the first call quickly, so the call finishes starting first.
    const hands = open(environmentFile('  start: eager\n'), [200, 0]);
    const result = await call(hands, 'tu_1');
    expect(result.isError).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 400));
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
