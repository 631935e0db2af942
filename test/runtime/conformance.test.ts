import Anthropic, { toFile } from '@anthropic-ai/sdk';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { createLocalRuntime, type LocalRuntime } from '../../src/runtime/runtime.js';
import { runConformance } from './conformance-flow.js';
import { scriptedDeps } from './scripted.js';

let runtime: LocalRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

describe('the local runtime with the real SDK, in process', () => {
  it('creates, uploads, mounts, sends, streams until idle and lists with pagination', async () => {
    const home = mkdtempSync(join(tmpdir(), 'incident-conf-'));
    runtime = createLocalRuntime({
      home,
      deps: scriptedDeps([
        [{ kind: 'message', text: 'Looking at the bundle.' }, { kind: 'tool_use', name: 'describe_bundle', input: {} }],
        [{ kind: 'tool_use', name: 'query_metrics', input: { service: 'api' } }],
        [{ kind: 'message', text: 'All done.' }],
      ]),
    });
    const client = new Anthropic({ apiKey: 'local', baseURL: 'http://local.invalid', maxRetries: 0, fetch: runtime.fetch });
    await runConformance(client, toFile);
  });
});
