// Which patch belongs to which change: the change's own `diff` path, else a diff whose file name
// carries the change id (`diffs/deploy-4821.patch`, `diffs/0001-deploy-4821-fix.patch`).

function baseName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.replace(/\.gz$/i, '').replace(/\.[^.]+$/, '');
}

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** True when `name` holds `id` not glued to other letters or digits (`deploy-1` is not in `deploy-12`). */
function containsId(name: string, id: string): boolean {
  for (let at = name.indexOf(id); at >= 0; at = name.indexOf(id, at + 1)) {
    const before = at === 0 ? -1 : name.charCodeAt(at - 1);
    const after = at + id.length >= name.length ? -1 : name.charCodeAt(at + id.length);
    if ((before < 0 || !isWordChar(before)) && (after < 0 || !isWordChar(after))) return true;
  }
  return false;
}

/** The diff whose file name carries this id; an exact name wins, then the shortest. */
export function diffPathForId(id: string, diffPaths: readonly string[]): string | null {
  if (id === '') return null;
  let best: string | null = null;
  for (const path of diffPaths) {
    const name = baseName(path);
    if (name === id) return path;
    if (containsId(name, id) && (best === null || name.length < baseName(best).length)) best = path;
  }
  return best;
}

/** A path as a change wrote it, made bundle-relative: `./diffs/x.patch`, `/diffs/x.patch` → `diffs/x.patch`. */
export function normalizeBundlePath(path: string): string {
  return path.trim().replace(/\\/g, '/').replace(/^(?:\.\/|\/)+/, '');
}

/** The bundle path a declared `diff` refers to: exact, else the same path found deeper, else by file name. */
export function resolveDeclaredDiff(declared: string, filePaths: readonly string[], diffPaths: readonly string[]): string | null {
  const wanted = normalizeBundlePath(declared);
  if (filePaths.includes(wanted)) return wanted;
  const suffix = diffPaths.find((path) => path.endsWith(`/${wanted}`));
  if (suffix) return suffix;
  const base = wanted.slice(wanted.lastIndexOf('/') + 1);
  return diffPaths.find((path) => path.slice(path.lastIndexOf('/') + 1) === base) ?? null;
}
