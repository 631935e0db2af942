import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/migrations.js';

let store: Store | undefined;
afterEach(() => store?.close());

function freshStore(): Store {
  store = new Store(mkdtempSync(join(tmpdir(), 'incident-store-')));
  store.sessions.insert({ id: 'sesn_1', status: 'idle', created_at: 'x', updated_at: 'x', environment_id: 'env', agent: { id: 'agent', version: 1 } });
  return store;
}

describe('the hash-chained event log', () => {
  it('appends in order and verifies clean', () => {
    const s = freshStore();
    s.append('sesn_1', [{ type: 'user.message' }, { type: 'session.status_running' }]);
    s.append('sesn_1', [{ type: 'session.status_idle' }]);
    const events = s.events.list('sesn_1');
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events.map((e) => e.event.type)).toEqual(['user.message', 'session.status_running', 'session.status_idle']);
    expect(events[0]?.event.processed_at).toMatch(/Z$/);
    expect(s.verify('sesn_1')).toEqual([]);
  });

  it('names a tampered row and a gap instead of hiding them', () => {
    const s = freshStore();
    s.append('sesn_1', [{ type: 'a' }, { type: 'b' }, { type: 'c' }, { type: 'd' }]);
    s.db.prepare("UPDATE events SET body = replace(body, '\"b\"', '\"x\"') WHERE seq = 2").run();
    s.db.prepare('DELETE FROM events WHERE seq = 3').run();
    const problems = s.verify('sesn_1');
    expect(problems.map((p) => [p.seq, p.problem])).toEqual([
      [2, 'tampered'],
      [3, 'gap'],
    ]);
  });

  it('is readable by a second process while this one writes', async () => {
    const s = freshStore();
    s.append('sesn_1', [{ type: 'first' }]);
    const reader = `
      const { DatabaseSync } = require('node:sqlite');
      const db = new DatabaseSync(process.argv[1], { readOnly: true });
      db.exec('PRAGMA busy_timeout = 10000');
      let reads = 0, last = 0;
      const until = Date.now() + 1500;
      while (Date.now() < until) {
        const row = db.prepare('SELECT COUNT(*) AS n FROM events').get();
        if (row.n < last) { console.log('WENT_BACKWARDS'); process.exit(1); }
        last = row.n; reads++;
      }
      console.log(JSON.stringify({ reads, last }));
    `;
    const child = spawn(process.execPath, ['-e', reader, join(s.home, 'incident.db')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    for (let i = 0; i < 300; i += 1) {
      s.append('sesn_1', [{ type: 'tick', i }]);
      await new Promise((r) => setImmediate(r));
    }
    expect(await exited).toBe(0);
    expect(err).toBe('');
    const result = JSON.parse(out) as { reads: number; last: number };
    expect(result.reads).toBeGreaterThan(0);
    expect(result.last).toBeGreaterThan(1);
  });

  it('applies migrations once and records the schema version', () => {
    const s = freshStore();
    const home = s.home;
    s.close();
    store = new Store(home);
    const db = new DatabaseSync(join(home, 'incident.db'), { readOnly: true });
    expect((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(MIGRATIONS.length);
    db.close();
  });
});
