// With an API key, the local runtime's brain is Claude through the Messages API. A
// Messages API stand-in on 127.0.0.1 scripts the model's turns; the real CLI, runtime,
// worker and verifier do the rest.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempHome, userBundle } from './cli.js';
import { UNKNOWN_DIAGNOSIS } from './fake-model.js';

interface Sent {
  messages: Array<{ role: string; content: Array<Record<string, unknown>> }>;
  tools: Array<{ name: string }>;
}

const requests: Sent[] = [];
let server: Server;
let baseURL = '';

/** The model's scripted turns: look at the changes, then give up honestly. */
function reply(turn: number): Array<Record<string, unknown>> {
  if (turn === 0) return [{ type: 'text', text: 'Listing what changed.' }, { type: 'tool_use', id: 'toolu_a', name: 'list_changes', input: {} }];
  if (turn === 1) {
    return [
      {
        type: 'tool_use',
        id: 'toolu_b',
        name: 'submit_diagnosis',
        input: UNKNOWN_DIAGNOSIS,
      },
    ];
  }
  return [{ type: 'text', text: 'I could not establish the cause.' }];
}

function sse(content: Array<Record<string, unknown>>): string {
  const frames: string[] = [];
  const frame = (type: string, data: Record<string, unknown>): void => void frames.push(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  frame('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-opus-4-8', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 900, output_tokens: 1 } } });
  content.forEach((block, index) => {
    if (block['type'] === 'text') {
      frame('content_block_start', { index, content_block: { type: 'text', text: '' } });
      frame('content_block_delta', { index, delta: { type: 'text_delta', text: block['text'] } });
    } else {
      frame('content_block_start', { index, content_block: { type: 'tool_use', id: block['id'], name: block['name'], input: {} } });
      frame('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block['input']) } });
    }
    frame('content_block_stop', { index });
  });
  const toolUse = content.some((block) => block['type'] === 'tool_use');
  frame('message_delta', { delta: { stop_reason: toolUse ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 40 } });
  frame('message_stop', {});
  return frames.join('');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const sent = JSON.parse(body) as Sent;
      requests.push(sent);
      const turn = sent.messages.filter((message) => message.role === 'assistant').length;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sse(reply(turn)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('incident diagnose with the claude brain', () => {
  it('runs the model turn by turn through the runtime, tools in the worker, diagnosis through the verifier', async () => {
    const env = cliEnv(tempHome(), { ANTHROPIC_API_KEY: 'sk-ant-test-key', ANTHROPIC_BASE_URL: baseURL });
    const result = await runCli(['diagnose', userBundle('checkout-cache-removed'), '--json'], env);
    expect(result.stderr).toBe('');
    const output = JSON.parse(result.stdout) as { diagnosis: { root_cause: { category: string } }; usage: { input_tokens: number } };
    expect(output.diagnosis.root_cause.category).toBe('unknown');
    expect(output.usage.input_tokens).toBe(2700);
    expect(result.code).toBe(3);

    expect(requests).toHaveLength(3);
    expect(requests[0]?.tools.map((tool) => tool.name)).toContain('search_logs');
    // The second request carries the tool's real result, under the id of the call.
    const second = requests[1]?.messages ?? [];
    const use = second.flatMap((message) => message.content).find((block) => block['type'] === 'tool_use');
    const result1 = second.flatMap((message) => message.content).find((block) => block['type'] === 'tool_result');
    expect(use?.['name']).toBe('list_changes');
    expect(result1?.['tool_use_id']).toBe(use?.['id']);
    expect(String(result1?.['content'])).toContain('deploy-4821');
    // The key travels only in the request headers: no message or tool result carries it.
    expect(JSON.stringify(requests)).not.toContain('sk-ant-test-key');
  });
});
