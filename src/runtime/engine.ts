// The session state machine: creation, input, interrupts, deletion, and one turn
// runner per session. Recovery after a restart is `resumeRunning()`. A failure to save
// (a full disk) never crashes the process: the session stays at its last committed
// event, whoever watches its stream is told, and a resume continues it.
import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isOutOfSpace, LEASE_TTL_MS, StoreFailure, StoreOutOfSpace, type Store } from '../store/index.js';
import { ApiError, badRequest } from './api-error.js';
import { CallRoutes } from './call-routes.js';
import type { Hands, RuntimeDeps } from './deps.js';
import type { EnvironmentRegistry } from './environment-registry.js';
import { runTurn, SHUTDOWN } from './executor.js';
import type { MountMapJson } from './hands/config.js';
import type { EventHub } from './hub.js';
import { nextMove, outstanding, readLedger, type ToolCall } from './ledger.js';
import { relativeMountPath, writeMountMap } from './mounts.js';
import { StoreRedaction } from './redaction.js';
import { SessionLog, type Session } from './session-log.js';

interface Runner {
  controller: AbortController;
  done: Promise<void>;
  again: boolean;
}

/** Told when a session waits on results from hands outside the runtime (the work queue of a self-hosted environment listens). */
export type WaitingForHands = (sessionId: string, calls: readonly ToolCall[]) => void;

