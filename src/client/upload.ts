// Uploading a bundle: every file (a directory walked, or a list of files), streamed
// from disk, mounted at its path relative to the bundle root.
import type Anthropic from '@anthropic-ai/sdk';
import { openAsBlob } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';

export interface BundleFileRef {
  absPath: string;
  /** Posix path relative to the bundle root: the mount path under /mnt/session/uploads/. */
  relPath: string;
  size: number;
}

export interface UploadProgress {
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
  current: string;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

function commonRoot(paths: readonly string[]): string {
  const dirs = paths.map((path) => dirname(path).split(sep));
  const first = dirs[0] ?? [];
  let length = first.length;
  for (const parts of dirs) {
    let i = 0;
    while (i < length && parts[i] === first[i]) i += 1;
    length = i;
  }
  return first.slice(0, length).join(sep) || sep;
}

/** Resolves what the user pointed at: a bundle directory, or a list of files. */
export async function listBundleFiles(inputs: readonly string[]): Promise<{ root: string; files: BundleFileRef[] }> {
  if (inputs.length === 0) throw new InputError('no bundle given', { hint: 'pass a bundle directory, e.g. `incident diagnose ./bundle`' });
  const absolute = inputs.map((input) => resolve(input));
  const stats = await Promise.all(
    absolute.map(async (path) => {
      try {
        return await stat(path);
      } catch {
        throw new InputError(`${path} does not exist`, { hint: 'pass a bundle directory or files that exist' });
      }
    }),
  );
  let root: string;
  let paths: string[];
  if (absolute.length === 1 && stats[0]?.isDirectory()) {
    root = absolute[0] ?? '.';
    paths = await walk(root);
  } else {
    if (stats.some((item) => item.isDirectory())) {
      throw new InputError('give one bundle directory, or a list of files, not both', { hint: 'e.g. `incident diagnose ./bundle`' });
    }
    root = commonRoot(absolute);
    paths = absolute;
  }
  if (paths.length === 0) throw new InputError(`${root} holds no files`, { hint: 'a bundle needs at least an alert, metrics, changes or logs' });
  const files = await Promise.all(
    paths.map(async (absPath) => ({ absPath, relPath: relative(root, absPath).split(sep).join('/'), size: (await stat(absPath)).size })),
  );
  return { root, files };
}

export async function uploadFiles(
  client: Anthropic,
  files: readonly BundleFileRef[],
  onProgress?: (progress: UploadProgress) => void,
): Promise<Array<{ file_id: string; mount_path: string }>> {
  const { toFile } = await import('@anthropic-ai/sdk');
  const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
  let bytesDone = 0;
  let done = 0;
  const resources: Array<{ file_id: string; mount_path: string }> = [];
  for (const file of files) {
    onProgress?.({ done, total: files.length, bytesDone, bytesTotal, current: file.relPath });
    const blob = await openAsBlob(file.absPath);
    const uploaded = await client.beta.files.upload({ file: await toFile(blob, basename(file.absPath)) });
    resources.push({ file_id: uploaded.id, mount_path: `/mnt/session/uploads/${file.relPath}` });
    done += 1;
    bytesDone += file.size;
  }
  onProgress?.({ done, total: files.length, bytesDone, bytesTotal, current: '' });
  return resources;
}
