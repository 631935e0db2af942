// Serves a fetch handler over node:http, streaming both ways (large uploads in,
// SSE out), with the client's disconnect aborting the request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApiError, errorResponse } from './api-error.js';

/** The socket a request arrived on: what an HTTP-only check (the guard) needs to know. */
export interface ConnectionInfo {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
}

/** `connection` is there for requests that came over a socket, absent in process. */
export type FetchHandler = (request: Request, connection?: ConnectionInfo) => Promise<Response>;

/**
 * The request's URL is built on the server's own address, never on the Host header a
 * client sent: a forged Host cannot make it unparsable or point it elsewhere.
 */
function requestUrl(target: string | undefined, origin: string): URL {
  const raw = target ?? '/';
  if (raw.startsWith('/')) return new URL(origin + raw);
  try {
    // The absolute form (`GET http://host/path`): only its path and query count.
    const absolute = new URL(raw);
    return new URL(origin + absolute.pathname + absolute.search);
  } catch {
    return new URL(`${origin}/`);
  }
}

/** Past this much unread body after the response, the connection is cut instead. */
const MAX_DISCARD_BYTES = 16 * 1024 * 1024;

interface RequestBody {
  stream: ReadableStream<Uint8Array>;
  /** Reads and drops whatever the handler left unread, so its response reaches the client. */
  discardRest(): void;
}

/**
 * The request body as a web stream with backpressure. A handler that refuses a body
 * (too large, wrong type, no key) leaves it unread or cancels it; the rest is then read
 * and dropped rather than left stalled, because a client blocked on sending it would
 * never see the refusal, and closing a socket with unread data resets it.
 */
function requestBody(req: IncomingMessage): RequestBody {
  let discarding = false;
  let finished = false;
  let discarded = 0;
  const discardRest = (): void => {
    if (discarding || finished) return;
    discarding = true;
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.byteLength;
      if (discarded > MAX_DISCARD_BYTES) req.socket?.destroy();
    });
    req.resume();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on('data', (chunk: Buffer) => {
          if (discarding) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once('end', () => {
          finished = true;
          if (!discarding) controller.close();
        });
        const broken = (error: Error): void => {
          if (finished || discarding) return;
          finished = true;
          controller.error(error);
        };
        req.on('error', broken);
        req.once('close', () => broken(new Error('the client closed the request before its body was sent')));
      },
      pull() {
        if (!discarding) req.resume();
      },
      cancel() {
        discardRest();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );
  req.pause();
  return { stream, discardRest };
}

function toRequest(req: IncomingMessage, origin: string, signal: AbortSignal, body: RequestBody | null): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(key, item);
    else if (value !== undefined) headers.set(key, value);
  }
  return new Request(requestUrl(req.url, origin), {
    method: req.method ?? 'GET',
    headers,
    signal,
    ...(body ? { body: body.stream, duplex: 'half' } : {}),
  } as RequestInit);
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  res.writeHead(response.status, headers);
  res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.on('close', () => void reader.cancel().catch(() => undefined));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve));
  }
  res.end();
}

/** A failure of this layer: the API's error shape, with nothing of the error itself (no stack, no paths). */
async function writeFailure(res: ServerResponse, error: unknown): Promise<void> {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const response = errorResponse(error instanceof ApiError ? error : new ApiError(500, 'internal error in the local runtime'));
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(await response.text());
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function serveFetch(handler: FetchHandler, options: { host: string; port: number }): Promise<Server> {
  const server = createServer((req, res) => {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const connection: ConnectionInfo = {
      localAddress: req.socket.localAddress ?? options.host,
      localPort: req.socket.localPort ?? port,
      remoteAddress: req.socket.remoteAddress ?? '',
    };
    const method = req.method ?? 'GET';
    const body = method === 'GET' || method === 'HEAD' ? null : requestBody(req);
    // Nothing may throw out of here: a throw in a request listener would stop the server.
    void (async () => {
      try {
        const response = await handler(toRequest(req, `http://${hostForUrl(options.host)}:${port}`, controller.signal, body), connection);
        body?.discardRest();
        await writeResponse(response, res);
      } catch (error) {
        body?.discardRest();
        await writeFailure(res, error).catch(() => res.destroy());
      }
    })();
  });
  // Long-lived event streams must not be cut by Node's default request timeouts.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
