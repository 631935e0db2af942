// Writing a session: one transaction writes the events and keeps the session row
// (status, usage, updated_at) in step with them; only then are they published. This is
// the runtime's one way into the store for events and session records, and everything
// passes the redactor on the way in (see redaction.ts).
import type { BetaManagedAgentsSession } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import type { NewEvent, StoredEvent, Store } from '../store/index.js';
import type { EventHub } from './hub.js';
import type { StoreRedaction } from './redaction.js';

export type Session = BetaManagedAgentsSession;

const STATUS_BY_EVENT: Record<string, Session['status']> = {
  'session.status_running': 'running',
  'session.status_idle': 'idle',
  'session.status_rescheduled': 'rescheduling',
  'session.status_terminated': 'terminated',
};

export class SessionLog {
  constructor(
    private readonly store: Store,
    private readonly hub: EventHub,
    private readonly redaction: StoreRedaction,
  ) {}

  get(sessionId: string): Session | undefined {
    return this.store.sessions.get<Session>(sessionId);
  }

  /** Stores a new session record (title and metadata redacted). */
  insert(session: Session): void {
    this.store.sessions.insert(this.redaction.session(session));
  }

  /** Stores a changed session record (title and metadata redacted). */
  save(session: Session): void {
    this.store.sessions.save(this.redaction.session(session));
  }

  append(sessionId: string, events: readonly NewEvent[]): StoredEvent[] {
    const redacted = this.redaction.events(this.get(sessionId), events);
    const stored = this.store.append(sessionId, redacted, () => {
      const session = this.store.sessions.get<Session>(sessionId);
      if (!session) throw new Error(`session ${sessionId} vanished during an append`);
      let changed = false;
      for (const event of redacted) {
        const status = STATUS_BY_EVENT[event.type];
        if (status) {
          session.status = status;
          changed = true;
        }
        if (event.type === 'span.model_request_end') {
          addUsage(session, event['model_usage'] as Record<string, number> | undefined);
          changed = true;
        }
      }
      if (changed || redacted.length > 0) {
        session.updated_at = new Date().toISOString();
        this.save(session);
      }
    });
    this.hub.publish(sessionId, stored);
    return stored;
  }

  all(sessionId: string): StoredEvent[] {
    return this.store.events.list(sessionId);
  }
}

function addUsage(session: Session, usage: Record<string, number> | undefined): void {
  if (!usage) return;
  const total = session.usage as Record<string, unknown>;
  for (const key of ['input_tokens', 'output_tokens', 'cache_read_input_tokens'] as const) {
    total[key] = ((total[key] as number | undefined) ?? 0) + (usage[key] ?? 0);
  }
  const creation = (total['cache_creation'] as Record<string, number> | undefined) ?? {};
  creation['ephemeral_5m_input_tokens'] = (creation['ephemeral_5m_input_tokens'] ?? 0) + (usage['cache_creation_input_tokens'] ?? 0);
  total['cache_creation'] = creation;
}
