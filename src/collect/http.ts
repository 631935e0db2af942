// JSON over HTTP from a live source (Prometheus, Alertmanager), bounded in time and size.
// Every way it can fail becomes a SourceError with one line a person can act on: nothing
// listening, a status that is not 2xx, no answer in time, an answer that is not JSON.
import { SourceError } from './problems.js';

/** Larger answers are refused: a bundle is for reading, not for copying a TSDB. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface GetOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  maxBytes?: number;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function connectReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused: nothing listens there';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was closed before an answer';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host is unreachable';
    default:
      return cause?.message ?? (error instanceof Error ? error.message : String(error));
  }
}

async function readBounded(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new SourceError(`answered with more than ${Math.round(maxBytes / 1024 / 1024)} MiB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** GETs `url` and parses its JSON body; throws a SourceError saying what happened otherwise. */
export async function getJson(url: URL, options: GetOptions): Promise<unknown> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const where = `${url.origin}${url.pathname}`;
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal, redirect: 'follow' });
    body = await readBounded(response, options.maxBytes ?? MAX_BODY_BYTES);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    if (error instanceof SourceError) throw new SourceError(`${where} ${error.message}`);
    if (timeout.aborted) throw new SourceError(`${where} did not answer within ${seconds(options.timeoutMs)}`, { cause: error });
    throw new SourceError(`cannot reach ${where}: ${connectReason(error)}`, { cause: error });
  }
  if (!response.ok) {
    const said = body.replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new SourceError(`${where} answered HTTP ${response.status}${said ? `: ${said}` : ''}`);
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new SourceError(`${where} answered with something that is not JSON (is it the right URL?)`);
  }
}

/** A base URL given by a person (`http://prom:9090`, `prom:9090/`), checked; null when it is not one. */
export function baseUrl(text: string): URL | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
    return url;
  } catch {
    return null;
  }
}

/** `path` under a base URL, with query parameters (repeated keys allowed). */
export function endpoint(base: URL, path: string, params: ReadonlyArray<readonly [string, string]> = []): URL {
  const url = new URL(path.replace(/^\//, ''), base);
  for (const [key, value] of params) url.searchParams.append(key, value);
  return url;
}
