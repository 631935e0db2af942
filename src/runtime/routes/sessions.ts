// /v1/sessions and /v1/sessions/{id}/resources: create (agent snapshot, mounted file
// resources, initial events), list, retrieve, update, archive, delete.
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import type { BetaManagedAgentsFileResource } from '@anthropic-ai/sdk/resources/beta/sessions/resources';
import { MAX_SESSION_FILES } from '../../protocol/limits.js';
import { orderedId, type ResourceRow, type Store } from '../../store/index.js';
import { type ApiError, badRequest, jsonResponse, notFound } from '../api-error.js';
import type { SessionEngine } from '../engine.js';
import type { EnvironmentRegistry } from '../environment-registry.js';
import { resolveMountPath, SessionMounts } from '../mounts.js';
import { decodeCursor, encodeCursor, metadataOf, queryArray, queryBool, queryLimit, queryOrder, readJson } from '../request.js';
import type { Router } from '../router.js';
import type { Session } from '../session-log.js';
import { assertServedEnvironment } from './environments.js';
import { validateSentEvents } from './sent-events.js';

function presentResource(row: ResourceRow): BetaManagedAgentsFileResource {
  return { id: row.id, type: 'file', file_id: row.file_id, mount_path: row.mount_path, created_at: row.created_at, updated_at: row.updated_at };
}

function present(store: Store, session: Session): Session {
  return { ...session, resources: store.resources.forSession(session.id).map(presentResource) };
}

function resolveAgent(store: Store, value: unknown): BetaManagedAgentsAgent {
  if (typeof value === 'string') {
    const agent = store.agents.latest<BetaManagedAgentsAgent>(value);
    if (!agent) throw notFound('agent', value);
    return agent;
  }
  if (value && typeof value === 'object') {
    const ref = value as { type?: unknown; id?: unknown; version?: unknown };
    if (ref.type !== 'agent' || typeof ref.id !== 'string') {
      throw badRequest('agent must be an agent id or {"type": "agent", "id": …, "version": …}');
    }
    const agent =
      typeof ref.version === 'number'
        ? store.agents.version<BetaManagedAgentsAgent>(ref.id, ref.version)
        : store.agents.latest<BetaManagedAgentsAgent>(ref.id);
    if (!agent) throw notFound('agent', typeof ref.version === 'number' ? `${ref.id} version ${ref.version}` : ref.id);
    return agent;
  }
  throw badRequest('agent is required');
}

/** Mounting makes a session-scoped copy of the file record (new id), as the cloud does. */
function mountFile(store: Store, sessionId: string, spec: unknown, field: string, mounts: SessionMounts): ResourceRow {
  const resource = spec as { type?: unknown; file_id?: unknown; mount_path?: unknown } | null;
  if (!resource || resource.type !== 'file') throw badRequest(`${field}.type must be file`);
  if (typeof resource.file_id !== 'string') throw badRequest(`${field}.file_id is required`);
  const requested = resource.mount_path ?? null;
  if (requested !== null && typeof requested !== 'string') throw badRequest(`${field}.mount_path must be a string, such as /logs/api.log`);
  const file = store.files.get(resource.file_id);
  if (!file) throw notFound('file', resource.file_id);
  const copyId = orderedId('file');
  const mountPath = resolveMountPath(requested, copyId, `${field}.mount_path`);
  mounts.add(mountPath, requested ?? mountPath, `${field}.mount_path`);
  store.files.insert({ ...file, id: copyId, scope_id: sessionId, created_at: new Date().toISOString() });
  const now = new Date().toISOString();
  return { id: orderedId('sesrsc'), session_id: sessionId, file_id: copyId, mount_path: mountPath, created_at: now, updated_at: now };
}

function tooManyFiles(count: number): ApiError {
  return badRequest(`a session may mount at most ${MAX_SESSION_FILES} files, and this asks for ${count}; mount a narrower set of files`);
}

