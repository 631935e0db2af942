import { describe, expect, it } from 'vitest';
import { parseChanges, type ChangeContext } from '../../src/bundle/changes.js';
import { openBundle } from '../../src/bundle/open.js';
import { iso, problemLog, writeBundle } from './helpers.js';

const context = (path: string, diffPaths: string[] = []): ChangeContext => ({ path, filePaths: [path, ...diffPaths], diffPaths });

describe('changes.yaml', () => {
  it('reads a list with unquoted timestamps, every time field, versions as written, and extra attributes', () => {
    const yaml = [
      '- id: deploy-4821',
      '  service: checkout',
      '  type: deploy',
      '  at: 2026-11-20T14:01:30Z',
      '  finished_at: 2026-11-20T14:04:00Z',
      '  version: 1.10',
      '  commit: 0a1b2c3',
      '  author: dana',
      '  summary: bump payment client',
      '  environment: prod',
      '  ticket: 4711',
      '- id: cfg-77',
      '  service: cart',
      '  type: Config',
      '  started_at: 1795180000',
      '- id: flag-search-v2',
      '  type: feature-flag',
      '  timestamp: 1795170000000',
      '  flag: {name: search_v2, from: false, to: true}',
      '- id: infra-9',
      '  type: infra',
      '  time: "2026-11-20 13:00:00+00:00"',
    ].join('\n');
    const problems = problemLog();
    const changes = parseChanges(yaml, context('changes.yaml'), problems);
    expect(changes.map((c) => [c.id, c.type, iso(c.at)])).toEqual([
      ['flag-search-v2', 'feature_flag', '2026-11-20T10:20:00.000Z'],
      ['infra-9', 'infra', '2026-11-20T13:00:00.000Z'],
      ['cfg-77', 'config', '2026-11-20T13:06:40.000Z'],
      ['deploy-4821', 'deploy', '2026-11-20T14:01:30.000Z'],
    ]);
    const deploy = changes.find((c) => c.id === 'deploy-4821');
    expect(deploy).toEqual({
      id: 'deploy-4821',
      service: 'checkout',
      type: 'deploy',
      at: Date.UTC(2026, 10, 20, 14, 1, 30),
      finishedAt: Date.UTC(2026, 10, 20, 14, 4),
      version: '1.10',
      author: 'dana',
      commit: '0a1b2c3',
      summary: 'bump payment client',
      diff: null,
      attributes: { environment: 'prod', ticket: 4711 },
      file: 'changes.yaml',
    });
    expect(changes.find((c) => c.id === 'flag-search-v2')?.attributes).toEqual({ flag: { name: 'search_v2', from: false, to: true } });
    expect(problems.list()).toEqual([]);
  });

  it('reads {changes: [...]} and YAML 1.1 timestamps that the parser turns into dates', () => {
    const yaml = '%YAML 1.1\n---\nchanges:\n  - id: rb-1\n    type: rollback\n    at: 2026-11-20 14:30:00\n    reverts: deploy-4821\n';
    const [change] = parseChanges(yaml, context('changes.yaml'), problemLog());
    expect(change).toMatchObject({ id: 'rb-1', type: 'rollback', attributes: { reverts: 'deploy-4821' } });
    expect(iso(change?.at ?? null)).toBe('2026-11-20T14:30:00.000Z');
  });

  it('reports a change without id or time, and bad YAML, without throwing', () => {
    const problems = problemLog();
    const changes = parseChanges('- service: x\n- 42\n', context('changes.yaml'), problems);
    expect(changes.map((c) => [c.id, c.at])).toEqual([['change-1', null]]);
    expect(problems.list().map((p) => p.message)).toEqual([
      expect.stringMatching(/no id/),
      expect.stringMatching(/no readable time/),
      expect.stringMatching(/not a mapping/),
    ]);
    const bad = problemLog();
    expect(parseChanges('- id: [oops', context('changes.yaml'), bad)).toEqual([]);
    expect(bad.list()[0]?.message).toMatch(/YAML/);
    expect(parseChanges('', context('changes.yaml'), problemLog())).toEqual([]);
  });
});

describe('changes.json and diff links', () => {
  it('resolves diff by the declared path, else by a file name containing the id', () => {
    const json = JSON.stringify({
      changes: [
        { id: 'deploy-1', at: '2026-11-20T14:00:00Z', diff: './diffs/first.patch' },
        { id: 'deploy-12', at: '2026-11-20T14:01:00Z' },
        { id: 'cfg-7', at: '2026-11-20T14:02:00Z' },
        { id: 'deploy-2', at: '2026-11-20T14:03:00Z', diff: 'diffs/missing.patch' },
      ],
    });
    const diffs = ['diffs/first.patch', 'diffs/0001-deploy-12-fix-pool.patch', 'diffs/cfg-7.diff', 'diffs/cfg-77.diff'];
    const problems = problemLog();
    const changes = parseChanges(json, context('changes.json', diffs), problems);
    expect(changes.map((c) => [c.id, c.diff])).toEqual([
      ['deploy-1', 'diffs/first.patch'],
      ['deploy-12', 'diffs/0001-deploy-12-fix-pool.patch'],
      ['cfg-7', 'diffs/cfg-7.diff'],
      ['deploy-2', null],
    ]);
    expect(problems.list()).toEqual([{ path: 'changes.json', message: expect.stringMatching(/missing\.patch is not in the bundle/) }]);
  });

  it('through the bundle: diffFor by change id, by path, and the change id on each diff', async () => {
    const patch = 'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n';
    const root = await writeBundle({
      'changes.json': JSON.stringify([
        { id: 'deploy-4821', service: 'checkout', type: 'deploy', at: 1795183200 },
        { id: 'cfg-1', type: 'config', at: 1795183100, diff: 'diffs/config.patch' },
      ]),
      'diffs/deploy-4821.patch': patch,
      'diffs/config.patch': patch,
      'diffs/unrelated.patch': patch,
    });
    const bundle = await openBundle(root);
    expect((await bundle.diffFor('deploy-4821'))?.path).toBe('diffs/deploy-4821.patch');
    expect((await bundle.diffFor('cfg-1'))?.changeId).toBe('cfg-1');
    expect((await bundle.diffFor('diffs/unrelated.patch'))?.changeId).toBeNull();
    expect(await bundle.diffFor('nothing-here')).toBeNull();
    expect((await bundle.diffs()).map((d) => [d.path, d.changeId])).toEqual([
      ['diffs/config.patch', 'cfg-1'],
      ['diffs/deploy-4821.patch', 'deploy-4821'],
      ['diffs/unrelated.patch', null],
    ]);
    expect((await bundle.changes()).map((c) => c.id)).toEqual(['cfg-1', 'deploy-4821']);
  });
});
