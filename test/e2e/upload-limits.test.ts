// `incident diagnose` refuses a bundle that could never be mounted before it uploads
// anything, and when an upload or the session is refused half-way it deletes what it had
// uploaded: the state folder's files are byte-identical before and after.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { cliEnv, runCli, tempHome, userBundle } from './cli.js';

function snapshot(home: string): Record<string, string> {
  const root = join(home, 'files');
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return out;
}

function fileIds(home: string): string[] {
  const store = new Store(home, { readOnly: true });
  try {
    return store.files.list({ limit: 10_000 }).data.map((row) => row.id);
  } finally {
    store.close();
  }
}

function environmentWith(line: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'incident-env-')), 'env.yaml');
  const local = readFileSync(resolve('environments/local.yaml'), 'utf8');
  const edited = local.replace(/^ {2}max_upload_bytes: \d+.*$/m, line);
  expect(edited).not.toBe(local);
  writeFileSync(file, edited);
  return file;
}

describe('a bundle over the limits is refused before anything is uploaded', () => {
  it('more files than a session may mount', async () => {
    const bundle = mkdtempSync(join(tmpdir(), 'incident-many-'));
    mkdirSync(join(bundle, 'logs'));
    for (let i = 0; i < 501; i++) writeFileSync(join(bundle, 'logs', `app-${String(i).padStart(3, '0')}.log`), `line ${i}\n`);
    const home = tempHome();
    const result = await runCli(['diagnose', bundle], cliEnv(home));
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('the bundle has 501 files; a session may mount at most 500');
    expect(result.stderr).toContain('pass a narrower folder');
    expect(snapshot(home)).toEqual({});
    expect(fileIds(home)).toEqual([]);
  });

  it('a file larger than worker.max_upload_bytes', async () => {
    const bundle = userBundle('checkout-cache-removed');
    writeFileSync(join(bundle, 'huge.log'), 'x'.repeat(1_572_864));
    const environment = environmentWith('  max_upload_bytes: 1048576');
    const home = tempHome();
    const result = await runCli(['diagnose', bundle, '--environment', environment], cliEnv(home));
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('huge.log is 1.5 MiB; a file may be at most 1 MiB (worker.max_upload_bytes)');
    expect(result.stderr).toContain('split the log');
    expect(snapshot(home)).toEqual({});
    expect(fileIds(home)).toEqual([]);
  });
});

describe('a refusal after some files were uploaded leaves the state folder as it was', () => {
  const home = tempHome();
  let before: Record<string, string>;
  let rowsBefore: string[];

  beforeAll(async () => {
    // A session already mounts these bytes: deleting a new upload of the same bytes must keep them.
    const first = await runCli(['diagnose', userBundle('checkout-cache-removed'), '--json'], cliEnv(home));
    expect(first.code).toBe(0);
    before = snapshot(home);
    rowsBefore = fileIds(home);
    expect(Object.keys(before).length).toBeGreaterThan(0);
  });

  it('when the session is refused (a mount path too long), the uploaded files are deleted', async () => {
    const bundle = userBundle('checkout-cache-removed');
    const deep = join(bundle, ...Array.from({ length: 5 }, (_, i) => `${i}`.repeat(200)));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'deep.log'), 'a line nobody will read\n');
    const result = await runCli(['diagnose', bundle], cliEnv(home));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/mount_path \/0+… is too long \(\d+ bytes with the \/mnt\/session\/uploads prefix\)/);
    expect(result.stderr).not.toContain(home);
    expect(snapshot(home)).toEqual(before);
    expect(fileIds(home)).toEqual(rowsBefore);
  });

  it('when an upload is refused half-way (the runtime has a lower limit), the files before it are deleted', async () => {
    const bundle = userBundle('checkout-cache-removed');
    writeFileSync(join(bundle, 'zz-last.log'), `${'y'.repeat(3_000)}\n`);
    writeFileSync(join(bundle, 'aa-first.log'), 'a fresh first file\n');
    const result = await runCli(['diagnose', bundle], cliEnv(home, { INCIDENT_MAX_UPLOAD_BYTES: '2000' }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("larger than this runtime's upload limit (2000 bytes");
    expect(snapshot(home)).toEqual(before);
    expect(fileIds(home)).toEqual(rowsBefore);
  });
});
