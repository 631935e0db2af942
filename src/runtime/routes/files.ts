// /v1/files: multipart upload (stored by content hash), list, metadata, content, delete.
import type { BetaFileMetadata } from '@anthropic-ai/sdk/resources/beta/files';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { orderedId, SizeLimitExceeded, type FileRow, type Store } from '../../store/index.js';
import { ApiError, badRequest, jsonResponse, notFound } from '../api-error.js';
import { decodeCursor, encodeCursor, queryArray, queryLimit } from '../request.js';
import type { Router } from '../router.js';

/** In-process uploads hand their FormData over directly: no multipart encode and decode of large logs. */
const directForms = new WeakMap<Request, FormData>();

export function attachFormData(request: Request, form: FormData): void {
  directForms.set(request, form);
}

async function formDataOf(request: Request, maxBytes: number): Promise<FormData> {
  const direct = directForms.get(request);
  if (direct) return direct;
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes + 64 * 1024) throw tooLarge(maxBytes);
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) throw new ApiError(400, 'upload a file as multipart/form-data with a `file` part');
  try {
    return await request.formData();
  } catch {
    throw badRequest('the multipart body could not be read');
  }
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, `the file is larger than this runtime's upload limit (${maxBytes} bytes; set INCIDENT_MAX_UPLOAD_BYTES to raise it)`);
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

export function fileRoutes(router: Router, store: Store, limits: { maxUploadBytes: number }): void {
  router.on('POST', '/v1/files', async (request) => {
    const form = await formDataOf(request, limits.maxUploadBytes);
    const file = form.get('file');
    if (!(file instanceof Blob)) throw badRequest('the multipart body needs a `file` part');
    if (file.size > limits.maxUploadBytes) throw tooLarge(limits.maxUploadBytes);
    const expiresRaw = form.get('expires_in_seconds');
    let expiresAt: string | null = null;
    if (typeof expiresRaw === 'string' && expiresRaw !== '') {
      const seconds = Number(expiresRaw);
      if (!Number.isInteger(seconds) || seconds < 3600 || seconds > 7_776_000) {
        throw badRequest('expires_in_seconds must be an integer from 3600 to 7776000');
      }
      expiresAt = new Date(Date.now() + seconds * 1000).toISOString();
    }
    let stored: { sha256: string; size: number };
    try {
      stored = await store.blobs.put(Readable.fromWeb(file.stream() as NodeReadableStream<Uint8Array>), limits.maxUploadBytes);
    } catch (error) {
      if (error instanceof SizeLimitExceeded) throw tooLarge(limits.maxUploadBytes);
      throw error;
    }
    const filename = file instanceof File && file.name ? file.name : 'upload';
    const row: FileRow = {
      id: orderedId('file'),
      sha256: stored.sha256,
      filename,
      mime_type: file.type || 'application/octet-stream',
      size_bytes: stored.size,
      scope_id: null,
      created_at: new Date().toISOString(),
      expires_at: expiresAt,
    };
    store.files.insert(row);
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
    const body = Readable.toWeb(store.blobs.open(row.sha256)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: { 'content-type': row.mime_type, 'content-length': String(row.size_bytes) },
    });
  });

  router.on('DELETE', '/v1/files/:id', async (_request, params) => {
    const id = params['id'] ?? '';
    const row = store.files.get(id);
    if (!row) throw notFound('file', id);
    store.files.delete(id);
    if (store.files.countBySha(row.sha256) === 0) await store.blobs.remove(row.sha256);
    return jsonResponse({ id, type: 'file_deleted' });
  });
}
