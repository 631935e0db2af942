// Temp folders a test file makes, removed when that file ends (test/setup.ts registers the
// removal for every file). A helper module is loaded once per worker when test files share
// one (the in-process project of vitest.config.ts), so a removal hook of its own would
// only run for the first file that loaded it.
import { rm } from 'node:fs/promises';

const made: string[] = [];

/** Marks `dir` for removal when the current test file ends; returns it. */
export function removedWhenFileEnds(dir: string): string {
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}
