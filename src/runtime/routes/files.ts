// /v1/files: multipart upload (stored by content hash), list, metadata, content, delete.
// What a client can leave behind is bounded: one file may be at most the upload limit,
// checked while it streams (the partial bytes are deleted the moment it is passed, or
// the client goes), and uploads that no session mounts are capped in number and bytes.
import type { BetaFileMetadata } from '@anthropic-ai/sdk/resources/beta/files';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { orderedId, SizeLimitExceeded, type BlobIndexer, type FileRow, type StagedBlob, type Store } from '../../store/index.js';
import { ApiError, badRequest, jsonResponse, notFound } from '../api-error.js';
import { multipartBoundary, readMultipart } from '../multipart.js';
import { decodeCursor, encodeCursor, queryArray, queryLimit } from '../request.js';
import type { Router } from '../router.js';

export interface UploadLimits {
  /** Bytes of one file. */
  maxFileBytes: number;
  /** Files uploaded that no session mounts, at once. */
  maxUnmountedFiles: number;
  /** Bytes of those files, at once (each content counted once, as it is stored). */
  maxUnmountedBytes: number;
}

/** When the limits on unmounted uploads are reached, those older than this are deleted to make room. */
export const STALE_UNMOUNTED_MS = 60 * 60 * 1000;
/** Multipart framing around the file: the part headers and boundaries. */
const MULTIPART_SLACK_BYTES = 64 * 1024;
/**
 * After a refusal, how much more of the body is read (and dropped) so the client hears
 * the answer; past this the connection is cut instead.
 */
const DRAIN_BYTES = 16 * 1024 * 1024;

/** In-process uploads hand their FormData over directly: no multipart encode and decode of large logs. */
const directForms = new WeakMap<Request, FormData>();

export function attachFormData(request: Request, form: FormData): void {
  directForms.set(request, form);
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, `the file is larger than this runtime's upload limit (${maxBytes} bytes; set INCIDENT_MAX_UPLOAD_BYTES to raise it)`);
}

/** Passing the cap on unmounted bytes, while an upload streams. */
class UnmountedBytesFull extends Error {}

function unmountedBytesFull(maxBytes: number): ApiError {
  return new ApiError(
    413,
    `this upload would take the files that no session mounts past this runtime's limit of ${maxBytes} bytes: create the sessions that mount the files already uploaded, or delete those no session will use`,
  );
}

function unmountedFilesFull(maxFiles: number): ApiError {
  return new ApiError(
    429,
    `this runtime already holds ${maxFiles} uploaded files that no session mounts, its limit: create the sessions that mount them, or delete those no session will use`,
  );
}

export function fileMetadata(row: FileRow): BetaFileMetadata {
  return {
    id: row.id,
    type: 'file',
    filename: row.filename,
    mime_type: row.mime_type,
    size_bytes: row.size_bytes,
    created_at: row.created_at,
    downloadable: true,
    ...(row.expires_at ? { expires_at: row.expires_at } : {}),
    ...(row.scope_id ? { scope: { type: 'session', id: row.scope_id } } : {}),
  } as BetaFileMetadata;
}

function expiryOf(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw === '') return null;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 3600 || seconds > 7_776_000) {
    throw badRequest('expires_in_seconds must be an integer from 3600 to 7776000');
  }
  return new Date(Date.now() + seconds * 1000).toISOString();
}

interface Received {
  staged: StagedBlob;
  filename: string;
  type: string;
  expiresAt: string | null;
}

/** Indexes an upload as it streams (see runtime/upload-index.ts); undefined: not this one. */
export type UploadIndexing = (filename: string) => BlobIndexer | undefined;

