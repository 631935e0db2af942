// The claude brain against a Messages API stand-in on 127.0.0.1 that replays a recorded
// stream: the transcript it sends is rebuilt from the log, prompt caching is marked,
// and the recorded answer becomes a message and a tool call with usage.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClaudeBrain } from '../../../src/brains/claude/index.js';
import type { SessionEvent } from '../../../src/protocol/events.js';

const recorded = readFileSync(new URL('./tool-use.sse', import.meta.url), 'utf8');
let server: Server;
let baseURL = '';
const requests: Array<{ headers: Record<string, unknown>; body: Record<string, unknown> }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: JSON.parse(body) as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(recorded);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const event = (fields: Record<string, unknown>): SessionEvent => ({ processed_at: '2026-11-20T14:00:00Z', ...fields }) as unknown as SessionEvent;

describe('the claude brain', () => {
  it('sends the log as a transcript with caching, and returns the recorded step', async () => {
    const brain = createClaudeBrain({ apiKey: 'test-key', baseURL });
    const deltas: string[] = [];
    const history = [
      event({ id: 'sevt_1', type: 'user.message', content: [{ type: 'text', text: 'Investigate' }] }),
      event({ id: 'sevt_2', type: 'agent.message', content: [{ type: 'text', text: 'Reading the page.' }] }),
      event({ id: 'sevt_3', type: 'agent.tool_use', name: 'describe_bundle', input: {} }),
      event({ id: 'sevt_4', type: 'agent.tool_result', tool_use_id: 'sevt_3', content: [{ type: 'text', text: '{"summary":"3 services"}' }], is_error: false }),
    ];
    const step = await brain.step({
      sessionId: 'sesn_1',
      model: 'claude-opus-4-8',
      system: 'You are an SRE.',
      tools: [{ name: 'query_metrics', description: 'metrics', input_schema: { type: 'object', properties: { service: { type: 'string' } } } }],
      history,
      stepsLeft: 10,
      signal: new AbortController().signal,
      onTextDelta: (text) => deltas.push(text),
    });
    expect(step.outputs).toEqual([
      { kind: 'message', text: 'Checking the latency of checkout first.' },
      { kind: 'tool_use', name: 'query_metrics', input: { service: 'checkout' } },
    ]);
    expect(step.usage).toEqual({ input_tokens: 1200, output_tokens: 42, cache_read_input_tokens: 800, cache_creation_input_tokens: 300 });
    expect(deltas.join('')).toBe('Checking the latency of checkout first.');

    const sent = requests.at(-1);
    const auth = [sent?.headers['x-api-key'], sent?.headers['authorization']].map(String);
    expect(auth.some((value) => value.includes('test-key'))).toBe(true);
    const body = sent?.body ?? {};
    expect(body['model']).toBe('claude-opus-4-8');
    expect(body['stream']).toBe(true);
    expect(body['system']).toEqual([{ type: 'text', text: 'You are an SRE.', cache_control: { type: 'ephemeral' } }]);
    expect(body['messages']).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Investigate' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Reading the page.' },
          { type: 'tool_use', id: 'sevt_3', name: 'describe_bundle', input: {} },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'sevt_3', content: '{"summary":"3 services"}', cache_control: { type: 'ephemeral' } }] },
    ]);
  });

  it('asks for the diagnosis when the step budget is nearly spent', async () => {
    const brain = createClaudeBrain({ apiKey: 'test-key', baseURL });
    await brain.step({
      sessionId: 'sesn_1',
      model: 'claude-opus-4-8',
      system: 'You are an SRE.',
      tools: [],
      history: [event({ id: 'sevt_1', type: 'user.message', content: [{ type: 'text', text: 'Investigate' }] })],
      stepsLeft: 2,
      signal: new AbortController().signal,
    });
    // Said after the cached prefix (the system prompt stays as it was, so the cache still holds).
    const body = requests.at(-1)?.body ?? {};
    expect(body['system']).toEqual([{ type: 'text', text: 'You are an SRE.', cache_control: { type: 'ephemeral' } }]);
    const last = (body['messages'] as Array<{ content: Array<{ text?: string }> }>).at(-1)?.content.at(-1)?.text ?? '';
    expect(last).toContain('2 tool calls left');
  });
});
