import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openBundle } from '../../src/bundle/index.js';
import { convertFormats, copyBundle, renamer, shiftTimes, tempDir } from './transform.js';
import { FIXTURES, fixtureBundles, statedOnset, triage, truthOf } from './helpers.js';

const bundles = fixtureBundles();
const DAYS = 37;
const made: string[] = [];

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function scratch(label: string): string {
  const dir = tempDir(label);
  made.push(dir);
  return dir;
}

async function verdictOf(bundle: string): Promise<{ category: string | undefined; service: string | null | undefined; change_id: string | null | undefined; onset: number | null }> {
  const run = await triage(bundle);
  const cause = run.diagnosis?.root_cause;
  return { category: cause?.category, service: cause?.service, change_id: cause?.change_id, onset: statedOnset(run) };
}

describe('the diagnosis does not depend on names, times or formats', () => {
  it.each(bundles)('%s: every timestamp shifted by +37 days', async (name) => {
    const original = join(FIXTURES, name);
    const around = Date.parse(truthOf(original).onset);
    const shifted = copyBundle(original, scratch('shifted'), { text: (text) => shiftTimes(text, DAYS, around) });
    expect(Date.parse(truthOf(shifted).onset) - around).toBe(DAYS * 86_400_000);
    const before = await verdictOf(original);
    const after = await verdictOf(shifted);
    expect({ ...after, onset: after.onset === null ? null : after.onset - DAYS * 86_400_000 }).toEqual(before);
  });

  it.each(bundles)('%s: every service renamed', async (name) => {
    const original = join(FIXTURES, name);
    const index = await (await openBundle(original)).index();
    const names = ['aster', 'birch', 'cedar', 'dahlia', 'elder', 'fennel', 'ginkgo', 'hawthorn', 'iris', 'juniper', 'kale', 'laurel'];
    const mapping = new Map(index.services.map((service, i) => [service, names[i] ?? `svc${i}`]));
    const rename = renamer(mapping);
    const renamed = copyBundle(original, scratch('renamed'), { text: rename, path: rename });
    const before = await verdictOf(original);
    const after = await verdictOf(renamed);
    const expected = {
      ...before,
      service: before.service ? rename(before.service) : before.service,
      change_id: before.change_id ? rename(before.change_id) : before.change_id,
    };
    expect(after).toEqual(expected);
  });

  it.each(bundles)('%s: every file converted to its other format', async (name) => {
    const original = join(FIXTURES, name);
    const converted = await convertFormats(original, scratch('converted'));
    expect(await verdictOf(converted)).toEqual(await verdictOf(original));
  });
});
