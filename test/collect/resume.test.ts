// An interrupted collection continues: the folder's manifest says which steps are done,
// and the same command run again (without --out too: it finds its unfinished folder)
// skips them and does the rest.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv, tempHome, type CliResult } from '../e2e/cli.js';

function run(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, interruptWhen?: string): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let interrupted = false;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    // Once, as a person presses Ctrl+C once (a second one ends any program at once).
    if (!interrupted && interruptWhen !== undefined && stderr.includes(interruptWhen)) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('an interrupted incident collect', () => {
  it('continues where it stopped when the same command runs again', async () => {
    const work = mkdtempSync(join(tmpdir(), 'incident-resume-'));
    const count = join(work, 'first-runs');
    const slow = join(work, 'slow');
    writeFileSync(slow, '');
    const first = `first=sh -c "echo run >> ${count}; echo 2026-11-20T14:00:00Z INFO first source"`;
    // Slow while the marker exists: the run is interrupted there.
    const second = `second=sh -c "if [ -e ${slow} ]; then sleep 30; fi; echo 2026-11-20T14:00:01Z INFO second source"`;
    const args = ['collect', '--service', 'checkout', '--since', '2026-11-20T13:00:00Z', '--until', '2026-11-20T15:00:00Z', '--logs', first, '--logs', second];
    const env = cliEnv(tempHome());

    const interrupted = await run(args, work, env, 'collect: logs: logs/first.log');
    expect(interrupted.code).toBe(130);
    const [folder] = readdirSync(work).filter((name) => name.startsWith('incident-checkout-'));
    expect(folder).toBeDefined();
    const out = join(work, folder ?? '');
    expect(interrupted.stderr).toContain(`incident: interrupted: run the same command again to continue the collection in ${out}`);
    expect(existsSync(join(out, 'logs', 'first.log'))).toBe(true);
    expect(existsSync(join(out, 'logs', 'second.log'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(out, '.collect', 'manifest.json'), 'utf8')) as { complete: boolean };
    expect(manifest.complete).toBe(false);

    rmSync(slow);
    const continued = await run(args, work, env);
    expect(continued.code, continued.stderr).toBe(0);
    expect(continued.stdout.trim()).toBe(out);
    expect(continued.stderr).toContain(`collect: continuing the collection in ${out}`);
    // The first source ran once: its step was done, and the rerun did not repeat it.
    expect(readFileSync(count, 'utf8')).toBe('run\n');
    expect(readFileSync(join(out, 'logs', 'second.log'), 'utf8')).toBe('2026-11-20T14:00:01Z INFO second source\n');
    expect(readdirSync(work).filter((name) => name.startsWith('incident-'))).toEqual([folder]);

    // Finished, the same command says so and collects nothing again.
    const again = await run([...args, '--out', out], work, env);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already holds this collection');
    expect(readFileSync(count, 'utf8')).toBe('run\n');
  });
});
