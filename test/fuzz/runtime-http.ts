// Random requests to every endpoint of the local runtime, through its fetch handler in
// process: methods, paths (real ids, made-up ids, junk segments), query strings, bodies
// (near-valid JSON for each route, other JSON, junk, multipart uploads), content types
// and headers. Every answer is a success or the API's error envelope with a 4xx status
// and a message a person can read; none is a 500 or a stack; a refused request leaves
// every table and every stored file as it was.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ZERO_USAGE, type Brain } from '../../src/brains/brain.js';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { echoHands } from '../runtime/scripted.js';
import { fcParameters, scratchDir, type FuzzSize } from './seed.js';
import { storedFiles, storedRows } from './store-snapshot.js';

const BASE = 'http://runtime.invalid';

/** The wire error type each status must carry (src/runtime/api-error.ts). */
const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  409: 'conflict_error',
  413: 'request_too_large',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
};

/**
 * A brain that answers at once, so a turn a request starts is over before the next one:
 * its first step asks for a tool the agent marks always_ask (so a confirmation has a call
 * to answer), every later step is a message.
 */
const quickBrain: Brain = {
  provider: 'fuzz',
  async step(context) {
    const asked = context.history.some((event) => event.type === 'agent.tool_use');
    return { outputs: [asked ? { kind: 'message', text: 'noted' } : { kind: 'tool_use', name: 'query_metrics', input: {} }], usage: ZERO_USAGE };
  },
};

/** What a generated request may name; filled in when it is sent, from what exists then. */
const ID_NAMES = ['agent', 'environment', 'session', 'file', 'resource', 'event'] as const;
type IdName = (typeof ID_NAMES)[number];
type Ids = Record<IdName, string>;
const placeholder = (name: IdName): string => `@${name}@`;

interface FuzzRequest {
  method: string;
  path: string;
  query: string;
  body: Uint8Array<ArrayBuffer> | string | null;
  headers: Record<string, string>;
}

/** Each endpoint with its methods, and the body its POST takes. */
const ROUTES: ReadonlyArray<{ pattern: string; methods: Partial<Record<'GET' | 'POST' | 'DELETE', string | null>> }> = [
  { pattern: '/v1/agents', methods: { GET: null, POST: 'agent' } },
  { pattern: '/v1/agents/:agent', methods: { GET: null, POST: 'agent' } },
  { pattern: '/v1/agents/:agent/versions', methods: { GET: null } },
  { pattern: '/v1/agents/:agent/archive', methods: { POST: 'anything' } },
  { pattern: '/v1/environments', methods: { GET: null, POST: 'environment' } },
  { pattern: '/v1/environments/:environment', methods: { GET: null, POST: 'environment', DELETE: null } },
  { pattern: '/v1/environments/:environment/archive', methods: { POST: 'anything' } },
  { pattern: '/v1/files', methods: { GET: null, POST: 'upload' } },
  { pattern: '/v1/files/:file', methods: { GET: null, DELETE: null } },
  { pattern: '/v1/files/:file/content', methods: { GET: null } },
  { pattern: '/v1/sessions', methods: { GET: null, POST: 'session' } },
  { pattern: '/v1/sessions/:session', methods: { GET: null, POST: 'sessionUpdate', DELETE: null } },
  { pattern: '/v1/sessions/:session/archive', methods: { POST: 'anything' } },
  { pattern: '/v1/sessions/:session/resources', methods: { GET: null, POST: 'resource' } },
  { pattern: '/v1/sessions/:session/resources/:resource', methods: { GET: null, DELETE: null } },
  { pattern: '/v1/sessions/:session/events', methods: { GET: null, POST: 'events' } },
  { pattern: '/v1/sessions/:session/events/stream', methods: { GET: null } },
];

const junkText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '..', '%', '%zz', '%E0%A4%A', '%00', 'null', 'undefined', '-1', '0', '1e309', 'NaN', '[]', '{}', 'a'.repeat(600)),
);

/** Values a field may hold: mostly the right kind, sometimes anything JSON can say. */
const anyJson = fc.jsonValue({ maxDepth: 3 });
const text = fc.oneof({ weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) }, { weight: 1, arbitrary: fc.constantFrom('', ' ', 'a'.repeat(600)) });
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> => fc.oneof({ weight: 8, arbitrary: arb }, { weight: 1, arbitrary: anyJson });
const idOf = (name: IdName): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 8, arbitrary: fc.constant(placeholder(name)) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: anyJson });

