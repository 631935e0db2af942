// /v1/agents: create, list, retrieve (optionally a version), update (a new version),
// versions, archive. Responses are the SDK's Agent type. Each version's
// metadata["incident.hash"] is the hash of its own content, computed here: whatever a
// client wrote there is replaced, so a hash never vouches for content it was not taken from.
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import { agentRecordHash, HASH_METADATA_KEY } from '../../definitions/index.js';
import { orderedId, type Store } from '../../store/index.js';
import { ApiError, badRequest, jsonResponse, notFound } from '../api-error.js';
import { decodeCursor, encodeCursor, metadataOf, optionalString, queryBool, queryLimit, readJson, requireString } from '../request.js';
import type { Router } from '../router.js';

type Agent = BetaManagedAgentsAgent;

function modelOf(value: unknown): Agent['model'] {
  if (typeof value === 'string' && value.trim() !== '') return { id: value } as Agent['model'];
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') return value as Agent['model'];
  throw badRequest('model is required: a model id string or an object with id');
}

function toolsOf(value: unknown): Agent['tools'] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest('tools must be a list');
  if (value.length > 256) throw badRequest('an agent may have at most 256 tools');
  value.forEach((tool: unknown, index) => {
    const type = (tool as { type?: unknown } | null)?.type;
    if (type !== 'custom' && type !== 'agent_toolset_20260401' && type !== 'mcp_toolset') {
      throw badRequest(`tools[${index}].type must be custom, agent_toolset_20260401 or mcp_toolset`);
    }
    if (type === 'custom') {
      const name = (tool as { name?: unknown }).name;
      if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(name)) {
        throw badRequest(`tools[${index}].name must be 1-128 of [A-Za-z0-9_-]`);
      }
    }
  });
  return value as Agent['tools'];
}

/** The agent with the hash of its content in its metadata, ready to store. */
function stamped(agent: Agent): Agent {
  const hash = agentRecordHash(agent);
  return { ...agent, metadata: { ...agent.metadata, [HASH_METADATA_KEY]: hash } };
}

export function agentRoutes(router: Router, store: Store): void {
  router.on('POST', '/v1/agents', async (request) => {
    const body = await readJson(request);
    const now = new Date().toISOString();
    const agent: Agent = stamped({
      id: orderedId('agent'),
      type: 'agent',
      name: requireString(body, 'name'),
      description: optionalString(body, 'description'),
      system: optionalString(body, 'system'),
      model: modelOf(body['model']),
      tools: toolsOf(body['tools']),
      mcp_servers: [],
      skills: [],
      metadata: metadataOf(body['metadata']),
      multiagent: null,
      execution_identity: { type: 'service_account' } as Agent['execution_identity'],
      version: 1,
      created_at: now,
      updated_at: now,
      archived_at: null,
    });
    store.agents.insert(agent, agent.metadata[HASH_METADATA_KEY] ?? null);
    return jsonResponse(agent);
  });

  router.on('GET', '/v1/agents', (_request, _params, url) => {
    const limit = queryLimit(url);
    const after = decodeCursor(url);
    const page = store.agents.list<Agent>({
      after: typeof after === 'string' ? after : undefined,
      limit,
      includeArchived: queryBool(url, 'include_archived'),
    });
    return jsonResponse({ data: page.data, next_page: encodeCursor(page.next) });
  });

  router.on('GET', '/v1/agents/:id', (_request, params, url) => {
    const id = params['id'] ?? '';
    const versionParam = url.searchParams.get('version');
    const agent =
      versionParam === null ? store.agents.latest<Agent>(id) : store.agents.version<Agent>(id, Number(versionParam));
    if (!agent) throw notFound('agent', versionParam === null ? id : `${id} version ${versionParam}`);
    return jsonResponse(agent);
  });

  router.on('POST', '/v1/agents/:id', async (request, params) => {
    const id = params['id'] ?? '';
    const current = store.agents.latest<Agent>(id);
    if (!current) throw notFound('agent', id);
    if (current.archived_at) throw badRequest(`agent ${id} is archived and cannot change`);
    const body = await readJson(request);
    const version = body['version'];
    if (version !== undefined && !Number.isInteger(version)) {
      throw badRequest('version must be the whole number of the agent version this update is based on');
    }
    if (version !== undefined && version !== current.version) {
      throw new ApiError(409, `agent ${id} is at version ${current.version}, not ${String(version)}`, {
        shouldRetry: false,
      });
    }
    // The hash is recomputed for the new version, whatever the body says about it.
    const { [HASH_METADATA_KEY]: _previous, ...metadata } = current.metadata;
    if (body['metadata'] && typeof body['metadata'] === 'object') {
      for (const [key, value] of Object.entries(body['metadata'] as Record<string, unknown>)) {
        if (value === null) delete metadata[key];
        else if (typeof value === 'string') metadata[key] = value;
        else throw badRequest(`metadata.${key} must be a string or null`);
      }
    }
    const next: Agent = stamped({
      ...current,
      name: typeof body['name'] === 'string' ? body['name'] : current.name,
      description: body['description'] === undefined ? current.description : optionalString(body, 'description'),
      system: body['system'] === undefined ? current.system : optionalString(body, 'system'),
      model: body['model'] === undefined ? current.model : modelOf(body['model']),
      tools: body['tools'] === undefined ? current.tools : toolsOf(body['tools']),
      metadata: metadataOf(metadata),
      version: current.version + 1,
      updated_at: new Date().toISOString(),
    });
    store.agents.insert(next, next.metadata[HASH_METADATA_KEY] ?? null);
    return jsonResponse(next);
  });

  router.on('GET', '/v1/agents/:id/versions', (_request, params, url) => {
    const id = params['id'] ?? '';
    if (!store.agents.latest(id)) throw notFound('agent', id);
    const after = decodeCursor(url);
    const page = store.agents.versions<Agent>(id, { after: after === undefined ? undefined : Number(after), limit: queryLimit(url) });
    return jsonResponse({ data: page.data, next_page: encodeCursor(page.next) });
  });

  router.on('POST', '/v1/agents/:id/archive', (_request, params) => {
    const id = params['id'] ?? '';
    const current = store.agents.latest<Agent>(id);
    if (!current) throw notFound('agent', id);
    const archived = { ...current, archived_at: current.archived_at ?? new Date().toISOString() };
    store.transaction(() => {
      store.agents.archive(id, archived.archived_at);
      store.agents.replaceLatest(archived);
    });
    return jsonResponse(archived);
  });
}
