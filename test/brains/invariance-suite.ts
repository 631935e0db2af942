// Metamorphic suite: a copy of a fixture that changes what an honest diagnosis must not
// depend on (when things happened, what services, metrics and config keys are called,
// how log messages are worded, which file format carries the data) must get the same
// diagnosis: category, service (renamed with the bundle) and change id.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removedWhenFileEnds } from '../temp-dirs.js';
import { openBundle } from '../../src/bundle/index.js';
import { FIXTURES, fixtureBundles, statedOnset, triage, truthOf } from './helpers.js';
import { identifierRenamer, keyEditor, keyRenaming, logFiles, logRephraser, metricRenaming, wordsToKeep } from './synonyms.js';
import { convertFormats, copyBundle, renamer, shiftTimes, tempDir } from './transform.js';

const MINUTE = 60_000;
function scratch(label: string): string {
  return removedWhenFileEnds(tempDir(label));
}

interface Verdict {
  category: string | undefined;
  service: string | null | undefined;
  change_id: string | null | undefined;
  onset: number | null;
}

/** Every time the bundle's readers see: the page, each series' extent, each change, each log's first and last event. */
async function timesOf(bundle: string): Promise<Array<number | null>> {
  const index = await (await openBundle(bundle)).index();
  return [
    index.alert?.startedAt ?? null,
    ...index.series.flatMap((series) => [series.start, series.end]),
    ...index.changes.map((change) => change.at),
    ...index.logs.flatMap((log) => [log.start, log.end]),
  ];
}

async function verdictOf(bundle: string): Promise<Verdict> {
  const run = await triage(bundle);
  const cause = run.diagnosis?.root_cause;
  return { category: cause?.category, service: cause?.service, change_id: cause?.change_id, onset: statedOnset(run) };
}

// Each fixture's own diagnosis, found once and compared with every transform's.
const originals = new Map<string, Promise<Verdict>>();
function original(name: string): Promise<Verdict> {
  let verdict = originals.get(name);
  if (verdict === undefined) {
    verdict = verdictOf(join(FIXTURES, name));
    originals.set(name, verdict);
  }
  return verdict;
}

/**
 * The offset (whole minutes) that puts the fixture's onset at 23:41 UTC on the last day
 * of its year: the incident's hours straddle midnight, and the day, month and year change
 * in the middle of it. Each fixture moves by a different amount.
 */
function toNewYearsEve(onset: number): number {
  const target = Date.UTC(new Date(onset).getUTCFullYear(), 11, 31, 23, 41);
  return Math.ceil((target - onset) / MINUTE) * MINUTE;
}

/**
 * The fixtures a transform is tried on: all of them, or (the bounded form `npm test` runs)
 * every fourth one, a different quarter for consecutive transforms, so each fixture meets
 * a quarter of the transforms and each transform a quarter of the fixtures (at least three).
 */
export type Coverage = 'all' | 'quarter';

