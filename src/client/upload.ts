// Uploading a bundle: every file (a directory walked, or a list of files), streamed
// from disk, mounted at its path relative to the bundle root. The bundle is checked
// against the limits before the first byte is sent, and an upload that fails half-way
// (or a session that is then refused) deletes the files it had uploaded.
import type Anthropic from '@anthropic-ai/sdk';
import { openAsBlob } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { isInside, LINK_LEAVES_BUNDLE } from '../bundle/inside.js';
import { InputError } from '../errors.js';
import { DEFAULT_MAX_UNMOUNTED_BYTES, MAX_SESSION_FILES } from '../protocol/limits.js';
import { sha256OfFile, type UploadRecord } from './upload-record.js';

export interface BundleFileRef {
  absPath: string;
  /** Posix path relative to the bundle root: mounted at `/<relPath>`, seen under /mnt/session/uploads/. */
  relPath: string;
  size: number;
}

export interface UploadProgress {
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
  current: string;
  /** Files not sent because the runtime already holds their bytes (counted in done). */
  reused: number;
}

export interface RefusedFile {
  /** Posix path relative to the bundle root. */
  relPath: string;
  reason: string;
}

interface Found {
  /** Where the file is as the folder shows it (a link keeps its own name). */
  path: string;
  /** What to read: a link's real target, checked to lie inside the bundle. */
  absPath: string;
}

/**
 * Every file of a bundle folder, dot-files left out. A symbolic link is followed only when its
 * real target stays inside the folder: a link to /etc/shadow in a bundle someone else packed
 * must not be uploaded (to the local runtime, or to the cloud). Those are listed in `refused`.
 */
async function walk(lexical: string, physical: string, realRoot: string, refused: string[], seen: Set<string>): Promise<Found[]> {
  const real = await realpath(physical).catch(() => physical);
  if (seen.has(real)) return []; // a link loop, or a folder already walked through another link
  seen.add(real);
  const entries = await readdir(physical, { withFileTypes: true });
  const out: Found[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(lexical, entry.name);
    const at = join(physical, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path, at, realRoot, refused, seen)));
    else if (entry.isFile()) out.push({ path, absPath: at });
    else if (entry.isSymbolicLink()) {
      const target = await realpath(at).catch(() => null);
      if (target === null) continue; // dangling: nothing to upload
      if (!isInside(realRoot, target)) {
        refused.push(path);
        continue;
      }
      const info = await stat(target).catch(() => null);
      if (info?.isDirectory()) out.push(...(await walk(path, target, realRoot, refused, seen)));
      else if (info?.isFile()) out.push({ path, absPath: target });
    }
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

/**
 * Resolves what the user pointed at: a bundle directory, or a list of files (read as named: the
 * person chose them). `refused` lists the files of a directory that are not uploaded, and why.
 */
export async function listBundleFiles(inputs: readonly string[]): Promise<{ root: string; files: BundleFileRef[]; refused: RefusedFile[] }> {
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
  let found: Found[];
  const refused: string[] = [];
  if (absolute.length === 1 && stats[0]?.isDirectory()) {
    root = absolute[0] ?? '.';
    found = await walk(root, root, await realpath(root), refused, new Set());
  } else {
    if (stats.some((item) => item.isDirectory())) {
      throw new InputError('give one bundle directory, or a list of files, not both', { hint: 'e.g. `incident diagnose ./bundle`' });
    }
    root = commonRoot(absolute);
    found = absolute.map((path) => ({ path, absPath: path }));
  }
  const toRel = (path: string): string => relative(root, path).split(sep).join('/');
  if (found.length === 0) {
    throw new InputError(`${root} holds no files`, {
      hint: refused.length > 0 ? 'its only files are symbolic links that lead out of it: copy the files in' : 'a bundle needs at least an alert, metrics, changes or logs',
    });
  }
  const files = await Promise.all(found.map(async ({ path, absPath }) => ({ absPath, relPath: toRel(path), size: (await stat(absPath)).size })));
  return { root, files, refused: refused.map((path) => ({ relPath: toRel(path), reason: LINK_LEAVES_BUNDLE })) };
}

export interface UploadLimits {
  /** Files one session may mount. */
  maxFiles: number;
  /** Bytes of one file (the environment's `worker.max_upload_bytes`). */
  maxFileBytes: number;
  /** Bytes of the whole bundle: what a runtime holds of uploads no session mounts yet. */
  maxTotalBytes: number;
}

export function uploadLimits(maxFileBytes: number): UploadLimits {
  return { maxFiles: MAX_SESSION_FILES, maxFileBytes, maxTotalBytes: DEFAULT_MAX_UNMOUNTED_BYTES };
}

