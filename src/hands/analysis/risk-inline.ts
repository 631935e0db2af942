// Work that was handed to the background now done in the request: a job that was enqueued
// (`perform_later`, `perform_async`, `apply_async`, `.delay(`, a message published) replaced
// by a direct call to another service. Each request then waits for that call, and holds what
// it holds meanwhile (a database transaction, a pooled connection, a worker thread): a cost
// that a quiet hour hides and the evening peak turns into a pool that runs dry.
import type { Diff, DiffFile } from '../../bundle/index.js';
import { isComment, stripComment } from './code-words.js';
import { remoteCall } from './risk-loops.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** Handing work to a queue or a background worker, in the common frameworks. */
const ENQUEUE =
  /\b(?:perform_later|perform_async|perform_in|perform_at|deliver_later|enqueue\w*|Enqueue\w*|apply_async|send_task|delay\s*\(|run_in_background|BackgroundJob\.|QueueBackgroundWorkItem|publish\w*\s*\(|(?:queue|producer|topic)\s*\.\s*(?:add|push|put|send|produce)\s*\()/;

/** One signal per file: the first direct call added where an enqueue was removed. */
export function workMadeSynchronous(diff: Diff, files: readonly DiffFile[]): RiskSignal[] {
  const out: RiskSignal[] = [];
  for (const file of files) {
    const path = file.newPath ?? file.oldPath ?? '(unknown)';
    const lines = file.hunks.flatMap((h) => h.lines).filter((l) => l.text.trim() !== '' && !isComment(l.text));
    const enqueuedBefore = lines.some((l) => l.kind === 'del' && ENQUEUE.test(stripComment(l.text)));
    if (!enqueuedBefore) continue;
    const added = lines.filter((l) => l.kind === 'add');
    // Still handed to the background after the change: the enqueue moved, it did not go.
    if (added.some((l) => ENQUEUE.test(stripComment(l.text)))) continue;
    const direct = added.find((l) => remoteCall(stripComment(l.text)) !== null);
    if (direct === undefined) continue;
    const call = remoteCall(stripComment(direct.text));
    out.push(
      makeSignal(diff, path, direct, 'made_synchronous', `work that was enqueued for the background is now a direct ${call?.what ?? 'call'} in the request (${direct.text.trim().slice(0, 80)}): each request waits for it, holding what it holds meanwhile`, {
        identifiers: call?.identifiers ?? [],
      }),
    );
  }
  return out;
}
