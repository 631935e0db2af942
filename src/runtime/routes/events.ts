// /v1/sessions/{id}/events: send, list (cursor pages in log order), and the SSE stream
// (events after connect; with Last-Event-ID, also those after that id).
//
// Runtime extension: `GET …/events?incident_chain=true` adds each event's place in the
// hash chain (`incident_chain: {seq, prev_hash, hash}`) so a client can check the log
// itself, and lists a row that cannot be read back as `incident.unreadable_event` with
// its stored text instead of failing. Without it, the wire shape is exactly the API's.
import { sendableBy } from '../access.js';
import { StoreFailure, type ChainedEvent, type StoredEvent, type Store } from '../../store/index.js';
import { badRequest, jsonResponse, storeApiError } from '../api-error.js';
import type { SessionEngine } from '../engine.js';
import { readLedger } from '../ledger.js';
import { decodeCursor, encodeCursor, queryArray, queryLimit, queryOrder, readJson } from '../request.js';
import type { Router } from '../router.js';
import { SSE_HEADERS, SSE_KEEPALIVE, sseFrame } from '../sse.js';
import { validateSentEvents } from './sent-events.js';

const KEEPALIVE_MS = 15_000;
/** Events another process appends (a second CLI driving the session) are picked up this often. */
const POLL_MS = 250;
const END_TYPES = new Set(['session.deleted', 'error']);
/**
 * What a stream holds for a client that does not read, at most (plus one batch): past it,
 * the client is behind and catches up from the log when it reads again.
 */
const STREAM_BUFFER_BYTES = 1024 * 1024;
/** Events read from the log at a time by a client catching up. */
const CATCH_UP_PAGE = 100;

function chainedItem(row: ChainedEvent): Record<string, unknown> {
  const link = { seq: row.seq, prev_hash: row.prevHash, hash: row.hash };
  if (row.event) return { ...row.event, incident_chain: link };
  return { id: row.id, type: 'incident.unreadable_event', processed_at: '', incident_chain: { ...link, body: row.body, damage: row.damage } };
}

/** The SSE `error` frame for a failure while streaming: the SDK raises it as an APIError. */
function streamError(store: Store, error: unknown): StoredEvent {
  const failure = store.failure(error);
  const message = failure instanceof StoreFailure ? storeApiError(failure).message : 'internal error in the local runtime';
  return { seq: -1, event: { type: 'error', id: '', processed_at: '', error: { type: 'api_error', message } } };
}

