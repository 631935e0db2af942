// Opening a bundle: a directory (walked recursively), or a list of files and folders whose common
// folder becomes the root. Only a path that does not exist is an error; content is judged later.

import { open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { FileBundle } from './bundle.js';
import { classifyPath } from './classify.js';
import type { Bundle, BundleFile } from './types.js';

/** A bundle path that does not exist or cannot be read. */
export class BundleOpenError extends Error {
  readonly path: string;

  constructor(message: string, path: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BundleOpenError';
    this.path = path;
  }
}

async function statOrThrow(path: string): Promise<Awaited<ReturnType<typeof stat>>> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code ?? 'error'})`;
    throw new BundleOpenError(`bundle path ${path} ${why}`, path, { cause: error });
  }
}

/** Every regular file under `dir`; dot-files and dot-folders (.git, .DS_Store) are not part of a bundle. */
async function walk(dir: string, out: string[], seen: Set<string>): Promise<void> {
  const real = await realpath(dir).catch(() => dir);
  if (seen.has(real)) return; // a symlink loop
  seen.add(real);
  // A folder that cannot be listed is left out; only the bundle path itself must be readable.
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = resolve(dir, entry.name);
    if (entry.isDirectory()) {
      await walk(path, out, seen);
    } else if (entry.isFile()) {
      out.push(path);
    } else if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => null);
      if (target?.isDirectory()) await walk(path, out, seen);
      else if (target?.isFile()) out.push(path);
    }
  }
}

function commonDir(dirs: readonly string[]): string {
  const split = dirs.map((dir) => dir.split(sep));
  const first = split[0] ?? [];
  let n = first.length;
  for (const parts of split) {
    let k = 0;
    while (k < n && parts[k] === first[k]) k += 1;
    n = k;
  }
  return first.slice(0, n).join(sep) || sep;
}

async function sniffGzip(absPath: string): Promise<boolean> {
  const handle = await open(absPath, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function describeFiles(root: string, absPaths: readonly string[], rootHints: readonly string[]): Promise<BundleFile[]> {
  const files: BundleFile[] = [];
  // A few at a time: a bundle of thousands of files must not open thousands of descriptors at once.
  for (let k = 0; k < absPaths.length; k += 32) {
    const batch = absPaths.slice(k, k + 32);
    const described = await Promise.all(
      batch.map(async (absPath): Promise<BundleFile | null> => {
        const path = relative(root, absPath).split(sep).join('/');
        const info = await stat(absPath).catch(() => null);
        if (info === null) return null; // removed while the bundle was being opened
        const gzip = /\.gz$/i.test(path) || (await sniffGzip(absPath));
        return { path, absPath, kind: classifyPath(path, rootHints), size: info.size, gzip };
      }),
    );
    for (const file of described) if (file) files.push(file);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Opens a directory, or a list of files (their common folder is the bundle root). Never throws for
 * bad content; throws a BundleOpenError only when a path does not exist or cannot be read.
 */
export async function openBundle(input: string | readonly string[]): Promise<Bundle> {
  const inputs = (typeof input === 'string' ? [input] : [...input]).map((path) => resolve(path));
  if (inputs.length === 0) throw new BundleOpenError('no bundle files given', '');
  const stats = await Promise.all(inputs.map(async (path) => ({ path, info: await statOrThrow(path) })));
  const isDirectory = typeof input === 'string' && stats[0]?.info.isDirectory() === true;
  const absPaths: string[] = [];
  const seen = new Set<string>();
  for (const { path, info } of stats) {
    if (!info.isDirectory()) {
      absPaths.push(path);
      continue;
    }
    try {
      await readdir(path);
    } catch (error) {
      throw new BundleOpenError(`bundle folder ${path} cannot be listed (${(error as NodeJS.ErrnoException).code ?? 'error'})`, path, { cause: error });
    }
    await walk(path, absPaths, seen);
  }
  const unique = [...new Set(absPaths)];
  const root = isDirectory ? (inputs[0] ?? '') : commonDir(stats.map(({ path, info }) => (info.isDirectory() ? path : dirname(path))));
  // Files given by themselves keep their folders as hints: `…/logs/api.txt` is a log even at the root.
  const hints = isDirectory ? [] : [basename(root), basename(dirname(root))];
  const files = await describeFiles(root, unique, hints);
  return new FileBundle(root, files, basename(root));
}
