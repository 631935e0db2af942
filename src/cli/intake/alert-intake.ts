// From a page to a session: a firing Alertmanager notification that an intake route takes
// is collected into a bundle (src/collect), opened as a session the way `incident diagnose`
// opens one (through the SDK, on the runtime this process serves), and asked to
// investigate. The session records the alert group that opened it in its metadata, which
// is how a later notification of the same group finds it again — after a restart too — and
// how `incident sessions list` shows which alert opened which session.
//
// A resolved notification is recorded on that session as a metadata change, which every
// runtime logs as a `session.updated` event: a fact about the session for the people
// following it, not a message that would start another turn of the agent.
import type Anthropic from '@anthropic-ai/sdk';
import { rm } from 'node:fs/promises';
import { collect, pageOf, type CollectProblem, type WebhookPayload } from '../../collect/index.js';
import { buildWorkerEnv } from '../../runtime/hands/index.js';
import { INVESTIGATE_PROMPT, openInvestigation, sendMessage } from '../investigation.js';
import { ALERT_KEYS } from './alert-keys.js';
import { groupValue, matchRoute, planFor, type IntakeTarget } from './routes.js';

/** How many recent sessions are looked through for a group's session after a restart. */
const LOOKUP_LIMIT = 1000;

export interface IntakeReply {
  status: number;
  body: Record<string, unknown>;
}

export interface AlertIntakeOptions {
  client: Anthropic;
  targets: readonly IntakeTarget[];
  /** The state folder: collections are made under intake/ there. */
  home: string;
  /** The serving process's environment, from which each route's commands get only what its environment allows. */
  env: NodeJS.ProcessEnv;
  log(line: string): void;
}

interface GroupState {
  /** The group's session id once opened; null while opening failed or nothing is open. */
  session: Promise<string | null>;
  resolved: boolean;
}

export class AlertIntake {
  readonly #options: AlertIntakeOptions;
  readonly #groups = new Map<string, GroupState>();
  readonly #stopping = new AbortController();
  readonly #work = new Set<Promise<unknown>>();

  constructor(options: AlertIntakeOptions) {
    this.#options = options;
  }

