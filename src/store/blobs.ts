// Uploaded bytes live beside the database in a folder keyed by content hash: the same
// bytes are stored once. Bytes stream into a temporary file, hashed as they pass (one
// read, one write), which is deleted the moment an upload fails (a size limit passed,
// the client gone) and renamed into place only once the upload is recorded, so a crash
// never leaves a torn blob under a real hash. A session's mount reads the stored file
// itself (a view, see runtime/mounts.ts), so a stored blob is made read-only.
//
// Beside a blob may lie an index of it, built from the same bytes as they streamed in (a
// log's map, see runtime/upload-index.ts): `<hash>.index`, put in place with the blob and
// removed with it. The store does not read it; whoever does must check it is what it claims.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
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

/** Bytes received and hashed, not yet under their hash: `commit` puts them there, `discard` drops them. */
export interface StagedBlob {
  sha256: string;
  size: number;
  /**
   * Moves the bytes into place. Synchronous on purpose: between recording a file and
   * this rename no other request can run, so a delete of the last file with the same
   * bytes can never remove the blob out from under the new record.
   */
  commit(): void;
  discard(): Promise<void>;
}

/** Builds an index of the bytes as they pass; the store keeps it beside the blob. */
export interface BlobIndexer {
  /** Sees every chunk, after the hash; a promise holds the upload until it settles (to bound what is in flight). */
  write(chunk: Buffer): Promise<void> | undefined;
  /** All bytes arrived: writes the index to `file` and resolves true, or resolves false when there is none. Never rejects. */
  end(file: string): Promise<boolean>;
  /** The upload failed: stop, write nothing. */
  abort(): void;
}

export interface StageOptions {
  /** Refuse (SizeLimitExceeded) as soon as more than this has arrived. */
  maxBytes: number;
  /** Sees every chunk's size as it arrives; throwing aborts the upload with that error. */
  onBytes?: (bytes: number) => void;
  /** Indexes the bytes as they pass (see BlobIndexer). */
  indexer?: BlobIndexer;
}

/** Temporary files are named after the process writing them, so a later one can tell which are orphans. */
function writerPid(name: string): number | null {
  const pid = Number(name.split('-')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class BlobStore {
  readonly dir: string;
  private readonly tmpDir: string;

  constructor(private readonly home: string) {
    this.dir = join(home, 'files');
    this.tmpDir = join(this.dir, 'tmp');
    mkdirSync(this.tmpDir, { recursive: true });
    this.removeOrphans();
  }

  /** A full disk names the state folder (StoreOutOfSpace), as a full database does. */
  private failure(error: unknown): unknown {
    return storeFailureOf(error, databaseFile(this.home));
  }

  pathOf(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Where the index of a blob lies, if it has one. */
  indexPathOf(sha256: string): string {
    return `${this.pathOf(sha256)}.index`;
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /** Streams bytes into a temporary file, hashing as they pass; refuses more than `maxBytes`. */
  async stage(source: Readable | ReadableStream<Uint8Array>, options: StageOptions): Promise<StagedBlob> {
    const tmp = join(this.tmpDir, `${process.pid}-${randomBytes(6).toString('hex')}`);
    const tmpIndex = `${tmp}.index`;
    const { indexer } = options;
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > options.maxBytes) {
          callback(new SizeLimitExceeded(options.maxBytes));
          return;
        }
        try {
          options.onBytes?.(chunk.length);
        } catch (error) {
          callback(error as Error);
          return;
        }
        hash.update(chunk);
        const held = indexer?.write(chunk);
        if (held === undefined) callback(null, chunk);
        else held.then(() => callback(null, chunk), (error: unknown) => callback(error as Error));
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tmp));
    } catch (error) {
      indexer?.abort();
      await rm(tmp, { force: true });
      throw this.failure(error);
    }
    const indexed = indexer === undefined ? false : await indexer.end(tmpIndex);
    const sha256 = hash.digest('hex');
    const target = this.pathOf(sha256);
    let settled = false;
    return {
      sha256,
      size,
      commit: () => {
        if (settled) return;
        settled = true;
        try {
          mkdirSync(dirname(target), { recursive: true });
          // Mounts read the blob in place: nothing that reads it may write to it.
          chmodSync(tmp, 0o444);
          // Over an existing blob too: the bytes are the same, and the rename is atomic.
          renameSync(tmp, target);
        } catch (error) {
          rmSync(tmp, { force: true });
          rmSync(tmpIndex, { force: true });
          throw this.failure(error);
        }
        // After the blob: an index never lies beside bytes that are not there. Without one the
        // bytes are read as they are, so failing to place it fails nothing.
        if (indexed) {
          try {
            chmodSync(tmpIndex, 0o444);
            renameSync(tmpIndex, this.indexPathOf(sha256));
          } catch {
            rmSync(tmpIndex, { force: true });
          }
        }
      },
      discard: async () => {
        if (settled) return;
        settled = true;
        await Promise.all([rm(tmp, { force: true }), rm(tmpIndex, { force: true })]);
      },
    };
  }

  /** Stages and commits at once: for bytes that no record has to precede. */
  async put(source: Readable | ReadableStream<Uint8Array>, maxBytes: number): Promise<{ sha256: string; size: number }> {
    const staged = await this.stage(source, { maxBytes });
    staged.commit();
    return { sha256: staged.sha256, size: staged.size };
  }

  open(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }

  async size(sha256: string): Promise<number> {
    return (await stat(this.pathOf(sha256))).size;
  }

  /** Synchronous, like `commit`, so that checking "no record uses these bytes" and removing them is one step. */
  remove(sha256: string): void {
    rmSync(this.indexPathOf(sha256), { force: true });
    rmSync(this.pathOf(sha256), { force: true });
  }

  /** Temporary files of processes that died mid-upload. */
  private removeOrphans(): void {
    for (const name of readdirSync(this.tmpDir)) {
      const pid = writerPid(name);
      if (pid !== null && pid !== process.pid && !running(pid)) rmSync(join(this.tmpDir, name), { force: true });
    }
  }
}
