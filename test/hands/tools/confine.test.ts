import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveInside } from '../../../src/hands/confine.js';
import { tempDir } from './helpers/temp.js';

let root: string;
let outside: string;

beforeAll(async () => {
  const base = await tempDir('incident-confine');
  root = path.join(base, 'bundle');
  outside = path.join(base, 'secret.txt');
  await mkdir(path.join(root, 'logs'), { recursive: true });
  await writeFile(path.join(root, 'logs', 'api.log'), 'hello\n');
  await writeFile(outside, 'do not read\n');
  await symlink(outside, path.join(root, 'logs', 'escape.log'));
  await symlink(path.join(root, 'logs', 'api.log'), path.join(root, 'inside-link.log'));
  await symlink(path.dirname(outside), path.join(root, 'up'));
});

describe('resolveInside', () => {
  it('resolves a bundle-relative path', async () => {
    const result = await resolveInside([root], 'logs/api.log');
    expect(result).toMatchObject({ ok: true, relPath: 'logs/api.log' });
  });

  it('accepts an absolute path inside a root', async () => {
    const result = await resolveInside([root], path.join(root, 'logs', 'api.log'));
    expect(result).toMatchObject({ ok: true, relPath: 'logs/api.log' });
  });

  it('refuses ".." even when it would land inside', async () => {
    for (const request of ['../secret.txt', 'logs/../../secret.txt', 'logs/../logs/api.log', '..\\secret.txt']) {
      const result = await resolveInside([root], request);
      expect(result.ok, request).toBe(false);
      if (!result.ok) expect(result.error).toContain('..');
    }
  });

  it('refuses an absolute path outside the roots', async () => {
    const result = await resolveInside([root], outside);
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) {
      expect(result.error).toContain('outside');
      expect(result.hint).toContain('relative');
    }
  });

  it('refuses a symlink that leads out, file or folder', async () => {
    for (const request of ['logs/escape.log', 'up/secret.txt']) {
      const result = await resolveInside([root], request);
      expect(result.ok, request).toBe(false);
      if (!result.ok) expect(result.error).toContain('symbolic link');
    }
  });

  it('follows a symlink that stays inside', async () => {
    const result = await resolveInside([root], 'inside-link.log');
    expect(result).toMatchObject({ ok: true, relPath: 'inside-link.log' });
  });

  it('says when a file is missing or is a folder', async () => {
    const missing = await resolveInside([root], 'logs/nope.log');
    expect(missing).toMatchObject({ ok: false });
    if (!missing.ok) expect(missing.error).toContain('no file');
    const folder = await resolveInside([root], 'logs');
    expect(folder).toMatchObject({ ok: false });
    if (!folder.ok) expect(folder.error).toContain('not a file');
  });
});
