// Checking a session's log on the client: list it with the runtime's hash-chain
// extension (`incident_chain` on each listed event) and recompute every link, so a
// `sessions show` against a served runtime proves the history it received is whole,
// or names where it is not. A row the runtime cannot read comes back as a stand-in
// with its stored text, so its damage is named too, and the readable rest is kept.
import type Anthropic from '@anthropic-ai/sdk';
import type { SessionEvent } from '../protocol/events.js';
import { verifyChain, type ChainProblem, type ChainRow } from '../store/hash-chain.js';

interface ChainLink {
  seq: number;
  prev_hash: string;
  hash: string;
  /** Stand-ins for unreadable rows only: the stored text and what is wrong with it. */
  body?: string | null;
  damage?: string | null;
}

export const UNREADABLE_EVENT = 'incident.unreadable_event';

export interface CheckedHistory {
  /** Every readable event, in log order, exactly as the plain listing serves it. */
  events: SessionEvent[];
  /** Gaps and damaged rows; null when the runtime does not expose its chain (Claude Managed Agents). */
  problems: ChainProblem[] | null;
}

function isLink(value: unknown): value is ChainLink {
  const link = value as Partial<ChainLink> | null;
  return !!link && typeof link.seq === 'number' && typeof link.prev_hash === 'string' && typeof link.hash === 'string';
}

export async function listChecked(client: Anthropic, sessionId: string): Promise<CheckedHistory> {
  const events: SessionEvent[] = [];
  const rows: ChainRow[] = [];
  let exposed = true;
  const listing = client.beta.sessions.events.list(sessionId, {}, { query: { limit: 1000, incident_chain: 'true' } });
  for await (const item of listing) {
    const { incident_chain: link, ...event } = item as unknown as { incident_chain?: unknown; id: string; type: string };
    if (!isLink(link)) {
      exposed = false;
      events.push(item);
      continue;
    }
    // The stored body is the event exactly as listed without the extension (same keys, same order).
    const body = event.type === UNREADABLE_EVENT ? link.body : JSON.stringify(event);
    rows.push({ seq: link.seq, id: event.id, body, prev_hash: link.prev_hash, hash: link.hash });
    if (event.type !== UNREADABLE_EVENT) events.push(event as unknown as SessionEvent);
  }
  return { events, problems: exposed ? verifyChain(rows) : null };
}

/** One warning line per problem, naming the session, the event and the damage, then what to do. */
export function chainWarnings(sessionId: string, problems: readonly ChainProblem[]): string[] {
  if (problems.length === 0) return [];
  return [
    ...problems.map((p) => `warning: the log of ${sessionId} is damaged at event ${p.seq}${p.eventId ? ` (${p.eventId})` : ''}: ${p.detail}`),
    `warning: what is shown is the intact part; \`incident sessions export ${sessionId} --format ndjson\` saves it`,
  ];
}
