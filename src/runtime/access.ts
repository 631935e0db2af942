// Credentials of `incident serve` other than the runtime key, and what each may do.
//
// - An environment key belongs to one environment definition that runs its hands on
//   workers. The runtime issues it to its operator (owner-only, under the state folder,
//   like the runtime key); it lets a worker find its environments and serve their work
//   queue, nothing else.
// - A sessions token is handed out with a claim of a work item (inside its `secret`). It
//   lets the worker holding that claim read and answer that one session (its events, its
//   stream, its mounted files) and keep the item's lease, nothing else. A later claim of
//   the same item (after its lease lapsed) makes the earlier token stale.
//
// The HTTP guard names the principal of each request; the runtime refuses whatever a
// principal may not do before any route sees it. A request with no principal came with
// the runtime key, or in process: it may do everything.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import type { Store } from '../store/index.js';
import { ensureKeyFile } from '../store/runtime-key.js';
import { ApiError } from './api-error.js';

export type Principal =
  | { kind: 'environment'; hash: string }
  | {
      kind: 'work';
      workId: string;
      sessionId: string;
      environmentId: string;
      /** The token belongs to the item's current claim, and the item is not stopped. */
      current: boolean;
    };

export const ENVIRONMENT_KEY_PREFIX = 'incident_ek_';
export const SESSIONS_TOKEN_PREFIX = 'incident_st_';
export const ENVIRONMENT_KEYS_FOLDER = 'environment-keys';

const principals = new WeakMap<Request, Principal>();

/** Set by the guard only, on the request object it hands on: nothing a client sends can set it. */
export function withPrincipal(request: Request, principal: Principal): void {
  principals.set(request, principal);
}

/** The principal of a request; undefined when it may do everything (the runtime key, or in process). */
export function principalOf(request: Request): Principal | undefined {
  return principals.get(request);
}

/** What a principal may send to a session's events: a worker answers calls, it never speaks for a person. */
export function sendableBy(request: Request): { only?: readonly string[] } {
  return principalOf(request)?.kind === 'work' ? { only: ['user.custom_tool_result', 'user.tool_result'] } : {};
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Where the key of a definition's environments is kept. */
export function environmentKeyPath(home: string, hash: string): string {
  return join(home, ENVIRONMENT_KEYS_FOLDER, `${hash}.key`);
}

export class WorkAccess {
  /** Environment keys this process issued, by definition hash. */
  private readonly environmentKeys = new Map<string, string>();

  constructor(private readonly store: Store) {}

  /** The key of a definition's environments: read from the state folder, or generated there once. */
  issueEnvironmentKey(hash: string): { key: string; path: string } {
    const { key, path } = ensureKeyFile(join(this.store.home, ENVIRONMENT_KEYS_FOLDER), `${hash}.key`, ENVIRONMENT_KEY_PREFIX);
    this.environmentKeys.set(hash, key);
    return { key, path };
  }

  /** A new sessions token for one claim of a work item; only its digest is kept. */
  issueSessionsToken(workId: string, claim: number): string {
    const token = `${SESSIONS_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    this.store.work.addToken(digest(token).toString('hex'), workId, claim);
    return token;
  }

  /** Who a credential other than the runtime key stands for, or null when it is none of them. */
  principal(credential: string): Principal | null {
    const given = digest(credential);
    for (const [hash, key] of this.environmentKeys) {
      if (timingSafeEqual(given, digest(key))) return { kind: 'environment', hash };
    }
    if (!credential.startsWith(SESSIONS_TOKEN_PREFIX)) return null;
    const token = this.store.work.token(given.toString('hex'));
    const item = token ? this.store.work.get(token.work_id) : undefined;
    if (!token || !item) return null;
    return {
      kind: 'work',
      workId: item.id,
      sessionId: item.session_id,
      environmentId: item.environment_id,
      current: token.claim === item.claim && item.state !== 'stopped',
    };
  }

  /** Refuses what a principal may not do (before any route runs); null when it may. */
  refusal(principal: Principal, method: string, pathname: string): ApiError | null {
    const parts = pathname.split('/').filter(Boolean).map(safeDecode);
    return principal.kind === 'environment' ? this.environmentRefusal(principal, method, parts) : this.workRefusal(principal, method, parts);
  }

  private boundTo(environmentId: string, hash: string): boolean {
    return this.store.environments.get(environmentId)?.definitionHash === hash;
  }

  private environmentRefusal(principal: Extract<Principal, { kind: 'environment' }>, method: string, parts: string[]): ApiError | null {
    const [v1, environments, environmentId, work, ...rest] = parts;
    if (v1 !== 'v1' || environments !== 'environments') return forbidden('an environment key serves only its environments and their work queue');
    if (environmentId === undefined) return method === 'GET' ? null : forbidden('an environment key cannot change environments');
    if (!this.boundTo(environmentId, principal.hash)) return forbidden(`this environment key does not belong to environment ${environmentId}`);
    if (work === undefined) return method === 'GET' ? null : forbidden('an environment key cannot change environments');
    if (work !== 'work') return forbidden('an environment key serves only its environments and their work queue');
    const [first, action] = rest;
    const allowed =
      (method === 'GET' && rest.length <= 1) ||
      (method === 'POST' && first !== undefined && (action === 'ack' || action === 'heartbeat' || action === 'stop') && rest.length === 2);
    return allowed ? null : forbidden('an environment key serves only its environments and their work queue');
  }

  private workRefusal(principal: Extract<Principal, { kind: 'work' }>, method: string, parts: string[]): ApiError | null {
    const [v1, collection, id, sub, ...rest] = parts;
    if (v1 === 'v1' && collection === 'environments') {
      // Heartbeat and stop answer a stale claim themselves (412: the lease is someone else's).
      const own = id === principal.environmentId && sub === 'work' && rest[0] === principal.workId;
      if (own && method === 'POST' && rest.length === 2 && (rest[1] === 'heartbeat' || rest[1] === 'stop')) return null;
      return forbidden(`a sessions token serves only its own work item (${principal.workId})`);
    }
    if (!principal.current) return forbidden(`the claim this sessions token was given with is over (work item ${principal.workId}): poll for work again`);
    if (v1 === 'v1' && collection === 'sessions' && id === principal.sessionId) {
      if (sub === undefined && method === 'GET') return null;
      if (sub === 'resources' && method === 'GET' && rest.length <= 1) return null;
      if (sub === 'events' && rest.length === 0 && (method === 'GET' || method === 'POST')) return null;
      if (sub === 'events' && rest.length === 1 && rest[0] === 'stream' && method === 'GET') return null;
    }
    if (v1 === 'v1' && collection === 'files' && id !== undefined && method === 'GET' && (sub === undefined || (sub === 'content' && rest.length === 0))) {
      if (this.store.files.get(id)?.scope_id === principal.sessionId) return null;
    }
    return forbidden(`a sessions token serves only its own session (${principal.sessionId})`);
  }
}

function forbidden(message: string): ApiError {
  return new ApiError(403, message, { type: 'permission_error' });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
