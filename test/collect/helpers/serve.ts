// `incident serve` as a child process for the intake tests: its output kept, waited on by
// what it prints, stopped by the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from '../../e2e/cli.js';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  /** Resolves once its output holds `text` (bounded). */
  printed(text: string | RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startServe(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const take = (chunk: Buffer): void => {
    out += chunk.toString();
    for (const listener of [...listeners]) listener();
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const printed = (text: string | RegExp, timeoutMs = 45_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const holds = (): boolean => (typeof text === 'string' ? out.includes(text) : text.test(out));
      const done = (error?: Error): void => {
        listeners.delete(check);
        child.off('exit', exited);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(out);
      };
      const check = (): void => {
        if (holds()) done();
      };
      const exited = (code: number | null): void => done(new Error(`serve exited with ${code}:\n${out}`));
      const timer = setTimeout(() => done(new Error(`serve did not print ${String(text)} in time:\n${out}`)), timeoutMs);
      listeners.add(check);
      child.once('exit', exited);
      check();
    });
  const banner = await printed(/listening on http:\/\/127\.0\.0\.1:\d+/, 20_000);
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(banner)?.[0] ?? '';
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { child, url, output: () => out, printed, stop };
}
