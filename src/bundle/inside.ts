// The one containment test for paths: whether a (real) path lies inside a (real) root.
// The bundle walker, the upload and read_file all decide with it.
import { isAbsolute, relative, sep } from 'node:path';

/** Why a symbolic link of a bundle folder is neither read nor uploaded. */
export const LINK_LEAVES_BUNDLE = 'symbolic link leaves the bundle';

/** True when `candidate` is `root` or below it. Both should be real paths (symlinks resolved). */
export function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
