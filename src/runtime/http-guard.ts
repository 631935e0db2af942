// What `incident serve` checks before the runtime sees a request that came over the
// network: the Host is one of this server's own names (a DNS-rebinding page cannot
// reach it under a name it controls), no browser page of another origin is driving it
// (no Origin but its own; preflights get no CORS allowance), and the request carries
// the runtime's key. The in-process runtime has no socket and so no guard: this wraps
// the fetch handler for `serve` only.
import { createHash, timingSafeEqual } from 'node:crypto';
import { hostname } from 'node:os';
import { withPrincipal, type Principal } from './access.js';
import { ApiError, errorResponse, newRequestId } from './api-error.js';
import type { ConnectionInfo, FetchHandler } from './node-server.js';

export interface GuardOptions {
  /** The key every request must carry (`Authorization: Bearer <key>` or `x-api-key: <key>`). */
  key: string;
  /** The address the server was asked to bind (`127.0.0.1`, `0.0.0.0`, `::`, a name). */
  bindHost: string;
  /** More names clients reach this server by (a DNS name, a proxy's name), without port. */
  allowHosts?: readonly string[];
  /**
   * Who another credential stands for (an environment key, a sessions token), or null. The
   * request goes on carrying that principal, and the runtime lets it reach only its own.
   */
  principal?: (credential: string) => Principal | null;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/** An address of this machine only: `localhost`, `::1` or an IPv4 literal in 127/8 (never a name that starts like one, such as 127.0.0.1.example.com). */
export function isLoopback(address: string): boolean {
  const host = address.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^(?:::ffff:)?127(?:\.\d{1,3}){3}$/.test(host);
}

/** An address as it appears in a Host header: IPv6 in brackets, IPv4-mapped IPv6 as IPv4. */
function hostForm(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  return bare.includes(':') ? `[${bare}]` : bare;
}

/** Every `name:port` this server answers to on the connection a request came in on. */
export function ownHosts(options: GuardOptions, connection: ConnectionInfo): Set<string> {
  const names = new Set<string>([hostForm(connection.localAddress), ...(options.allowHosts ?? []).map(hostForm)]);
  if (!WILDCARDS.has(options.bindHost)) names.add(hostForm(options.bindHost));
  else names.add(hostname().toLowerCase());
  if (isLoopback(options.bindHost) || isLoopback(connection.localAddress)) {
    for (const name of ['localhost', '127.0.0.1', '[::1]']) names.add(name);
  }
  const port = connection.localPort;
  const hosts = new Set<string>();
  for (const name of names) {
    hosts.add(`${name}:${port}`);
    // A client leaves out the port in Host when it is the scheme's default.
    if (port === 80) hosts.add(name);
  }
  return hosts;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares digests of equal length, so the time taken says nothing about the key. */
export function keyMatches(given: string | null, key: string): boolean {
  if (given === null) return false;
  return timingSafeEqual(digest(given), digest(key));
}

/** The key as the Anthropic SDK sends an API key (Bearer), or as the API's docs do (x-api-key). */
function presentedKey(request: Request): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  if (bearer?.[1]) return bearer[1];
  return request.headers.get('x-api-key');
}

const REFUSE_BROWSERS =
  'this runtime does not answer web pages (a request from a browser carries its origin); use the incident CLI or an SDK client';

/** The first reason to refuse a request, or null when it may go on. */
export function refusal(request: Request, connection: ConnectionInfo, options: GuardOptions): ApiError | null {
  const host = request.headers.get('host')?.toLowerCase() ?? '';
  if (!ownHosts(options, connection).has(host)) {
    return new ApiError(403, `the Host header ${JSON.stringify(host.slice(0, 100))} is not a name of this runtime; connect by its address (for a name, start it with --allow-host <name>)`, { type: 'permission_error' });
  }
  const origin = request.headers.get('origin');
  if (origin !== null && origin.toLowerCase() !== `http://${host}`) return new ApiError(403, REFUSE_BROWSERS, { type: 'permission_error' });
  // Fetch metadata: a browser marks what another site (or another port) sends.
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') return new ApiError(403, REFUSE_BROWSERS, { type: 'permission_error' });
  const presented = presentedKey(request);
  if (!keyMatches(presented, options.key)) {
    const principal = presented === null ? null : (options.principal?.(presented) ?? null);
    if (principal !== null) {
      withPrincipal(request, principal);
      return null;
    }
    return new ApiError(
      401,
      'this runtime needs its key: send it as `Authorization: Bearer <key>` (the SDK\'s apiKey) or `x-api-key`; ' +
        'the incident CLI sends INCIDENT_RUNTIME_KEY, else the key file in its state folder',
      { type: 'authentication_error' },
    );
  }
  return null;
}

export function guardHandler(handler: FetchHandler, options: GuardOptions): FetchHandler {
  return async (request, connection) => {
    if (!connection) return errorResponse(new ApiError(500, 'the request came without its connection'), newRequestId());
    const refused = refusal(request, connection, options);
    if (!refused) return handler(request, connection);
    const response = errorResponse(refused, newRequestId());
    if (refused.status === 401) response.headers.set('www-authenticate', 'Bearer realm="incident"');
    return response;
  };
}