const metadata = maybe(
  fc.dictionary(
    fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 10 }) }, { weight: 1, arbitrary: fc.constantFrom('incident.hash', 'incident.max_steps', 'x'.repeat(70)) }),
    fc.oneof({ weight: 6, arbitrary: fc.string({ maxLength: 10 }) }, { weight: 1, arbitrary: anyJson }),
    { maxKeys: 4 },
  ),
);
const content = maybe(fc.array(fc.oneof({ weight: 6, arbitrary: fc.record({ type: fc.constant('text'), text: maybe(text) }) }, { weight: 1, arbitrary: anyJson }), { minLength: 1, maxLength: 3 }));
const tool = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constant('custom'), name: fc.oneof(fc.constant('query_metrics'), text), description: maybe(text), input_schema: maybe(fc.constant({ type: 'object' })) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('agent_toolset_20260401', 'mcp_toolset', 'other') }) },
  { weight: 1, arbitrary: anyJson },
);
const event = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant('user.message'), content }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('user.interrupt') }) },
  {
    weight: 3,
    arbitrary: fc.record(
      { type: fc.constant('user.tool_confirmation'), tool_use_id: idOf('event'), result: maybe(fc.constantFrom('allow', 'deny')), deny_message: maybe(text) },
      { requiredKeys: ['type', 'tool_use_id', 'result'] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('user.custom_tool_result', 'user.bogus', 'agent.message'), custom_tool_use_id: idOf('event') }) },
  { weight: 1, arbitrary: anyJson },
);
const resource = fc.record(
  {
    type: maybe(fc.constant('file')),
    file_id: idOf('file'),
    mount_path: maybe(fc.oneof(fc.string({ maxLength: 8 }).map((name) => `/logs/${name}.log`), fc.constantFrom('/../etc/passwd', 'relative.log', '/a//b', '/'), text)),
  },
  { requiredKeys: ['type', 'file_id'] },
);

/** A body meant for one route: its fields mostly right, some wrong, some missing, some extra. */
const BODIES: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  agent: fc.record(
    { name: maybe(text), model: maybe(fc.oneof(fc.constant('claude-opus-4-8'), fc.record({ id: maybe(text) }), text)), tools: maybe(fc.array(tool, { maxLength: 3 })), system: maybe(text), description: maybe(text), metadata, version: maybe(fc.integer({ min: 0, max: 4 })) },
    { requiredKeys: ['name', 'model'] },
  ),
  environment: fc.record(
    { name: maybe(text), description: maybe(text), config: maybe(fc.oneof(fc.record({ type: fc.constantFrom('cloud', 'self_hosted', 'other') }), anyJson)), metadata, incident: anyJson },
    { requiredKeys: ['name'] },
  ),
  session: fc.record(
    {
      agent: fc.oneof(idOf('agent'), fc.record({ type: maybe(fc.constant('agent')), id: idOf('agent'), version: maybe(fc.integer({ min: 0, max: 3 })) })),
      environment_id: idOf('environment'),
      resources: maybe(fc.array(resource, { maxLength: 3 })),
      initial_events: maybe(fc.array(event, { maxLength: 2 })),
      vault_ids: maybe(fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 })),
      title: maybe(fc.oneof(text, fc.constant(null))),
      metadata,
    },
    { requiredKeys: ['agent', 'environment_id'] },
  ),
  sessionUpdate: fc.record({ title: maybe(fc.oneof(text, fc.constant(null))), metadata, vault_ids: anyJson }, { requiredKeys: [] }),
  events: fc.record({ events: maybe(fc.array(event, { minLength: 1, maxLength: 3 })) }),
  resource,
  anything: fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 4 }),
};

const boundary = fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,40}$/);

/** A file part as an SDK sends it. */
const filePartHeaders = fc
  .string({ minLength: 1, maxLength: 10 })
  .map((name) => [`Content-Disposition: form-data; name="file"; filename="${name.replace(/["\r\n]/g, '')}"`, 'Content-Type: text/plain']);

/** Part headers as anything may send them. */
const otherPartHeaders = fc.array(
  fc.oneof(
    fc.string({ maxLength: 10 }).map((name) => `Content-Disposition: form-data; name="file"; filename="${name}"`),
    fc.constantFrom('Content-Disposition: form-data; name="expires_in_seconds"', 'Content-Disposition: form-data', 'Content-Type: text/plain', 'X: y'),
    fc.string({ maxLength: 30 }),
  ),
  { maxLength: 3 },
);

