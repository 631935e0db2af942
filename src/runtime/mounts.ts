// Resource mount paths, as the cloud lays them out: every file is seen under
// /mnt/session/uploads/, at the path it was given (`/logs/api.log` → /mnt/session/uploads/logs/api.log).
// A path is checked when the session is created, not when the hands first lay the files
// out: by then the client is gone and a bad path could only fail a tool call.
//
// Laying out is a view, not a copy: a session's mount is a map from each mount path to the
// stored upload that holds its bytes (MountMapJson), written beside the session's state. The
// hands open exactly the files it lists and read them where they are stored, so a gigabyte
// of logs is never copied a second time to be mounted.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { badRequest } from './api-error.js';
import type { MountMapJson } from './hands/config.js';

export const UPLOADS_ROOT = '/mnt/session/uploads';
/** One name in a path, in bytes: what Linux and macOS file systems allow (NAME_MAX). */
export const MAX_NAME_BYTES = 255;
/**
 * A whole mount path, in bytes. The hands see it under the session's folder in the state
 * folder, and the whole must stay well inside PATH_MAX (4096) wherever that folder is.
 */
export const MAX_MOUNT_PATH_BYTES = 1024;

/** The client's path for an error message: control characters escaped, cut short when it is long. */
function shown(requested: string): string {
  const text = requested.length > 120 ? `${requested.slice(0, 100)}…` : requested;
  return text.replace(/[\u0000-\u001f\u007f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function refuse(field: string, requested: string, why: string): never {
  throw badRequest(`${field} ${shown(requested)} ${why}`);
}

/**
 * The absolute mount path for a requested one (`field` names it in errors, like
 * `resources[2].mount_path`). No path means `/mnt/session/uploads/<file id>`.
 */
export function resolveMountPath(requested: string | undefined | null, fileId: string, field = 'mount_path'): string {
  if (requested === undefined || requested === null || requested === '') return `${UPLOADS_ROOT}/${fileId}`;
  // A control character is never part of a file name anyone meant, and NUL ends a path early.
  if (/[\u0000-\u001f\u007f]/.test(requested)) refuse(field, requested, 'contains a control character; give a plain path such as /logs/api.log');
  if (requested.includes('\\')) refuse(field, requested, 'contains a backslash; separate folders with /');
  const inRoot = requested === UPLOADS_ROOT || requested.startsWith(`${UPLOADS_ROOT}/`);
  const relative = inRoot ? requested.slice(UPLOADS_ROOT.length) : requested;
  const segments = relative.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) refuse(field, requested, `contains '..'; give a path inside ${UPLOADS_ROOT}, such as /logs/api.log`);
  if (segments.length === 0) refuse(field, requested, `names no file; give a path inside ${UPLOADS_ROOT}, such as /logs/api.log`);
  const long = segments.find((segment) => Buffer.byteLength(segment) > MAX_NAME_BYTES);
  if (long !== undefined) {
    refuse(field, requested, `has a name of ${Buffer.byteLength(long)} bytes; each name in a path may be at most ${MAX_NAME_BYTES} bytes`);
  }
  const mountPath = `${UPLOADS_ROOT}/${segments.join('/')}`;
  if (Buffer.byteLength(mountPath) > MAX_MOUNT_PATH_BYTES) {
    refuse(field, requested, `is too long (${Buffer.byteLength(mountPath)} bytes with the ${UPLOADS_ROOT} prefix); a mount path may be at most ${MAX_MOUNT_PATH_BYTES} bytes`);
  }
  return mountPath;
}

/**
 * The mount paths of one session: each names one file, and no path is both a file and a
 * folder (`/logs` and `/logs/a.log`), which the hands could never lay out.
 */
export class SessionMounts {
  private readonly files = new Set<string>();
  /** Folder → one file under it, to name in an error. */
  private readonly folders = new Map<string, string>();

  constructor(existing: Iterable<string> = []) {
    for (const mountPath of existing) this.record(mountPath);
  }

  /** Adds a resolved mount path, or refuses it with a 400 naming the requested one. */
  add(mountPath: string, requested: string, field = 'mount_path'): void {
    if (this.files.has(mountPath)) refuse(field, requested, `is already mounted in this session; give each file its own path`);
    const under = this.folders.get(mountPath);
    if (under !== undefined) refuse(field, requested, `is a folder in this session (it holds ${under}), so it cannot also be a file`);
    for (const folder of ancestors(mountPath)) {
      if (this.files.has(folder)) refuse(field, requested, `puts a file under ${folder}, which is already a file in this session`);
    }
    this.record(mountPath);
  }

  private record(mountPath: string): void {
    this.files.add(mountPath);
    for (const folder of ancestors(mountPath)) if (!this.folders.has(folder)) this.folders.set(folder, mountPath);
  }
}

/** The folders of a mount path below the uploads root: /mnt/session/uploads/a/b/c → …/a, …/a/b. */
function ancestors(mountPath: string): string[] {
  const parts = mountPath.slice(UPLOADS_ROOT.length + 1).split('/');
  return parts.slice(0, -1).map((_, i) => `${UPLOADS_ROOT}/${parts.slice(0, i + 1).join('/')}`);
}

/** The path below the uploads root: where the file sits in the session's mount directory. */
export function relativeMountPath(mountPath: string): string {
  return mountPath.slice(UPLOADS_ROOT.length + 1);
}

/** The file, in a session's mount folder, that maps its mount paths to the stored bytes. */
export const MOUNT_MAP_FILE = 'mounts.json';

/**
 * Writes a session's mount map into `dir` and returns its path. Written whole or not at
 * all (a temporary file renamed into place), so a worker never reads half a map.
 */
export async function writeMountMap(dir: string, files: MountMapJson['files']): Promise<string> {
  const target = join(dir, MOUNT_MAP_FILE);
  const tmp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(tmp, JSON.stringify({ files } satisfies MountMapJson), { mode: 0o600 });
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return target;
}