function size(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${Number(value.toFixed(1))} ${units[unit]}`;
}

/** Refuses a bundle that could never be mounted, before anything is uploaded: one line saying what to do. */
export function checkUploadLimits(files: readonly BundleFileRef[], limits: UploadLimits): void {
  if (files.length > limits.maxFiles) {
    throw new InputError(`the bundle has ${files.length} files; a session may mount at most ${limits.maxFiles}`, {
      hint: 'pass a narrower folder, or only the files that matter: the alert, metrics, changes, diffs and the relevant logs',
    });
  }
  const largest = files.reduce<BundleFileRef | undefined>((top, file) => (top === undefined || file.size > top.size ? file : top), undefined);
  if (largest !== undefined && largest.size > limits.maxFileBytes) {
    throw new InputError(`${largest.relPath} is ${size(largest.size)}; a file may be at most ${size(limits.maxFileBytes)} (worker.max_upload_bytes)`, {
      hint: 'split the log, or cut it to the hours around the incident',
    });
  }
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (total > limits.maxTotalBytes) {
    throw new InputError(`the bundle is ${size(total)}; a runtime takes at most ${size(limits.maxTotalBytes)} of uploads at once`, {
      hint: 'pass a narrower folder, or cut the logs to the hours around the incident',
    });
  }
}

export type MountedFile = { file_id: string; mount_path: string };

/**
 * The mount path of a bundle file: its path relative to the bundle root, as the API's
 * documentation gives it (`/logs/api.log`); every runtime shows it under /mnt/session/uploads/.
 */
export function mountPathOf(relPath: string): string {
  return `/${relPath}`;
}

export interface UploadOptions {
  limits?: UploadLimits;
  onProgress?: (progress: UploadProgress) => void;
  /** Reuse what the runtime already holds (checked there first), and record what is sent. */
  record?: UploadRecord;
}

export interface UploadedBundle {
  resources: MountedFile[];
  /** Ids of files that were already on the runtime: not this upload's to delete. */
  reused: ReadonlySet<string>;
}

/**
 * Uploads every file, checked against `limits` first. When an upload fails, the files
 * already uploaded are deleted before the error is passed on.
 */
export async function uploadFiles(client: Anthropic, files: readonly BundleFileRef[], options: UploadOptions = {}): Promise<MountedFile[]> {
  return (await uploadBundle(client, files, options)).resources;
}

/**
 * Uploads every file, checked against `limits` first; with a record, a file whose bytes
 * the runtime still holds is mounted from there instead of sent again. When an upload
 * fails, the files this call uploaded are deleted before the error is passed on.
 */
export async function uploadBundle(client: Anthropic, files: readonly BundleFileRef[], options: UploadOptions = {}): Promise<UploadedBundle> {
  if (options.limits) checkUploadLimits(files, options.limits);
  const { toFile } = await import('@anthropic-ai/sdk');
  const { record } = options;
  const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
  let bytesDone = 0;
  let done = 0;
  const resources: MountedFile[] = [];
  const reused = new Set<string>();
  const sent: MountedFile[] = [];
  const progress = (current: string): void => options.onProgress?.({ done, total: files.length, bytesDone, bytesTotal, current, reused: reused.size });
  try {
    for (const file of files) {
      progress(file.relPath);
      const sha256 = record ? await sha256OfFile(file.absPath) : null;
      let fileId = record && sha256 ? await record.reusable(client, sha256, file.size) : null;
      if (fileId !== null) {
        reused.add(fileId);
      } else {
        const blob = await openAsBlob(file.absPath);
        const uploaded = await client.beta.files.upload({ file: await toFile(blob, basename(file.relPath)) });
        fileId = uploaded.id;
        sent.push({ file_id: fileId, mount_path: mountPathOf(file.relPath) });
        if (record && sha256) await record.remember(sha256, fileId, file.size);
      }
      resources.push({ file_id: fileId, mount_path: mountPathOf(file.relPath) });
      done += 1;
      bytesDone += file.size;
    }
  } catch (error) {
    await deleteUploaded(client, sent);
    await record?.forget(sent.map((file) => file.file_id));
    throw error;
  } finally {
    // Kept even when a later file failed: what is still on the runtime is worth knowing.
    await record?.save().catch(() => undefined);
  }
  progress('');
  return { resources, reused };
}

/**
 * Runs `use` (typically: create the session that mounts the files) and, when it fails,
 * deletes the uploaded files (all but `keep`), which nothing would ever mount.
 */
export async function mountOrDelete<T>(client: Anthropic, uploaded: readonly MountedFile[], use: () => Promise<T>, keep: ReadonlySet<string> = new Set()): Promise<T> {
  try {
    return await use();
  } catch (error) {
    // Files that were on the runtime before this upload stay there for the next one.
    await deleteUploaded(client, uploaded.filter((file) => !keep.has(file.file_id)));
    throw error;
  }
}

/** Best effort: the error that made the upload fail is the one worth reporting. */
async function deleteUploaded(client: Anthropic, uploaded: readonly MountedFile[]): Promise<void> {
  for (const file of uploaded) {
    await client.beta.files.delete(file.file_id).catch(() => undefined);
  }
}