/** A multipart upload: near-valid framing with random part headers and bytes, sometimes cut short. */
const multipart = fc
  .record({
    boundary,
    headers: fc.oneof({ weight: 2, arbitrary: filePartHeaders }, { weight: 1, arbitrary: otherPartHeaders }),
    bytes: fc.uint8Array({ maxLength: 200 }),
    close: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    cut: fc.option(fc.nat({ max: 300 }), { freq: 3 }),
  })
  .map(({ boundary: mark, headers, bytes, close, cut }) => {
    const whole = Buffer.concat([
      Buffer.from(`--${mark}\r\n${headers.join('\r\n')}\r\n\r\n`),
      Buffer.from(bytes),
      Buffer.from(close ? `\r\n--${mark}--\r\n` : `\r\n--${mark}\r\n`),
    ]);
    return { body: Uint8Array.from(cut === null ? whole : whole.subarray(0, cut)), contentType: `multipart/form-data; boundary=${mark}` };
  });

const QUERY_KEYS = ['limit', 'page', 'order', 'types[]', 'types', 'version', 'include_archived', 'incident_chain', 'scope_id', 'ids[]', 'statuses[]', 'agent_id', 'x'];

const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 6 })),
      fc.oneof(fc.constantFrom('1', '0', '-5', '1001', 'abc', 'asc', 'desc', 'true', 'eyJhZnRlciI6MX0', 'eyJhZnRlciI6e319', 'bm90IGpzb24', ''), fc.string({ maxLength: 12 })),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => {
    const params = new URLSearchParams();
    for (const [key, value] of pairs) params.append(key, value);
    const text = params.toString();
    return text === '' ? '' : `?${text}`;
  });

const contentTypes = fc.oneof(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', ''),
  fc.string({ maxLength: 20 }),
);

const anyBody = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.oneof(...Object.values(BODIES)).map((body) => JSON.stringify(body)), fc.constant('application/json')) },
  { weight: 1, arbitrary: fc.tuple(anyJson.map((value) => JSON.stringify(value)), contentTypes) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ unit: 'binary', maxLength: 100 }), contentTypes) },
  { weight: 1, arbitrary: multipart.map(({ body, contentType }) => [body, contentType] as const) },
  { weight: 1, arbitrary: fc.constant([null, ''] as const) },
);

/** The body a route takes (sometimes cut short or sent as another type), or any other. */
function bodyFor(kind: string | null | undefined): fc.Arbitrary<readonly [Uint8Array<ArrayBuffer> | string | null, string]> {
  if (kind === 'upload') return fc.oneof({ weight: 4, arbitrary: multipart.map(({ body, contentType }) => [body, contentType] as const) }, { weight: 1, arbitrary: anyBody });
  const template = kind ? BODIES[kind] : undefined;
  if (!template) return anyBody;
  const json = template.map((body) => JSON.stringify(body));
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(json, fc.constant('application/json')) },
    { weight: 1, arbitrary: fc.tuple(json.chain((text) => fc.nat({ max: text.length }).map((cut) => text.slice(0, cut))), fc.constant('application/json')) },
    { weight: 1, arbitrary: fc.tuple(json, contentTypes) },
    { weight: 2, arbitrary: anyBody },
  );
}

function requests(): fc.Arbitrary<FuzzRequest> {
  const segment = (name: IdName): fc.Arbitrary<string> =>
    fc.oneof({ weight: 8, arbitrary: fc.constant(placeholder(name)) }, { weight: 1, arbitrary: junkText.map((value) => encodeURIComponent(value)) }, { weight: 1, arbitrary: junkText });
  const otherMethod = fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS');
  const routed = fc.constantFrom(...ROUTES).chain((route) =>
    fc.record({
      path: fc.tuple(...route.pattern.split('/').map((part) => (part.startsWith(':') ? segment(part.slice(1) as IdName) : fc.constant(part)))).map((parts) => parts.join('/')),
      method: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...Object.keys(route.methods)) }, { weight: 1, arbitrary: otherMethod }),
    }).chain(({ path, method }) => bodyFor(route.methods[method as 'GET' | 'POST' | 'DELETE']).map((body) => ({ path, method, body }))),
  );
  const unrouted = fc.record({ path: fc.array(junkText, { maxLength: 4 }).map((parts) => `/${parts.join('/')}`), method: otherMethod, body: anyBody });
  const extraHeaders = fc.dictionary(
    fc.constantFrom('last-event-id', 'x-api-key', 'authorization', 'origin', 'accept', 'x-stainless-lang', 'anthropic-beta'),
    fc.oneof(fc.constant(placeholder('event')), fc.stringMatching(/^[\x20-\x7e]{0,40}$/)),
    { maxKeys: 3 },
  );
  const target = fc.oneof({ weight: 8, arbitrary: routed }, { weight: 1, arbitrary: unrouted });
  return fc.record({ target, query: queryString, headers: extraHeaders }).map(({ target: { path, method, body: [payload, type] }, query, headers }) => ({
    method,
    path,
    query,
    body: method === 'GET' || method === 'HEAD' ? null : payload,
    headers: type === '' ? headers : { ...headers, 'content-type': type },
  }));
}

