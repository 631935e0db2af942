// What the collector writes from git, a changes file and log files, read back by the
// bundle readers: commits and merges on the deployed line (not the commits a merge
// brought), a tag on an older commit as a release, config-only commits typed config, the
// patches, changes git does not know merged in, and a log cut to its cap, recorded.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { openBundle } from '../../src/bundle/index.js';
import { collect, DEFAULT_LIMITS, silentProgress, type CollectPlan } from '../../src/collect/index.js';
import { gitRepo } from './helpers/repo.js';

const T = Date.parse('2026-11-20T14:00:00Z');
const MIN = 60_000;

function git(repo: string, args: string[], at: number): string {
  const date = new Date(at).toISOString();
  return execFileSync('git', ['-c', 'user.name=Rel Eng', '-c', 'user.email=rel@example.com', ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, HOME: repo },
  }).trim();
}

describe('incident collect from git, a changes file and log files', () => {
  it('writes changes.yaml, diffs and logs the bundle reads, and records what it cut', async () => {
    const repo = gitRepo('shop', [
      { at: T - 200 * MIN, message: 'Shop', files: { 'services/cart/cart.go': 'const Retries = 3\n', 'config/cart.yaml': 'retries: 3\n', 'README.md': '# shop\n' } },
      { at: T - 150 * MIN, message: 'Old work, tagged later', files: { 'services/cart/cart.go': 'const Retries = 2\n' } },
    ]);
    const old = git(repo, ['rev-parse', 'HEAD'], T);
    git(repo, ['tag', '-a', 'v2.0.0', '-m', 'Release 2.0.0', old], T - 50 * MIN);
    git(repo, ['checkout', '-q', '-b', 'feature'], T);
    writeFileSync(join(repo, 'services/cart/cart.go'), 'const Retries = 0\n');
    git(repo, ['commit', '-qam', 'Retry nothing'], T - 40 * MIN);
    git(repo, ['checkout', '-q', 'main'], T);
    git(repo, ['merge', '-q', '--no-ff', 'feature', '-m', 'Merge feature: no retries'], T - 30 * MIN);
    writeFileSync(join(repo, 'config/cart.yaml'), 'retries: 0\n');
    git(repo, ['commit', '-qam', 'Config: retries off'], T - 20 * MIN);
    const merge = git(repo, ['rev-parse', '--short=7', 'HEAD~1'], T);
    const config = git(repo, ['rev-parse', '--short=7', 'HEAD'], T);

    const dir = mkdtempSync(join(tmpdir(), 'incident-sources-'));
    writeFileSync(join(dir, 'flag.patch'), 'diff --git a/flags.json b/flags.json\n--- a/flags.json\n+++ b/flags.json\n@@ -1 +1 @@\n-{"new_checkout": false}\n+{"new_checkout": true}\n');
    writeFileSync(join(dir, 'changes.yaml'), `- id: flag-new-checkout\n  service: checkout\n  type: feature_flag\n  at: 2026-11-20T13:50:00Z\n  diff: flag.patch\n`);
    const lines = Array.from({ length: 400 }, (_, i) => `${new Date(T - 60 * MIN + i * 5000).toISOString()} INFO served request ${i} in 12ms`);
    writeFileSync(join(dir, 'cart.log'), `${lines.join('\n')}\n`);

    const out = join(dir, 'bundle');
    const plan: CollectPlan = {
      out,
      alert: { kind: 'manual', service: 'cart', title: 'cart errors', startedAt: new Date(T).toISOString() },
      since: '2026-11-20T12:00:00Z',
      until: '2026-11-20T14:30:00Z',
      git: { repos: [repo], services: { 'services/cart/': 'cart' } },
      changes: [join(dir, 'changes.yaml')],
      logs: [{ spec: join(dir, 'cart.log') }],
      timeoutMs: 10_000,
      limits: { ...DEFAULT_LIMITS, logBytes: 4096 },
    };
    const result = await collect(plan, { progress: silentProgress, env: process.env, now: T + 60 * MIN });

    const changes = parse(readFileSync(join(out, 'changes.yaml'), 'utf8')) as Array<Record<string, unknown>>;
    expect(changes.map((c) => [c['id'], c['type'], c['service'], c['at']])).toEqual([
      ['shop-v2.0.0', 'deploy', 'cart', '2026-11-20T13:10:00.000Z'],
      [`shop-${merge}`, 'deploy', 'cart', '2026-11-20T13:30:00.000Z'],
      [`shop-${config}`, 'config', 'shop', '2026-11-20T13:40:00.000Z'],
      ['flag-new-checkout', 'feature_flag', 'checkout', '2026-11-20T13:50:00Z'],
    ]);
    expect(changes[1]).toMatchObject({ summary: 'Merge feature: no retries', author: 'Rel Eng', merge: true, diff: `diffs/shop-${merge}.patch`, repo: 'shop' });
    expect(changes[0]).toMatchObject({ summary: 'release v2.0.0: Release 2.0.0', version: 'v2.0.0', diff: 'diffs/shop-v2.0.0.patch' });
    // The merge's patch is what it brought to the main line.
    expect(readFileSync(join(out, `diffs/shop-${merge}.patch`), 'utf8')).toContain('-const Retries = 2\n+const Retries = 0');

    const bundle = await openBundle(out);
    const index = await bundle.index();
    expect(index.changes.map((c) => [c.id, c.diff])).toEqual(changes.map((c) => [c['id'], c['diff'] === 'flag.patch' ? 'diffs/flag.patch' : c['diff']]));
    expect((await bundle.diffFor('flag-new-checkout'))?.files[0]?.newPath).toBe('flags.json');
    const log = index.logs.find((l) => l.file === 'logs/cart.log');
    expect(log?.malformed).toBe(0);
    expect(log?.end).toBe(Date.parse(lines.at(-1)?.slice(0, 24) ?? ''));
    expect(result.problems).toEqual([
      { source: `logs ${join(dir, 'cart.log')}`, path: 'logs/cart.log', message: expect.stringMatching(/^cut to its latest 4 KiB of \d+ KiB in the window/) },
    ]);
    expect(index.problems.map((p) => p.path)).toEqual(['logs/cart.log']);
  });
});
