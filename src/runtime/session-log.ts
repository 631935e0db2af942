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

  /** A session's status, read without its record (the record carries the agent's whole definition). */
  status(sessionId: string): Session['status'] | undefined {
    return this.store.sessions.statusOf(sessionId) as Session['status'] | undefined;
  }

  /** The environment a session runs in, read without its record. */
  environmentId(sessionId: string): string | undefined {
    return this.store.sessions.environmentOf(sessionId);
  }

  /** What bounds a session's turns (its budget and metadata), read without the rest of its record. */
  limits(sessionId: string): Pick<Session, 'budget' | 'metadata'> | undefined {
    const fields = this.store.sessions.fieldsOf(sessionId, ['budget', 'metadata']);
    return fields && { budget: (fields.budget ?? null) as Session['budget'], metadata: (fields.metadata ?? {}) as Session['metadata'] };
  }

  /** The session's log: `known` (a prefix read before) and every event appended after it. */
  since(sessionId: string, known: readonly StoredEvent[]): StoredEvent[] {
    const newer = this.store.events.list(sessionId, { afterSeq: known.at(-1)?.seq ?? 0 });
    return newer.length === 0 ? [...known] : [...known, ...newer];
  }

  append(sessionId: string, events: readonly NewEvent[]): StoredEvent[] {
    const environmentId = this.environmentId(sessionId);
    const redacted = this.redaction.events(environmentId === undefined ? undefined : { environment_id: environmentId }, events);
    const stored = this.store.append(sessionId, redacted, () => {
      let status: Session['status'] | undefined;
      let usage: Session['usage'] | undefined;
      for (const event of redacted) {
        status = STATUS_BY_EVENT[event.type] ?? status;
        if (event.type === 'span.model_request_end') {
          usage ??= (this.store.sessions.fieldsOf(sessionId, ['usage'])?.usage ?? {}) as Session['usage'];
          addUsage(usage, event['model_usage'] as Record<string, number> | undefined);
        }
      }
      if (redacted.length === 0) return;
      const updatedAt = new Date().toISOString();
      if (!this.store.sessions.touch(sessionId, { updatedAt, status, usage })) throw new Error(`session ${sessionId} vanished during an append`);
    });
    this.hub.publish(sessionId, stored);
    return stored;
  }

  all(sessionId: string): StoredEvent[] {
    return this.store.events.list(sessionId);
  }
}

function addUsage(sessionUsage: Session['usage'], usage: Record<string, number> | undefined): void {
  if (!usage) return;
  const total = sessionUsage as Record<string, unknown>;
  for (const key of ['input_tokens', 'output_tokens', 'cache_read_input_tokens'] as const) {
    total[key] = ((total[key] as number | undefined) ?? 0) + (usage[key] ?? 0);
  }
  const creation = (total['cache_creation'] as Record<string, number> | undefined) ?? {};
  creation['ephemeral_5m_input_tokens'] = (creation['ephemeral_5m_input_tokens'] ?? 0) + (usage['cache_creation_input_tokens'] ?? 0);
  total['cache_creation'] = creation;
}
