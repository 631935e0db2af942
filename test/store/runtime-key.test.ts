// The runtime key file: generated once, owner-only, in a folder closed to others;
// the same key for every start and every concurrent starter; a file others could
// read is refused rather than trusted.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensureRuntimeKey, readRuntimeKey, runtimeKeyPath, UnsafeRuntimeKey } from '../../src/store/runtime-key.js';

const run = promisify(execFile);
const fresh = (): string => join(mkdtempSync(join(tmpdir(), 'incident-key-')), 'state');

describe('the runtime key', () => {
  it('is generated on first use, 0600, in a 0700 folder, and kept for later starts', () => {
    const home = fresh();
    expect(readRuntimeKey(home)).toBeNull();
    const first = ensureRuntimeKey(home);
    expect(first.created).toBe(true);
    expect(first.key).toMatch(/^incident_rk_[A-Za-z0-9_-]{43}$/);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    const again = ensureRuntimeKey(home);
    expect(again).toMatchObject({ key: first.key, created: false });
    expect(readRuntimeKey(home)).toBe(first.key);
    // No temporary file is left beside it.
    expect(readdirSync(home)).toEqual(['runtime.key']);
  });

  it('is a different random key for every state folder', () => {
    expect(ensureRuntimeKey(fresh()).key).not.toBe(ensureRuntimeKey(fresh()).key);
  });

  it('is the same for processes starting at once on one folder', async () => {
    const home = fresh();
    const module = resolve('src/store/runtime-key.ts');
    const script = `import(${JSON.stringify(module)}).then((m) => process.stdout.write(m.ensureRuntimeKey(${JSON.stringify(home)}).key))`;
    const keys = await Promise.all(
      Array.from({ length: 6 }, async () => (await run(process.execPath, ['-e', script])).stdout),
    );
    expect(new Set(keys).size).toBe(1);
    expect(readRuntimeKey(home)).toBe(keys[0]);
    expect(readdirSync(home)).toEqual(['runtime.key']);
  });

  it('closes an existing folder to other users', () => {
    const home = fresh();
    mkdirSync(home, { recursive: true });
    chmodSync(home, 0o755);
    ensureRuntimeKey(home);
    expect(statSync(home).mode & 0o007).toBe(0);
  });

  it('refuses a key file others can read, or one that is not a plain file', () => {
    const home = fresh();
    mkdirSync(home, { recursive: true, mode: 0o700 });
    writeFileSync(runtimeKeyPath(home), 'incident_rk_leaked\n', { mode: 0o644 });
    chmodSync(runtimeKeyPath(home), 0o644);
    expect(() => ensureRuntimeKey(home)).toThrow(UnsafeRuntimeKey);
    expect(readRuntimeKey(home)).toBe('incident_rk_leaked');

    const linked = fresh();
    mkdirSync(linked, { recursive: true, mode: 0o700 });
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'incident-key-target-')), 'key');
    writeFileSync(elsewhere, 'incident_rk_planted\n', { mode: 0o600 });
    symlinkSync(elsewhere, runtimeKeyPath(linked));
    expect(() => ensureRuntimeKey(linked)).toThrow(UnsafeRuntimeKey);
  });
});
