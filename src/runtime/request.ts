// Reading requests: JSON bodies with a clear 400 on malformed input, bracketed query
// arrays (`types[]=a&types[]=b`, `created_at[gte]=…`), and opaque page cursors.
import { ApiError, badRequest } from './api-error.js';

/**
 * The largest JSON body a request may carry. Definitions, events and session settings
 * are a few kilobytes; a bigger body is a mistake or an attack, and would otherwise be
 * stored and sent back on every list.
 */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, `the JSON body is larger than ${maxBytes} bytes; upload large content as a file (POST /v1/files)`);
}

/**
 * Only `application/json` (parameters such as charset allowed). A browser may send
 * `text/plain` across origins without asking first; refusing every other type keeps a
 * web page from driving the runtime with such a "simple" request.
 */
function isJsonType(contentType: string): boolean {
  return contentType.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** Reads the body, stopping (and cancelling the upload) as soon as it passes the cap. */
async function readCapped(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    // Stop the upload rather than leave it stalled against a body nobody reads.
    await request.body.cancel().catch(() => undefined);
    throw tooLarge(maxBytes);
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

export async function readJson(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<Record<string, unknown>> {
  const contentType = request.headers.get('content-type');
  if (contentType !== null && !isJsonType(contentType)) throw unsupportedType(contentType);
  const bytes = await readCapped(request, maxBytes);
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === '') return {};
  // A body with no type at all is refused too: only the type says it is meant as JSON.
  if (contentType === null) throw unsupportedType(null);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('the request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function unsupportedType(contentType: string | null): ApiError {
  const given = contentType === null ? 'no content-type' : `content-type ${JSON.stringify(contentType.slice(0, 100))}`;
  return new ApiError(415, `this endpoint takes a JSON body sent as content-type application/json, not ${given}`);
}

export function queryArray(url: URL, name: string): string[] {
  return [...url.searchParams.getAll(`${name}[]`), ...url.searchParams.getAll(name)];
}

export function queryLimit(url: URL, fallback = 20, max = 1000): number {
  const raw = url.searchParams.get('limit');
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw badRequest('limit must be a positive integer');
  return Math.min(value, max);
}

export function queryBool(url: URL, name: string): boolean {
  const raw = url.searchParams.get(name);
  return raw === 'true' || raw === '1';
}

export function queryOrder(url: URL, fallback: 'asc' | 'desc'): 'asc' | 'desc' {
  const raw = url.searchParams.get('order');
  if (raw === null) return fallback;
  if (raw !== 'asc' && raw !== 'desc') throw badRequest('order must be asc or desc');
  return raw;
}

/** Cursors are opaque to clients: base64url of the key to continue after. */
export function encodeCursor(key: string | number | null): string | null {
  return key === null ? null : Buffer.from(JSON.stringify({ after: key })).toString('base64url');
}

export function decodeCursor(url: URL): string | number | undefined {
  const raw = url.searchParams.get('page');
  if (raw === null || raw === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string' || typeof parsed.after === 'number') return parsed.after;
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, 'page is not a cursor this runtime issued');
}

export function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value.trim() === '') throw badRequest(`${key} is required and must be a non-empty string`);
  return value;
}

export function optionalString(body: Record<string, unknown>, key: string): string | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw badRequest(`${key} must be a string`);
  return value;
}

export function metadataOf(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest('metadata must be an object of strings');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 16) throw badRequest('metadata may hold at most 16 pairs');
  const out: Record<string, string> = {};
  for (const [key, raw] of entries) {
    if (typeof raw !== 'string') throw badRequest(`metadata.${key} must be a string`);
    if (key.length > 64 || raw.length > 512) throw badRequest(`metadata.${key}: keys ≤ 64 and values ≤ 512 characters`);
    out[key] = raw;
  }
  return out;
}
