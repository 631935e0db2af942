// Uploaded bytes live beside the database in a folder keyed by content hash: the same
// bytes are stored once. Files are written to a temporary name and renamed into
// place, so a crash never leaves a torn blob under a real hash.
import { createHash, randomBytes } from 'node:crypto';
import { constants, createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { copyFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { databaseFile } from './db.js';
import { storeFailureOf } from './failures.js';

export class SizeLimitExceeded extends Error {
  constructor(readonly limit: number) {
    super(`larger than the upload limit of ${limit} bytes`);
  }
}

export class BlobStore {
  readonly dir: string;

  constructor(private readonly home: string) {
    this.dir = join(home, 'files');
    mkdirSync(join(this.dir, 'tmp'), { recursive: true });
  }

  /** A full disk names the state folder (StoreOutOfSpace), as a full database does. */
  private failure(error: unknown): unknown {
    return storeFailureOf(error, databaseFile(this.home));
  }

  pathOf(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Streams bytes in, hashing as they pass; refuses more than maxBytes. */
  async put(source: Readable | ReadableStream<Uint8Array>, maxBytes: number): Promise<{ sha256: string; size: number }> {
    const tmp = join(this.dir, 'tmp', `${process.pid}-${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > maxBytes) {
          callback(new SizeLimitExceeded(maxBytes));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tmp));
    } catch (error) {
      await rm(tmp, { force: true });
      throw this.failure(error);
    }
    const sha256 = hash.digest('hex');
    const target = this.pathOf(sha256);
    try {
      if (existsSync(target)) {
        await rm(tmp, { force: true });
      } else {
        mkdirSync(dirname(target), { recursive: true });
        await rename(tmp, target);
      }
    } catch (error) {
      await rm(tmp, { force: true });
      throw this.failure(error);
    }
    return { sha256, size };
  }

  open(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }

  async size(sha256: string): Promise<number> {
    return (await stat(this.pathOf(sha256))).size;
  }

  /**
   * Lays a blob out at `dest` for the hands: a copy-on-write clone where the file
   * system allows, else a copy. Never a hard link: the hands must not reach the store.
   */
  async materialize(sha256: string, dest: string): Promise<void> {
    try {
      mkdirSync(dirname(dest), { recursive: true });
      await copyFile(this.pathOf(sha256), dest, constants.COPYFILE_FICLONE);
    } catch (error) {
      // A half-copied file must not pass for the whole one on the next mount.
      await rm(dest, { force: true });
      throw this.failure(error);
    }
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}
