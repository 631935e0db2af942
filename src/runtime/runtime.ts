// The local runtime: one web-standard fetch handler implementing the subset of the
// Managed Agents API that incident uses. In process it is handed to the SDK as its
// `fetch`; `incident serve` puts the same handler on an HTTP port.
import type { BetaEnvironment } from '@anthropic-ai/sdk/resources/beta/environments/environments';
import { handsPlaceOf, type EnvironmentDefinition } from '../definitions/index.js';
import { DEFAULT_MAX_UNMOUNTED_BYTES, DEFAULT_MAX_UNMOUNTED_FILES } from '../protocol/limits.js';
import { orderedId, Store } from '../store/index.js';
import { principalOf, WorkAccess } from './access.js';
import { errorResponse, newRequestId } from './api-error.js';
import type { RuntimeDeps } from './deps.js';
import { SessionEngine } from './engine.js';
import { EnvironmentRegistry } from './environment-registry.js';
import { EventHub } from './hub.js';
import { Router } from './router.js';
import { agentRoutes } from './routes/agents.js';
import { environmentRoutes } from './routes/environments.js';
import { eventRoutes } from './routes/events.js';
import { attachFormData, fileRoutes } from './routes/files.js';
import { sessionRoutes } from './routes/sessions.js';
import { workRoutes } from './routes/work.js';
import { defaultWorkerScript } from './hands/worker-script.js';
import { UPLOAD_INDEXER_FILE, UploadIndexer } from './upload-index.js';
import { WorkQueue } from './work-queue.js';

export interface LocalRuntimeOptions {
  home: string;
  deps: RuntimeDeps;
  /** Per-file upload limit in bytes. */
  maxUploadBytes?: number;
  /** Uploads that no session mounts, held at once: files and bytes (defaults: 2,000 files, 16 GiB). */
  maxUnmountedFiles?: number;
  maxUnmountedBytes?: number;
  /** Continue sessions that were running when the last process stopped (default true). */
  resume?: boolean;
  /**
   * The environment definitions this runtime serves, as its operator loaded them; the only
   * source of what an environment can execute. More can be registered on `definitions`.
   */
  environments?: readonly EnvironmentDefinition[];
  /**
   * The environment the runtime's keys and the declared credentials are read from (default
   * process.env): their values are redacted from everything stored.
   */
  secretEnv?: Readonly<Record<string, string | undefined>>;
  /** The lease a work item's heartbeat grants when it asks for none, in seconds (default 30). */
  workLeaseTtlSeconds?: number;
  /**
   * The built thread that indexes logs as they upload (dist/upload-indexer.js, found beside
   * the hands worker by default); false: logs are indexed when first read, not on upload.
   */
  uploadIndexer?: string | false;
}

/** A served definition whose hands run on workers: its environment and where its key is kept. */
export interface WorkerEnvironment {
  name: string;
  hash: string;
  environmentId: string;
  keyPath: string;
}

