// A stand-in for the Messages API on 127.0.0.1, speaking its documented streaming format
// (message_start, content_block_*, message_delta, message_stop; `event: error` frames; JSON
// error bodies with retry-after). It plays a model from a script, and does what the API
// does with what a request asks for: prompt caching (a prefix up to a cache_control
// breakpoint that an earlier request wrote is read back, and billed as such), a context
// window (a request over it is refused, "prompt is too long"), and the clear_tool_uses
// context edit (the oldest tool results are cleared once the input passes the trigger).
// Tokens are counted as characters / 4.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type Fault =
  | { kind: 'status'; status: number; type: string; retryAfter?: string }
  | { kind: 'overloaded_mid_stream' }
  | { kind: 'drop_mid_stream' };

export interface ModelTurn {
  text?: string;
  tool?: { name: string; input: Record<string, unknown> };
}

export interface StandInOptions {
  /** What the model says, one entry per answered request; past the end it says "done". */
  script: (request: RecordedRequest, answered: number) => ModelTurn;
  /** Faults served instead of an answer, in order, before the answers go on. */
  faults?: Fault[];
  /** Requests over this many input tokens are refused as too long. */
  windowTokens?: number;
  outputTokens?: number;
}

export interface RecordedRequest {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface Answered {
  usage: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number };
  clearedToolUses: number;
}

export interface StandIn {
  baseURL: string;
  requests: RecordedRequest[];
  answers: Answered[];
  close(): Promise<void>;
}

const tokens = (text: string): number => Math.ceil(text.length / 4);

interface Block {
  type: string;
  content?: unknown;
  cache_control?: unknown;
  [key: string]: unknown;
}
interface Message {
  role: string;
  content: string | Block[];
}

/** The request as the model reads it, in the API's prefix order: tools, system, messages; with its cache breakpoints. */
function segments(body: Record<string, unknown>): { text: string; breakpoint: boolean }[] {
  const out: { text: string; breakpoint: boolean }[] = [];
  const strip = (block: Block): string => {
    const { cache_control: _ignored, ...rest } = block;
    return JSON.stringify(rest);
  };
  for (const tool of (body['tools'] as Block[] | undefined) ?? []) out.push({ text: strip(tool), breakpoint: tool.cache_control !== undefined });
  for (const block of (body['system'] as Block[] | undefined) ?? []) out.push({ text: strip(block), breakpoint: block.cache_control !== undefined });
  for (const message of (body['messages'] as Message[] | undefined) ?? []) {
    const blocks = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    for (const block of blocks) out.push({ text: `${message.role}:${strip(block)}`, breakpoint: block.cache_control !== undefined });
  }
  return out;
}

/** clear_tool_uses_20250919 as the API applies it: past the trigger, the oldest tool results but `keep` are cleared. */
function applyClearing(body: Record<string, unknown>, inputTokens: number): number {
  const edits = ((body['context_management'] as { edits?: Array<Record<string, unknown>> } | undefined)?.edits ?? []).filter(
    (edit) => edit['type'] === 'clear_tool_uses_20250919',
  );
  const edit = edits[0];
  if (!edit) return 0;
  const trigger = (edit['trigger'] as { value?: number } | undefined)?.value ?? 100_000;
  if (inputTokens <= trigger) return 0;
  const keep = (edit['keep'] as { value?: number } | undefined)?.value ?? 3;
  const results: Block[] = [];
  for (const message of (body['messages'] as Message[] | undefined) ?? []) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) if (block.type === 'tool_result') results.push(block);
  }
  const cleared = results.slice(0, Math.max(0, results.length - keep));
  for (const block of cleared) block.content = '[cleared]';
  return cleared.length;
}

function sse(res: ServerResponse, type: string, data: Record<string, unknown>): void {
  res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
}

