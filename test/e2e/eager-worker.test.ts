// `incident diagnose` with an environment whose worker starts eagerly prints its result
// and exits with its normal code, leaving no worker behind.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, startCli, tempHome, userBundle, type CliResult } from './cli.js';

/** Runs the CLI, killing it if it has not exited within `limitMs` (then `code` is null). */
function runWithin(args: readonly string[], env: NodeJS.ProcessEnv, limitMs: number): Promise<CliResult & { timedOut: boolean }> {
  const child = startCli(args, env);
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, limitMs);
  return new Promise((done) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, timedOut });
    }),
  );
}

describe('worker.start: eager', () => {
  it('diagnose prints its result and exits with its normal code', async () => {
    const eager = join(mkdtempSync(join(tmpdir(), 'incident-eager-')), 'eager.yaml');
    const local = readFileSync(resolve('environments/local.yaml'), 'utf8');
    const edited = local.replace(/^ {2}start: lazy\b/m, '  start: eager');
    expect(edited).not.toBe(local);
    writeFileSync(eager, edited);

    const bundle = userBundle('checkout-cache-removed');
    // A large file no tool reads makes laying the session out slow, so the eager start is
    // still mounting when the first tool call arrives: the two must share one worker.
    mkdirSync(join(bundle, 'extra'));
    writeFileSync(join(bundle, 'extra', 'core.bin'), '');
    truncateSync(join(bundle, 'extra', 'core.bin'), 32 * 1024 * 1024);
    const home = tempHome();
    const result = await runWithin(['diagnose', bundle, '--json', '--environment', eager], cliEnv(home), 40_000);
    rmSync(home, { recursive: true, force: true });
    rmSync(bundle, { recursive: true, force: true });
    expect(result.timedOut).toBe(false);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ diagnosis: { root_cause: { category: expect.any(String) } } });
  });
});
