// The guard's decisions, request by request: which Host names are this server's own
// for each kind of bind, how the key is compared, and that only `serve` is guarded
// (the in-process runtime answers without a key).
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exposureWarning, serveKey } from '../../src/cli/serve-access.js';
import { InputError } from '../../src/errors.js';
import { buildWorkerEnv } from '../../src/runtime/hands/index.js';
import { guardHandler, keyMatches, ownHosts, refusal } from '../../src/runtime/http-guard.js';
import type { ConnectionInfo } from '../../src/runtime/node-server.js';
import { createLocalRuntime } from '../../src/runtime/runtime.js';
import { scriptedDeps } from './scripted.js';

const KEY = 'incident_rk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
const loopback: ConnectionInfo = { localAddress: '127.0.0.1', localPort: 4646, remoteAddress: '127.0.0.1' };

function request(headers: Record<string, string>): Request {
  return new Request('http://127.0.0.1:4646/v1/sessions', { headers: { authorization: `Bearer ${KEY}`, ...headers } });
}

describe('own names', () => {
  it('for a loopback bind: the loopback names with the port, nothing else', () => {
    const hosts = ownHosts({ key: KEY, bindHost: '127.0.0.1' }, loopback);
    expect([...hosts].sort()).toEqual(['127.0.0.1:4646', '[::1]:4646', 'localhost:4646']);
  });

  it('for a wildcard bind: the address the request came in on, this host name and the names allowed', () => {
    const lan: ConnectionInfo = { localAddress: '::ffff:10.1.2.3', localPort: 4646, remoteAddress: '10.1.2.9' };
    const hosts = ownHosts({ key: KEY, bindHost: '0.0.0.0', allowHosts: ['Incident.Example.COM'] }, lan);
    expect(hosts).toEqual(new Set(['10.1.2.3:4646', `${hostname().toLowerCase()}:4646`, 'incident.example.com:4646']));
    expect(ownHosts({ key: KEY, bindHost: '::' }, { localAddress: 'fe80::1', localPort: 80, remoteAddress: '' })).toContain('[fe80::1]');
  });

  it('refuse a rebinding name and a foreign origin, and accept the own origin', () => {
    const options = { key: KEY, bindHost: '127.0.0.1' };
    expect(refusal(request({ host: 'rebind.attacker.example:4646' }), loopback, options)?.status).toBe(403);
    expect(refusal(request({ host: 'localhost:4646', origin: 'http://attacker.example' }), loopback, options)?.status).toBe(403);
    expect(refusal(request({ host: 'localhost:4646', origin: 'null' }), loopback, options)?.status).toBe(403);
    expect(refusal(request({ host: 'localhost:4646', 'sec-fetch-site': 'cross-site' }), loopback, options)?.status).toBe(403);
    expect(refusal(request({ host: 'localhost:4646', origin: 'http://localhost:4646' }), loopback, options)).toBeNull();
  });
});

describe('the key', () => {
  it('matches only exactly, whatever the length given', () => {
    expect(keyMatches(KEY, KEY)).toBe(true);
    expect(keyMatches(`${KEY}x`, KEY)).toBe(false);
    expect(keyMatches(KEY.slice(0, -1), KEY)).toBe(false);
    expect(keyMatches('', KEY)).toBe(false);
    expect(keyMatches(null, KEY)).toBe(false);
  });

  it('is taken from Bearer (any case) or x-api-key, and nothing else', () => {
    const options = { key: KEY, bindHost: '127.0.0.1' };
    const host = { host: '127.0.0.1:4646' };
    expect(refusal(request({ ...host, authorization: `bearer ${KEY}` }), loopback, options)).toBeNull();
    expect(refusal(new Request('http://127.0.0.1:4646/', { headers: { ...host, 'x-api-key': KEY } }), loopback, options)).toBeNull();
    expect(refusal(new Request('http://127.0.0.1:4646/', { headers: { ...host, authorization: `Basic ${KEY}` } }), loopback, options)?.status).toBe(401);
    expect(refusal(new Request(`http://127.0.0.1:4646/?key=${KEY}`, { headers: host }), loopback, options)?.status).toBe(401);
  });

  it('guards only the HTTP server: the in-process runtime needs none', async () => {
    const runtime = createLocalRuntime({ home: mkdtempSync(join(tmpdir(), 'incident-guard-')), deps: scriptedDeps([]) });
    try {
      expect((await runtime.handle(new Request('http://local.invalid/v1/sessions'))).status).toBe(200);
      const guarded = guardHandler(runtime.handle, { key: KEY, bindHost: '127.0.0.1' });
      const refused = await guarded(new Request('http://127.0.0.1:4646/v1/sessions', { headers: { host: '127.0.0.1:4646' } }), loopback);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await guarded(request({ host: '127.0.0.1:4646' }), loopback)).status).toBe(200);
    } finally {
      await runtime.close();
    }
  });
});

describe('serving beyond loopback', () => {
  it('is warned about, saying what it exposes and that the key is required', () => {
    expect(exposureWarning('127.0.0.1', 4646)).toBeNull();
    expect(exposureWarning('localhost', 4646)).toBeNull();
    expect(exposureWarning('::1', 4646)).toBeNull();
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'buildbox.example.com']) {
      const warning = exposureWarning(host, 4646) ?? '';
      expect(warning).toMatch(/^WARNING/);
      expect(warning).toContain(`${host}:4646`);
      expect(warning).toContain('incident data');
      expect(warning).toContain('remediation actions');
      expect(warning).toContain("this machine's credentials");
      expect(warning).toContain('key');
    }
  });

  it('refuses an operator key too short to protect it', () => {
    const home = mkdtempSync(join(tmpdir(), 'incident-guard-'));
    expect(() => serveKey({ INCIDENT_RUNTIME_KEY: 'secret' }, home)).toThrow(InputError);
    expect(serveKey({ INCIDENT_RUNTIME_KEY: KEY }, home).key).toBe(KEY);
  });
});

describe('the runtime key and the hands', () => {
  it('never reaches an environment worker, even when a definition asks for it', () => {
    const parent = { PATH: '/usr/bin', INCIDENT_RUNTIME_KEY: KEY, INCIDENT_REGION: 'eu' };
    const env = buildWorkerEnv(parent, ['PATH', 'INCIDENT_*'], [{ name: 'key', fromEnv: 'INCIDENT_RUNTIME_KEY' }]);
    expect(env).toEqual({ PATH: '/usr/bin', INCIDENT_REGION: 'eu' });
  });
});
