// A folder for the tools that need one. A mapped mount has no folder (its files are read in
// place, where the store keeps them); the API toolset's read, glob and grep walk a real
// directory, so for them the map is laid out once, on first use, as hard links to the
// stored files: no bytes are copied, and the links share the stored files' read-only mode.
// A file system that cannot link across (another device) gets a copy of that file instead.
import { copyFile, link, mkdir } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { readMountMap } from './worker-config.js';

/** The folder beside the map that holds its files as links. */
export function mountFolderOf(mapFile: string): string {
  return join(dirname(mapFile), 'files');
}

async function place(source: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  try {
    await link(source, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
    await copyFile(source, target);
  }
}

/** Lays the map's files out under mountFolderOf(mapFile) and returns that folder. */
export async function layOutMountFolder(mapFile: string): Promise<string> {
  const root = mountFolderOf(mapFile);
  await mkdir(root, { recursive: true, mode: 0o700 });
  for (const file of readMountMap(mapFile).files) {
    const target = resolve(root, file.path.replace(/^\/+/, ''));
    // The map is the runtime's own, but a path that climbs out of the folder is never followed.
    if (!target.startsWith(`${root}${sep}`)) continue;
    await place(file.source, target);
  }
  return root;
}
