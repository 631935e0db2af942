// The key of `incident serve`, kept in the state folder: generated on first start,
// readable by its owner only, so clients on this machine can read it and nobody else.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, rmSync, writeSync, fsyncSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const RUNTIME_KEY_FILE = 'runtime.key';
/** Lets people and secret scanners recognise a leaked key for what it is. */
export const RUNTIME_KEY_PREFIX = 'incident_rk_';

/** A key file (or its folder) that others could read or swap: the key cannot be trusted. */
export class UnsafeRuntimeKey extends Error {}

export function runtimeKeyPath(home: string): string {
  return join(home, RUNTIME_KEY_FILE);
}

export function generateRuntimeKey(): string {
  return `${RUNTIME_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

const ownUid = (): number | undefined => process.getuid?.();

/** The folder holds the key and the incident data: not open to other users. */
function secureFolder(home: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const stat = statSync(home);
  const uid = ownUid();
  if ((stat.mode & 0o007) === 0) return;
  if (uid !== undefined && stat.uid !== uid) {
    throw new UnsafeRuntimeKey(`the state folder ${home} is open to other users and belongs to someone else`);
  }
  chmodSync(home, stat.mode & 0o770);
}

function checkFile(path: string): void {
  const stat = lstatSync(path);
  if (!stat.isFile()) throw new UnsafeRuntimeKey(`${path} is not a regular file`);
  const uid = ownUid();
  if (uid !== undefined && stat.uid !== uid) throw new UnsafeRuntimeKey(`${path} belongs to another user`);
  if ((stat.mode & 0o077) !== 0) {
    throw new UnsafeRuntimeKey(`${path} is readable by others (mode ${(stat.mode & 0o777).toString(8)})`);
  }
}

function readKeyFile(path: string): string {
  const key = readFileSync(path, 'utf8').trim();
  if (key === '') throw new UnsafeRuntimeKey(`${path} is empty`);
  return key;
}

/**
 * The server's key: read from the state folder, or generated and stored there on first
 * start. Creation is atomic: the key is written to a private temporary file and linked
 * into place, so a concurrent start either wins or reads the winner's key, and no
 * reader ever sees a half-written file.
 */
export function ensureRuntimeKey(home: string): { key: string; path: string; created: boolean } {
  return ensureKeyFile(home, RUNTIME_KEY_FILE, RUNTIME_KEY_PREFIX);
}

/** A key kept owner-only in `folder` (closed to other users) under `fileName`: read, or generated once with `prefix`. */
export function ensureKeyFile(folder: string, fileName: string, prefix: string): { key: string; path: string; created: boolean } {
  secureFolder(folder);
  const path = join(folder, fileName);
  try {
    checkFile(path);
    return { key: readKeyFile(path), path, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = `${prefix}${randomBytes(32).toString('base64url')}`;
  const temporary = join(folder, `.${fileName}.${process.pid}.${randomBytes(6).toString('hex')}`);
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${key}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, path);
    return { key, path, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    checkFile(path);
    return { key: readKeyFile(path), path, created: false };
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** A client's view: the key of the runtime served from this state folder, if there is one. */
export function readRuntimeKey(home: string): string | null {
  return readKeyAt(runtimeKeyPath(home));
}

/** The key in a file kept by ensureKeyFile, or null when there is none (or it cannot be read). */
export function readKeyAt(path: string): string | null {
  try {
    return readKeyFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || error instanceof UnsafeRuntimeKey) return null;
    throw error;
  }
}
