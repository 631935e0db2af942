import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBundle } from '../../../src/bundle/index.js';
import { assignedPage, mineWindow, type MineRequest, type Mined } from '../../../src/hands/tools/log-mine.js';
import { logPatterns } from '../../../src/hands/tools/log-patterns.js';
import { call, contextFor } from './helpers/bundle.js';
import { tempDir } from './helpers/temp.js';

const START = Date.parse('2026-11-20T13:00:00Z');
const PIVOT = Date.parse('2026-11-20T14:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * big.log: 40,000 INFO lines of two kinds (3:1), and after the pivot 30 ERROR lines of a new kind;
 * small.log: 300 INFO lines, 3 of them of a rare kind.
 */
async function writeLogs(): Promise<string> {
  const dir = await tempDir('incident-sampling');
  const big: string[] = [];
  for (let i = 0; i < 40_000; i++) {
    const t = START + i * 180;
    big.push(i % 4 === 3 ? `${iso(t)} INFO cache refreshed in ${i % 90}ms` : `${iso(t)} INFO GET /api/items/${i} status=200`);
    if (t >= PIVOT && i % 400 === 0) big.push(`${iso(t)} ERROR payment declined for order ${i}`);
  }
  const small = Array.from({ length: 300 }, (_, i) => `${iso(START + i * 24_000)} INFO ${i % 100 === 7 ? 'rare reload of config' : `tick ${i}`}`);
  await mkdir(path.join(dir, 'logs'), { recursive: true });
  await writeFile(path.join(dir, 'incident.yaml'), `title: t\nservice: big\nstarted_at: ${iso(PIVOT)}\n`);
  await writeFile(path.join(dir, 'logs/big.log'), `${big.join('\n')}\n`);
  await writeFile(path.join(dir, 'logs/small.log'), `${small.join('\n')}\n`);
  return dir;
}

let dir: string;
beforeAll(async () => {
  dir = await writeLogs();
});

interface Mining {
  mined: Mined;
  count: (text: string) => { before: number; after: number };
  page: (offset: number, limit: number) => ReturnType<typeof assignedPage>;
}

async function mine(maxMined: number): Promise<Mining> {
  const bundle = await openBundle(dir);
  const request: MineRequest = { window: { from: null, to: null }, pivot: PIVOT, minLevel: -1, service: undefined, maxMined };
  const mined = await mineWindow(bundle, bundle.files.filter((f) => f.kind === 'log_text'), request, new AbortController().signal);
  const templates = mined.miner.templates();
  const count = (text: string): { before: number; after: number } => {
    const template = templates.find((t) => t.text.includes(text));
    const tally = template && mined.tallies.get(template.id);
    return { before: tally?.before ?? 0, after: tally?.after ?? 0 };
  };
  const page = (offset: number, limit: number): ReturnType<typeof assignedPage> =>
    assignedPage(bundle, mined, request, { offset, limit }, new AbortController().signal);
  return { mined, count, page };
}

describe('log_patterns on more events than it mines', () => {
  it('mines everything under the bound', async () => {
    const { mined, count } = await mine(1_000_000);
    expect(mined.sampled).toBeNull();
    expect(mined.events).toBe(40_300 + 50);
    expect(count('cache refreshed')).toEqual({ before: 5000, after: 5000 });
  });

  it('samples only the large file below WARN, keeps errors and the small file exact, and scales the rest', async () => {
    const exact = await mine(1_000_000);
    const { mined, count } = await mine(4000);
    expect(mined.sampled?.files).toEqual([{ file: 'logs/big.log', every: 11 }]);
    expect(mined.sampled?.eventsRead).toBeLessThan(6000);
    expect(mined.events).toBe(exact.mined.events);
    expect(mined.start).toBe(exact.mined.start);
    expect(mined.end).toBe(exact.mined.end);
    expect(count('payment declined')).toEqual({ before: 0, after: 50 });
    expect(count('rare reload of config')).toEqual(exact.count('rare reload of config'));
    for (const text of ['cache refreshed', 'GET']) {
      const estimate = count(text);
      const truth = exact.count(text);
      expect(Math.abs(estimate.before - truth.before) / truth.before, text).toBeLessThan(0.15);
      expect(Math.abs(estimate.after - truth.after) / truth.after, text).toBeLessThan(0.15);
    }
  });

  it('pages events with their templates, those sampled out included, as the whole pass would', async () => {
    const exact = await mine(1_000_000);
    const sampled = await mine(4000);
    const text = (mining: Mining, id: number | null): string | undefined => mining.mined.miner.templates().find((t) => t.id === id)?.text;
    for (const offset of [0, 20_000, 40_300]) {
      const [whole, part] = [await exact.page(offset, 40), await sampled.page(offset, 40)];
      expect(part.map((a) => a.ref)).toEqual(whole.map((a) => a.ref));
      expect(part.map((a) => text(sampled, a.template))).toEqual(whole.map((a) => text(exact, a.template)));
    }
    const last = await exact.page(exact.mined.events - 3, 40);
    expect(last).toHaveLength(3);
    expect(await exact.page(exact.mined.events, 40)).toEqual([]);
  });

  it('samples the same events every time', async () => {
    const first = await mine(4000);
    const second = await mine(4000);
    expect([...second.mined.tallies]).toEqual([...first.mined.tallies]);
  });

  it('says so in the result only when it sampled', async () => {
    const { json } = await call(logPatterns, { pivot: iso(PIVOT) }, await contextFor(dir));
    expect(json.sampled).toBeUndefined();
    expect(json.events).toBe(40_350);
  });
});
