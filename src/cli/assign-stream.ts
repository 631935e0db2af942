// `incident tools run log_patterns --assign`: every event of the window as one JSON line
// with its template, paged from the worker to the end of the log, at the pace stdout's
// reader takes them.
import { EXIT, RuntimeFailure } from '../errors.js';
import type { HandsManager } from '../runtime/hands/index.js';
import { outputClosed } from './io.js';

/** Where the stream goes: the lines to stdout, a failure to stderr. */
export interface StreamOutput {
  out(text: string): void;
  err(text: string): void;
}

/** The output bound of the worker that pages a stream: the largest the worker configuration takes. */
export const STREAM_PAGE_CHARS = 1_000_000;
/** Events asked for per page of a stream: the most log_patterns gives at once. */
const STREAM_PAGE_EVENTS = 500;

interface AssignPage {
  events: number;
  templates: Record<string, string>;
  assignments: Array<{ ref: string; t: string | null; level: string | null; template: number | null; message: string }>;
}

function assignPageOf(text: string): AssignPage | null {
  try {
    const page = JSON.parse(text) as Partial<AssignPage>;
    return typeof page.events === 'number' && Array.isArray(page.assignments) && typeof page.templates === 'object' && page.templates !== null
      ? (page as AssignPage)
      : null;
  } catch {
    return null;
  }
}

/** Waits while stdout's reader is behind, so a long stream is not held in memory; not past the reader leaving. */
function drained(closed: AbortSignal): Promise<void> {
  if (!process.stdout.writableNeedDrain || closed.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      process.stdout.off('drain', done);
      closed.removeEventListener('abort', done);
      resolve();
    };
    process.stdout.once('drain', done);
    closed.addEventListener('abort', done, { once: true });
  });
}

/**
 * `tools run log_patterns --assign`: every event (from `offset`, at most `limit` of them when
 * given) as one JSON line with its template id and text, paged from the worker until the end.
 */
export async function streamAssignments(manager: Pick<HandsManager, 'call'>, input: Record<string, unknown>, output: StreamOutput): Promise<void> {
  let offset = typeof input['offset'] === 'number' ? input['offset'] : 0;
  const wanted = typeof input['limit'] === 'number' ? input['limit'] : Number.POSITIVE_INFINITY;
  let sent = 0;
  while (sent < wanted && !outputClosed().aborted) {
    const limit = Math.min(STREAM_PAGE_EVENTS, wanted - sent);
    const result = await manager.call('log_patterns', { ...input, offset, limit }, { toolUseId: 'cli', dryRun: false });
    const page = result.isError ? null : assignPageOf(result.text);
    if (page === null) {
      output.err(`${result.text}\n`);
      process.exitCode = EXIT.runtime;
      return;
    }
    if (page.assignments.length === 0) {
      if (offset < page.events) throw new RuntimeFailure(`log_patterns returned no event at offset ${offset} of ${page.events}`, { hint: 'narrow the request with --arg file=…, level=… or from/to' });
      return;
    }
    let lines = '';
    for (const event of page.assignments) {
      const text = event.template === null ? null : (page.templates[String(event.template)] ?? null);
      lines += `${JSON.stringify({ ref: event.ref, t: event.t, level: event.level, template: event.template, template_text: text, message: event.message })}\n`;
    }
    output.out(lines);
    await drained(outputClosed());
    sent += page.assignments.length;
    offset += page.assignments.length;
    if (offset >= page.events) return;
  }
}
