// /v1/environments: create, list, retrieve, update, delete, archive. What an environment
// can execute (actions, MCP servers, the worker's allow-list, credentials, limits) never
// comes from a request: a client selects one of the definitions this runtime's operator
// registered by naming its hash in metadata["incident.hash"]. The runtime keeps that
// binding in a column of its own and reports it from there, never from what a client wrote.
import type { BetaEnvironment } from '@anthropic-ai/sdk/resources/beta/environments/environments';
import { HANDS_METADATA_KEY, handsPlaceOf, HASH_METADATA_KEY } from '../../definitions/index.js';
import { orderedId, type EnvironmentRow, type Store } from '../../store/index.js';
import { principalOf } from '../access.js';
import { badRequest, jsonResponse, notFound } from '../api-error.js';
import type { EnvironmentRegistry } from '../environment-registry.js';
import { decodeCursor, encodeCursor, metadataOf, optionalString, queryBool, queryLimit, readJson, requireString } from '../request.js';
import type { Router } from '../router.js';

/** Metadata keys with this prefix belong to the runtime; a client may only use incident.hash, as a selector. */
const RUNTIME_PREFIX = 'incident.';
const LOAD_HINT = 'its operator must load that definition (incident serve --environment <file>)';

function configOf(value: unknown): BetaEnvironment['config'] {
  if (value === undefined || value === null) {
    return { type: 'cloud', networking: { type: 'limited', allowed_hosts: [], allow_mcp_servers: false, allow_package_managers: false }, packages: { apt: [], cargo: [], gem: [], go: [], npm: [], pip: [] } } as unknown as BetaEnvironment['config'];
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest('config must be an object');
  const type = (value as { type?: unknown }).type;
  if (type !== 'cloud' && type !== 'self_hosted') throw badRequest('config.type must be cloud or self_hosted');
  return value as BetaEnvironment['config'];
}

/** An attempt to send executable parts is refused out loud, never dropped in silence. */
function refuseDefinitionBody(body: Record<string, unknown>): void {
  if (body['incident'] === undefined) return;
  throw badRequest(
    `the incident field is not accepted: an environment's actions, MCP servers, allowed variables, credentials and worker limits come only from definitions the runtime's operator loads; select one by its hash in metadata["${HASH_METADATA_KEY}"]`,
  );
}

/** The client's metadata without the selector, and the hash it selects (if any). */
function splitMetadata(value: unknown): { metadata: Record<string, string>; selected: string | undefined } {
  const { [HASH_METADATA_KEY]: selected, ...metadata } = metadataOf(value);
  for (const key of Object.keys(metadata)) {
    if (key.startsWith(RUNTIME_PREFIX)) throw badRequest(`metadata["${key}"]: keys starting with "${RUNTIME_PREFIX}" belong to the runtime; use another prefix`);
  }
  return { metadata, selected };
}

// Rows written before the definition_hash column may still hold a client-written hash.
function withoutHash(metadata: Record<string, string>): Record<string, string> {
  const { [HASH_METADATA_KEY]: _written, ...rest } = metadata;
  return rest;
}

/**
 * What a response shows: the stored object, with the hash of its definition from the
 * runtime's own column, and where its hands run when that is not the runtime (a client
 * must then answer the session's calls itself, or its workers will).
 */
function present(row: EnvironmentRow<BetaEnvironment>, definitions: EnvironmentRegistry): BetaEnvironment {
  const { [HANDS_METADATA_KEY]: _written, ...metadata } = withoutHash(row.api.metadata);
  const place = definitions.handsPlace(row.api.id);
  return {
    ...row.api,
    metadata: {
      ...metadata,
      ...(row.definitionHash ? { [HASH_METADATA_KEY]: row.definitionHash } : {}),
      ...(place !== 'local' ? { [HANDS_METADATA_KEY]: place } : {}),
    },
  };
}

export function environmentRoutes(router: Router, store: Store, definitions: EnvironmentRegistry): void {
  router.on('POST', '/v1/environments', async (request) => {
    const body = await readJson(request);
    refuseDefinitionBody(body);
    const { metadata, selected } = splitMetadata(body['metadata']);
    if (selected !== undefined && !definitions.serves(selected)) {
      throw badRequest(`metadata["${HASH_METADATA_KEY}"] ${selected} names no environment definition this runtime serves: ${LOAD_HINT}`);
    }
    const config = configOf(body['config']);
    if (selected !== undefined) checkHandsConfig(config, definitions.resolve(selected)?.hands, selected);
    const now = new Date().toISOString();
    const env: BetaEnvironment = {
      id: orderedId('env'),
      type: 'environment',
      name: requireString(body, 'name'),
      description: optionalString(body, 'description'),
      config,
      metadata,
      created_at: now,
      updated_at: now,
      archived_at: null,
    };
    const definitionHash = selected ?? null;
    store.environments.insert(env, definitionHash);
    return jsonResponse(present({ api: env, definitionHash }, definitions));
  });

  router.on('GET', '/v1/environments', (request, _params, url) => {
    const after = decodeCursor(url);
    // An environment key lists the environments it serves, no others.
    const principal = principalOf(request);
    const page = store.environments.list<BetaEnvironment>({
      after: typeof after === 'string' ? after : undefined,
      limit: queryLimit(url),
      includeArchived: queryBool(url, 'include_archived'),
      ...(principal?.kind === 'environment' ? { definitionHash: principal.hash } : {}),
    });
    return jsonResponse({ data: page.data.map((row) => present(row, definitions)), next_page: encodeCursor(page.next) });
  });

  router.on('GET', '/v1/environments/:id', (_request, params) => {
    const found = store.environments.get<BetaEnvironment>(params['id'] ?? '');
    if (!found) throw notFound('environment', params['id'] ?? '');
    return jsonResponse(present(found, definitions));
  });

  router.on('POST', '/v1/environments/:id', async (request, params) => {
    const id = params['id'] ?? '';
    const found = store.environments.get<BetaEnvironment>(id);
    if (!found) throw notFound('environment', id);
    const body = await readJson(request);
    refuseDefinitionBody(body);
    const config = body['config'] === undefined ? found.api.config : configOf(body['config']);
    if (config.type !== found.api.config.type) throw badRequest('config.type cannot change (invalid_config_type_change)');
    let metadata = withoutHash(found.api.metadata);
    if (body['metadata'] !== undefined) {
      const given = splitMetadata(body['metadata']);
      if (given.selected !== undefined && given.selected !== found.definitionHash) {
        throw badRequest(`the definition an environment runs cannot change (${environmentLabel(found.definitionHash)}); create a new environment that selects ${given.selected}`);
      }
      metadata = given.metadata;
    }
    const updated: BetaEnvironment = {
      ...found.api,
      name: typeof body['name'] === 'string' ? body['name'] : found.api.name,
      description: body['description'] === undefined ? found.api.description : optionalString(body, 'description'),
      config,
      metadata,
      updated_at: new Date().toISOString(),
    };
    store.environments.update(updated);
    return jsonResponse(present({ api: updated, definitionHash: found.definitionHash }, definitions));
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
    store.environments.update(archived);
    return jsonResponse(present({ api: archived, definitionHash: found.definitionHash }, definitions));
  });
}

/**
 * A definition whose hands run on workers is served through a self-hosted environment's
 * work queue, and only such a definition is: the config must say so.
 */
function checkHandsConfig(config: BetaEnvironment['config'], hands: string | undefined, hash: string): void {
  const onWorkers = handsPlaceOf({ hands: hands as 'client' | 'worker' | undefined }) === 'worker';
  if (onWorkers && config.type !== 'self_hosted') {
    throw badRequest(`the definition ${hash} runs its hands on workers (hands: worker): create its environment with config.type self_hosted`);
  }
  if (!onWorkers && config.type === 'self_hosted') {
    throw badRequest(`the definition ${hash} does not run its hands on workers: a self_hosted environment needs one with hands: worker`);
  }
}

function environmentLabel(hash: string | null): string {
  return hash ? `it runs ${hash}` : 'it runs none, only the SRE tools';
}

/**
 * Refuses a new session on an environment whose definition this process does not serve:
 * a definition registered by an earlier operator stays readable so its sessions resume,
 * but selecting it anew is the current operator's choice.
 */
export function assertServedEnvironment(store: Store, definitions: EnvironmentRegistry, environmentId: string): void {
  const found = store.environments.get(environmentId);
  if (!found) throw notFound('environment', environmentId);
  if (found.definitionHash !== null && !definitions.serves(found.definitionHash)) {
    throw badRequest(`environment ${environmentId} runs the definition ${found.definitionHash}, which this runtime does not serve now: ${LOAD_HINT}`);
  }
}
