// Reading requests: JSON bodies with a clear 400 on malformed input, bracketed query
// arrays (`types[]=a&types[]=b`, `created_at[gte]=…`), and opaque page cursors.
import { ApiError, badRequest } from './api-error.js';

export async function readJson(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.trim() === '') return {};
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