export function eventRoutes(router: Router, store: Store, engine: SessionEngine): void {
  router.on('POST', '/v1/sessions/:id/events', async (request, params) => {
    const session = engine.requireWritable(params['id'] ?? '');
    const body = await readJson(request);
    const ledger = readLedger(engine.log.all(session.id), engine.routesFor(session).runsHere);
    const events = validateSentEvents(body['events'], ledger, sendableBy(request));
    const stored = engine.log.append(session.id, events);
    const types = new Set(events.map((event) => event.type));
    if (types.has('user.interrupt')) engine.interrupt(session.id);
    if (types.has('user.message')) engine.kick(session.id);
    else if (types.has('user.tool_confirmation') || types.has('user.custom_tool_result') || types.has('user.tool_result')) engine.settle(session.id);
    return jsonResponse({ data: stored.map((item) => item.event) });
  });

  router.on('GET', '/v1/sessions/:id/events', (_request, params, url) => {
    const session = engine.requireSession(params['id'] ?? '');
    const order = queryOrder(url, 'asc');
    const limit = queryLimit(url, 100, 1000);
    const after = decodeCursor(url);
    if (after !== undefined && typeof after !== 'number') throw badRequest('page is not an event cursor');
    const options = {
      ...(order === 'asc' ? { afterSeq: after } : { beforeSeq: after }),
      order,
      limit: limit + 1,
      types: queryArray(url, 'types'),
    };
    const chain = url.searchParams.get('incident_chain') === 'true';
    const rows = chain ? store.events.chained(session.id, options) : store.events.list(session.id, options);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const data = page.map((row) => ('prevHash' in row ? chainedItem(row) : row.event));
    return jsonResponse({ data, next_page: more ? encodeCursor(page.at(-1)?.seq ?? null) : null });
  });

  router.on('GET', '/v1/sessions/:id/events/stream', (request, params) => {
    const session = engine.requireSession(params['id'] ?? '');
    const lastEventId = request.headers.get('last-event-id');
    const encoder = new TextEncoder();
    let cleanup = (): void => undefined;
    /** Reads the log after what was sent, a page at a time, for a client catching up. */
    let catchUpFromLog = (): void => undefined;
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          let closed = false;
          let lastSeq = 0;
          /**
           * The client is behind: logged events are not queued for it but read from the log
           * once it reads again (pull), so a client that stops reading costs the server a
           * bounded buffer, never the whole log. Stream-only previews are dropped meanwhile.
           */
          let behind = false;
          /** The last word on the stream (an error, the session deleted), held until a client that is behind has caught up. */
          let finalFrame: StoredEvent | undefined;
          const close = (): void => {
            if (closed) return;
            closed = true;
            cleanup();
            controller.close();
          };
          const hasRoom = (): boolean => (controller.desiredSize ?? 0) > 0;
          const enqueue = (item: StoredEvent): void => {
            if (item.seq > 0) lastSeq = item.seq;
            controller.enqueue(encoder.encode(sseFrame(item.event.type, item.event, item.event.id || undefined)));
            if (END_TYPES.has(item.event.type)) close();
          };
          const send = (items: readonly StoredEvent[]): void => {
            for (const item of items) {
              if (closed) return;
              if (END_TYPES.has(item.event.type)) {
                if (!behind) return enqueue(item);
                finalFrame ??= item;
                return;
              }
              if (item.seq > 0 && item.seq <= lastSeq) continue;
              if (behind) continue;
              if (!hasRoom()) {
                if (item.seq > 0) behind = true;
                continue;
              }
              enqueue(item);
            }
          };
          // Reading the log can fail (a damaged row, a damaged file): say so on the stream, never throw from a timer.
          const catchUp = (read: () => readonly StoredEvent[]): void => {
            try {
              send(read());
            } catch (error) {
              send([streamError(store, error)]);
            }
          };
          catchUpFromLog = () => {
            try {
              while (behind && !closed && hasRoom()) {
                const page = store.events.list(session.id, { afterSeq: lastSeq, limit: CATCH_UP_PAGE });
                let sent = 0;
                for (const item of page) {
                  if (closed || !hasRoom()) break;
                  enqueue(item);
                  sent += 1;
                }
                if (sent === page.length && page.length < CATCH_UP_PAGE) behind = false;
              }
              if (!behind && finalFrame && !closed) enqueue(finalFrame);
            } catch (error) {
              behind = false;
              send([streamError(store, error)]);
            }
          };
          const unsubscribe = engine.hub.subscribe(session.id, send);
          lastSeq = store.events.lastSeq(session.id);
          if (lastEventId) {
            const anchor = store.events.seqOf(lastEventId);
            if (anchor && anchor.sessionId === session.id && anchor.seq < lastSeq) {
              // What the client missed comes from the log as it reads.
              lastSeq = anchor.seq;
              behind = true;
            }
          }
          const keepalive = setInterval(() => {
            if (!closed && hasRoom()) controller.enqueue(encoder.encode(SSE_KEEPALIVE));
          }, KEEPALIVE_MS);
          keepalive.unref();
          const poll = setInterval(() => {
            if (closed) return;
            catchUp(() =>
              store.sessions.get(session.id)
                ? behind
                  ? []
                  : store.events.list(session.id, { afterSeq: lastSeq })
                : [{ seq: -1, event: { type: 'session.deleted', id: '', processed_at: new Date().toISOString() } }],
            );
          }, POLL_MS);
          poll.unref();
          cleanup = () => {
            clearInterval(keepalive);
            clearInterval(poll);
            unsubscribe();
          };
          // Someone watches: a session whose driver stopped (a crash, a full disk since freed) continues.
          engine.resume(session.id);
          request.signal.addEventListener('abort', () => {
            if (closed) return;
            closed = true;
            cleanup();
            try {
              controller.close();
            } catch {
              // the consumer is already gone
            }
          });
        },
        pull() {
          catchUpFromLog();
        },
        cancel() {
          cleanup();
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: STREAM_BUFFER_BYTES }),
    );
    // A comment first, so headers and the first bytes leave at once.
    return new Response(body, { headers: SSE_HEADERS });
  });
}
