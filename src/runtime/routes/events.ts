// /v1/sessions/{id}/events: send, list (cursor pages in log order), and the SSE stream
// (events after connect; with Last-Event-ID, also those after that id).
import type { StoredEvent, Store } from '../../store/index.js';
import { badRequest, jsonResponse } from '../api-error.js';
import type { SessionEngine } from '../engine.js';
import { readLedger } from '../ledger.js';
import { decodeCursor, encodeCursor, queryArray, queryLimit, queryOrder, readJson } from '../request.js';
import type { Router } from '../router.js';
import { SSE_HEADERS, SSE_KEEPALIVE, sseFrame } from '../sse.js';
import { validateSentEvents } from './sent-events.js';

const KEEPALIVE_MS = 15_000;
/** Events another process appends (a second CLI driving the session) are picked up this often. */
const POLL_MS = 250;
const END_TYPES = new Set(['session.deleted']);

export function eventRoutes(router: Router, store: Store, engine: SessionEngine): void {
  router.on('POST', '/v1/sessions/:id/events', async (request, params) => {
    const session = engine.requireWritable(params['id'] ?? '');
    const body = await readJson(request);
    const events = validateSentEvents(body['events'], readLedger(engine.log.all(session.id)));
    const stored = engine.log.append(session.id, events);
    if (events.some((event) => event.type === 'user.interrupt')) engine.interrupt(session.id);
    if (events.some((event) => event.type === 'user.message' || event.type === 'user.tool_confirmation')) engine.kick(session.id);
    return jsonResponse({ data: stored.map((item) => item.event) });
  });

  router.on('GET', '/v1/sessions/:id/events', (_request, params, url) => {
    const session = engine.requireSession(params['id'] ?? '');
    const order = queryOrder(url, 'asc');
    const limit = queryLimit(url, 100, 1000);
    const after = decodeCursor(url);
    if (after !== undefined && typeof after !== 'number') throw badRequest('page is not an event cursor');
    const rows = store.events.list(session.id, {
      ...(order === 'asc' ? { afterSeq: after } : { beforeSeq: after }),
      order,
      limit: limit + 1,
      types: queryArray(url, 'types'),
    });
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return jsonResponse({ data: page.map((row) => row.event), next_page: more ? encodeCursor(page.at(-1)?.seq ?? null) : null });
  });

  router.on('GET', '/v1/sessions/:id/events/stream', (request, params) => {
    const session = engine.requireSession(params['id'] ?? '');
    const lastEventId = request.headers.get('last-event-id');
    const encoder = new TextEncoder();
    let cleanup = (): void => undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        let closed = false;
        let lastSeq = 0;
        const close = (): void => {
          if (closed) return;
          closed = true;
          cleanup();
          controller.close();
        };
        const send = (items: readonly StoredEvent[]): void => {
          for (const item of items) {
            if (closed) return;
            if (item.seq > 0) {
              if (item.seq <= lastSeq) continue;
              lastSeq = item.seq;
            }
            controller.enqueue(encoder.encode(sseFrame(item.event.type, item.event, item.event.id || undefined)));
            if (END_TYPES.has(item.event.type)) return close();
          }
        };
        const unsubscribe = engine.hub.subscribe(session.id, send);
        if (lastEventId) {
          const anchor = store.events.seqOf(lastEventId);
          if (anchor && anchor.sessionId === session.id) send(store.events.list(session.id, { afterSeq: anchor.seq }));
        }
        const keepalive = setInterval(() => {
          if (!closed) controller.enqueue(encoder.encode(SSE_KEEPALIVE));
        }, KEEPALIVE_MS);
        keepalive.unref();
        lastSeq = Math.max(lastSeq, store.events.lastSeq(session.id));
        const poll = setInterval(() => {
          if (closed) return;
          if (!store.sessions.get(session.id)) {
            send([{ seq: -1, event: { type: 'session.deleted', id: '', processed_at: new Date().toISOString() } }]);
            return;
          }
          send(store.events.list(session.id, { afterSeq: lastSeq }));
        }, POLL_MS);
        poll.unref();
        cleanup = () => {
          clearInterval(keepalive);
          clearInterval(poll);
          unsubscribe();
        };
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
      cancel() {
        cleanup();
      },
    });
    // A comment first, so headers and the first bytes leave at once.
    return new Response(body, { headers: SSE_HEADERS });
  });
}
