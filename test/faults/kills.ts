// kill -9 at seeded points of offline investigations served by `incident serve`: of the
// runtime itself (restarted at once; it resumes what was running) or of the session's
// hands worker (the runtime stays up). A kill point is "after the k-th event a stream
// client sees", with k drawn from a seeded generator, so a seed replays the same schedule.
// After every kill: each event a client was shown is still in the log, in its place; no
// event is there twice; every tool call has one result; the hash chain is whole; the
// investigation ends. Killing only the runtime changes nothing of the investigation (the
// same calls, results and diagnosis as an uninterrupted one); a killed worker turns the
// call it was running into a tool error that says so. No process is left behind.
import Anthropic from '@anthropic-ai/sdk';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { INVESTIGATE_PROMPT, openInvestigation, sendMessage } from '../../src/cli/investigation.js';
import { Store } from '../../src/store/index.js';
import { BIN, cliEnv } from '../e2e/cli.js';
import { scratchDir } from '../fuzz/seed.js';
import { startServed, type Served } from '../runtime/served.js';
import { FIXTURE, transcript } from './investigation.js';

/** xorshift32: small, fast, and the same sequence for the same seed everywhere. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

/** The processes whose environment names `marker` (the state folder): this suite's servers and workers. */
function processesOf(marker: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'utf8').includes(marker)) pids.push(Number(name));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

/** The hands worker a server runs, if one is running. */
function workerOf(servePid: number): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === servePid && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('hands-worker.js')) return Number(name);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`still waiting: ${what}`);
}

export interface KillSize {
  seed: number;
  /** Kills that land while a turn runs (kills that come after a turn ended are not counted). */
  trials: number;
  /** Kills per investigation, at most. */
  perSession: number;
}

export interface KillFigures {
  sessions: number;
  runtimeKills: number;
  workerKills: number;
  late: number;
  events: number;
}

class Runtime {
  served!: Served;
  client!: Anthropic;

  constructor(
    private readonly home: string,
    private readonly key: string,
    private readonly environmentFile: string,
  ) {}

  async start(): Promise<void> {
    this.served = await startServed(process.execPath, [BIN, 'serve', '--port', '0', '--environment', this.environmentFile], cliEnv(this.home, { INCIDENT_RUNTIME_KEY: this.key }));
    this.client = new Anthropic({ apiKey: this.key, baseURL: this.served.url, maxRetries: 0 });
  }

  async kill(): Promise<void> {
    this.served.child.kill('SIGKILL');
    await this.served.exited;
  }

  async stop(): Promise<void> {
    this.served.child.kill('SIGTERM');
    await this.served.exited;
  }
}

type StreamEvent = { id?: string; type: string; stop_reason?: { type?: string } };

/**
 * Follows a session's stream until the turn ends or `kill` says to strike (it is asked after
 * every logged event, with how many this stream has shown). Returns the ids shown and why it stopped.
 */
async function follow(client: Anthropic, sessionId: string, kill: (shown: number) => boolean, send?: () => Promise<void>): Promise<{ ids: string[]; ended: boolean }> {
  const stream = await client.beta.sessions.events.stream(sessionId);
  if (send) await send();
  else if ((await client.beta.sessions.retrieve(sessionId)).status === 'idle') {
    // A restarted runtime may have finished the turn before this stream opened.
    stream.controller.abort();
    return { ids: [], ended: true };
  }
  const ids: string[] = [];
  try {
    for await (const raw of stream as AsyncIterable<StreamEvent>) {
      if (!raw.id) continue;
      ids.push(raw.id);
      if (raw.type === 'session.status_idle' && raw.stop_reason?.type !== 'requires_action') return { ids, ended: true };
      if (kill(ids.length)) return { ids, ended: false };
    }
  } catch {
    // The connection went with the runtime.
  }
  return { ids, ended: false };
}

