// Uploads already made to a runtime, by content: a bundle investigated twice (or two
// bundles that share their logs) sends each file's bytes once. A record maps a file's
// SHA-256 to the id the runtime gave it; an id is reused only after the runtime says it
// still has that file (files.retrieveMetadata), so a file deleted there, or expired, is uploaded
// again. The record is one JSON file per user, written whole and renamed into place, so
// two commands writing at once leave one of their records, never a torn file.
import type Anthropic from '@anthropic-ai/sdk';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The record's file name in the state folder. */
export const UPLOAD_RECORD_FILE = 'cloud-uploads.json';

interface RecordedUpload {
  file_id: string;
  size: number;
  uploaded_at: string;
}

interface RecordFile {
  version: 1;
  /** Runtime address → content hash → upload. Files on one runtime mean nothing on another. */
  runtimes: Record<string, Record<string, RecordedUpload>>;
}

/** Hashes a file as it streams from disk: a gigabyte of logs is never held in memory. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class UploadRecord {
  private data: RecordFile = { version: 1, runtimes: {} };
  private loaded = false;
  /** What this process changed: merged into the record on disk when it is saved. */
  private readonly added = new Map<string, RecordedUpload>();
  private readonly removed = new Set<string>();

  /** `path`: the record file (in the state folder); `runtime`: the address the uploads went to. */
  constructor(
    readonly path: string,
    private readonly runtime: string,
  ) {}

  private async read(): Promise<RecordFile> {
    try {
      const parsed = JSON.parse(await readFile(this.path, 'utf8')) as Partial<RecordFile>;
      if (parsed.version === 1 && parsed.runtimes && typeof parsed.runtimes === 'object' && !Array.isArray(parsed.runtimes)) return { version: 1, runtimes: parsed.runtimes };
    } catch {
      // No record yet, or one that cannot be read: every file is uploaded (and recorded) anew.
    }
    return { version: 1, runtimes: {} };
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    this.data = await this.read();
  }

  private entries(): Record<string, RecordedUpload> {
    return (this.data.runtimes[this.runtime] ??= {});
  }

  /**
   * The id of a file with these bytes that the runtime still holds, or null. An id the
   * runtime no longer knows (deleted, expired, another account) is forgotten.
   */
  async reusable(client: Anthropic, sha256: string, size: number): Promise<string | null> {
    await this.load();
    const known = this.entries()[sha256];
    if (!known || known.size !== size) return null;
    try {
      const file = await client.beta.files.retrieveMetadata(known.file_id);
      if (file.size_bytes === size) return known.file_id;
    } catch (error) {
      if ((error as { status?: unknown }).status !== 404) throw error;
    }
    delete this.entries()[sha256];
    this.removed.add(sha256);
    return null;
  }

  async remember(sha256: string, fileId: string, size: number): Promise<void> {
    await this.load();
    const upload = { file_id: fileId, size, uploaded_at: new Date().toISOString() };
    this.entries()[sha256] = upload;
    this.added.set(sha256, upload);
    this.removed.delete(sha256);
  }

  async forget(fileIds: readonly string[]): Promise<void> {
    await this.load();
    const entries = this.entries();
    for (const [sha256, upload] of Object.entries(entries)) {
      if (!fileIds.includes(upload.file_id)) continue;
      delete entries[sha256];
      this.added.delete(sha256);
      this.removed.add(sha256);
    }
  }

  /**
   * Writes this process's changes into the record as it is on disk now (another command
   * may have written since), owner-only: it names what this user uploaded.
   */
  async save(): Promise<void> {
    if (this.added.size === 0 && this.removed.size === 0) return;
    const current = await this.read();
    const entries = (current.runtimes[this.runtime] ??= {});
    for (const sha256 of this.removed) delete entries[sha256];
    for (const [sha256, upload] of this.added) entries[sha256] = upload;
    this.data = current;
    this.added.clear();
    this.removed.clear();
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const staged = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(staged, `${JSON.stringify(this.data, null, 1)}\n`, { mode: 0o600 });
    await rename(staged, this.path);
  }
}