export function invarianceSuite(coverage: Coverage): void {
  const bundles = fixtureBundles();
  // `every`: the config-key renaming keeps half, because fewer fixtures have keys to rename.
  const pick = (names: string[], transform: number, every = 4): string[] => (coverage === 'all' ? names : names.filter((_, i) => (i + transform) % every === 0));
  describe(`the diagnosis does not depend on names, times, wording or formats (${coverage === 'all' ? 'every fixture' : 'a quarter of the fixtures per transform'})`, () => {
    it.each(pick(bundles, 0))('%s: every timestamp shifted so the onset falls at 23:41 on the 31st of December', async (name) => {
      const source = join(FIXTURES, name);
      const around = Date.parse(truthOf(source).onset);
      const offset = toNewYearsEve(around);
      const shifted = copyBundle(source, scratch('shifted'), { text: (text) => shiftTimes(text, offset, around) });
      expect(Date.parse(truthOf(shifted).onset) - around).toBe(offset);
      expect(new Date(Date.parse(truthOf(shifted).onset)).toISOString().slice(5, 16)).toBe('12-31T23:41');
      // Every time moved, and by the same offset: a bundle half shifted would prove nothing.
      expect((await timesOf(shifted)).map((t) => (t === null ? null : t - offset))).toEqual(await timesOf(source));
      const after = await verdictOf(shifted);
      expect({ ...after, onset: after.onset === null ? null : after.onset - offset }).toEqual(await original(name));
    });

    it.each(pick(bundles, 1))('%s: every service renamed', async (name) => {
      const source = join(FIXTURES, name);
      const index = await (await openBundle(source)).index();
      const names = ['aster', 'birch', 'cedar', 'dahlia', 'elder', 'fennel', 'ginkgo', 'hawthorn', 'iris', 'juniper', 'kale', 'laurel'];
      const mapping = new Map(index.services.map((service, i) => [service, names[i] ?? `svc${i}`]));
      const rename = renamer(mapping);
      const renamed = copyBundle(source, scratch('renamed'), { text: rename, path: rename });
      const before = await original(name);
      expect(await verdictOf(renamed)).toEqual({
        ...before,
        service: before.service ? rename(before.service) : before.service,
        change_id: before.change_id ? rename(before.change_id) : before.change_id,
      });
    });

    it.each(pick(bundles, 2))('%s: metric names renamed to synonyms, units kept', async (name) => {
      const source = join(FIXTURES, name);
      const mapping = await metricRenaming(source);
      expect(mapping.size).toBeGreaterThan(0);
      const rename = identifierRenamer(mapping);
      const renamed = copyBundle(source, scratch('metrics'), { text: rename, path: rename });
      // Every series is still there, under its new name.
      const names = async (bundle: string): Promise<string[]> => (await (await openBundle(bundle)).series()).map((series) => series.name).sort();
      expect(await names(renamed)).toEqual((await names(source)).map((metric) => mapping.get(metric) ?? metric).sort());
      expect(await verdictOf(renamed)).toEqual(await original(name));
    });

    it.each(pick(bundles, 3, 2))('%s: the config keys the diffs change renamed, in the diffs and the change records', async (name) => {
      const source = join(FIXTURES, name);
      const edit = keyEditor(await keyRenaming(source));
      const renamed = copyBundle(source, scratch('keys'), { text: (text, rel) => edit(rel, text) });
      expect(await verdictOf(renamed)).toEqual(await original(name));
    });

    it.each(pick(bundles, 4))('%s: log messages reworded, levels, structure and names kept', async (name) => {
      const source = join(FIXTURES, name);
      const logs = await logFiles(source);
      const rephrase = logRephraser(await wordsToKeep(source));
      let changed = 0;
      const reworded = copyBundle(source, scratch('reworded'), {
        text: (text, rel) => {
          if (!logs.has(rel)) return text;
          const edited = rephrase(text);
          if (edited !== text) changed += 1;
          return edited;
        },
      });
      expect(changed).toBeGreaterThan(0);
      // Every event keeps its level, its service and its time.
      const shape = async (bundle: string): Promise<unknown> =>
        (await (await openBundle(bundle)).index()).logs.map((log) => ({ ...log, bytes: undefined }));
      expect(await shape(reworded)).toEqual(await shape(source));
      expect(await verdictOf(reworded)).toEqual(await original(name));
    });

    it('the key renaming has config changes to work on', async () => {
      const renamed = await Promise.all(
        bundles.map(async (name) => {
          const renaming = await keyRenaming(join(FIXTURES, name));
          return renaming.everywhere.size + renaming.local.size;
        }),
      );
      expect(renamed.filter((count) => count > 0).length).toBeGreaterThanOrEqual(Math.min(5, bundles.length));
    });

    it.each(pick(bundles, 5))('%s: every file converted to its other format', async (name) => {
      const converted = await convertFormats(join(FIXTURES, name), scratch('converted'));
      expect(await verdictOf(converted)).toEqual(await original(name));
    });
  });
}
