import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { bundleSets, defaultFolders, readTruth } from '../../src/eval/folders.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'incident-eval-folders-'));
  made.push(dir);
  return dir;
}

function bundle(dir: string, truth: unknown = { category: 'unknown', service: null, change_id: null }): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'truth.json'), JSON.stringify(truth));
  writeFileSync(join(dir, 'incident.yaml'), 'title: t\n');
  return dir;
}

describe('the folders an evaluation runs on', () => {
  it('are fixtures/ and, when there is one, ../shared/incidents beside the checkout', () => {
    const root = scratch();
    const checkout = join(root, 'repo');
    mkdirSync(checkout);
    expect(defaultFolders(checkout)).toEqual([join(checkout, 'fixtures')]);
    mkdirSync(join(root, 'shared', 'incidents'), { recursive: true });
    expect(defaultFolders(checkout)).toEqual([join(checkout, 'fixtures'), join(root, 'shared', 'incidents')]);
  });

  it('find the shared set beside the main checkout when the checkout is a git worktree', () => {
    const root = scratch();
    const main = join(root, 'main');
    const gitdir = join(main, '.git', 'worktrees', 'wt');
    mkdirSync(gitdir, { recursive: true });
    writeFileSync(join(gitdir, 'commondir'), '../..\n');
    mkdirSync(join(root, 'shared', 'incidents'), { recursive: true });
    const worktree = join(root, 'elsewhere', 'wt');
    mkdirSync(worktree, { recursive: true });
    writeFileSync(join(worktree, '.git'), `gitdir: ${gitdir}\n`);
    expect(defaultFolders(worktree)).toEqual([join(worktree, 'fixtures'), join(root, 'shared', 'incidents')]);
  });

  it('hold the bundles with a truth.json, each folder once, and a folder that is one bundle itself', () => {
    const root = scratch();
    bundle(join(root, 'set', 'b'));
    bundle(join(root, 'set', 'a'));
    mkdirSync(join(root, 'set', 'no-truth'));
    const single = bundle(join(root, 'single'));
    const sets = bundleSets([join(root, 'set'), join(root, 'missing')], [join(root, 'set'), single]);
    expect(sets).toEqual([
      { folder: join(root, 'set'), bundles: [join(root, 'set', 'a'), join(root, 'set', 'b')] },
      { folder: single, bundles: [single] },
    ]);
  });

  it('refuse, in one line, a folder given that is not there or holds no bundle with a truth', () => {
    const root = scratch();
    expect(() => bundleSets([], [join(root, 'missing')])).toThrow(InputError);
    expect(() => bundleSets([], [join(root, 'missing')])).toThrow(/is not a folder/);
    expect(() => bundleSets([], [root])).toThrow(/holds no bundle with a truth\.json/);
  });

  it('read a truth file, and refuse one that is not JSON or lacks a field, naming the file', () => {
    const root = scratch();
    expect(readTruth(bundle(join(root, 'ok'), { category: 'deploy', service: 's', change_id: 'd-1', acceptable_change_ids: ['d-2'] }))).toMatchObject({
      acceptable_change_ids: ['d-2'],
    });
    const broken = bundle(join(root, 'broken'));
    writeFileSync(join(broken, 'truth.json'), '{');
    expect(() => readTruth(broken)).toThrow(new RegExp(`${join(broken, 'truth.json')} is not JSON`));
    const partial = bundle(join(root, 'partial'), { category: 'deploy', service: 's' });
    expect(() => readTruth(partial)).toThrow(/change_id/);
  });
});
