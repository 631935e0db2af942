// Symbolic links in a bundle folder, as the hands open it and as the client uploads it:
// a link that stays inside the bundle is a file of it; one that leads out (to a file, a
// folder, or /proc) is never read, and is named with the reason.
import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBundle } from '../../src/bundle/index.js';
import { listBundleFiles } from '../../src/client/upload.js';
import { tempDir } from './tools/helpers/temp.js';

let root: string;
let outside: string;

beforeAll(async () => {
  const base = await tempDir('incident-links');
  root = path.join(base, 'bundle');
  outside = path.join(base, 'outside');
  await mkdir(path.join(root, 'logs', 'archive'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(root, 'logs', 'api.log'), '2026-11-20T14:00:00Z ERROR inside\n');
  await writeFile(path.join(root, 'logs', 'archive', 'old.log'), '2026-11-20T13:00:00Z INFO archived\n');
  await writeFile(path.join(outside, 'secret.log'), '2026-11-20T14:00:00Z ERROR outside\n');
  await symlink(path.join(outside, 'secret.log'), path.join(root, 'logs', 'secret.log'));
  await symlink('/proc/self/environ', path.join(root, 'logs', 'env.log'));
  await symlink(outside, path.join(root, 'logs', 'elsewhere'));
  await symlink('api.log', path.join(root, 'logs', 'same.log'));
  await symlink('archive', path.join(root, 'logs', 'history'));
  await symlink(path.join(root, 'missing.log'), path.join(root, 'logs', 'dangling.log'));
});

describe('opening a bundle folder', () => {
  it('reads links that stay inside from their real place, and names each one that leads out', async () => {
    const bundle = await openBundle(root);
    expect(bundle.files.map((file) => file.path)).toEqual(['logs/api.log', 'logs/archive/old.log', 'logs/same.log']);
    // The file is read where the link really leads, checked to lie inside the bundle.
    expect(bundle.files.find((file) => file.path === 'logs/same.log')?.absPath).toBe(await realpath(path.join(root, 'logs', 'api.log')));
    expect(bundle.problems()).toEqual([
      { path: 'logs/elsewhere', message: 'not read: symbolic link leaves the bundle' },
      { path: 'logs/env.log', message: 'not read: symbolic link leaves the bundle' },
      { path: 'logs/secret.log', message: 'not read: symbolic link leaves the bundle' },
    ]);
    const index = await bundle.index();
    expect(index.logs.map((log) => log.file)).toEqual(['logs/api.log', 'logs/archive/old.log', 'logs/same.log']);
    expect(index.problems.map((problem) => problem.path)).toEqual(['logs/elsewhere', 'logs/env.log', 'logs/secret.log']);
  });

  it('opens a bundle folder reached through a link, measured against where it really is', async () => {
    const only = path.join(await tempDir('incident-links-folder'), 'bundle');
    await mkdir(path.join(only, 'data', 'logs'), { recursive: true });
    await writeFile(path.join(only, 'data', 'logs', 'a.log'), '2026-11-20T14:00:00Z INFO a\n');
    await symlink(path.join(only, 'data', 'logs'), path.join(only, 'logs'));
    const bundle = await openBundle(path.join(only, 'logs'));
    expect(bundle.files.map((file) => file.path)).toEqual(['a.log']);
    expect(bundle.problems()).toEqual([]);
  });

  it('reads a file named on its own as named: the person chose it', async () => {
    const bundle = await openBundle([path.join(root, 'logs', 'secret.log'), path.join(root, 'logs', 'api.log')]);
    expect(bundle.files.map((file) => file.path)).toEqual(['api.log', 'secret.log']);
  });
});

describe('uploading a bundle folder', () => {
  it('uploads links that stay inside, at their own path, and lists the ones that lead out', async () => {
    const { files, refused } = await listBundleFiles([root]);
    expect(files.map((file) => file.relPath)).toEqual(['logs/api.log', 'logs/archive/old.log', 'logs/same.log']);
    expect(files.find((file) => file.relPath === 'logs/same.log')?.absPath).toBe(await realpath(path.join(root, 'logs', 'api.log')));
    expect(refused).toEqual([
      { relPath: 'logs/elsewhere', reason: 'symbolic link leaves the bundle' },
      { relPath: 'logs/env.log', reason: 'symbolic link leaves the bundle' },
      { relPath: 'logs/secret.log', reason: 'symbolic link leaves the bundle' },
    ]);
  });

  it('refuses a folder whose only files lead out, saying why', async () => {
    const only = path.join(await tempDir('incident-links-only'), 'bundle');
    await mkdir(only, { recursive: true });
    await symlink(path.join(outside, 'secret.log'), path.join(only, 'secret.log'));
    await expect(listBundleFiles([only])).rejects.toThrow(/holds no files/);
    await expect(listBundleFiles([only])).rejects.toMatchObject({ hint: expect.stringContaining('symbolic links that lead out') });
  });
});
