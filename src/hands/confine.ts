// Every path a tool reads is confined to the mounted roots. A requested path is taken
// relative to the first root (bundle-relative), or as an absolute path that must already
// lie inside one of them; `..` segments are refused outright, and the resolved real path
// (symlinks followed) must still be inside a root's real path, so a link cannot lead out.
// A session's mount is a map of its files (their bytes stay in the runtime's store): there
// is no folder to resolve in, and a path is read only when it is one of the mapped files.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Bundle } from '../bundle/index.js';
import { isInside } from '../bundle/inside.js';

export type Confined =
  | { ok: true; absPath: string; root: string; relPath: string }
  | { ok: false; error: string; hint: string };

function toPosix(relPath: string): string {
  return relPath.split(path.sep).join('/');
}

async function realOrNull(p: string): Promise<string | null> {
  try {
    return await realpath(p);
  } catch {
    return null;
  }
}

const HINT = 'pass a path relative to the bundle root, as listed by describe_bundle (e.g. logs/api.log)';

/**
 * Resolves `requested` to a file of the bundle: one it lists (its bytes may be anywhere, as
 * for a mapped mount), else, when `roots` are directories, a file inside them (resolveInside).
 * With no roots only the bundle's own files can be read. An absolute path is taken relative
 * to the bundle's root (the name it is shown under, /mnt/session/uploads for a session).
 */
export async function resolveBundleFile(bundle: Bundle, roots: readonly string[], requested: string): Promise<Confined> {
  const trimmed = requested.trim();
  if (trimmed === '' || trimmed.includes('\0')) return { ok: false, error: 'empty or invalid path', hint: HINT };
  if (trimmed.split(/[\\/]+/).includes('..')) {
    return { ok: false, error: `path "${requested}" contains "..": reading outside the bundle is not allowed`, hint: HINT };
  }
  let relative = trimmed;
  if (path.posix.isAbsolute(trimmed)) {
    const base = [bundle.root, ...roots].find((root) => isInside(root, path.posix.normalize(trimmed)));
    if (base === undefined) return { ok: false, error: `path "${requested}" is outside the mounted bundle`, hint: HINT };
    relative = path.relative(base, path.posix.normalize(trimmed));
  }
  const wanted = relative.split(/[\\/]+/).filter((segment) => segment !== '' && segment !== '.').join('/');
  const file = bundle.files.find((candidate) => candidate.path === wanted);
  if (file !== undefined) return { ok: true, absPath: file.absPath, root: bundle.root, relPath: file.path };
  if (roots.length === 0) return { ok: false, error: `no file "${requested}" in the bundle`, hint: 'describe_bundle lists the files of the bundle' };
  return resolveInside(roots, requested);
}

/**
 * Resolves `requested` inside one of `roots`. Never throws: a refusal is a result with a
 * message and a hint, which tools return as an error result.
 */
export async function resolveInside(roots: readonly string[], requested: string): Promise<Confined> {
  const hint = HINT;
  if (roots.length === 0) return { ok: false, error: 'no mounted roots to read from', hint };
  const trimmed = requested.trim();
  if (trimmed === '' || trimmed.includes('\0')) return { ok: false, error: 'empty or invalid path', hint };
  const segments = trimmed.split(/[\\/]+/);
  if (segments.includes('..')) {
    return { ok: false, error: `path "${requested}" contains "..": reading outside the bundle is not allowed`, hint };
  }

  let lexical: string | null = null;
  let root: string | null = null;
  if (path.isAbsolute(trimmed)) {
    const normal = path.resolve(trimmed);
    root = roots.map((r) => path.resolve(r)).find((r) => isInside(r, normal)) ?? null;
    if (root === null) {
      return { ok: false, error: `path "${requested}" is outside the mounted bundle`, hint };
    }
    lexical = normal;
  } else {
    // Bundle-relative: the first root that holds it wins.
    for (const r of roots) {
      const candidate = path.resolve(r, trimmed);
      if ((await realOrNull(candidate)) !== null) {
        root = path.resolve(r);
        lexical = candidate;
        break;
      }
    }
    if (lexical === null || root === null) {
      return { ok: false, error: `no file "${requested}" in the bundle`, hint };
    }
  }

  const real = await realOrNull(lexical);
  if (real === null) return { ok: false, error: `no file "${requested}" in the bundle`, hint };
  const realRoot = (await realOrNull(root)) ?? root;
  if (!isInside(realRoot, real)) {
    return { ok: false, error: `path "${requested}" resolves outside the mounted bundle (a symbolic link)`, hint };
  }
  const info = await stat(real);
  if (!info.isFile()) {
    return { ok: false, error: `"${requested}" is not a file`, hint: 'describe_bundle lists the files of the bundle' };
  }
  return { ok: true, absPath: real, root, relPath: toPosix(path.relative(root, lexical)) };
}