/** The route a path matched, with ids as placeholders, for the tally of what was reached. */
function routeOf(path: string): string {
  return path.replace(/\/(agent|env|file|sesn|sesrsc)_[a-z0-9]+/g, '/:$1');
}

function toRequest(request: FuzzRequest): Request | null {
  try {
    return new Request(`${BASE}${request.path}${request.query}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body === null ? {} : { body: request.body }),
    });
  } catch {
    // A request fetch itself will not build (a header it refuses): nothing to send.
    return null;
  }
}

type Call = (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;

function caller(runtime: LocalRuntime): Call {
  return async (method, path, body) => {
    const init = { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
    const response = await runtime.handle(new Request(`${BASE}${path}`, init));
    return (await response.json()) as Record<string, unknown>;
  };
}

/**
 * Makes sure the things requests name exist and can be used: an agent, an environment, an
 * uploaded file, and a session that mounts it and waits for a confirmation. Whatever an
 * earlier request deleted or archived is made again.
 */
async function ensureSeeded(runtime: LocalRuntime, ids: Ids | null): Promise<Ids> {
  const call = caller(runtime);
  const { store } = runtime;
  const next: Ids = ids === null ? { agent: '', environment: '', session: '', file: '', resource: '', event: '' } : { ...ids };
  const agent = store.agents.latest<{ archived_at: string | null }>(next.agent);
  if (!agent || agent.archived_at) {
    const created = await call('POST', '/v1/agents', {
      name: 'fuzz',
      model: 'claude-opus-4-8',
      tools: [{ type: 'custom', name: 'query_metrics', description: 'q', input_schema: { type: 'object', properties: {} } }],
      metadata: { 'incident.always_ask': 'query_metrics' },
    });
    next.agent = String(created['id']);
    next.session = '';
  }
  if (!store.environments.get(next.environment)) {
    next.environment = String((await call('POST', '/v1/environments', { name: 'fuzz' }))['id']);
    next.session = '';
  }
  if (!store.files.get(next.file)) {
    const form = new FormData();
    form.append('file', new Blob([`2026-02-10T14:00:00Z ERROR checkout timeout ${next.file}\n`]), 'api.log');
    next.file = String(((await (await runtime.fetch(`${BASE}/v1/files`, { method: 'POST', body: form })).json()) as Record<string, unknown>)['id']);
  }
  const session = runtime.engine.log.get(next.session);
  if (!session || session.archived_at || session.status === 'terminated') {
    const created = await call('POST', '/v1/sessions', {
      agent: next.agent,
      environment_id: next.environment,
      resources: [{ type: 'file', file_id: next.file, mount_path: '/logs/api.log' }],
    });
    next.session = String(created['id']);
    next.resource = (created['resources'] as Array<{ id: string }> | undefined)?.[0]?.id ?? '';
    await call('POST', `/v1/sessions/${next.session}/events`, { events: [{ type: 'user.message', content: [{ type: 'text', text: 'look' }] }] });
    await runtime.engine.whenIdle(next.session);
  }
  const [waiting] = store.events.list(next.session, { order: 'desc', limit: 1, types: ['agent.tool_use'] });
  next.event = waiting?.event.id ?? 'sevt_none';
  return next;
}

/** The request with the ids of what exists now in place of its placeholders. */
function filled(request: FuzzRequest, ids: Ids): FuzzRequest {
  const fill = (value: string): string => ID_NAMES.reduce((text, name) => text.replaceAll(placeholder(name), ids[name]), value);
  return {
    ...request,
    path: fill(request.path),
    body: typeof request.body === 'string' ? fill(request.body) : request.body,
    headers: Object.fromEntries(Object.entries(request.headers).map(([key, value]) => [key, fill(value)])),
  };
}

/** Waits until no session has a turn under way, so the store holds still between requests. */
async function settle(runtime: LocalRuntime): Promise<void> {
  const ids = runtime.store.db.prepare('SELECT id FROM sessions').all() as Array<{ id: string }>;
  await Promise.all(ids.map(({ id }) => runtime.engine.whenIdle(id)));
}

async function checkAnswer(request: FuzzRequest, response: Response): Promise<void> {
  const label = `${request.method} ${request.path}${request.query}`;
  expect(response.status, `${label} answered ${response.status}`).toBeLessThan(500);
  expect(response.status, label).toBeGreaterThanOrEqual(200);
  if (response.status < 400) {
    // Streams and downloads are let go; everything else is read through.
    await response.body?.cancel();
    return;
  }
  const body = (await response.json()) as { type?: unknown; error?: { type?: unknown; message?: unknown }; request_id?: unknown };
  expect(body.type, label).toBe('error');
  expect(body.error?.type, `${label}: ${String(body.error?.message)}`).toBe(TYPE_BY_STATUS[response.status]);
  const message = String(body.error?.message ?? '');
  expect(message.trim().length, label).toBeGreaterThan(0);
  expect(message, label).not.toMatch(/\n\s+at |\bTypeError\b|\[object Object\]/);
  expect(typeof body.request_id, label).toBe('string');
  expect(response.headers.get('x-should-retry'), label).toBe('false');
}

/**
 * Declares the property as a test: `size.runs` sequences of up to `perRun` requests each,
 * against one runtime seeded with an agent, an environment, a file and a session.
 */
/** Runs against one runtime before the next gets a fresh one: what it holds stays small, so comparing it stays cheap. */
const RUNS_PER_RUNTIME = 25;

/** One runtime of the property and what it knows about it. */
class Subject {
  readonly home = mkdtempSync(join(scratchDir(), 'incident-fuzz-http-'));
  readonly runtime = createLocalRuntime({ home: this.home, deps: { brainFor: () => quickBrain, handsFor: () => echoHands() }, maxUploadBytes: 4096 });
  ids: Ids | null = null;
  /** The rows written when `kept` was taken. */
  seenWrites = -1;
  kept = { rows: '', files: '' };

  /** Rows this runtime's connection has written (rolled back or not): unchanged means no table changed. */
  writes(): number {
    return (this.runtime.store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  }

  /** Seeds what requests name and takes a copy of what is kept, when a write may have changed either. */
  async prepare(): Promise<Ids> {
    await settle(this.runtime);
    if (this.ids === null || this.writes() !== this.seenWrites) {
      this.ids = await ensureSeeded(this.runtime, this.ids);
      await settle(this.runtime);
      this.kept = { rows: storedRows(this.runtime.store), files: storedFiles(this.runtime.store) };
      this.seenWrites = this.writes();
    }
    return this.ids;
  }

  /** Fails when a refused request left anything behind. */
  async expectUnchanged(what: string): Promise<void> {
    await settle(this.runtime);
    expect(storedFiles(this.runtime.store), what).toBe(this.kept.files);
    if (this.writes() !== this.seenWrites) expect(storedRows(this.runtime.store), what).toBe(this.kept.rows);
  }

  async close(): Promise<void> {
    await this.runtime.close();
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** Declares the property as a test: `size.runs` sequences of up to `perRun` requests each. */
export function fuzzRuntimeHttp(size: FuzzSize, perRun = 4): void {
  let subject: Subject | undefined;
  afterAll(async () => subject?.close());

  it(`answers ${size.runs} random sequences of up to ${perRun} requests with a success or a 4xx that changed nothing`, async () => {
    let refused = 0;
    let answered = 0;
    let runs = 0;
    const tally = new Map<string, Set<number>>();
    await fc.assert(
      fc.asyncProperty(fc.array(requests(), { minLength: 1, maxLength: perRun }), async (sequence) => {
        if (subject === undefined || runs % RUNS_PER_RUNTIME === 0) {
          await subject?.close();
          subject = new Subject();
        }
        runs += 1;
        for (const generated of sequence) {
          const item = filled(generated, await subject.prepare());
          const request = toRequest(item);
          if (request === null) continue;
          const response = await subject.runtime.handle(request);
          await checkAnswer(item, response);
          answered += 1;
          const route = `${item.method} ${routeOf(item.path)}`;
          tally.set(route, (tally.get(route) ?? new Set<number>()).add(response.status));
          if (response.status >= 400) {
            refused += 1;
            await subject.expectUnchanged(`${item.method} ${item.path}${item.query} was refused but changed the store`);
          }
        }
      }),
      fcParameters(size, 'runtime HTTP'),
    );
    if (process.env['INCIDENT_FUZZ_TALLY']) console.info([...tally].map(([route, statuses]) => `${route}: ${[...statuses].sort().join(' ')}`).sort().join('\n'));
    console.info(`runtime HTTP: ${answered} requests, ${answered - refused} answered, ${refused} refused, 0 failures`);
    // The generators must reach both sides, or the property proves little.
    expect(refused).toBeGreaterThan(answered / 10);
    expect(answered - refused).toBeGreaterThan(answered / 20);
  });
}
