import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeBundle } from '../../../src/hands/tools/describe-bundle.js';
import { call, contextFor, P99, writeBundle } from './helpers/bundle.js';
import { tempDir } from './helpers/temp.js';

let dir: string;

beforeAll(async () => {
  dir = await writeBundle({ 'logs/broken.jsonl': '{"time":"2026-11-20T13:00:00Z","msg":"ok"}\nnot json at all\n' });
});

describe('describe_bundle', () => {
  it('describes the page, series, changes, logs, runbooks, unknown files and problems', async () => {
    const { json, isError } = await call(describeBundle, {}, await contextFor(dir));
    expect(isError).toBe(false);
    expect(json.summary).toContain('Checkout p99 latency above 1s');
    expect(json.page).toMatchObject({ service: 'checkout', severity: 'SEV2', started_at: '2026-11-20T14:10:00.000Z' });
    expect(json.services).toEqual(expect.arrayContaining(['checkout', 'payments']));
    const p99 = json.series.find((s: { id: string }) => s.id === P99);
    expect(p99).toMatchObject({ service: 'checkout', samples: 91, gaps: 2, measures: 'latency', worse_when: 'up' });
    expect(json.changes.map((c: { id: string }) => c.id)).toEqual(['cfg-77', 'deploy-4821', 'flag-search-v2']);
    expect(json.changes[1]).toMatchObject({ relative: '12m before the page', diff: 'diffs/deploy-4821.patch' });
    const checkoutLog = json.logs.find((l: { file: string }) => l.file === 'logs/checkout.log');
    expect(checkoutLog.levels.error).toBeGreaterThan(0);
    expect(checkoutLog.start).toBe('2026-11-20T13:00:00.000Z');
    const broken = json.logs.find((l: { file: string }) => l.file === 'logs/broken.jsonl');
    expect(broken.malformed_lines).toBe(1);
    expect(json.problems.some((p: string) => p.startsWith('logs/broken.jsonl:2'))).toBe(true);
    expect(json.runbooks).toEqual(['runbooks/checkout.md']);
    expect(json.unknown).toEqual(['notes.txt']);
    expect(json.missing).toEqual([]);
    expect(json.truncated).toBeUndefined();
  });

  it('names every file it could not read, with why, in its summary and its skipped list', async () => {
    const binary = Buffer.alloc(4000, 7);
    binary[10] = 0;
    const broken = await writeBundle({
      'metrics/cut.json': '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1795183',
      'logs/startup.log': 'starting\nlistening on :8080\n',
      'logs/core.log': binary.toString('latin1'),
      'diffs/empty.patch': 'nothing here\n',
    });
    const { json } = await call(describeBundle, {}, await contextFor(broken));
    expect(json.skipped).toEqual([
      'diffs/empty.patch: no file changes found in this diff',
      'logs/core.log: binary data, not text',
      'logs/startup.log: no line starts with a timestamp (see the log layouts the bundle format accepts)',
      expect.stringMatching(/^metrics\/cut\.json: not valid JSON: /),
    ]);
    expect(json.counts.skipped).toBe(4);
    expect(json.summary).toMatch(/^Page "Checkout p99 latency above 1s" .*; not read: diffs\/empty\.patch \(no file changes found in this diff\), logs\/core\.log \(binary data, not text\), logs\/startup\.log \(no line starts with a timestamp .*\) and 1 more \(section: "skipped"\); /);
    const page = await call(describeBundle, { section: 'skipped', offset: 3 }, await contextFor(broken));
    expect(page.json.items).toEqual([expect.stringMatching(/^metrics\/cut\.json: not valid JSON/)]);
  });

  it('says what is missing from a sparse bundle', async () => {
    const sparse = await tempDir('incident-sparse');
    await writeFile(path.join(sparse, 'README.txt'), 'only this\n');
    const { json, isError } = await call(describeBundle, {}, await contextFor(sparse));
    expect(isError).toBe(false);
    expect(json.summary).toMatch(/^No alert/);
    expect(json.missing.join(' ')).toMatch(/no alert.*no metrics.*no changes.*no logs/);
  });

  it('caps long lists in the overview and pages a section by offset', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 60; i++) {
      many[`metrics/gen/m${i}.csv`] = `timestamp,metric,value,service\n1795183200,gauge_${i},1,svc${i % 3}\n`;
    }
    const big = await writeBundle(many);
    const overview = await call(describeBundle, {}, await contextFor(big));
    expect(overview.json.series).toHaveLength(32);
    expect(overview.json.counts.series).toBe(63);
    expect(overview.json.truncated.omitted).toBe(31);
    // Each list pages from its own offset, so there is no single offset to page on with.
    expect(overview.json.truncated.next_offset).toBeNull();
    expect(overview.json.truncated.hint).toContain('section: "series", offset: 32');

    const page = await call(describeBundle, { section: 'series', offset: 32 }, await contextFor(big));
    expect(page.json.items).toHaveLength(31);
    expect(page.json.items[0]).toMatchObject({ measures: 'other', worse_when: null });
    expect(page.json.total).toBe(63);
    expect(page.json.truncated).toBeUndefined();

    const tight = await call(describeBundle, { section: 'series' }, await contextFor(big, 3000));
    expect(tight.text.length).toBeLessThanOrEqual(3000);
    const shown = tight.json.items.length as number;
    expect(tight.json.truncated).toEqual({ omitted: 63 - shown, next_offset: shown, hint: `call describe_bundle with section: "series", offset: ${shown}` });
  });
});
