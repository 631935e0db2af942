// Everything a runtime keeps, as one comparable value: every row of every table of its
// database and the names of the files in its state folder. Equal before and after a
// request means the request changed nothing.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Store } from '../../src/store/index.js';

function filesUnder(root: string, dir = root): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(root, path) : [relative(root, path)];
  });
}

/** The names of the files in the state folder (the database's own files aside). */
export function storedFiles(store: Store): string {
  return JSON.stringify(filesUnder(store.home).filter((path) => !path.startsWith('incident.db')).sort());
}

/** Every row of every table. */
export function storedRows(store: Store): string {
  const tables = store.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Array<{ name: string }>;
  const rows: Record<string, unknown[]> = {};
  for (const { name } of tables) rows[name] = store.db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all();
  return JSON.stringify(rows);
}

export function snapshot(store: Store): string {
  return `${storedRows(store)}\n${storedFiles(store)}`;
}