/** A session's spend ceiling as the API takes it: `{ type: 'limit', max_list_cost: { amount: '<cents>', currency: 'USD' } }`. */
function budgetOf(value: unknown): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  const limit = value as { type?: unknown; max_list_cost?: { amount?: unknown; currency?: unknown } };
  const amount = limit.max_list_cost?.amount;
  if (limit.type !== 'limit' || typeof amount !== 'string' || !/^[1-9][0-9]*$/.test(amount) || limit.max_list_cost?.currency !== 'USD') {
    throw badRequest("budget must be { type: 'limit', max_list_cost: { amount: '<whole cents>', currency: 'USD' } }");
  }
  return { type: 'limit', max_list_cost: { amount, currency: 'USD' } };
}

export function sessionRoutes(
  router: Router,
  store: Store,
  engine: SessionEngine,
  definitions: EnvironmentRegistry,
  /** A new session was stored (the work queue of a self-hosted environment queues it). */
  onCreated: (session: Session) => void = () => undefined,
): void {
  router.on('POST', '/v1/sessions', async (request) => {
    const body = await readJson(request);
    const agent = resolveAgent(store, body['agent']);
    const environmentId = body['environment_id'];
    if (typeof environmentId !== 'string') throw badRequest('environment_id is required');
    assertServedEnvironment(store, definitions, environmentId);
    const resources = body['resources'] ?? [];
    if (!Array.isArray(resources)) throw badRequest('resources must be a list');
    if (resources.length > MAX_SESSION_FILES) throw tooManyFiles(resources.length);
    const initial = body['initial_events'] ?? [];
    if (!Array.isArray(initial) || initial.length > 50) throw badRequest('initial_events must be a list of at most 50 events');
    const initialEvents = initial.length > 0 ? validateSentEvents(initial, null, { only: ['user.message'] }) : [];
    const vaultIds = body['vault_ids'] ?? [];
    if (!Array.isArray(vaultIds) || vaultIds.some((id) => typeof id !== 'string')) throw badRequest('vault_ids must be a list of ids');
    const now = new Date().toISOString();
    const id = orderedId('sesn');
    const { version, ...snapshot } = agent;
    const session = {
      id,
      type: 'session',
      status: 'idle',
      title: typeof body['title'] === 'string' ? body['title'] : null,
      agent: {
        id: snapshot.id,
        type: 'agent',
        name: snapshot.name,
        description: snapshot.description,
        system: snapshot.system,
        model: snapshot.model,
        tools: snapshot.tools,
        mcp_servers: snapshot.mcp_servers,
        skills: snapshot.skills,
        multiagent: snapshot.multiagent,
        execution_identity: snapshot.execution_identity,
        metadata: snapshot.metadata,
        version,
      },
      environment_id: environmentId,
      resources: [],
      vault_ids: vaultIds as string[],
      metadata: metadataOf(body['metadata']),
      budget: budgetOf(body['budget']),
      outcome_evaluations: [],
      stats: {},
      usage: {},
      created_at: now,
      updated_at: now,
      archived_at: null,
    } as unknown as Session;
    store.transaction(() => {
      engine.log.insert(session);
      const mounts = new SessionMounts();
      resources.forEach((spec: unknown, index) => store.resources.insert(mountFile(store, id, spec, `resources[${index}]`, mounts)));
    });
    onCreated(session);
    if (initialEvents.length > 0) {
      engine.log.append(id, initialEvents);
      engine.kick(id);
    }
    return jsonResponse(present(store, engine.requireSession(id)));
  });

  router.on('GET', '/v1/sessions', (_request, _params, url) => {
    const order = queryOrder(url, 'desc');
    const after = decodeCursor(url);
    const page = store.sessions.list<Session>({
      after: typeof after === 'string' ? after : undefined,
      limit: queryLimit(url),
      order,
      statuses: queryArray(url, 'statuses'),
      agentId: url.searchParams.get('agent_id') ?? undefined,
      includeArchived: queryBool(url, 'include_archived'),
    });
    return jsonResponse({ data: page.data.map((session) => present(store, session)), next_page: encodeCursor(page.next), prev_page: null });
  });

  router.on('GET', '/v1/sessions/:id', (_request, params) => jsonResponse(present(store, engine.requireSession(params['id'] ?? ''))));

  router.on('POST', '/v1/sessions/:id', async (request, params) => {
    const session = engine.requireWritable(params['id'] ?? '');
    const body = await readJson(request);
    if (body['vault_ids'] !== undefined) throw badRequest('vault_ids cannot change after a session is created');
    const changed: Record<string, unknown> = {};
    if (body['title'] !== undefined) {
      if (body['title'] !== null && typeof body['title'] !== 'string') throw badRequest('title must be a string');
      session.title = body['title'] as string | null;
      changed['title'] = session.title;
    }
    if (body['metadata'] !== undefined) {
      const merged: Record<string, string> = { ...session.metadata };
      for (const [key, value] of Object.entries((body['metadata'] ?? {}) as Record<string, unknown>)) {
        if (value === null) delete merged[key];
        else merged[key] = String(value);
      }
      session.metadata = metadataOf(merged);
      changed['metadata'] = session.metadata;
    }
    // The spend ceiling may be replaced or removed (null) while the session lives, as the API
    // allows; like the API, a session created without one never gets one.
    if (body['budget'] !== undefined) {
      const budget = budgetOf(body['budget']);
      if (budget !== null && (session.budget ?? null) === null) {
        throw badRequest(`session ${session.id} was created without a budget, and one cannot be added later (budget_create_only)`);
      }
      session.budget = budget as unknown as Session['budget'];
      changed['budget'] = session.budget;
    }
    session.updated_at = new Date().toISOString();
    engine.log.save(session);
    if (Object.keys(changed).length > 0) engine.log.append(session.id, [{ type: 'session.updated', ...changed }]);
    return jsonResponse(present(store, engine.requireSession(session.id)));
  });

  router.on('POST', '/v1/sessions/:id/archive', (_request, params) => {
    const session = engine.requireSession(params['id'] ?? '');
    if (session.status === 'running') throw badRequest(`session ${session.id} is running: interrupt it before archiving`);
    session.archived_at = session.archived_at ?? new Date().toISOString();
    engine.log.save(session);
    return jsonResponse(present(store, session));
  });

  router.on('DELETE', '/v1/sessions/:id', async (_request, params) => {
    const session = engine.requireSession(params['id'] ?? '');
    await engine.deleteSession(session.id);
    return jsonResponse({ id: session.id, type: 'session_deleted' });
  });

  router.on('GET', '/v1/sessions/:id/resources', (_request, params) => {
    const session = engine.requireSession(params['id'] ?? '');
    return jsonResponse({ data: store.resources.forSession(session.id).map(presentResource), next_page: null });
  });

  router.on('POST', '/v1/sessions/:id/resources', async (request, params) => {
    const session = engine.requireWritable(params['id'] ?? '');
    const body = await readJson(request);
    const existing = store.resources.forSession(session.id);
    if (existing.length >= MAX_SESSION_FILES) throw tooManyFiles(existing.length + 1);
    const mounts = new SessionMounts(existing.map((row) => row.mount_path));
    const row = store.transaction(() => {
      const mounted = mountFile(store, session.id, body, 'resource', mounts);
      store.resources.insert(mounted);
      return mounted;
    });
    return jsonResponse(presentResource(row));
  });

  router.on('GET', '/v1/sessions/:id/resources/:rid', (_request, params) => {
    const row = store.resources.get(params['id'] ?? '', params['rid'] ?? '');
    if (!row) throw notFound('resource', params['rid'] ?? '');
    return jsonResponse(presentResource(row));
  });

  router.on('DELETE', '/v1/sessions/:id/resources/:rid', (_request, params) => {
    engine.requireWritable(params['id'] ?? '');
    const row = store.resources.get(params['id'] ?? '', params['rid'] ?? '');
    if (!row) throw notFound('resource', params['rid'] ?? '');
    store.resources.delete(row.id);
    return jsonResponse({ id: row.id, type: 'session_resource_deleted' });
  });
}
