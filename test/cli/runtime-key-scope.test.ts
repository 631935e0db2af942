// The key file in the state folder is the key of a runtime served from this machine. A
// client sends it only to a runtime on this machine: a `--runtime` URL naming another
// host (mistyped, or handed over by someone who wants the key) gets no credential
// unless the person set INCIDENT_RUNTIME_KEY for it.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runtimeKeyFor } from '../../src/cli/connect.js';
import { exposureWarning } from '../../src/cli/serve-access.js';
import { ensureRuntimeKey } from '../../src/store/runtime-key.js';
import { cliEnv, runCli, tempHome } from '../e2e/cli.js';

/** An IPv4 address of this machine that is not loopback, if it has one. */
function outsideAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)?.address;
}

describe('the key file of this machine', () => {
  it('is sent to a runtime on a loopback address, and to no other host', async () => {
    const home = tempHome();
    const { key } = ensureRuntimeKey(home);
    const env = { INCIDENT_HOME: home };
    for (const url of ['http://127.0.0.1:4646', 'http://localhost:4646', 'http://[::1]:4646']) {
      expect(await runtimeKeyFor(new URL(url), env), url).toBe(key);
    }
    for (const url of ['https://incident.example.com', 'http://10.1.2.3:4646', 'http://127.0.0.1.example.com:4646']) {
      expect(await runtimeKeyFor(new URL(url), env), url).toBeNull();
    }
  });

  it('gives way to INCIDENT_RUNTIME_KEY, which is sent wherever the person points it', async () => {
    const home = tempHome();
    ensureRuntimeKey(home);
    const env = { INCIDENT_HOME: home, INCIDENT_RUNTIME_KEY: 'incident_rk_given-by-the-team' };
    expect(await runtimeKeyFor(new URL('https://incident.example.com'), env)).toBe('incident_rk_given-by-the-team');
    expect(await runtimeKeyFor(new URL('http://127.0.0.1:4646'), env)).toBe('incident_rk_given-by-the-team');
  });

  it('never reaches a server on another address through the CLI', async (context) => {
    const address = outsideAddress();
    if (address === undefined) {
      context.skip('this machine has no address but loopback; the case above covers the choice');
      return;
    }
    const seen: IncomingHttpHeaders[] = [];
    const stand = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(401, { 'content-type': 'application/json', 'x-should-retry': 'false' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'needs a key' }, request_id: 'req_1' }));
    });
    await new Promise<void>((resolve) => stand.listen(0, address, resolve));
    try {
      const port = (stand.address() as { port: number }).port;
      const home = tempHome();
      const { key } = ensureRuntimeKey(home);
      const result = await runCli(['sessions', 'list', '--runtime', `http://${address}:${port}`], cliEnv(home));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('INCIDENT_RUNTIME_KEY');
      expect(seen.length).toBeGreaterThan(0);
      for (const headers of seen) {
        expect(headers.authorization).toBeUndefined();
        expect(JSON.stringify(headers)).not.toContain(key);
      }
    } finally {
      stand.close();
    }
  });
});

describe('a name that only starts like a loopback address', () => {
  it('is not one: serve bound to it warns that it may be reachable from elsewhere', () => {
    expect(exposureWarning('127.0.0.1.example.com', 4646)).toContain('reachable from other machines');
    expect(exposureWarning('127.0.0.1', 4646)).toBeNull();
    expect(exposureWarning('::1', 4646)).toBeNull();
  });
});
