// A call's last progress notification and its response, read in one chunk from the worker:
// the notification must still reach the caller's progress handler (the SDK settles the
// response at once but handles a notification a microtask later).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';
import { ProcessTransport } from '../../../src/runtime/hands/process-transport.js';

// A worker that answers `initialize`, and answers a tool call with a progress notification
// and the result written together, as one chunk.
const SERVER = `
const rl = require('node:readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const m = JSON.parse(line);
  if (m.method === 'initialize') {
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'one-chunk', version: '1' } } }) + '\\n');
  } else if (m.method === 'tools/call') {
    const token = m.params._meta.progressToken;
    const progress = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: 1, message: 'last line\\n' } });
    const result = JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: 'done' }] } });
    process.stdout.write(progress + '\\n' + result + '\\n');
  }
});
`;

describe('the worker transport', () => {
  it('hands over a progress notification read in the same chunk as its response before the response', async () => {
    const transport = new ProcessTransport({ command: process.execPath, args: ['-e', SERVER], env: { PATH: process.env['PATH'] ?? '' } });
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(transport);
    try {
      for (let round = 0; round < 5; round++) {
        const seen: string[] = [];
        const result = await client.callTool({ name: 'anything', arguments: {} }, undefined, { onprogress: (p) => seen.push(p.message ?? '') });
        expect(result.content).toEqual([{ type: 'text', text: 'done' }]);
        expect(seen).toEqual(['last line\n']);
      }
    } finally {
      await client.close();
    }
  });
});