export function fileRoutes(router: Router, store: Store, limits: UploadLimits, indexing: UploadIndexing = () => undefined): void {
  /** Bytes of uploads under way, not yet recorded: they count against the cap while they stream. */
  let arriving = 0;

  /** Deletes a file record, and its bytes when no other record has them. Synchronous: see StagedBlob.commit. */
  function deleteFile(row: FileRow): void {
    store.files.delete(row.id);
    if (store.files.countBySha(row.sha256) === 0) store.blobs.remove(row.sha256);
  }

  /** Checks there is room for one more upload, deleting stale unmounted ones first when there is not. */
  function admit(knownBytes: number): { unmountedBytes: number } {
    const full = (usage: { files: number; bytes: number }): boolean =>
      usage.files + 1 > limits.maxUnmountedFiles || usage.bytes + arriving + knownBytes > limits.maxUnmountedBytes;
    let usage = store.files.unmountedUsage();
    if (full(usage)) {
      const cutoff = new Date(Date.now() - STALE_UNMOUNTED_MS).toISOString();
      store.transaction(() => {
        for (const row of store.files.unmountedBefore(cutoff, limits.maxUnmountedFiles + 1)) deleteFile(row);
      });
      usage = store.files.unmountedUsage();
    }
    if (usage.files + 1 > limits.maxUnmountedFiles) throw unmountedFilesFull(limits.maxUnmountedFiles);
    if (usage.bytes + arriving + knownBytes > limits.maxUnmountedBytes) throw unmountedBytesFull(limits.maxUnmountedBytes);
    return { unmountedBytes: usage.bytes };
  }

  /** Streams one file's bytes into the store under both caps; nothing is left behind when it fails. */
  async function stage(source: Readable, unmountedBytes: number, filename: string): Promise<StagedBlob> {
    let received = 0;
    const indexer = indexing(filename);
    try {
      return await store.blobs.stage(source, {
        ...(indexer === undefined ? {} : { indexer }),
        maxBytes: limits.maxFileBytes,
        onBytes: (bytes) => {
          received += bytes;
          arriving += bytes;
          if (unmountedBytes + arriving > limits.maxUnmountedBytes) throw new UnmountedBytesFull();
        },
      });
    } catch (error) {
      if (error instanceof SizeLimitExceeded) throw tooLarge(limits.maxFileBytes);
      if (error instanceof UnmountedBytesFull) throw unmountedBytesFull(limits.maxUnmountedBytes);
      throw error;
    } finally {
      arriving -= received;
    }
  }

  async function receiveDirect(form: FormData): Promise<Received> {
    const file = form.get('file');
    if (!(file instanceof Blob)) throw badRequest('the multipart body needs a `file` part');
    if (file.size > limits.maxFileBytes) throw tooLarge(limits.maxFileBytes);
    const expiresAt = expiryOf(form.get('expires_in_seconds'));
    const { unmountedBytes } = admit(file.size);
    const filename = file instanceof File ? file.name : '';
    const staged = await stage(Readable.fromWeb(file.stream() as NodeReadableStream<Uint8Array>), unmountedBytes, filename);
    return { staged, filename, type: file.type, expiresAt };
  }

  async function receiveStreamed(request: Request): Promise<Received> {
    const boundary = multipartBoundary(request.headers.get('content-type') ?? '');
    if (boundary === null || request.body === null) throw new ApiError(400, 'upload a file as multipart/form-data with a `file` part');
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > limits.maxFileBytes + MULTIPART_SLACK_BYTES) throw tooLarge(limits.maxFileBytes);
    const { unmountedBytes } = admit(0);
    let received: Omit<Received, 'expiresAt'> | undefined;
    try {
      const { fields } = await readMultipart(
        request.body,
        boundary,
        async (part) => {
          received = { staged: await stage(part.body, unmountedBytes, part.filename), filename: part.filename, type: part.type };
        },
        { drainBytes: DRAIN_BYTES },
      );
      if (received === undefined) throw badRequest('the multipart body needs a `file` part');
      return { ...received, expiresAt: expiryOf(fields.get('expires_in_seconds')) };
    } catch (error) {
      await received?.staged.discard();
      throw error;
    }
  }

  router.on('POST', '/v1/files', async (request) => {
    const direct = directForms.get(request);
    const received = direct ? await receiveDirect(direct) : await receiveStreamed(request);
    const { staged, expiresAt } = received;
    const row: FileRow = {
      id: orderedId('file'),
      sha256: staged.sha256,
      filename: received.filename || 'upload',
      mime_type: received.type || 'application/octet-stream',
      size_bytes: staged.size,
      scope_id: null,
      created_at: new Date().toISOString(),
      expires_at: expiresAt,
    };
    try {
      store.files.insert(row);
    } catch (error) {
      await staged.discard();
      throw error;
    }
    staged.commit();
    return jsonResponse(fileMetadata(row));
  });

  router.on('GET', '/v1/files', (_request, _params, url) => {
    const after = decodeCursor(url);
    const page = store.files.list({
      after: typeof after === 'string' ? after : undefined,
      limit: queryLimit(url),
      scopeId: url.searchParams.get('scope_id') ?? undefined,
      ids: queryArray(url, 'ids'),
    });
    return jsonResponse({ data: page.data.map(fileMetadata), next_page: encodeCursor(page.next) });
  });

  router.on('GET', '/v1/files/:id', (_request, params) => {
    const row = store.files.get(params['id'] ?? '');
    if (!row) throw notFound('file', params['id'] ?? '');
    return jsonResponse(fileMetadata(row));
  });

  router.on('GET', '/v1/files/:id/content', (_request, params) => {
    const row = store.files.get(params['id'] ?? '');
    if (!row) throw notFound('file', params['id'] ?? '');
    // Said here, in the runtime's words: the file system's error would name the blob's host path.
    if (!store.blobs.has(row.sha256)) throw new ApiError(500, `the bytes of file ${row.id} are missing from this runtime's store`);
    const body = Readable.toWeb(store.blobs.open(row.sha256)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: { 'content-type': row.mime_type, 'content-length': String(row.size_bytes) },
    });
  });

  router.on('DELETE', '/v1/files/:id', (_request, params) => {
    const id = params['id'] ?? '';
    const row = store.files.get(id);
    if (!row) throw notFound('file', id);
    deleteFile(row);
    return jsonResponse({ id, type: 'file_deleted' });
  });
}