export interface LocalRuntime {
  /** A fetch handler: Request in, Response out. */
  handle(request: Request): Promise<Response>;
  /** The SDK's `fetch` option: (url, init) → Response, with no socket. */
  fetch(url: string | URL | Request, init?: RequestInit): Promise<Response>;
  readonly store: Store;
  readonly engine: SessionEngine;
  /** The operator's environment definitions: register here, never over the API. */
  readonly definitions: EnvironmentRegistry;
  /** Credentials besides the runtime key: environment keys and sessions tokens (for the HTTP guard). */
  readonly access: WorkAccess;
  /**
   * For each served definition whose hands run on workers: its self-hosted environment
   * (created on first use) and its environment key, issued to the operator.
   */
  provisionWorkerEnvironments(): WorkerEnvironment[];
  close(): Promise<void>;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

export function createLocalRuntime(options: LocalRuntimeOptions): LocalRuntime {
  const store = new Store(options.home);
  const hub = new EventHub();
  const definitions = new EnvironmentRegistry(store);
  for (const definition of options.environments ?? []) definitions.register(definition);
  const engine = new SessionEngine(store, hub, options.deps, definitions, options.secretEnv);
  const access = new WorkAccess(store);
  const work = new WorkQueue(store, access, {
    ...(options.workLeaseTtlSeconds !== undefined ? { leaseTtlSeconds: options.workLeaseTtlSeconds } : {}),
    onReclaim: (item) => engine.releaseLostHands(item.session_id),
    onStopped: (item) => {
      if (engine.waitsOnHands(item.session_id)) work.ensureLive(item.session_id, item.environment_id);
    },
  });
  engine.onWaitingForHands = (sessionId) => {
    const environmentId = engine.log.environmentId(sessionId);
    if (environmentId !== undefined && definitions.handsPlace(environmentId) === 'worker') work.ensureLive(sessionId, environmentId);
  };
  const router = new Router();
  agentRoutes(router, store);
  workRoutes(router, store, definitions, work);
  environmentRoutes(router, store, definitions);
  const indexer = new UploadIndexer(options.uploadIndexer === false ? undefined : (options.uploadIndexer ?? defaultWorkerScript(undefined, UPLOAD_INDEXER_FILE)));
  fileRoutes(
    router,
    store,
    {
      maxFileBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
      maxUnmountedFiles: options.maxUnmountedFiles ?? DEFAULT_MAX_UNMOUNTED_FILES,
      maxUnmountedBytes: options.maxUnmountedBytes ?? DEFAULT_MAX_UNMOUNTED_BYTES,
    },
    (filename) => indexer.forUpload(filename),
  );
  sessionRoutes(router, store, engine, definitions, (session) => {
    if (definitions.handsPlace(session.environment_id) === 'worker') work.enqueue(session.id, session.environment_id);
  });
  eventRoutes(router, store, engine);

  const handle = async (request: Request): Promise<Response> => {
    const requestId = newRequestId();
    try {
      // A worker's credential reaches only what it serves: refused here, before any route reads the request.
      const principal = principalOf(request);
      const refused = principal ? access.refusal(principal, request.method, new URL(request.url).pathname) : null;
      if (refused) return errorResponse(refused, requestId);
      const response = await router.handle(request);
      response.headers.set('request-id', requestId);
      return response;
    } catch (error) {
      // A full disk or a damaged file anywhere under the state folder is named as such.
      return errorResponse(store.failure(error), requestId);
    }
  };

  const fetchHandler = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (input instanceof Request) return handle(input);
    const body = init?.body;
    if (body instanceof FormData) {
      // Hand the form over as is: a large log file stays a file-backed Blob, never re-encoded.
      const { body: _omit, ...rest } = init ?? {};
      const request = new Request(input, { ...rest, method: init?.method ?? 'POST' });
      attachFormData(request, body);
      return handle(request);
    }
    return handle(new Request(input, init));
  };

  if (options.resume ?? true) engine.resumeRunning();

  return {
    handle,
    fetch: fetchHandler,
    store,
    engine,
    definitions,
    access,
    provisionWorkerEnvironments: () => provisionWorkerEnvironments(store, definitions, access),
    async close() {
      await engine.close();
      await indexer.close();
      store.close();
    },
  };
}

function provisionWorkerEnvironments(store: Store, definitions: EnvironmentRegistry, access: WorkAccess): WorkerEnvironment[] {
  return definitions
    .list()
    .filter(({ definition }) => handsPlaceOf(definition) === 'worker')
    .map(({ hash, definition }) => {
      const existing = store.environments.list<BetaEnvironment>({ limit: 1, includeArchived: false, definitionHash: hash }).data[0];
      let environmentId = existing?.api.id;
      if (environmentId === undefined) {
        const now = new Date().toISOString();
        environmentId = orderedId('env');
        const environment = {
          id: environmentId,
          type: 'environment',
          name: definition.name,
          description: definition.description || null,
          config: { type: 'self_hosted' },
          metadata: {},
          created_at: now,
          updated_at: now,
          archived_at: null,
        } as unknown as BetaEnvironment;
        store.environments.insert(environment, hash);
      }
      return { name: definition.name, hash, environmentId, keyPath: access.issueEnvironmentKey(hash).path };
    });
}
