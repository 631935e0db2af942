// The state folder holds every uploaded log and diff, every event and diagnosis: another
// user of the machine must not be able to read it, whichever command made it first (not
// only `incident serve`). A folder shared on purpose (sticky, like /tmp) or another
// user's is never changed.
import { chmodSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { cliEnv, runCli } from '../e2e/cli.js';

const fresh = (): string => join(mkdtempSync(join(tmpdir(), 'incident-folder-')), 'state', 'incident');
const modeOf = (folder: string): number => statSync(folder).mode & 0o7777;

describe('the state folder', () => {
  it('is created owner-only by the first command that keeps anything, with the folders above it', async () => {
    const home = fresh();
    const listed = await runCli(['sessions', 'list'], cliEnv(home));
    expect(listed.code, listed.stderr).toBe(0);
    expect(modeOf(home)).toBe(0o700);
    expect(modeOf(join(home, '..'))).toBe(0o700);
  });

  it('made open to others by an earlier version is closed to them when a store opens it', () => {
    const home = fresh();
    mkdirSync(home, { recursive: true });
    chmodSync(home, 0o755);
    new Store(home).close();
    expect(modeOf(home)).toBe(0o750);
  });

  it('is left as it is when it is shared on purpose (sticky) or only read', () => {
    const shared = fresh();
    mkdirSync(shared, { recursive: true });
    chmodSync(shared, 0o1777);
    new Store(shared).close();
    expect(modeOf(shared)).toBe(0o1777);

    const readOnly = fresh();
    mkdirSync(readOnly, { recursive: true });
    new Store(readOnly).close();
    chmodSync(readOnly, 0o755);
    new Store(readOnly, { readOnly: true }).close();
    expect(modeOf(readOnly)).toBe(0o755);
  });
});
