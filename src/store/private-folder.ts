// The state folder holds incident data (uploaded logs and diffs, event logs, diagnoses)
// and the runtime's key: no other user of the machine may enter it. A new folder is
// created owner-only; one of ours that others may enter (made by an older version, or
// by hand) is closed to them. A folder others share on purpose (the sticky bit, as on
// /tmp) or one that belongs to someone else is never changed.
import { chmodSync, mkdirSync, statSync } from 'node:fs';

const STICKY = 0o1000;

export type FolderAccess =
  /** Others have no access (now). */
  | 'private'
  /** Ours, but left open: a sticky folder others write in too (like /tmp), or one whose mode cannot be set. */
  | 'kept-open'
  /** Open to others and owned by another user: left as it is. */
  | 'foreign';

export function ensurePrivateFolder(folder: string): FolderAccess {
  // The mode applies to every folder created on the way (XDG asks 0700 of a state folder too).
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stat = statSync(folder);
  if ((stat.mode & 0o007) === 0) return 'private';
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) return 'foreign';
  if ((stat.mode & STICKY) !== 0) return 'kept-open';
  try {
    chmodSync(folder, stat.mode & 0o770);
    return 'private';
  } catch {
    // A file system without modes (a mounted share): the folder works as it is.
    return 'kept-open';
  }
}
