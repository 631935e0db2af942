// A TuiSession made of an array of events: the history is yielded first, then whatever a
// test pushes. Calls are recorded; a confirmation or message can be echoed back into the
// stream the way a runtime does. No SDK, no network.
import type { StreamEvent } from '../../../src/protocol/events.js';
import type { SessionInfo, SessionSummary, TuiSession, TuiStart } from '../../../src/ui/types.js';

export const INFO: SessionInfo = {
  id: 'sesn_01HX',
  title: 'checkout p99 latency above 2s',
  service: 'checkout',
  severity: 'SEV2',
  runtime: 'local',
  createdAt: '2026-11-20T14:00:00.000Z',
  model: 'claude-opus-4-8',
};

export interface Confirmation {
  toolUseId: string;
  result: 'allow' | 'deny';
  denyMessage: string | undefined;
}

export interface FakeSession extends TuiSession {
  push(...events: StreamEvent[]): void;
  fail(error: Error): void;
  readonly sent: string[];
  readonly confirmations: Confirmation[];
  interrupts: number;
  /** The approvals each interrupt denied first (an empty list for a plain interrupt). */
  readonly interruptDenials: Array<{ toolUseIds: readonly string[]; message: string } | null>;
  /** Resolves with the next confirmation sent. */
  nextConfirmation(): Promise<Confirmation>;
}

export function fakeSession(history: readonly StreamEvent[], options: { info?: Partial<SessionInfo>; echoConfirmations?: boolean } = {}): FakeSession {
  const queue: Array<StreamEvent | Error> = [];
  let wake: (() => void) | null = null;
  const confirmationWaiters: Array<(confirmation: Confirmation) => void> = [];
  let echoCounter = 0;
  const enqueue = (item: StreamEvent | Error): void => {
    queue.push(item);
    wake?.();
    wake = null;
  };
  const session: FakeSession = {
    info: { ...INFO, ...options.info },
    sent: [],
    confirmations: [],
    interrupts: 0,
    interruptDenials: [],
    async *events(signal: AbortSignal): AsyncGenerator<StreamEvent> {
      for (const event of history) yield event;
      const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      while (!signal.aborted) {
        const item = queue.shift();
        if (item instanceof Error) throw item;
        if (item) {
          yield item;
          continue;
        }
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
      }
    },
    async send(text: string): Promise<void> {
      session.sent.push(text);
    },
    async confirm(toolUseId: string, result: 'allow' | 'deny', denyMessage?: string): Promise<void> {
      const confirmation = { toolUseId, result, denyMessage };
      session.confirmations.push(confirmation);
      confirmationWaiters.shift()?.(confirmation);
      if (options.echoConfirmations) {
        echoCounter += 1;
        enqueue({
          type: 'user.tool_confirmation',
          id: `sevt_echo_${echoCounter}`,
          processed_at: '2026-11-20T15:00:00.000Z',
          tool_use_id: toolUseId,
          result,
          ...(denyMessage === undefined ? {} : { deny_message: denyMessage }),
        });
      }
    },
    async interrupt(deny?: { toolUseIds: readonly string[]; message: string }): Promise<void> {
      session.interrupts += 1;
      session.interruptDenials.push(deny ?? null);
      for (const toolUseId of deny?.toolUseIds ?? []) await session.confirm(toolUseId, 'deny', deny?.message);
    },
    push(...events: StreamEvent[]): void {
      for (const event of events) enqueue(event);
    },
    fail(error: Error): void {
      enqueue(error);
    },
    nextConfirmation(): Promise<Confirmation> {
      return new Promise((resolve) => confirmationWaiters.push(resolve));
    },
  };
  return session;
}

export function fakeStart(recent: SessionSummary[], sessions: Record<string, FakeSession>): TuiStart & { opened: string[]; resumed: string[] } {
  const start = {
    opened: [] as string[],
    resumed: [] as string[],
    async recent(): Promise<SessionSummary[]> {
      return recent;
    },
    async open(bundlePath: string): Promise<FakeSession> {
      start.opened.push(bundlePath);
      const session = sessions[bundlePath];
      if (!session) throw new Error(`no bundle at ${bundlePath}`);
      return session;
    },
    async resume(id: string): Promise<FakeSession> {
      start.resumed.push(id);
      const session = sessions[id];
      if (!session) throw new Error(`no session ${id}`);
      return session;
    },
  };
  return start;
}
