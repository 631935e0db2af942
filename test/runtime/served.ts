// Starts a runtime server as a child process on 127.0.0.1 and reads its port.
import { spawn, type ChildProcess } from 'node:child_process';
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Served {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** Bundles a TypeScript entry (test fixtures are not in dist/) to a runnable .mjs file. */
export async function bundleEntry(entry: string): Promise<string> {
  // Inside the project, so the bundle resolves its packages from node_modules.
  const base = resolve('.tmp', 'entries');
  mkdirSync(base, { recursive: true });
  const outfile = join(mkdtempSync(join(base, 'entry-')), 'entry.mjs');
  await build({ entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node22', packages: 'external', logLevel: 'error' });
  return outfile;
}

export function startServed(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Served> {
  const child = spawn(command, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), 20_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /127\.0\.0\.1:(\d+)/.exec(out) ?? /listening (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${match[1]}`, exited });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${out}${err}`));
    });
  });
}
