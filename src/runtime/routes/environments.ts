// /v1/environments: create, list, retrieve, update, delete, archive. The local runtime
// also accepts one extension field, `incident`: the parsed environment definition
// (mounts, worker limits, actions, allowed variables), which the hands are built from.
import type { BetaEnvironment } from '@anthropic-ai/sdk/resources/beta/environments/environments';
import { orderedId, type Store } from '../../store/index.js';
import { badRequest, jsonResponse, notFound } from '../api-error.js';
import { decodeCursor, encodeCursor, metadataOf, optionalString, queryBool, queryLimit, readJson, requireString } from '../request.js';
import type { Router } from '../router.js';

function configOf(value: unknown): BetaEnvironment['config'] {
  if (value === undefined || value === null) {
    return { type: 'cloud', networking: { type: 'limited', allowed_hosts: [], allow_mcp_servers: false, allow_package_managers: false }, packages: { apt: [], cargo: [], gem: [], go: [], npm: [], pip: [] } } as unknown as BetaEnvironment['config'];
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest('config must be an object');
  const type = (value as { type?: unknown }).type;
  if (type !== 'cloud' && type !== 'self_hosted') throw badRequest('config.type must be cloud or self_hosted');
  return value as BetaEnvironment['config'];
}

export function environmentRoutes(router: Router, store: Store): void {
  router.on('POST', '/v1/environments', async (request) => {
    const body = await readJson(request);
    const now = new Date().toISOString();
    const env: BetaEnvironment = {
      id: orderedId('env'),
      type: 'environment',
      name: requireString(body, 'name'),
      description: optionalString(body, 'description'),
      config: configOf(body['config']),
      metadata: metadataOf(body['metadata']),
      created_at: now,
      updated_at: now,
      archived_at: null,
    };
    store.environments.insert(env, env.metadata['incident.hash'] ?? null, body['incident'] ?? null);
    return jsonResponse(env);
  });

  router.on('GET', '/v1/environments', (_request, _params, url) => {
    const after = decodeCursor(url);
    const page = store.environments.list<BetaEnvironment>({
      after: typeof after === 'string' ? after : undefined,
      limit: queryLimit(url),
      includeArchived: queryBool(url, 'include_archived'),
    });
    return jsonResponse({ data: page.data, next_page: encodeCursor(page.next) });
  });

  router.on('GET', '/v1/environments/:id', (_request, params) => {
    const found = store.environments.get<BetaEnvironment>(params['id'] ?? '');
    if (!found) throw notFound('environment', params['id'] ?? '');
    return jsonResponse(found.api);
  });

  router.on('POST', '/v1/environments/:id', async (request, params) => {
    const id = params['id'] ?? '';
    const found = store.environments.get<BetaEnvironment>(id);
    if (!found) throw notFound('environment', id);
    const body = await readJson(request);
    const config = body['config'] === undefined ? found.api.config : configOf(body['config']);
    if (config.type !== found.api.config.type) throw badRequest('config.type cannot change (invalid_config_type_change)');
    const updated: BetaEnvironment = {
      ...found.api,
      name: typeof body['name'] === 'string' ? body['name'] : found.api.name,
      description: body['description'] === undefined ? found.api.description : optionalString(body, 'description'),
      config,
      metadata: body['metadata'] === undefined ? found.api.metadata : metadataOf(body['metadata']),
      updated_at: new Date().toISOString(),
    };
    store.environments.update(updated, body['incident'] ?? found.extension);
    return jsonResponse(updated);
  });

  router.on('DELETE', '/v1/environments/:id', (_request, params) => {
    const id = params['id'] ?? '';
    if (!store.environments.get(id)) throw notFound('environment', id);
    store.environments.delete(id);
    return jsonResponse({ id, type: 'environment_deleted' });
  });

  router.on('POST', '/v1/environments/:id/archive', (_request, params) => {
    const id = params['id'] ?? '';
    const found = store.environments.get<BetaEnvironment>(id);
    if (!found) throw notFound('environment', id);
    const now = new Date().toISOString();
    const archived: BetaEnvironment = { ...found.api, archived_at: found.api.archived_at ?? now, updated_at: now };
    store.environments.update(archived, found.extension);
    return jsonResponse(archived);
  });
}
