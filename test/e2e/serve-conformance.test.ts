// The same client flow as the in-process conformance test, against `incident serve`
// started as a child process on 127.0.0.1: the real SDK over real HTTP and SSE.
import Anthropic, { toFile } from '@anthropic-ai/sdk';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runConformance } from '../runtime/conformance-flow.js';
import { startServed, type Served } from '../runtime/served.js';
import { BIN, cliEnv, tempHome } from './cli.js';

let served: Served;
// The operator's key, as a team would give it: the same value on server and clients.
const key = randomBytes(24).toString('base64url');

beforeAll(async () => {
  served = await startServed(process.execPath, [BIN, 'serve', '--port', '0'], cliEnv(tempHome(), { INCIDENT_RUNTIME_KEY: key }));
});
afterAll(async () => {
  served.child.kill('SIGTERM');
  await served.exited;
});

describe('incident serve with the real SDK over HTTP', () => {
  it('creates, uploads, mounts, sends, streams until idle and lists with pagination', async () => {
    const client = new Anthropic({ apiKey: key, baseURL: served.url, maxRetries: 0 });
    await runConformance(client, toFile);
  });
});
