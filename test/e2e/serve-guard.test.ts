// The attacks on `incident serve`, each against the real server started as a child
// process on 127.0.0.1: no key, a stolen name (DNS rebinding), a web page of another
// origin, a "simple" text/plain request, an unbounded body, a bad path escape, a forged
// Host that used to stop the server. Each must be refused and change nothing.
import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServed, type Served } from '../runtime/served.js';
import { BIN, cliEnv, runCli, tempHome } from './cli.js';

let served: Served;
let home: string;
let port: number;
let key: string;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP, so a test can send exactly the headers an attacker would (Host included). */
function send(options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/v1/sessions', headers: { host: `127.0.0.1:${port}`, ...options.headers }, setHost: false },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const withKey = (headers: Record<string, string> = {}): Record<string, string> => ({ authorization: `Bearer ${key}`, ...headers });

function errorType(reply: Reply): string | undefined {
  const parsed = JSON.parse(reply.body) as { type?: string; error?: { type?: string }; request_id?: string };
  expect(parsed.type).toBe('error');
  expect(typeof parsed.request_id).toBe('string');
  return parsed.error?.type;
}

async function agentCount(): Promise<number> {
  const reply = await send({ path: '/v1/agents', headers: withKey() });
  return (JSON.parse(reply.body) as { data: unknown[] }).data.length;
}

beforeAll(async () => {
  home = tempHome();
  served = await startServed(process.execPath, [BIN, 'serve', '--port', '0'], cliEnv(home));
  port = Number(new URL(served.url).port);
  const keyFile = join(home, 'runtime.key');
  key = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '';
});
afterAll(async () => {
  served.child.kill('SIGTERM');
  await served.exited;
});

describe('the key', () => {
  it('is generated on first start, owner-only, in a folder closed to others', () => {
    expect(key).toMatch(/^incident_rk_[A-Za-z0-9_-]{43}$/);
    const file = lstatSync(join(home, 'runtime.key'));
    expect(file.isFile()).toBe(true);
    expect(file.mode & 0o777).toBe(0o600);
    expect(statSync(home).mode & 0o007).toBe(0);
  });

  it('is required: none or a wrong one is a 401 authentication_error', async () => {
    const none = await send({});
    expect(none.status).toBe(401);
    expect(errorType(none)).toBe('authentication_error');
    const wrong = await send({ headers: { authorization: `Bearer ${key.slice(0, -1)}x` } });
    expect(wrong.status).toBe(401);
    expect((await send({ headers: { 'x-api-key': 'incident_rk_guess' } })).status).toBe(401);
  });

  it('is accepted as the SDK sends it (Bearer) and as x-api-key', async () => {
    expect((await send({ headers: withKey() })).status).toBe(200);
    expect((await send({ headers: { 'x-api-key': key } })).status).toBe(200);
  });

  it('is read by the CLI on this machine from the state folder; a wrong one is one line saying where to get it', async () => {
    const listed = await runCli(['sessions', 'list', '--runtime', served.url], cliEnv(home));
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const refused = await runCli(['sessions', 'list', '--runtime', served.url], cliEnv(home, { INCIDENT_RUNTIME_KEY: 'incident_rk_not-the-key' }));
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('INCIDENT_RUNTIME_KEY');
  });
});

describe('names and origins', () => {
  it('refuses a Host that is not its own (DNS rebinding), even with the key', async () => {
    const rebound = await send({ headers: withKey({ host: `attacker.example:${port}` }) });
    expect(rebound.status).toBe(403);
    expect(errorType(rebound)).toBe('permission_error');
    expect((await send({ headers: withKey({ host: `127.0.0.1:${port + 1}` }) })).status).toBe(403);
  });

  it('answers to its loopback names with its port', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await send({ headers: withKey({ host }) })).status).toBe(200);
    }
  });

  it('refuses a request from a web page of another origin, even with the key', async () => {
    const before = await agentCount();
    const page = await send({
      method: 'POST',
      path: '/v1/agents',
      headers: withKey({ origin: 'http://attacker.example', 'content-type': 'application/json' }),
      body: JSON.stringify({ name: 'evil', model: 'claude-opus-4-8' }),
    });
    expect(page.status).toBe(403);
    expect(await agentCount()).toBe(before);
    expect((await send({ headers: withKey({ origin: `http://127.0.0.1:${port}` }) })).status).toBe(200);
  });

  it('gives a browser preflight no CORS allowance', async () => {
    const preflight = await send({
      method: 'OPTIONS',
      path: '/v1/agents',
      headers: { origin: 'http://attacker.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    expect(Object.keys(preflight.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});

describe('bodies and paths', () => {
  it('refuses JSON sent as text/plain (a cross-origin "simple" request) and creates nothing', async () => {
    const before = await agentCount();
    const simple = await send({
      method: 'POST',
      path: '/v1/agents',
      headers: withKey({ 'content-type': 'text/plain;charset=UTF-8' }),
      body: JSON.stringify({ name: 'evil', model: 'claude-opus-4-8' }),
    });
    expect(simple.status).toBe(415);
    expect(errorType(simple)).toBe('invalid_request_error');
    expect(JSON.parse(simple.body).error.message).toContain('application/json');
    expect(await agentCount()).toBe(before);
  });

  it('accepts application/json with a charset', async () => {
    const created = await send({
      method: 'POST',
      path: '/v1/agents',
      headers: withKey({ 'content-type': 'application/json; charset=utf-8' }),
      body: JSON.stringify({ name: 'fine', model: 'claude-opus-4-8' }),
    });
    expect(created.status).toBe(200);
  });

  it('refuses a JSON body over the limit with 413 and stores nothing', async () => {
    const before = await agentCount();
    const huge = await send({
      method: 'POST',
      path: '/v1/agents',
      headers: withKey({ 'content-type': 'application/json' }),
      body: JSON.stringify({ name: 'big', model: 'claude-opus-4-8', description: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect(errorType(huge)).toBe('request_too_large');
    expect(await agentCount()).toBe(before);
  });

  it('answers a malformed percent-escape in the path with 400, not 500', async () => {
    const bad = await send({ path: '/v1/sessions/%E0%A4%A', headers: withKey() });
    expect(bad.status).toBe(400);
    expect(errorType(bad)).toBe('invalid_request_error');
  });
});

// Last: on a server without the fix this request stopped the whole process.
describe('a forged Host', () => {
  it('is refused without stopping the server', async () => {
    const forged = await send({ headers: withKey({ host: 'a b' }) });
    expect(forged.status).toBe(403);
    expect((await send({ headers: withKey() })).status).toBe(200);
  });
});

describe('a client with no key for the runtime', () => {
  it('sends no credential at all (never a Claude key) and says where to get the runtime key', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const stand = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(401, { 'content-type': 'application/json', 'x-should-retry': 'false' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'needs a key' }, request_id: 'req_1' }));
    });
    await new Promise<void>((resolve) => stand.listen(0, '127.0.0.1', resolve));
    try {
      const address = stand.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const env = cliEnv(tempHome(), { ANTHROPIC_API_KEY: 'sk-ant-canary-key', ANTHROPIC_AUTH_TOKEN: 'canary-token' });
      const result = await runCli(['sessions', 'list', '--runtime', url], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('requires its key');
      expect(result.stderr).toContain('INCIDENT_RUNTIME_KEY');
      expect(seen.length).toBeGreaterThan(0);
      for (const headers of seen) {
        expect(headers.authorization).toBeUndefined();
        expect(JSON.stringify(headers)).not.toMatch(/canary/);
      }
    } finally {
      stand.close();
    }
  });
});
