import { beforeAll, describe, expect, it } from 'vitest';
import { getDiff } from '../../../src/hands/tools/get-diff.js';
import { listChanges } from '../../../src/hands/tools/list-changes.js';
import { call, contextFor, writeBundle } from './helpers/bundle.js';

let dir: string;

beforeAll(async () => {
  dir = await writeBundle();
});

describe('list_changes', () => {
  it('lists changes in time order, placed against the page', async () => {
    const { json, isError } = await call(listChanges, {}, await contextFor(dir));
    expect(isError).toBe(false);
    expect(json.changes.map((c: { id: string }) => c.id)).toEqual(['cfg-77', 'deploy-4821', 'flag-search-v2']);
    expect(json.changes[1]).toMatchObject({
      service: 'checkout',
      type: 'deploy',
      at: '2026-11-20T13:58:00.000Z',
      relative: '12m before the page',
      version: 'v2.31.0',
      author: 'dana',
      diff: 'diffs/deploy-4821.patch',
    });
    expect(json.changes[2].relative).toBe('10m after the page');
    expect(json.summary).toContain('latest before the page: deploy-4821 (checkout) 12m before the page');
  });

  it('filters by window, service and type', async () => {
    const context = await contextFor(dir);
    const recent = await call(listChanges, { from: '-1h', to: 'alert' }, context);
    expect(recent.json.changes.map((c: { id: string }) => c.id)).toEqual(['deploy-4821']);
    const byService = await call(listChanges, { service: 'payments' }, context);
    expect(byService.json.changes.map((c: { id: string }) => c.id)).toEqual(['cfg-77']);
    const byType = await call(listChanges, { type: ['feature_flag', 'config'] }, context);
    expect(byType.json.changes.map((c: { id: string }) => c.id)).toEqual(['cfg-77', 'flag-search-v2']);
  });

  it('pages with offset and limit', async () => {
    const { json } = await call(listChanges, { limit: 2 }, await contextFor(dir));
    expect(json.changes).toHaveLength(2);
    expect(json.truncated).toEqual({ omitted: 1, next_offset: 2, hint: 'call list_changes again with offset: 2' });
  });
});

describe('get_diff', () => {
  it('returns hunks whose changed lines carry code and patch references', async () => {
    const { json, isError } = await call(getDiff, { change_id: 'deploy-4821' }, await contextFor(dir));
    expect(isError).toBe(false);
    expect(json.diff).toBe('diffs/deploy-4821.patch');
    expect(json.change_id).toBe('deploy-4821');
    expect(json.subject).toContain('read carts straight from the database');
    expect(json.files).toEqual([
      { file: 'config/db.yaml', status: 'modified', additions: 1, deletions: 1, hunks: 1 },
      { file: 'src/cart/service.go', status: 'modified', additions: 3, deletions: 4, hunks: 1 },
    ]);
    const [config, code] = json.hunks;
    expect(config.patch).toBe('diffs/deploy-4821.patch:17-21');
    expect(config.code).toBe('config/db.yaml:1-4');
    expect(config.lines).toContain('- config/db.yaml:3 diffs/deploy-4821.patch:19 |   max_open_conns: 50');
    expect(config.lines).toContain('+ config/db.yaml:3 diffs/deploy-4821.patch:20 |   max_open_conns: 5');
    expect(config.lines[0]).toBe('  1| database:');
    expect(code.lines).toContain('- src/cart/service.go:41 diffs/deploy-4821.patch:28 | \tif cart, ok := s.cache.Get(id); ok {');
  });

  it('flags the risky edits by the shape of the code', async () => {
    const { json } = await call(getDiff, { change_id: 'deploy-4821' }, await contextFor(dir));
    const byKind = Object.fromEntries(json.risk_signals.map((s: { kind: string }) => [s.kind, s]));
    expect(Object.keys(byKind).sort()).toEqual(['cache_removed', 'call_in_loop', 'limit_changed']);
    expect(byKind.limit_changed).toMatchObject({ old: '50', new: '5', code: 'config/db.yaml:3', patch: 'diffs/deploy-4821.patch:20' });
    expect(byKind.limit_changed.detail).toContain('50 → 5');
    expect(byKind.cache_removed).toMatchObject({ code: 'src/cart/service.go:41', patch: 'diffs/deploy-4821.patch:28' });
    expect(byKind.call_in_loop).toMatchObject({ code: 'src/cart/service.go:46' });
    expect(byKind.call_in_loop.detail).toContain('loop at src/cart/service.go:45');
  });

  it('narrows by file and by hunk text, by path as well as by change id', async () => {
    const context = await contextFor(dir);
    const goOnly = await call(getDiff, { path: 'diffs/deploy-4821.patch', file: '*.go' }, context);
    expect(goOnly.json.hunks.map((h: { file: string }) => h.file)).toEqual(['src/cart/service.go']);
    expect(goOnly.json.risk_signals.every((s: { code: string }) => s.code.startsWith('src/'))).toBe(true);
    const byText = await call(getDiff, { change_id: 'deploy-4821', hunk: 'max_open_conns' }, context);
    expect(byText.json.matched_hunks).toBe(1);
    expect(byText.json.hunks[0].file).toBe('config/db.yaml');
    const byRegex = await call(getDiff, { change_id: 'deploy-4821', hunk: '/QueryPrice\\(/' }, context);
    expect(byRegex.json.hunks[0].file).toBe('src/cart/service.go');
  });

  it('pages hunks and says how to go on', async () => {
    const { json } = await call(getDiff, { change_id: 'deploy-4821', limit: 1 }, await contextFor(dir));
    expect(json.hunks).toHaveLength(1);
    expect(json.truncated).toEqual({ omitted: 1, next_offset: 1, hint: 'call get_diff again with offset: 1' });
  });

  it('explains a change without a diff, and lists diffs when asked for none', async () => {
    const context = await contextFor(dir);
    const none = await call(getDiff, { change_id: 'cfg-77' }, context);
    expect(none.isError).toBe(true);
    expect(none.json.error).toBe('change cfg-77 has no diff in the bundle');
    expect(none.json.hint).toContain('diffs/deploy-4821.patch');
    const list = await call(getDiff, {}, context);
    expect(list.json.diffs).toEqual([
      { path: 'diffs/deploy-4821.patch', change_id: 'deploy-4821', subject: '[PATCH] checkout: read carts straight from the database', files: ['config/db.yaml', 'src/cart/service.go'] },
    ]);
  });
});
