// A Messages API stand-in on 127.0.0.1 for runs with the claude brain: it answers each
// request as the test says (a scripted turn, after a delay if asked; an HTTP error; or
// never), so what a person sees while a model is slow or failing can be checked.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type Answer =
  | { kind: 'turn'; content: Array<Record<string, unknown>>; delayMs?: number }
  | { kind: 'error'; status: number; type: string; message: string }
  /** Hold the request open until the server closes. */
  | { kind: 'hang' };

export interface FakeModel {
  url: string;
  /** How many requests it has received. */
  readonly requests: number;
  close(): Promise<void>;
}

function sse(content: ReadonlyArray<Record<string, unknown>>): string {
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

/** A diagnosis that names no cause, as a model submits it. */
export const UNKNOWN_DIAGNOSIS = {
  summary: 'Not enough evidence to name a cause.',
  root_cause: { category: 'unknown', service: null, change_id: null, description: 'undetermined' },
  confidence: 0.1,
  evidence: [],
  remediation: [],
  timeline: [],
};

/** A submit_diagnosis turn that names no cause. */
export function unknownDiagnosisTurn(): Array<Record<string, unknown>> {
  return [
    {
      type: 'tool_use',
      id: 'toolu_d',
      name: 'submit_diagnosis',
      input: UNKNOWN_DIAGNOSIS,
    },
  ];
}

/** `answer(n)`: how to answer the n-th request (from 0). */
export async function startFakeModel(answer: (request: number) => Answer): Promise<FakeModel> {
  let count = 0;
  const open = new Set<ServerResponse>();
  const respond = (res: ServerResponse, reply: Answer): void => {
    if (reply.kind === 'hang') return;
    if (reply.kind === 'error') {
      // The SDK would retry these; the test wants the failure itself, at once.
      res.writeHead(reply.status, { 'content-type': 'application/json', 'x-should-retry': 'false' });
      res.end(JSON.stringify({ type: 'error', error: { type: reply.type, message: reply.message } }));
      return;
    }
    const send = (): void => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sse(reply.content));
    };
    if (reply.delayMs) setTimeout(send, reply.delayMs);
    else send();
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    req.resume();
    req.on('end', () => {
      const reply = answer(count);
      count += 1;
      respond(res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
      }),
  };
}
