// Changes git does not know (a feature flag flipped, an infra change, a deploy tool's
// record), from a changes.yaml / changes.json the engineer gives. Entries are kept as they
// are; a `diff` they point at, relative to their file, is copied into diffs/.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { ChangeEntry } from './git.js';
import { safeName } from './output.js';
import { SourceError } from './problems.js';

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ChangesFromFile {
  changes: ChangeEntry[];
  /** Patches to copy in: bundle path → absolute source path. */
  patches: Map<string, string>;
  skipped: number;
}

export async function readChangesFile(file: string): Promise<ChangesFromFile> {
  const path = resolve(file);
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new SourceError(error.code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file}: ${error.message}`);
  });
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new SourceError(`${file} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  const list = Array.isArray(doc) ? doc : isFields(doc) && Array.isArray(doc.changes) ? doc.changes : null;
  if (list === null) throw new SourceError(`${file} holds no list of changes (a list, or {changes: [...]})`);
  const changes: ChangeEntry[] = [];
  const patches = new Map<string, string>();
  let skipped = 0;
  for (const raw of list) {
    if (!isFields(raw) || typeof raw.id !== 'string') {
      skipped += 1;
      continue;
    }
    // YAML reads unquoted timestamps as dates; the bundle accepts the instant either way.
    const entry: Fields = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]));
    if (typeof raw.diff === 'string') {
      const source = resolve(dirname(path), raw.diff);
      const info = await stat(source).catch(() => null);
      if (info?.isFile()) {
        const target = `diffs/${safeName(basename(raw.diff), `${safeName(raw.id)}.patch`)}`;
        patches.set(target, source);
        entry.diff = target;
      }
    }
    changes.push(entry as ChangeEntry);
  }
  return { changes, patches, skipped };
}
