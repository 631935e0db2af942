// `incident serve` asked to stop (SIGTERM from a service manager, SIGINT from Ctrl-C)
// stops its environment workers and exits: a real server process that has started a
// worker, a real signal, and the worker processes checked afterwards.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startServed } from '../runtime/served.js';
import { BIN, cliEnv, runCli, tempHome, userBundle } from './cli.js';

function childrenOf(pid: number): number[] {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([child, parent]) => parent === pid && child !== undefined && !Number.isNaN(child))
    .map(([child]) => child as number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The exit code, or a failure naming what did not happen: a hang must not hang the suite. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(what)), ms);
    }),
  ]);
}

describe('incident serve stops on a signal', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits 0 on ${signal} with its environment workers gone`, async () => {
      const home = tempHome();
      const env = cliEnv(home);
      const served = await startServed(process.execPath, [BIN, 'serve', '--port', '0'], env);
      const pid = served.child.pid as number;
      try {
        // A diagnosis starts the session's environment worker, which the runtime keeps.
        const diagnosed = await runCli(['diagnose', userBundle('checkout-cache-removed'), '--runtime', served.url, '--json'], env);
        expect(diagnosed.code).toBe(0);
        const workers = childrenOf(pid);
        expect(workers.length).toBeGreaterThan(0);

        served.child.kill(signal);
        expect(await within(served.exited, 20_000, `incident serve did not exit after ${signal}`)).toBe(0);
        // The server waited for them: none is left behind, not even for a moment.
        expect(workers.filter(alive)).toEqual([]);
      } finally {
        served.child.kill('SIGKILL');
      }
    });
  }
});
