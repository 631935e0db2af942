// /v1/environments/{id}/work: the work queue of a self-hosted environment (see
// work-queue.ts): poll, acknowledge, heartbeat, stop, and the list, the stats and one
// item for whoever looks after the queue.
import type { Store } from '../../store/index.js';
import { principalOf } from '../access.js';
import { badRequest, jsonResponse, notFound } from '../api-error.js';
import type { EnvironmentRegistry } from '../environment-registry.js';
import { decodeCursor, encodeCursor, queryLimit, readJson } from '../request.js';
import type { Router } from '../router.js';
import { WorkQueue } from '../work-queue.js';

function selfHosted(store: Store, definitions: EnvironmentRegistry, environmentId: string): string {
  if (!store.environments.get(environmentId)) throw notFound('environment', environmentId);
  if (definitions.handsPlace(environmentId) !== 'worker') {
    throw badRequest(`environment ${environmentId} is not self-hosted: its tools do not run on workers, so it has no work queue`);
  }
  return environmentId;
}

function optionalInteger(url: URL, name: string): number | null {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return null;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw badRequest(`${name} must be a positive whole number`);
  return value;
}

export function workRoutes(router: Router, store: Store, definitions: EnvironmentRegistry, queue: WorkQueue): void {
  router.on('GET', '/v1/environments/:id/work/poll', async (request, params, url) => {
    const environmentId = selfHosted(store, definitions, params['id'] ?? '');
    const work = await queue.poll(environmentId, {
      blockMs: WorkQueue.blockMs(url.searchParams.get('block_ms')),
      reclaimOlderThanMs: WorkQueue.reclaimMs(url.searchParams.get('reclaim_older_than_ms')),
      workerId: request.headers.get('anthropic-worker-id'),
      apiBaseUrl: url.origin,
      signal: request.signal,
    });
    return jsonResponse(work);
  });

  router.on('GET', '/v1/environments/:id/work/stats', (_request, params) => jsonResponse(queue.stats(selfHosted(store, definitions, params['id'] ?? ''))));

  router.on('GET', '/v1/environments/:id/work', (_request, params, url) => {
    const environmentId = selfHosted(store, definitions, params['id'] ?? '');
    const after = decodeCursor(url);
    const page = queue.list(environmentId, { ...(typeof after === 'string' ? { after } : {}), limit: queryLimit(url) });
    return jsonResponse({ data: page.data, next_page: encodeCursor(page.next) });
  });

  router.on('GET', '/v1/environments/:id/work/:work', (_request, params) => {
    const environmentId = selfHosted(store, definitions, params['id'] ?? '');
    return jsonResponse(queue.present(queue.item(environmentId, params['work'] ?? '')));
  });

  router.on('POST', '/v1/environments/:id/work/:work/ack', (_request, params) =>
    jsonResponse(queue.ack(selfHosted(store, definitions, params['id'] ?? ''), params['work'] ?? '')),
  );

  router.on('POST', '/v1/environments/:id/work/:work/heartbeat', (request, params, url) => {
    const environmentId = selfHosted(store, definitions, params['id'] ?? '');
    const expected = url.searchParams.get('expected_last_heartbeat');
    return jsonResponse(queue.heartbeat(environmentId, params['work'] ?? '', principalOf(request), expected, optionalInteger(url, 'desired_ttl_seconds')));
  });

  router.on('POST', '/v1/environments/:id/work/:work/stop', async (request, params) => {
    const environmentId = selfHosted(store, definitions, params['id'] ?? '');
    const body = await readJson(request);
    const force = body['force'];
    if (force !== undefined && typeof force !== 'boolean') throw badRequest('force must be true or false');
    return jsonResponse(queue.stop(environmentId, params['work'] ?? '', principalOf(request), force === true));
  });
}
