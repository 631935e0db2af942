// The bundle folder being written. Every file appears whole or not at all: it is written
// under `.collect/tmp/` and renamed into place, so an interrupted collection never leaves
// half a file for a reader (or the next run) to take as complete. `.collect/` is a dot
// folder, which bundle readers and uploads leave out.
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, posix, resolve } from 'node:path';

export const STATE_DIR = '.collect';

export class BundleOutput {
  readonly root: string;
  readonly #tmp: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.#tmp = join(this.root, STATE_DIR, 'tmp');
  }

  async prepare(): Promise<void> {
    await mkdir(this.#tmp, { recursive: true });
  }

  /** The absolute path of a bundle path (`metrics/checkout/p99.json`). */
  pathOf(rel: string): string {
    return join(this.root, ...rel.split('/'));
  }

  /** A fresh scratch file under `.collect/tmp/`. */
  scratch(): string {
    return join(this.#tmp, randomBytes(8).toString('hex'));
  }

  /** Writes a whole file atomically. */
  async write(rel: string, content: string | Uint8Array): Promise<void> {
    const scratch = this.scratch();
    await writeFile(scratch, content);
    await this.place(scratch, rel);
  }

  /** Moves a finished scratch file into the bundle at `rel`. */
  async place(scratch: string, rel: string): Promise<void> {
    const target = this.pathOf(rel);
    await mkdir(dirname(target), { recursive: true });
    await rename(scratch, target);
  }

  /** A stream into a scratch file, for output too large to hold (logs). */
  stream(): { path: string; stream: WriteStream } {
    const path = this.scratch();
    return { path, stream: createWriteStream(path) };
  }

  async discard(scratch: string): Promise<void> {
    await rm(scratch, { force: true });
  }

  async clearScratch(): Promise<void> {
    await rm(this.#tmp, { recursive: true, force: true });
    await mkdir(this.#tmp, { recursive: true });
  }

  async remove(rel: string): Promise<void> {
    await rm(this.pathOf(rel), { force: true });
  }
}

/** A file name safe in any bundle folder: letters, digits, `._-`, nothing leading with a dot. */
export function safeName(text: string, fallback = 'source'): string {
  const clean = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 120);
  return clean === '' ? fallback : clean;
}

/** A bundle path joined from parts, posix style. */
export function bundlePath(...parts: string[]): string {
  return posix.join(...parts);
}
