// Which bundles an evaluation runs on: the project's fixtures/, the shared learning set
// beside the checkout (../shared/incidents) when it is there, and every folder given.
// A folder holds bundles (sub-folders with a truth.json), or is one bundle itself.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { ANSWER_KEY } from './investigate.js';
import { TruthSchema, type Truth } from './score.js';

export interface BundleSet {
  /** The folder as it is shown. */
  folder: string;
  bundles: string[];
}

/**
 * The checkouts a sibling folder may sit beside: this one, and when this one is a git
 * worktree, the repository's main checkout (a worktree lives elsewhere on the disk).
 */
function checkouts(root: string): string[] {
  const found = [root];
  try {
    const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(join(root, '.git'), 'utf8'))?.[1]?.trim();
    if (pointer !== undefined) {
      const gitdir = resolve(root, pointer);
      const common = resolve(gitdir, readFileSync(join(gitdir, 'commondir'), 'utf8').trim());
      found.push(dirname(common));
    }
  } catch {
    // Not a worktree: only this checkout.
  }
  return found;
}

/** The default folders: fixtures/, and ../shared/incidents where there is one. */
export function defaultFolders(root: string): string[] {
  const shared = checkouts(root)
    .map((checkout) => join(checkout, '..', 'shared', 'incidents'))
    .find((folder) => existsSync(folder));
  return [join(root, 'fixtures'), ...(shared ? [shared] : [])];
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

function bundlesIn(folder: string): string[] {
  if (existsSync(join(folder, ANSWER_KEY))) return [folder];
  return readdirSync(folder)
    .map((name) => join(folder, name))
    .filter((path) => isDirectory(path) && existsSync(join(path, ANSWER_KEY)))
    .sort();
}

/**
 * The bundle sets to evaluate, each folder once (by its real path). A folder that was
 * asked for and holds no bundle with a truth.json is a mistake, said in one line.
 */
export function bundleSets(defaults: readonly string[], given: readonly string[]): BundleSet[] {
  const sets: BundleSet[] = [];
  const seen = new Set<string>();
  const add = (folder: string, asked: boolean): void => {
    if (!isDirectory(folder)) {
      if (asked) throw new InputError(`${folder} is not a folder`, { hint: 'give folders of bundles, each bundle with its truth.json' });
      return;
    }
    const real = realpathSync(folder);
    if (seen.has(real)) return;
    seen.add(real);
    const bundles = bundlesIn(folder);
    if (bundles.length === 0) {
      if (asked) throw new InputError(`${folder} holds no bundle with a ${ANSWER_KEY}`, { hint: 'give a folder of bundles, each with the truth.json to score against' });
      return;
    }
    sets.push({ folder, bundles });
  };
  for (const folder of defaults) add(folder, false);
  for (const folder of given) add(resolve(folder), true);
  return sets;
}

export function readTruth(bundle: string): Truth {
  const file = join(bundle, ANSWER_KEY);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`, { hint: 'fix the file, or move the bundle out of the folder' });
  }
  const parsed = TruthSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${file}: ${issue ? `${issue.path.join('.') || 'the file'} ${issue.message}` : 'not a truth file'}`, {
      hint: 'a truth names category, service and change_id (null when none), optionally acceptable_change_ids and onset',
    });
  }
  return parsed.data;
}
