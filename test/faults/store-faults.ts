// The state store under faults, at seeded points. A full disk (SQLite's page limit) that
// strikes anywhere in an investigation stops it at its last saved event, saying so; once
// there is room it continues to the same end as an investigation that never ran short,
// with nothing lost and nothing twice. A database file damaged anywhere (bytes overwritten,
// bits flipped, cut short, garbage appended) is read as far as it can be, and every failure
// is the store's own, naming the file or the event and what to do: never an internal error.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createLocalRuntime } from '../../src/runtime/runtime.js';
import { INVESTIGATE_PROMPT, sendMessage } from '../../src/cli/investigation.js';
import { StoreFailure, Store } from '../../src/store/index.js';
import { scratchDir } from '../fuzz/seed.js';
import { scriptedDeps } from '../runtime/scripted.js';
import { cleanReference, investigate, WORKER, type Investigated } from './investigation.js';
import { seeded } from './kills.js';

/** SQLite's largest page limit: the cap lifted. */
const NO_CAP = 1_073_741_823;

function pageCount(runtime: { store: Store }): number {
  return (runtime.store.db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
}

function expectWhole(run: Investigated, reference: Investigated): void {
  expect(run.chain).toEqual([]);
  const ids = run.events.map((item) => item.event.id);
  expect(new Set(ids).size).toBe(ids.length);
  const at = run.transcript.findIndex((line, index) => line !== reference.transcript[index]);
  const where = at < 0 ? '' : `: from line ${at}, ${JSON.stringify(run.transcript.slice(at, at + 2))} instead of ${JSON.stringify(reference.transcript.slice(at, at + 2))}`;
  expect(run.transcript, `the investigation went otherwise${where}`).toEqual(reference.transcript);
}

/** Declares the full-disk test: `trials` investigations, each with the disk full at a seeded point. */
export function fullDiskTrials(seed: number, trials: number): void {
  it(`an investigation that runs out of space at any of ${trials} seeded points continues to the same end once there is room (seed ${seed})`, async () => {
    const random = seeded(seed);
    const { run: reference, pagesUsed } = await cleanReference();
    expect(pagesUsed).toBeGreaterThan(2);
    let stopped = 0;
    for (let trial = 0; trial < trials; trial++) {
      // The disk fills after this many more pages: before the message is saved, or anywhere in the turn.
      const room = Math.floor(random() * pagesUsed);
      const run = await investigate(WORKER, {
        beforeSend: (runtime) => runtime.store.db.exec(`PRAGMA max_page_count = ${pageCount(runtime) + room}`),
        afterTurn: async (runtime, sessionId, client) => {
          // Stopped short: the message refused, or the turn at its last saved event (running, or idle with input unanswered).
          const last = runtime.store.events.list(sessionId).at(-1)?.event as { type?: string; stop_reason?: { type?: string } } | undefined;
          if (last?.type !== 'session.status_idle' || last.stop_reason?.type !== 'end_turn') {
            stopped += 1;
            // What was saved is whole, and the session says where it stands.
            expect(runtime.store.verify(sessionId)).toEqual([]);
          }
          runtime.store.db.exec(`PRAGMA max_page_count = ${NO_CAP}`);
          if (runtime.store.events.list(sessionId).length === 0) await sendMessage(client, sessionId, INVESTIGATE_PROMPT);
          else runtime.engine.resume(sessionId);
          await runtime.engine.whenIdle(sessionId);
        },
      });
      expectWhole(run, reference);
    }
    console.info(`full disk (seed ${seed}): ${trials} investigations, ${stopped} stopped by the full disk and continued, 0 lost, 0 twice`);
  });
}

type Damage = (file: string, random: () => number) => string;

const DAMAGES: readonly Damage[] = [
  (file, random) => {
    const size = statSync(file).size;
    const at = Math.floor(random() * size);
    const length = 1 + Math.floor(random() * 8192);
    const bytes = readFileSync(file);
    for (let i = at; i < Math.min(size, at + length); i++) bytes[i] = Math.floor(random() * 256);
    writeFileSync(file, bytes);
    return `${length} bytes overwritten at ${at}`;
  },
  (file, random) => {
    const bytes = readFileSync(file);
    const flips = 1 + Math.floor(random() * 16);
    for (let i = 0; i < flips; i++) {
      const at = Math.floor(random() * bytes.length);
      bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(random() * 8));
    }
    writeFileSync(file, bytes);
    return `${flips} bits flipped`;
  },
  (file, random) => {
    const size = Math.floor(random() * statSync(file).size);
    truncateSync(file, size);
    return `cut to ${size} bytes`;
  },
  (file, random) => {
    const page = 4096 * Math.floor(random() * Math.max(1, statSync(file).size / 4096));
    const bytes = readFileSync(file);
    bytes.fill(0, page, page + 4096);
    writeFileSync(file, bytes);
    return `page at ${page} zeroed`;
  },
];

