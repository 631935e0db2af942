// The runtime redacts on its way into the store: every event appended and every session
// record written, through the SDK as any client would send them, with the runtime's own
// keys and the declared credentials of the session's environment as the values it knows.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Brain } from '../../src/brains/brain.js';
import { createClaudeBrain } from '../../src/brains/claude/index.js';
import { definitionHash, HASH_METADATA_KEY, parseEnvironmentDefinition } from '../../src/definitions/index.js';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { echoHands, scriptedBrain } from './scripted.js';

const CREDENTIAL = 'canary-credential-value-q7w8e9';
const RUNTIME_KEY = 'canary-runtime-key-z1x2c3';
const SLACK_TOKEN = 'xoxb-1234567890-abcdefghijkl';

// The operator's environment: its declared credential is a value the store must never keep.
const ENVIRONMENT = parseEnvironmentDefinition('name: e\ncredentials:\n  - { name: deploy_token, from_env: TEST_DEPLOY_TOKEN }\n', 'e.yaml');

let runtime: LocalRuntime | undefined;
afterEach(async () => runtime?.close());

function start(brain: Brain, secretEnv: Record<string, string>): Anthropic {
  runtime = createLocalRuntime({
    home: mkdtempSync(join(tmpdir(), 'incident-redaction-')),
    deps: { brainFor: () => brain, handsFor: () => echoHands() },
    environments: [ENVIRONMENT],
    secretEnv,
  });
  return new Anthropic({ apiKey: 'local', baseURL: 'http://local.invalid', maxRetries: 0, fetch: runtime.fetch });
}

async function environmentWithCredential(client: Anthropic): Promise<string> {
  const environment = await client.beta.environments.create({ name: 'e', metadata: { [HASH_METADATA_KEY]: definitionHash(ENVIRONMENT) } });
  return environment.id;
}

async function history(client: Anthropic, sessionId: string): Promise<string> {
  const events = [];
  for await (const event of client.beta.sessions.events.list(sessionId)) events.push(event);
  return JSON.stringify(events);
}

describe('the store write path', () => {
  it('redacts titles, metadata, messages and tool calls; keeps ids, names and statuses as they are', async () => {
    // The brain repeats what it was told, and searches for it.
    const brain = scriptedBrain([
      [{ kind: 'message', text: `noted: ${CREDENTIAL} and ${RUNTIME_KEY}` }, { kind: 'tool_use', name: 'search_logs', input: { pattern: CREDENTIAL } }],
    ]);
    const client = start(brain, { TEST_DEPLOY_TOKEN: CREDENTIAL, INCIDENT_RUNTIME_KEY: RUNTIME_KEY });
    const agent = await client.beta.agents.create({
      name: 'a',
      model: 'claude-opus-4-8',
      tools: [{ type: 'custom', name: 'search_logs', description: 'search', input_schema: { type: 'object', properties: {} } }],
    });
    const environmentId = await environmentWithCredential(client);
    const session = await client.beta.sessions.create({
      agent: agent.id,
      environment_id: environmentId,
      title: `paged: ${SLACK_TOKEN}`,
      metadata: { note: `token ${CREDENTIAL}` },
    });
    expect(session.title).toBe('paged: [REDACTED:slack-token]');
    expect(session.metadata).toEqual({ note: 'token [REDACTED:deploy_token]' });

    const stream = await client.beta.sessions.events.stream(session.id);
    await client.beta.sessions.events.send(session.id, {
      events: [{ type: 'user.message', content: [{ type: 'text', text: `the token is ${CREDENTIAL}, the key ${RUNTIME_KEY}` }] }],
    });
    const streamed: unknown[] = [];
    for await (const event of stream) {
      streamed.push(event);
      if (event.type === 'session.status_idle') break;
    }
    const updated = await client.beta.sessions.update(session.id, { title: `still ${CREDENTIAL}` });
    expect(updated.title).toBe('still [REDACTED:deploy_token]');

    const listed = await history(client, session.id);
    const sessions = JSON.stringify((await client.beta.sessions.list()).data);
    for (const text of [JSON.stringify(streamed), listed, sessions, JSON.stringify(await client.beta.sessions.retrieve(session.id))]) {
      for (const secret of [CREDENTIAL, RUNTIME_KEY, SLACK_TOKEN]) expect(text).not.toContain(secret);
    }
    expect(listed).toContain('the token is [REDACTED:deploy_token], the key [REDACTED:incident_runtime_key]');
    expect(listed).toContain('"input":{"pattern":"[REDACTED:deploy_token]"}');
    expect(listed).toContain('"title":"still [REDACTED:deploy_token]"');
    // The envelope is untouched: the tool call kept its name and id, and was answered.
    const events = JSON.parse(listed) as Array<{ type: string; id: string; name?: string; tool_use_id?: string }>;
    const use = events.find((event) => event.type === 'agent.tool_use');
    expect(use?.name).toBe('search_logs');
    expect(events.find((event) => event.type === 'agent.tool_result')?.tool_use_id).toBe(use?.id);
    expect((await client.beta.sessions.retrieve(session.id)).status).toBe('idle');
  });
});

describe('the one way in', () => {
  it('no part of the runtime writes events or session records except through the session log', () => {
    const root = resolve('src/runtime');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const writes = /\.sessions\.(?:insert|save)\(|\bstore\.append\(|\.events\.append\w*\(/;
    const offenders = files.filter((file) => file !== 'session-log.ts' && writes.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders.map((file) => relative(process.cwd(), join(root, file)))).toEqual([]);
  });
});

describe('the claude brain', () => {
  let server: Server;
  let baseURL = '';
  beforeAll(async () => {
    // An endpoint that refuses the request and repeats the key it was sent.
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const sent = String(req.headers['x-api-key'] ?? req.headers.authorization ?? '').replace(/^Bearer /, '');
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: `bad request with key ${sent}` } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('keeps its key out of an endpoint error, even when the runtime does not know the key', async () => {
    const apiKey = 'canary-brain-key-m4n5b6';
    const client = start(createClaudeBrain({ apiKey, baseURL }), {});
    const agent = await client.beta.agents.create({ name: 'a', model: 'claude-opus-4-8' });
    const environment = await client.beta.environments.create({ name: 'e' });
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id });
    const stream = await client.beta.sessions.events.stream(session.id);
    await client.beta.sessions.events.send(session.id, { events: [{ type: 'user.message', content: [{ type: 'text', text: 'go' }] }] });
    for await (const event of stream) if (event.type === 'session.status_idle') break;
    const listed = await history(client, session.id);
    expect(listed).toContain('bad request with key [REDACTED:anthropic_api_key]');
    expect(listed).not.toContain(apiKey);
  });
});