export class SessionEngine {
  readonly log: SessionLog;
  private readonly runners = new Map<string, Runner>();
  private readonly hands = new Map<string, Hands>();
  private readonly routes = new Map<string, CallRoutes>();
  private closed = false;
  /** Set by the runtime: who is told that a session waits on outside hands. */
  onWaitingForHands: WaitingForHands | undefined;

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
      const status = this.log.status(sessionId);
      if (!status) return;
      // Another live process drives this session: it will see the new input in the log.
      if (!this.store.leases.acquire(sessionId)) return;
      if (status !== 'running') this.log.append(sessionId, [{ type: 'session.status_running' }]);
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
      return this.log.status(sessionId);
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
          routes: this.routesFor(session),
          log: this.log,
          signal: runner.controller.signal,
          recovering: recovering && firstPass,
          preview: (frame) => this.hub.preview(sessionId, frame),
          onWaitingForHands: (calls) => this.onWaitingForHands?.(sessionId, calls),
          session,
          ...(this.deps.wait ? { wait: this.deps.wait } : {}),
        });
      } catch (error) {
        if (this.closed || !this.log.status(sessionId)) return;
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
      // Input arrived while the turn ran: take the step it calls for now.
      const move = runner.again && !runner.controller.signal.aborted ? this.settleMove(sessionId) : 'rest';
      if (move === 'turn') this.log.append(sessionId, [{ type: 'session.status_running' }]);
      else runner.again = false;
    } while (runner.again && !this.closed);
  }

  private ledgerOf(sessionId: string): ReturnType<typeof readLedger> {
    const session = this.log.get(sessionId);
    const routes = session ? this.routesFor(session) : undefined;
    return readLedger(this.log.all(sessionId), routes?.runsHere);
  }

  /**
   * What a session at rest does next (see nextMove). Some of the calls its last idle waited
   * on were answered and others were not: a fresh idle names the rest, without a turn.
   */
  private settleMove(sessionId: string): 'turn' | 'rest' {
    const ledger = this.ledgerOf(sessionId);
    const move = nextMove(ledger);
    if (move === 'reidle') {
      this.log.append(sessionId, [
        { type: 'session.status_idle', stop_reason: { type: 'requires_action', event_ids: outstanding(ledger).map((call) => call.id) }, stop_details: null },
      ]);
      return 'rest';
    }
    return move;
  }

  /**
   * A client answered: a confirmation or the result of a call the hands outside ran. The
   * turn continues when every call it waited on is settled; otherwise the session idles
   * again naming what is still outstanding. Never throws.
   */
  settle(sessionId: string): void {
    if (this.closed) return;
    const runner = this.runners.get(sessionId);
    if (runner) {
      runner.again = true;
      return;
    }
    try {
      if (this.log.status(sessionId) !== 'idle') return this.kick(sessionId);
      if (this.settleMove(sessionId) === 'turn') this.kick(sessionId);
    } catch (error) {
      this.stall(sessionId, error);
    }
  }

  /**
   * Interrupts the turn. A session at rest waiting on hands outside the runtime has no turn
   * running to stop: its open calls are closed as interrupted and it idles with end_turn,
   * so a late result from the hands is refused instead of resuming the turn.
   */
  /** True when the session waits on results the hands outside the runtime owe. Never throws. */
  waitsOnHands(sessionId: string): boolean {
    try {
      return this.ledgerOf(sessionId).external.length > 0;
    } catch {
      return false;
    }
  }

  /**
   * The hands that held this session went away without a word (a worker's lease lapsed).
   * An approved action they were running may have run, or not: it is never run again
   * unasked. Its call is answered as not run again (as a restarted runtime answers one it
   * may have been running), so whoever serves the session next does not run it twice.
   */
  releaseLostHands(sessionId: string): void {
    try {
      const ledger = this.ledgerOf(sessionId);
      const uncertain = ledger.external.filter((call) => call.kind !== 'custom' && call.permission === 'ask');
      if (uncertain.length === 0) return;
      this.log.append(
        sessionId,
        uncertain.map((call) => ({
          type: 'user.tool_result',
          tool_use_id: call.id,
          content: [
            {
              type: 'text',
              text: `not run again: the worker serving this session stopped answering while ${call.name} was approved or running; check its effect, then ask for it again if it is still needed`,
            },
          ],
          is_error: true,
        })),
      );
      this.settle(sessionId);
    } catch (error) {
      this.stall(sessionId, error);
    }
  }

  interrupt(sessionId: string): void {
    const runner = this.runners.get(sessionId);
    if (runner) {
      runner.controller.abort();
      return;
    }
    try {
      if (this.log.status(sessionId) !== 'idle') return;
      const ledger = this.ledgerOf(sessionId);
      if (ledger.external.length === 0) return;
      this.log.append(sessionId, [
        ...ledger.external.map((call) => ({
          type: 'agent.tool_result',
          tool_use_id: call.id,
          content: [{ type: 'text', text: 'not run: the turn was interrupted' }],
          is_error: true,
        })),
        { type: 'session.status_idle', stop_reason: { type: 'end_turn' }, stop_details: null },
      ]);
    } catch (error) {
      this.stall(sessionId, error);
    }
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

  /** Who answers each tool call of a session; fixed for its life (agent snapshot, environment definition). */
  routesFor(session: Session): CallRoutes {
    let routes = this.routes.get(session.id);
    if (routes) return routes;
    const hands = this.handsFor(session);
    routes = new CallRoutes(session.agent as unknown as BetaManagedAgentsAgent, this.definitions.handsPlace(session.environment_id), () => hands.extraTools());
    this.routes.set(session.id, routes);
    return routes;
  }

  mountDir(sessionId: string): string {
    return join(this.store.home, 'mounts', sessionId);
  }

  /** Maps the session's mount paths to their stored bytes (see mounts.ts): nothing is copied. */
  async ensureMounted(sessionId: string): Promise<{ map: string }> {
    const files: MountMapJson['files'] = [];
    for (const resource of this.store.resources.forSession(sessionId)) {
      const file = this.store.files.get(resource.file_id);
      if (!file) continue;
      // A log indexed as it was uploaded is not walked again; the hands check the index is this file's.
      const logIndex = this.store.blobs.indexPathOf(file.sha256);
      files.push({ path: relativeMountPath(resource.mount_path), source: this.store.blobs.pathOf(file.sha256), ...(existsSync(logIndex) ? { logIndex } : {}) });
    }
    return { map: await writeMountMap(this.mountDir(sessionId), files) };
  }

  async deleteSession(sessionId: string): Promise<void> {
    const runner = this.runners.get(sessionId);
    runner?.controller.abort();
    await runner?.done.catch(() => undefined);
    await this.hands.get(sessionId)?.close();
    this.hands.delete(sessionId);
    this.routes.delete(sessionId);
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
      const status = this.log.status(sessionId);
      if (status === 'running') this.kick(sessionId, true);
      else if (status === 'idle' && this.settleMove(sessionId) === 'turn') this.kick(sessionId, false);
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
