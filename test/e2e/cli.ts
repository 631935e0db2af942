// Runs the built CLI (bin/incident.js → dist/) as a user would, with its own state home.
import { removedWhenFileEnds } from '../temp-dirs.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve('bin/incident.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function tempHome(): string {
  return removedWhenFileEnds(mkdtempSync(join(tmpdir(), 'incident-e2e-')));
}

/** The environment of a user with no API key and a state home of their own. */
export function cliEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, INCIDENT_HOME: home, NO_COLOR: '1' };
  delete env['ANTHROPIC_API_KEY'];
  delete env['FORCE_COLOR'];
  return { ...env, ...extra };
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const child = startCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

/** A copy of a fixture as a user would have it: the bundle without its answer key. */
export function userBundle(fixture: string): string {
  const dir = join(removedWhenFileEnds(mkdtempSync(join(tmpdir(), 'incident-bundle-'))), fixture);
  cpSync(resolve('fixtures', fixture), dir, { recursive: true });
  rmSync(join(dir, 'truth.json'), { force: true });
  return dir;
}

/**
 * The fixture with a busy proxy's log beside it (some 40 MB over its window): reading it
 * keeps the investigation going long enough that an interrupt lands in the middle of it.
 */
export function busyBundle(): string {
  const bundle = userBundle('checkout-cache-removed');
  const alert = readFileSync(join(bundle, 'incident.yaml'), 'utf8');
  const page = Date.parse(/started_at:\s*"?([^"\n]+)/.exec(alert)?.[1] ?? '');
  const lines: string[] = [];
  const count = 400_000;
  for (let i = 0; i < count; i += 1) {
    const at = new Date(page - 3 * 3600_000 + (3.5 * 3600_000 * i) / count).toISOString();
    lines.push(`${at} INFO [edge-proxy] GET /api/items/${(i * 7919) % 100_000} status=200 duration=${i % 90}ms`);
  }
  writeFileSync(join(bundle, 'logs', 'edge-proxy.log'), `${lines.join('\n')}\n`);
  return bundle;
}

