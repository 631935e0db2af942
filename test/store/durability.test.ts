// The store under a full disk, a damaged row and a damaged file: each failure comes out
// named (folder, file, session and event) and nothing committed before it is lost.
// SQLite's page limit (PRAGMA max_page_count) makes the database full deterministically.
import { closeSync, mkdtempSync, openSync, statSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DamagedEvent, Store, StoreFileDamaged, StoreOutOfSpace } from '../../src/store/index.js';

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function openStore(home = mkdtempSync(join(tmpdir(), 'incident-durable-'))): Store {
  const store = new Store(home);
  stores.push(store);
  return store;
}

function withSession(store: Store, id = 'sesn_1'): Store {
  store.sessions.insert({ id, status: 'idle', created_at: 'x', updated_at: 'x', environment_id: 'env', agent: { id: 'agent', version: 1 } });
  return store;
}

function fill(store: Store): void {
  const { page_count: pages } = store.db.prepare('PRAGMA page_count').get() as { page_count: number };
  store.db.exec(`PRAGMA max_page_count = ${pages}`);
}

const big = (n: number): { type: string; text: string } => ({ type: 'agent.message', text: `${n}:${'x'.repeat(6000)}` });

describe('a full disk', () => {
  it('fails the append with an out-of-space error naming the folder, and keeps what was committed', () => {
    const store = withSession(openStore());
    store.append('sesn_1', [{ type: 'user.message' }, { type: 'session.status_running' }]);
    fill(store);
    let failure: unknown;
    for (let i = 0; i < 20 && !failure; i += 1) {
      try {
        store.append('sesn_1', [big(i)]);
      } catch (error) {
        failure = error;
      }
    }
    expect(failure).toBeInstanceOf(StoreOutOfSpace);
    expect((failure as StoreOutOfSpace).message).toContain(store.home);
    expect((failure as StoreOutOfSpace).message).toContain('out of space');
    expect((failure as Error).message).not.toMatch(/rollback/i);
    expect(store.db.isTransaction).toBe(false);
    expect(store.verify('sesn_1')).toEqual([]);
    const kept = store.events.list('sesn_1').length;
    // Space freed: the very same connection appends again, the chain still whole.
    store.db.exec('PRAGMA max_page_count = 1073741823');
    store.append('sesn_1', [big(99)]);
    expect(store.events.list('sesn_1')).toHaveLength(kept + 1);
    expect(store.verify('sesn_1')).toEqual([]);
  });

  it('rolls back a transaction SQLite left open (a failed COMMIT) and reports that failure', () => {
    const store = withSession(openStore());
    store.db.exec('PRAGMA defer_foreign_keys = ON');
    // A deferred foreign key fails at COMMIT and leaves the transaction open.
    expect(() =>
      store.transaction(() => {
        store.db.prepare('INSERT INTO resources (id, session_id, file_id, mount_path, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run('r', 'sesn_missing', 'f', '/m', 'x', 'x');
      }),
    ).toThrow(/FOREIGN KEY/);
    expect(store.db.isTransaction).toBe(false);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM resources').get()).toEqual({ n: 0 });
    store.append('sesn_1', [{ type: 'user.message' }]);
    expect(store.events.list('sesn_1')).toHaveLength(1);
  });
});

describe('a damaged event row', () => {
  it('is named by session, seq, id and damage when read, and listed as such for checking', () => {
    const store = withSession(openStore());
    const stored = store.append('sesn_1', [{ type: 'a' }, { type: 'b' }, { type: 'c' }]);
    store.db.prepare("UPDATE events SET body = substr(body, 1, 10) WHERE seq = 2").run();
    let failure: unknown;
    try {
      store.events.list('sesn_1');
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(DamagedEvent);
    const message = (failure as DamagedEvent).full();
    expect(message).toContain('event 2');
    expect(message).toContain(stored[1]?.event.id);
    expect(message).toContain('sesn_1');
    expect(message).toContain('does not parse');
    expect(message).toContain('incident sessions show sesn_1');
    const rows = store.events.chained('sesn_1');
    expect(rows.map((row) => [row.seq, row.event?.type ?? null, row.damage])).toEqual([
      [1, 'a', null],
      [2, null, 'its stored JSON does not parse'],
      [3, 'c', null],
    ]);
    expect(store.verify('sesn_1').map((p) => [p.seq, p.problem])).toEqual([[2, 'unreadable']]);
    // Reads that do not reach the damaged row still work, and so do appends.
    expect(store.events.list('sesn_1', { afterSeq: 2 }).map((e) => e.event.type)).toEqual(['c']);
    store.append('sesn_1', [{ type: 'd' }]);
    expect(store.events.lastSeq('sesn_1')).toBe(4);
  });
});

describe('a damaged database file', () => {
  function closedStoreWithHistory(): string {
    const store = withSession(openStore());
    for (let i = 0; i < 40; i += 1) store.append('sesn_1', [big(i)]);
    store.close();
    return store.home;
  }

  it('whose first pages are overwritten is named with what to do', () => {
    const home = closedStoreWithHistory();
    const file = join(home, 'incident.db');
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, 0);
    closeSync(fd);
    expect(() => openStore(home)).toThrow(StoreFileDamaged);
    try {
      openStore(home);
    } catch (error) {
      expect((error as StoreFileDamaged).message).toContain(file);
      expect((error as StoreFileDamaged).advice).toMatch(/move incident\.db, .* to start fresh; the old sessions stay in the moved files/);
    }
  });

  it('cut to half its size is named too', () => {
    const home = closedStoreWithHistory();
    const file = join(home, 'incident.db');
    truncateSync(file, Math.floor(statSync(file).size / 2));
    expect(() => openStore(home)).toThrow(StoreFileDamaged);
    expect(() => new Store(home, { readOnly: true })).toThrow(StoreFileDamaged);
  });
});
