// The session state machine: creation, input, interrupts, deletion, and one turn
// runner per session. Recovery after a restart is `resumeRunning()`. A failure to save
// (a full disk) never crashes the process: the session stays at its last committed
// event, whoever watches its stream is told, and a resume continues it.
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isOutOfSpace, LEASE_TTL_MS, StoreFailure, StoreOutOfSpace, type Store } from '../store/index.js';
import { ApiError, badRequest } from './api-error.js';
import type { Hands, RuntimeDeps } from './deps.js';
import type { EnvironmentRegistry } from './environment-registry.js';
import { runTurn, SHUTDOWN } from './executor.js';
import type { EventHub } from './hub.js';
import { readLedger } from './ledger.js';
import { relativeMountPath, writeMountMap } from './mounts.js';
import { StoreRedaction } from './redaction.js';
import { SessionLog, type Session } from './session-log.js';

interface Runner {
  controller: AbortController;
  done: Promise<void>;
  again: boolean;
}

export class SessionEngine {
  readonly log: SessionLog;
  private readonly runners = new Map<string, Runner>();
  private readonly hands = new Map<string, Hands>();
  private closed = false;

  constructor(
    private readonly store: Store,
    readonly hub: EventHub,
    private readonly deps: RuntimeDeps,
    private readonly definitions: EnvironmentRegistry,
    /** Where the runtime's own keys and the declared credentials are read from, to keep them out of the store. */
    secretEnv: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.log = new SessionLog(store, hub, new StoreRedaction((environmentId) => definitions.forEnvironment(environmentId), secretEnv));
  }

  /** Starts (or queues) a turn: input arrived, or a confirmation unblocked one. Never throws. */
  kick(sessionId: string, recovering = false): void {
    if (this.closed) return;
    const existing = this.runners.get(sessionId);
    if (existing) {
      existing.again = true;
      return;
    }
    try {
      const session = this.log.get(sessionId);
      if (!session) return;
      // Another live process drives this session: it will see the new input in the log.
      if (!this.store.leases.acquire(sessionId)) return;
      if (session.status !== 'running') this.log.append(sessionId, [{ type: 'session.status_running' }]);
    } catch (error) {
      // The input is saved but its turn could not start: resume() starts it once it can.
      this.releaseLease(sessionId);
      this.stall(sessionId, error);
      return;
    }
    this.startRenewing();
    const controller = new AbortController();
    const runner: Runner = { controller, again: false, done: Promise.resolve() };
    this.runners.set(sessionId, runner);
    runner.done = this.drive(sessionId, runner, recovering)
      .catch((error: unknown) => this.stall(sessionId, error))
      .finally(() => {
        this.runners.delete(sessionId);
        // This process no longer drives the session. One left running by a shutdown (or a
        // stall) is free at once for whoever resumes it, even while this process lives on.
        this.releaseLease(sessionId);
        if (this.runners.size === 0) this.stopRenewing();
      });
  }

  private renewTimer: NodeJS.Timeout | undefined;

  private startRenewing(): void {
    if (this.renewTimer) return;
    this.renewTimer = setInterval(() => {
      try {
        this.store.leases.renew([...this.runners.keys()]);
      } catch {
        // A full disk: the lease runs out and the session stays ours while this process lives.
      }
    }, LEASE_TTL_MS / 3);
    this.renewTimer.unref();
  }

  private stopRenewing(): void {
    clearInterval(this.renewTimer);
    this.renewTimer = undefined;
  }

  private statusOf(sessionId: string): string | undefined {
    try {
      return this.log.get(sessionId)?.status;
    } catch {
      return undefined;
    }
  }

  private releaseLease(sessionId: string): void {
    try {
      this.store.leases.release(sessionId);
    } catch {
      // Unwritable store: the lease expires on its own.
    }
  }

  /**
   * A session's turn stopped because nothing more could be saved (or the log could not
   * be read). Its log ends at the last committed event and its status says where it
   * stood, so resume() continues it; whoever watches its stream gets an error frame
   * (the SDK raises it as an APIError) instead of waiting for events that cannot come.
   */
  private stall(sessionId: string, error: unknown): void {
    const failure = this.store.failure(error);
    const message =
      failure instanceof StoreOutOfSpace
        ? `${failure.message}; session ${sessionId} stopped after its last saved event: free some space on its disk, then \`incident resume ${sessionId}\` continues it`
        : failure instanceof StoreFailure
          ? failure.full()
          : `session ${sessionId} stopped: ${failure instanceof Error ? failure.message : String(failure)}; \`incident resume ${sessionId}\` continues it`;
    this.hub.preview(sessionId, { type: 'error', error: { type: 'api_error', message } });
  }