/** Runs `read`, and returns what went wrong, if anything: it must be the store's own failure. */
function expectStoreFailure(store: Store | null, what: string, read: () => void): 'ok' | 'refused' {
  try {
    read();
    return 'ok';
  } catch (error) {
    const failure = store ? store.failure(error) : error;
    expect(failure, `${what}: ${error instanceof Error ? error.stack : String(error)}`).toBeInstanceOf(StoreFailure);
    expect((failure as StoreFailure).full()).toMatch(/incident\.db|incident sessions/);
    return 'refused';
  }
}

/** Declares the damaged-database test: `trials` copies of a real state database, each damaged at a seeded place. */
export function damagedDatabaseTrials(seed: number, trials: number): void {
  it(`reads a state database damaged at any of ${trials} seeded places as far as it can, and names the damage (seed ${seed})`, async () => {
    const random = seeded(seed);
    const { run: reference, home: source, sessionId } = await cleanReference();
    expect(reference.chain).toEqual([]);
    {
      const tally = { opened: 0, refused: 0, read: 0, damaged: 0 };
      for (let trial = 0; trial < trials; trial++) {
        const home = mkdtempSync(join(scratchDir(), 'incident-damaged-'));
        try {
          copyFileSync(join(source, 'incident.db'), join(home, 'incident.db'));
          const damage = DAMAGES[Math.floor(random() * DAMAGES.length)] ?? DAMAGES[0];
          const how = damage?.(join(home, 'incident.db'), random) ?? '';
          let store: Store | null = null;
          const opened = expectStoreFailure(null, `opening after ${how}`, () => {
            store = new Store(home);
          });
          if (opened === 'refused' || store === null) {
            tally.refused += 1;
            continue;
          }
          tally.opened += 1;
          const open: Store = store;
          try {
            const reads = [
              expectStoreFailure(open, `listing sessions after ${how}`, () => void open.sessions.list({ limit: 100, order: 'desc', includeArchived: true })),
              expectStoreFailure(open, `reading the log after ${how}`, () => void open.events.list(sessionId)),
              expectStoreFailure(open, `checking the chain after ${how}`, () => void open.verify(sessionId)),
            ];
            if (reads.every((read) => read === 'ok')) tally.read += 1;
            else tally.damaged += 1;
          } finally {
            open.close();
          }
          // The runtime over the same file answers with the log, or with the store's own error: never an internal one.
          const runtime = (() => {
            try {
              return createLocalRuntime({ home, deps: scriptedDeps([]), resume: false });
            } catch (error) {
              expect(error, how).toBeInstanceOf(StoreFailure);
              return null;
            }
          })();
          if (runtime) {
            try {
              for (const path of [`/v1/sessions/${sessionId}/events?incident_chain=true`, `/v1/sessions/${sessionId}/events`, '/v1/sessions']) {
                const response = await runtime.handle(new Request(`http://runtime.invalid${path}`));
                const body = (await response.json()) as { error?: { message?: string } };
                expect([200, 404, 500, 507], `${path} after ${how}`).toContain(response.status);
                if (response.status >= 400) expect(body.error?.message, `${path} after ${how}`).not.toBe('internal error in the local runtime');
              }
            } finally {
              await runtime.close();
            }
          }
        } finally {
          rmSync(home, { recursive: true, force: true });
        }
      }
      console.info(`damaged database (seed ${seed}): ${trials} copies; ${tally.refused} refused on opening, ${tally.damaged} opened with the damage named, ${tally.read} read whole; 0 internal errors`);
    }
  });
}
