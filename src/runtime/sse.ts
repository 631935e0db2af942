// SSE frames from one checked writer: `event: <type>`, an `id:` line, one `data:`
// line of JSON (the SDK drops a frame without an event name), and `:` comments as
// keep-alives well under any idle timeout.
export function sseFrame(type: string, data: unknown, id?: string): string {
  if (/[\r\n]/.test(type) || (id !== undefined && /[\r\n]/.test(id))) {
    throw new Error('an SSE event name or id must not contain a newline');
  }
  // JSON.stringify never emits a raw newline, so the payload is one data line.
  const idLine = id ? `id: ${id}\n` : '';
  return `event: ${type}\n${idLine}data: ${JSON.stringify(data)}\n\n`;
}

export const SSE_KEEPALIVE = ': keep-alive\n\n';

export const SSE_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
};
