// Damage in the state database, through the CLI: a damaged event row is named (session,
// event, damage) by `sessions show` over the local runtime and over a served one (the
// client checks the hash chain itself), the intact rest is still shown and exported;
// a damaged database file gives one line naming it and what to do, exit 4.
import { closeSync, copyFileSync, mkdirSync, openSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServed, type Served } from '../runtime/served.js';
import { BIN, cliEnv, runCli, tempHome, userBundle } from './cli.js';

let home: string;
let sessionId: string;
let damaged: { seq: number; id: string };
let total: number;

beforeAll(async () => {
  home = tempHome();
  const run = await runCli(['diagnose', userBundle('checkout-cache-removed'), '--json'], cliEnv(home));
  expect(run.code).toBe(0);
  sessionId = (JSON.parse(run.stdout) as { session_id: string }).session_id;
  const db = new DatabaseSync(join(home, 'incident.db'));
  const row = db.prepare("SELECT seq, id FROM events WHERE session_id = ? AND type = 'agent.tool_result' ORDER BY seq LIMIT 1").get(sessionId) as { seq: number; id: string };
  damaged = { seq: row.seq, id: row.id };
  total = (db.prepare('SELECT COUNT(*) AS n FROM events WHERE session_id = ?').get(sessionId) as { n: number }).n;
  // A torn write: the row's JSON stops half way.
  db.prepare('UPDATE events SET body = substr(body, 1, length(body) / 2) WHERE session_id = ? AND seq = ?').run(sessionId, damaged.seq);
  db.close();
}, 60_000);

let served: Served | undefined;
afterEach(async () => {
  served?.child.kill('SIGTERM');
  await served?.exited;
  served = undefined;
});

function expectNamed(stderr: string): void {
  expect(stderr).toContain(`warning: the log of ${sessionId} is damaged at event ${damaged.seq} (${damaged.id}): its stored JSON does not parse`);
  expect(stderr).toContain(`incident sessions export ${sessionId} --format ndjson`);
  expect(stderr).not.toMatch(/internal error|try again/);
}

describe('a damaged event row', () => {
  it('is named by `sessions show`, which still shows the intact history', async () => {
    const shown = await runCli(['sessions', 'show', sessionId, '--ndjson'], cliEnv(home));
    expectNamed(shown.stderr);
    expect(shown.stdout.trim().split('\n')).toHaveLength(total - 1);
    expect(shown.code).toBe(0);
  });

  it('is named by `sessions show --runtime <url>`: the client checks the chain of what it received', async () => {
    served = await startServed(process.execPath, [BIN, 'serve', '--port', '0'], cliEnv(home));
    const shown = await runCli(['sessions', 'show', sessionId, '--runtime', served.url], cliEnv(home));
    expectNamed(shown.stderr);
    expect(shown.stdout).toContain(`session ${sessionId}`);
    expect(shown.code).toBe(0);
  });

  it('leaves the intact events exportable', async () => {
    const exported = await runCli(['sessions', 'export', sessionId, '--format', 'ndjson'], cliEnv(home));
    expectNamed(exported.stderr);
    const ids = exported.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids).toHaveLength(total - 1);
    expect(ids).not.toContain(damaged.id);
  });
});

describe('a damaged database file', () => {
  function copyOfState(): string {
    const copy = tempHome();
    mkdirSync(copy, { recursive: true });
    copyFileSync(join(home, 'incident.db'), join(copy, 'incident.db'));
    return copy;
  }

  async function expectOneLine(stateHome: string, args: readonly string[]): Promise<void> {
    const result = await runCli(args, cliEnv(stateHome));
    const file = join(stateHome, 'incident.db');
    expect(result.code).toBe(4);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`the state database ${file} is damaged`);
    expect(lines[0]).toContain(`out of ${stateHome} to start fresh; the old sessions stay in the moved files`);
  }

  it('whose first pages are overwritten: one line naming it and what to do', async () => {
    const state = copyOfState();
    const fd = openSync(join(state, 'incident.db'), 'r+');
    writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, 0);
    closeSync(fd);
    await expectOneLine(state, ['sessions', 'list']);
    await expectOneLine(state, ['diagnose', userBundle('checkout-cache-removed')]);
  });

  it('cut to half its size: the same', async () => {
    const state = copyOfState();
    const file = join(state, 'incident.db');
    truncateSync(file, Math.floor(statSync(file).size / 2));
    await expectOneLine(state, ['sessions', 'show', sessionId]);
  });
});
