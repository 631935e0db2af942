// Small bundles written by the tests into temp folders, removed afterwards.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ProblemLog } from '../../src/bundle/problems.js';
import { removedWhenFileEnds } from '../temp-dirs.js';

/** Writes the files (bundle-relative path → content) into a fresh temp folder; returns its path. */
export async function writeBundle(files: Record<string, string | Buffer>): Promise<string> {
  const root = removedWhenFileEnds(await mkdtemp(join(tmpdir(), 'incident-bundle-')));
  for (const [path, content] of Object.entries(files)) {
    const abs = join(root, path);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
  return root;
}

export function problemLog(): ProblemLog {
  return new ProblemLog();
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
