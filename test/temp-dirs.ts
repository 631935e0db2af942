// What a test file leaves behind, undone when that file ends (test/setup.ts registers the
// clean-up for every file): temp folders, and runtimes whose state homes are folders too. A
// helper module is loaded once per worker when test files share one (the in-process project
// of vitest.config.ts), so a hook of its own would only run for the first file that loaded
// it, and every later file's folders would stay behind (in /dev/shm, in memory).
import { rm } from 'node:fs/promises';

const made: string[] = [];
const closers: Array<() => Promise<void>> = [];

/** Marks `dir` for removal when the current test file ends; returns it. */
export function removedWhenFileEnds(dir: string): string {
  made.push(dir);
  return dir;
}

/** Runs `close` when the current test file ends, before its folders are removed. */
export function closedWhenFileEnds(close: () => Promise<void>): void {
  closers.push(close);
}

export async function removeTempDirs(): Promise<void> {
  for (const close of closers.splice(0)) await close();
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}
