// Temp directories for one test file, removed when it ends.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { removedWhenFileEnds } from '../../../temp-dirs.js';

export async function tempDir(prefix: string): Promise<string> {
  return removedWhenFileEnds(await mkdtemp(path.join(os.tmpdir(), `${prefix}-`)));
}