export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  const answers: Answered[] = [];
  const faults = [...(options.faults ?? [])];
  /** Prefixes written to the cache, by their text. */
  const cache = new Set<string>();

  const answer = (request: RecordedRequest, res: ServerResponse): void => {
    const fault = faults.shift();
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) });
      res.end(JSON.stringify({ type: 'error', error: { type: fault.type, message: `stand-in ${fault.type}` }, request_id: 'req_standin' }));
      return;
    }
    // What the model sees after the API's edits; the recorded request stays as it was sent.
    const seen = structuredClone(request.body);
    let parts = segments(seen);
    const before = tokens(parts.map((part) => part.text).join(''));
    const cleared = applyClearing(seen, before);
    if (cleared > 0) parts = segments(seen);
    const total = tokens(parts.map((part) => part.text).join(''));
    if (options.windowTokens !== undefined && total > options.windowTokens) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: `prompt is too long: ${total} tokens > ${options.windowTokens} maximum` } }));
      return;
    }
    // Caching: the longest prefix ending at a breakpoint that an earlier request wrote is read;
    // what follows it up to the last breakpoint is written; the rest is plain input.
    // As the API does, a breakpoint also finds a cached prefix at any of the 20 block boundaries before it.
    const prefixes: string[] = [];
    let prefix = '';
    for (const part of parts) prefixes.push((prefix += part.text));
    let read = 0;
    let lastBreak = 0;
    const written: string[] = [];
    parts.forEach((part, index) => {
      if (!part.breakpoint) return;
      for (let back = index; back >= Math.max(0, index - 20); back -= 1) {
        const candidate = prefixes[back] ?? '';
        if (cache.has(candidate)) {
          read = Math.max(read, tokens(candidate));
          break;
        }
      }
      lastBreak = tokens(prefixes[index] ?? '');
      written.push(prefixes[index] ?? '');
    });
    for (const entry of written) cache.add(entry);
    const created = Math.max(0, lastBreak - read);
    const usage = { input_tokens: total - read - created, output_tokens: options.outputTokens ?? 50, cache_read_input_tokens: read, cache_creation_input_tokens: created };
    const turn = options.script(request, answers.length);
    // A request that fails mid-stream is not an answer: the script moves on only for complete ones.
    if (fault === undefined) answers.push({ usage, clearedToolUses: cleared });

    res.writeHead(200, { 'content-type': 'text/event-stream' });
    sse(res, 'message_start', {
      message: { id: `msg_${requests.length}`, type: 'message', role: 'assistant', model: request.body['model'], content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
    });
    let index = 0;
    if (request.body['thinking'] !== undefined) {
      // Display omitted: an empty thinking block that carries only its signature.
      sse(res, 'content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      sse(res, 'content_block_delta', { index, delta: { type: 'signature_delta', signature: `sig-${requests.length}` } });
      sse(res, 'content_block_stop', { index });
      index += 1;
    }
    if (turn.text !== undefined) {
      sse(res, 'content_block_start', { index, content_block: { type: 'text', text: '' } });
      sse(res, 'content_block_delta', { index, delta: { type: 'text_delta', text: turn.text } });
      sse(res, 'content_block_stop', { index });
      index += 1;
    }
    if (fault?.kind === 'overloaded_mid_stream') {
      sse(res, 'error', { error: { type: 'overloaded_error', message: 'Overloaded' } });
      res.end();
      return;
    }
    if (fault?.kind === 'drop_mid_stream') {
      res.socket?.destroy();
      return;
    }
    if (turn.tool) {
      sse(res, 'content_block_start', { index, content_block: { type: 'tool_use', id: `toolu_${requests.length}`, name: turn.tool.name, input: {} } });
      sse(res, 'content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(turn.tool.input) } });
      sse(res, 'content_block_stop', { index });
    }
    sse(res, 'message_delta', {
      delta: { stop_reason: turn.tool ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
      context_management: cleared > 0 ? { applied_edits: [{ type: 'clear_tool_uses_20250919', cleared_tool_uses: cleared, cleared_input_tokens: before - total }] } : null,
    });
    sse(res, 'message_stop', {});
    res.end();
  };

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const request = { headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> };
      requests.push(request);
      answer(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
