// Opening a bundle: a directory (walked recursively), or a list of files and folders whose common
// folder becomes the root. Only a path that does not exist is an error; content is judged later.

import { open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { FileBundle } from './bundle.js';
import { classifyPath } from './classify.js';
import { isInside, LINK_LEAVES_BUNDLE } from './inside.js';
import type { Bundle, BundleFile, BundleProblem } from './types.js';

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

/** The problem recorded for a symbolic link whose target lies outside the root. */
const LINK_PROBLEM = `not read: ${LINK_LEAVES_BUNDLE}`;

/** A file the walk found: its bundle path as the folder shows it, and where its bytes really are. */
interface Found {
  /** Absolute path as laid out under the root (a link keeps its own name). */
  path: string;
  /** The path to read: the real target for a link (checked to lie inside the root), else `path`. */
  absPath: string;
}

interface Walk {
  /** The bundle root's real path: no link may lead out of it. */
  realRoot: string;
  out: Found[];
  refused: string[];
  seen: Set<string>;
}

/**
 * Every regular file under `dir`; dot-files and dot-folders (.git, .DS_Store) are not part of a
 * bundle. A symbolic link is followed only when its real target stays inside the root: a bundle is
 * often assembled by someone else, and a link to /etc/shadow or /proc/self/environ must not turn a
 * log search into a way to read the machine. A link that leads out is listed in `refused`.
 * `lexical` is where the walk is as the folder shows it, `physical` where it really is.
 */
async function walk(lexical: string, physical: string, state: Walk): Promise<void> {
  const real = await realpath(physical).catch(() => physical);
  if (state.seen.has(real)) return; // a symlink loop
  state.seen.add(real);
  // A folder that cannot be listed is left out; only the bundle path itself must be readable.
  const entries = await readdir(physical, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = resolve(lexical, entry.name);
    const at = resolve(physical, entry.name);
    if (entry.isDirectory()) {
      await walk(path, at, state);
    } else if (entry.isFile()) {
      state.out.push({ path, absPath: at });
    } else if (entry.isSymbolicLink()) {
      const target = await realpath(at).catch(() => null);
      if (target === null) continue; // dangling: nothing to read
      if (!isInside(state.realRoot, target)) {
        state.refused.push(path);
        continue;
      }
      const info = await stat(target).catch(() => null);
      if (info?.isDirectory()) await walk(path, target, state);
      else if (info?.isFile()) state.out.push({ path, absPath: target });
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

/** A file by its bundle path and where its bytes are. */
interface Located {
  path: string;
  absPath: string;
  logIndex?: string;
}

/** Each file described (kind, size, gzip), sorted by path; `missing` hears of those whose bytes are gone. */
async function describeFiles(located: readonly Located[], rootHints: readonly string[], missing?: (path: string) => void): Promise<BundleFile[]> {
  const files: BundleFile[] = [];
  // A few at a time: a bundle of thousands of files must not open thousands of descriptors at once.
  for (let k = 0; k < located.length; k += 32) {
    const batch = located.slice(k, k + 32);
    const described = await Promise.all(
      batch.map(async ({ path, absPath, logIndex }): Promise<BundleFile | null> => {
        const info = await stat(absPath).catch(() => null);
        if (info === null || !info.isFile()) {
          missing?.(path);
          return null; // removed while the bundle was being opened
        }
        const gzip = /\.gz$/i.test(path) || (await sniffGzip(absPath));
        return { path, absPath, kind: classifyPath(path, rootHints), size: info.size, gzip, ...(logIndex === undefined ? {} : { logIndex }) };
      }),
    );
    for (const file of described) if (file) files.push(file);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function toBundlePath(root: string, absPath: string): string {
  return relative(root, absPath).split(sep).join('/');
}

/**
 * Opens a directory, or a list of files (their common folder is the bundle root). Never throws for
 * bad content; throws a BundleOpenError only when a path does not exist or cannot be read. Files
 * named one by one are read as named (the person chose them); inside a folder, a symbolic link is
 * followed only when it stays inside the bundle root, and one that leads out is a problem of the
 * bundle instead of a file of it.
 */
export async function openBundle(input: string | readonly string[]): Promise<Bundle> {
  const inputs = (typeof input === 'string' ? [input] : [...input]).map((path) => resolve(path));
  if (inputs.length === 0) throw new BundleOpenError('no bundle files given', '');
  const stats = await Promise.all(inputs.map(async (path) => ({ path, info: await statOrThrow(path) })));
  const isDirectory = typeof input === 'string' && stats[0]?.info.isDirectory() === true;
  const root = isDirectory ? (inputs[0] ?? '') : commonDir(stats.map(({ path, info }) => (info.isDirectory() ? path : dirname(path))));
  const state: Walk = { realRoot: await realpath(root).catch(() => root), out: [], refused: [], seen: new Set() };
  for (const { path, info } of stats) {
    if (!info.isDirectory()) {
      state.out.push({ path, absPath: path });
      continue;
    }
    try {
      await readdir(path);
    } catch (error) {
      throw new BundleOpenError(`bundle folder ${path} cannot be listed (${(error as NodeJS.ErrnoException).code ?? 'error'})`, path, { cause: error });
    }
    await walk(path, path, state);
  }
  const unique = [...new Map(state.out.map((found) => [found.path, found])).values()];
  // Files given by themselves keep their folders as hints: `…/logs/api.txt` is a log even at the root.
  const hints = isDirectory ? [] : [basename(root), basename(dirname(root))];
  const files = await describeFiles(
    unique.map(({ path, absPath }) => ({ path: toBundlePath(root, path), absPath })),
    hints,
  );
  const refused: BundleProblem[] = [...new Set(state.refused)].sort().map((path) => ({ path: toBundlePath(root, path), message: LINK_PROBLEM }));
  return new FileBundle(root, files, basename(root), refused);
}

/** One file of a mapped bundle: its bundle path, and the file that holds its bytes. */
export interface MappedFile {
  /** posix path relative to the bundle root, e.g. 'logs/api.log' */
  path: string;
  /** absolute path of the bytes (a stored upload) */
  source: string;
  /** absolute path of the log index built when it was uploaded, if there is one (log-index-file.ts) */
  logIndex?: string;
}

/** A bundle path as a map may give it: relative, posix, no `..`, no empty or `.` segment. */
function isBundlePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/**
 * A bundle whose files are listed one by one, each with where its bytes are: the view a
 * session's mount gives of the stored uploads, so nothing is copied to lay them out. Only
 * the listed files exist in it; `root` only names it (the path tools show). An entry whose
 * path is not a plain bundle path, or whose bytes are gone, is a problem, never a file.
 */
export async function openMappedBundle(entries: readonly MappedFile[], root: string): Promise<Bundle> {
  const problems: BundleProblem[] = [];
  const byPath = new Map<string, Located>();
  for (const { path, source, logIndex } of entries) {
    if (!isBundlePath(path)) problems.push({ path, message: 'not read: not a path inside the bundle' });
    else byPath.set(path, { path, absPath: source, ...(logIndex === undefined ? {} : { logIndex }) });
  }
  const files = await describeFiles([...byPath.values()], [], (path) => problems.push({ path, message: 'not read: its stored bytes are missing' }));
  return new FileBundle(root, files, basename(root), problems);
}