  private async drive(sessionId: string, runner: Runner, recovering: boolean): Promise<void> {
    let firstPass = true;
    do {
      runner.again = false;
      const session = this.log.get(sessionId);
      if (!session || this.closed) return;
      const agent = session.agent as unknown as BetaManagedAgentsAgent;
      try {
        await runTurn({
          sessionId,
          agent,
          brain: this.deps.brainFor(agent),
          hands: this.handsFor(session),
          log: this.log,
          signal: runner.controller.signal,
          recovering: recovering && firstPass,
          preview: (frame) => this.hub.preview(sessionId, frame),
        });
      } catch (error) {
        if (this.closed || !this.log.get(sessionId)) return;
        const failure = this.store.failure(error);
        // Nothing more can be saved: leave the session running at its last saved event (stall).
        if (isOutOfSpace(failure)) throw failure;
        const message = failure instanceof StoreFailure ? failure.full() : failure instanceof Error ? failure.message : String(failure);
        this.log.append(sessionId, [
          { type: 'session.error', error: { type: 'unknown_error', message, retry_status: { type: 'exhausted' } } },
          { type: 'session.status_idle', stop_reason: { type: 'retries_exhausted' }, stop_details: null },
        ]);
        return;
      }
      firstPass = false;
      if (runner.again && !runner.controller.signal.aborted && this.hasWork(sessionId)) {
        this.log.append(sessionId, [{ type: 'session.status_running' }]);
      } else {
        runner.again = false;
      }
    } while (runner.again && !this.closed);
  }

  /** True when the log holds input the last turn has not answered. */
  private hasWork(sessionId: string): boolean {
    const events = this.log.all(sessionId);
    const ledger = readLedger(events);
    if (ledger.runnable.length > 0 || ledger.denied.length > 0) return true;
    const lastIdle = events.findLast((stored) => stored.event.type === 'session.status_idle')?.seq ?? 0;
    return ledger.lastUserMessageSeq > lastIdle;
  }

  interrupt(sessionId: string): void {
    this.runners.get(sessionId)?.controller.abort();
  }

  async whenIdle(sessionId: string): Promise<void> {
    await this.runners.get(sessionId)?.done;
  }

  private handsFor(session: Session): Hands {
    let hands = this.hands.get(session.id);
    if (hands) return hands;
    const sessionId = session.id;
    hands = this.deps.handsFor({
      sessionId,
      agent: session.agent as unknown as BetaManagedAgentsAgent,
      environment: this.definitions.forEnvironment(session.environment_id),
      ensureMounted: () => this.ensureMounted(sessionId),
      onToolOutput: (toolUseId, chunk) => this.hub.preview(sessionId, { type: 'agent.tool_output', tool_use_id: toolUseId, text: chunk }),
    });
    this.hands.set(session.id, hands);
    return hands;
  }

  mountDir(sessionId: string): string {
    return join(this.store.home, 'mounts', sessionId);
  }

  /** Maps the session's mount paths to their stored bytes (see mounts.ts): nothing is copied. */
  async ensureMounted(sessionId: string): Promise<{ map: string }> {
    const files: Array<{ path: string; source: string }> = [];
    for (const resource of this.store.resources.forSession(sessionId)) {
      const file = this.store.files.get(resource.file_id);
      if (!file) continue;
      files.push({ path: relativeMountPath(resource.mount_path), source: this.store.blobs.pathOf(file.sha256) });
    }
    return { map: await writeMountMap(this.mountDir(sessionId), files) };
  }

  async deleteSession(sessionId: string): Promise<void> {
    const runner = this.runners.get(sessionId);
    runner?.controller.abort();
    await runner?.done.catch(() => undefined);
    await this.hands.get(sessionId)?.close();
    this.hands.delete(sessionId);
    this.hub.publish(sessionId, [
      { seq: -1, event: { type: 'session.deleted', id: '', processed_at: new Date().toISOString() } },
    ]);
    this.store.sessions.delete(sessionId);
    await rm(this.mountDir(sessionId), { recursive: true, force: true });
  }

  /** After a restart: every session that was running continues from its last committed event. */
  resumeRunning(): string[] {
    const ids = this.store.sessions.idsWithStatus('running');
    for (const id of ids) this.resume(id);
    return ids;
  }

  /**
   * Continues one session whose driver stopped: one left running (a crash, a full disk),
   * or one left idle with input no turn has answered (its turn could not start). A
   * no-op when it rests, or is driven here or by another live process. Never throws.
   */
  resume(sessionId: string): void {
    if (this.closed || this.runners.has(sessionId)) return;
    try {
      const status = this.log.get(sessionId)?.status;
      if (status === 'running') this.kick(sessionId, true);
      else if (status === 'idle' && this.hasWork(sessionId)) this.kick(sessionId, false);
    } catch (error) {
      this.stall(sessionId, error);
    }
  }

  requireSession(sessionId: string): Session {
    const session = this.log.get(sessionId);
    if (!session) throw new ApiError(404, `session ${sessionId} not found`);
    return session;
  }

  requireWritable(sessionId: string): Session {
    const session = this.requireSession(sessionId);
    if (session.archived_at) throw badRequest(`session ${sessionId} is archived and read-only`);
    if (session.status === 'terminated') throw badRequest(`session ${sessionId} has terminated`);
    return session;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopRenewing();
    for (const runner of this.runners.values()) runner.controller.abort(SHUTDOWN);
    await Promise.allSettled([...this.runners.values()].map((runner) => runner.done));
    await Promise.allSettled([...this.hands.values()].map((hands) => hands.close()));
    this.hands.clear();
  }
}