  async receive(payload: WebhookPayload): Promise<IntakeReply> {
    const key = payload.groupKey;
    const page = pageOf(payload);
    const target = matchRoute(this.#options.targets, payload);
    // What no route takes was never opened here: no need to look for its session.
    if (target === null && !this.#groups.has(key)) {
      this.#options.log(`alert ${page.title}: no intake route takes it; ignored`);
      return { status: 200, body: { ignored: true, reason: 'no intake route matches its labels' } };
    }
    const known = await this.#sessionOf(key);
    if (payload.status === 'resolved') return this.#resolve(key, page.title, payload, known);
    if (known !== null && !known.resolved) {
      this.#options.log(`alert ${page.title}: notified again; its session ${known.id} is open`);
      return { status: 200, body: { session_id: known.id, opened: false } };
    }
    const pending = this.#groups.get(key);
    if (pending !== undefined && !pending.resolved) return { status: 202, body: { status: 'opening', group_key: key } };
    if (target === null) {
      this.#options.log(`alert ${page.title}: no intake route takes it; ignored`);
      return { status: 200, body: { ignored: true, reason: 'no intake route matches its labels' } };
    }
    const state: GroupState = { session: Promise.resolve(null), resolved: false };
    const opening = this.#open(payload, target);
    state.session = opening;
    this.#groups.set(key, state);
    this.#track(opening);
    return { status: 202, body: { status: 'opening', group_key: key, route: target.label } };
  }

  /** Stops collections in progress and waits for what was started to end. */
  async close(): Promise<void> {
    this.#stopping.abort();
    await Promise.allSettled([...this.#work]);
  }

  #track(work: Promise<unknown>): void {
    this.#work.add(work);
    void work.finally(() => this.#work.delete(work));
  }

  /** The group's session: opened by this process, or found among the runtime's sessions. */
  async #sessionOf(key: string): Promise<{ id: string; resolved: boolean } | null> {
    const state = this.#groups.get(key);
    if (state !== undefined) {
      // Still opening: the caller is told so instead of waiting for the collection.
      const settled = await Promise.race([state.session, Promise.resolve(undefined)]);
      if (settled === undefined || settled === null) return null;
      return { id: settled, resolved: state.resolved };
    }
    const value = groupValue(key);
    let seen = 0;
    for await (const session of this.#options.client.beta.sessions.list({ limit: 100, order: 'desc' })) {
      if (session.metadata[ALERT_KEYS.group] === value) {
        const resolved = session.metadata[ALERT_KEYS.status] === 'resolved';
        this.#groups.set(key, { session: Promise.resolve(session.id), resolved });
        return { id: session.id, resolved };
      }
      if (++seen >= LOOKUP_LIMIT) break;
    }
    return null;
  }

  async #resolve(key: string, title: string, payload: WebhookPayload, known: { id: string; resolved: boolean } | null): Promise<IntakeReply> {
    const endsAt = payload.alerts.map((alert) => alert.endsAt).sort().at(-1) ?? new Date().toISOString();
    const state = this.#groups.get(key);
    if (known === null && state !== undefined) {
      // Resolved while its bundle is still being collected: recorded once the session exists.
      state.resolved = true;
      this.#track(state.session.then((id) => (id === null ? undefined : this.#markResolved(id, title, endsAt))).catch(() => undefined));
      return { status: 202, body: { status: 'opening', resolved: true } };
    }
    if (known === null) {
      this.#options.log(`alert ${title}: resolved; no session of this group to record it on`);
      return { status: 200, body: { ignored: true, reason: 'no session of this alert group' } };
    }
    await this.#markResolved(known.id, title, endsAt);
    if (state) state.resolved = true;
    return { status: 200, body: { session_id: known.id, resolved: true } };
  }

  async #markResolved(id: string, title: string, endsAt: string): Promise<void> {
    await this.#options.client.beta.sessions.update(id, { metadata: { [ALERT_KEYS.status]: 'resolved', [ALERT_KEYS.resolvedAt]: endsAt } });
    this.#options.log(`alert ${title}: resolved at ${endsAt}; recorded on session ${id}`);
  }

  async #open(payload: WebhookPayload, target: IntakeTarget): Promise<string | null> {
    const { log, home, env, client } = this.#options;
    const page = pageOf(payload);
    const name = `alert ${page.title}`;
    const plan = planFor(target, payload, home);
    const credentials = target.definition.credentials
      .filter((credential) => target.route.credentials.includes(credential.name))
      .map((credential) => ({ name: credential.name.toUpperCase(), fromEnv: credential.from_env }));
    log(`${name}: taken by ${target.label}; collecting a bundle in ${plan.out}`);
    try {
      const result = await collect(plan, {
        progress: {
          step: (line) => log(`${name}: ${line}`),
          problem: (problem: CollectProblem) => log(`${name}: problem: ${problem.source}: ${problem.message}`),
        },
        env: buildWorkerEnv(env, target.definition.env.allow, credentials),
        signal: this.#stopping.signal,
      });
      const metadata: Record<string, string> = {
        [ALERT_KEYS.name]: page.title.slice(0, 512),
        [ALERT_KEYS.group]: groupValue(payload.groupKey),
        [ALERT_KEYS.status]: 'firing',
        [ALERT_KEYS.route]: target.label.slice(0, 512),
        ...(page.startedAt !== null ? { [ALERT_KEYS.startedAt]: new Date(page.startedAt).toISOString() } : {}),
      };
      const { session } = await openInvestigation(client, { bundle: [result.root], environmentFile: target.file, metadata });
      await sendMessage(client, session.id, INVESTIGATE_PROMPT);
      // The runtime keeps its own copy of every file; the collection is done with.
      await rm(result.root, { recursive: true, force: true }).catch(() => undefined);
      // Said last: once it is said, the group's next notification finds this session.
      log(`${name}: opened session ${session.id} (join it: incident resume ${session.id} --runtime <this server>)`);
      return session.id;
    } catch (error) {
      // Forgotten, so the group's next notification tries again (a collection left half-way continues).
      this.#groups.delete(payload.groupKey);
      if (!this.#stopping.signal.aborted) log(`${name}: could not open a session: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }
}