/** Declares the kill test: `size.trials` seeded kills across as many investigations as it takes. */
export function killTrials(size: KillSize): void {
  it(`stays whole through ${size.trials} seeded kill -9s of the runtime and the hands worker (seed ${size.seed})`, async () => {
    const random = seeded(size.seed);
    const home = mkdtempSync(join(scratchDir(), 'incident-kills-'));
    const environmentFile = join(home, 'faults.yaml');
    writeFileSync(environmentFile, 'name: faults\nworker:\n  call_timeout: 30s\n');
    const runtime = new Runtime(home, randomBytes(24).toString('base64url'), environmentFile);
    const figures: KillFigures = { sessions: 0, runtimeKills: 0, workerKills: 0, late: 0, events: 0 };
    const shown = new Map<string, string[][]>();
    const workerKilled = new Set<string>();
    try {
      await runtime.start();
      const { session: first } = await openInvestigation(runtime.client, { bundle: [resolve('fixtures', FIXTURE)], environmentFile });
      const newSession = async (): Promise<string> =>
        (
          await runtime.client.beta.sessions.create({
            agent: { type: 'agent', id: first.agent.id, version: first.agent.version },
            environment_id: first.environment_id,
            resources: first.resources.flatMap((resource) => (resource.type === 'file' ? [{ type: 'file' as const, file_id: resource.file_id, mount_path: resource.mount_path }] : [])),
          })
        ).id;

      // The uninterrupted investigation every runtime kill must reproduce.
      const reference = (await follow(runtime.client, first.id, () => false, () => sendMessage(runtime.client, first.id, INVESTIGATE_PROMPT))).ids;
      expect(reference.length).toBeGreaterThan(10);

      let trials = 0;
      while (trials < size.trials) {
        const sessionId = await newSession();
        figures.sessions += 1;
        let send: (() => Promise<void>) | undefined = () => sendMessage(runtime.client, sessionId, INVESTIGATE_PROMPT);
        for (let kill = 0; kill < size.perSession && trials < size.trials; kill++) {
          // A point in the turn (spread so that every kill of an investigation can land in it), and what dies there.
          const at = 1 + Math.floor(random() * Math.max(2, Math.floor(reference.length / size.perSession)));
          const target = process.env['INCIDENT_KILL_ONLY_RUNTIME'] || random() < 0.6 ? 'runtime' : 'worker';
          const worker = target === 'worker' ? (): number | undefined => workerOf(runtime.served.child.pid ?? -1) : undefined;
          const followed = await follow(
            runtime.client,
            sessionId,
            (count) => count >= at && (target === 'runtime' || worker?.() !== undefined),
            send,
          );
          send = undefined;
          shown.set(sessionId, [...(shown.get(sessionId) ?? []), followed.ids]);
          if (followed.ended) {
            figures.late += 1;
            break;
          }
          trials += 1;
          if (target === 'runtime') {
            figures.runtimeKills += 1;
            await runtime.kill();
            await runtime.start();
          } else {
            const pid = worker?.();
            if (pid !== undefined) process.kill(pid, 'SIGKILL');
            figures.workerKills += 1;
            workerKilled.add(sessionId);
          }
        }
        // Whatever the kills left, the investigation goes on to its end.
        const rest = await follow(runtime.client, sessionId, () => false);
        if (!rest.ended) {
          const status = (await runtime.client.beta.sessions.retrieve(sessionId)).status;
          expect(status, `session ${sessionId} did not finish`).toBe('idle');
        }
      }
      await runtime.stop();

      const store = new Store(home, { readOnly: true });
      try {
        const expected = transcript(store.events.list(first.id));
        for (const [sessionId, streams] of shown) {
          expect(store.verify(sessionId)).toEqual([]);
          const events = store.events.list(sessionId);
          figures.events += events.length;
          const ids = events.map((item) => item.event.id);
          expect(new Set(ids).size, `${sessionId} holds an event twice`).toBe(ids.length);
          // Every event a client was shown is in the log, in the order it was shown.
          for (const seen of streams) {
            const start = ids.indexOf(seen[0] ?? '');
            if (seen.length > 0) expect(ids.slice(start, start + seen.length), `${sessionId} lost an event it had shown`).toEqual(seen);
          }
          const uses = events.filter((item) => item.event.type === 'agent.tool_use').map((item) => item.event.id);
          const results = events.filter((item) => item.event.type === 'agent.tool_result').map((item) => String((item.event as Record<string, unknown>)['tool_use_id']));
          expect([...results].sort(), `${sessionId}: a call without exactly one result`).toEqual([...uses].sort());
          expect(events.at(-1)?.event).toMatchObject({ type: 'session.status_idle', stop_reason: { type: 'end_turn' } });
          const lines = transcript(events);
          if (!workerKilled.has(sessionId)) {
            const at = lines.findIndex((line, index) => line !== expected[index]);
            const where = at < 0 ? '' : `: from line ${at}, ${JSON.stringify(lines.slice(at, at + 2))} instead of ${JSON.stringify(expected.slice(at, at + 2))}`;
            expect(lines, `${sessionId}: a runtime kill changed the investigation${where}`).toEqual(expected);
          } else {
            for (const line of lines.filter((item) => item.startsWith('result (error)'))) expect(line).toMatch(/environment worker (was killed by SIGKILL|exited)|could not run/);
            expect(lines.some((line) => line.startsWith('use submit_diagnosis'))).toBe(true);
          }
        }
      } finally {
        store.close();
      }
      // Nothing of this suite is left running: no server, no worker.
      await eventually(() => processesOf(home).length === 0, `processes of ${home} to exit`);
      console.info(
        `kills (seed ${size.seed}): ${figures.runtimeKills} of the runtime, ${figures.workerKills} of the worker, in ${figures.sessions} investigations (${figures.late} kill points after the end); ${figures.events} events checked, 0 lost, 0 twice`,
      );
    } finally {
      for (const pid of processesOf(home)) process.kill(pid, 'SIGKILL');
      rmSync(home, { recursive: true, force: true });
    }
  });
}
