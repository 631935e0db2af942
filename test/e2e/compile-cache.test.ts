// The CLI keeps V8's compiled code in the user's cache folder between runs: never in the
// state folder or the temporary folder, and not at all when Node is told not to.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempHome } from './cli.js';

describe('the compile cache', () => {
  const fresh = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

  it('lives in $XDG_CACHE_HOME/incident, and nothing is left in the temporary folder', async () => {
    const cache = fresh('incident-cache-');
    const scratch = fresh('incident-tmp-');
    const home = tempHome();
    const env = cliEnv(home, { XDG_CACHE_HOME: cache, TMPDIR: scratch, NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined });
    const listed = await runCli(['sessions', 'list'], env);
    expect(listed.code).toBe(0);
    expect(readdirSync(join(cache, 'incident', 'compile')).length).toBeGreaterThan(0);
    expect(readdirSync(scratch)).toEqual([]);
    expect(existsSync(join(home, 'compile'))).toBe(false);
  });

  it('is not written when NODE_DISABLE_COMPILE_CACHE=1', async () => {
    const cache = fresh('incident-cache-');
    const env = cliEnv(tempHome(), { XDG_CACHE_HOME: cache, NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect((await runCli(['sessions', 'list'], env)).code).toBe(0);
    expect(existsSync(join(cache, 'incident'))).toBe(false);
  });
});
