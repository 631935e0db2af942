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

describe('uploads no session mounts', () => {
  const file = (id: string, sha256: string, scope: string | null, created = '2026-12-01T00:00:00.000Z') => ({
    id,
    sha256,
    filename: `${id}.log`,
    mime_type: 'text/plain',
    size_bytes: 10,
    scope_id: scope,
    created_at: created,
    expires_at: null,
  });

  it('are counted from a database of the schema before, and kept counted as copies come and go', () => {
    const home = mkdtempSync(join(tmpdir(), 'incident-store-'));
    // A state folder written before uploads carried whether a session mounts them.
    const old = new DatabaseSync(join(home, 'incident.db'));
    for (const migration of MIGRATIONS.slice(0, 4)) old.exec(migration);
    old.exec('PRAGMA user_version = 4');
    const insert = old.prepare('INSERT INTO files (id, sha256, filename, mime_type, size_bytes, scope_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const row of [file('file_a', 'sha-a', null), file('file_a_copy', 'sha-a', 'sesn_1'), file('file_b', 'sha-b', null)]) {
      insert.run(row.id, row.sha256, row.filename, row.mime_type, row.size_bytes, row.scope_id, row.created_at, row.expires_at);
    }
    old.close();

    store = new Store(home);
    const files = store.files;
    expect(files.unmountedUsage()).toEqual({ files: 1, bytes: 10 });
    expect(files.unmountedBefore('2027-01-01T00:00:00.000Z', 10).map((row) => row.id)).toEqual(['file_b']);
    // A session's copy of b mounts it; taking the copy away unmounts it again.
    files.insert(file('file_b_copy', 'sha-b', 'sesn_2'));
    expect(files.unmountedUsage()).toEqual({ files: 0, bytes: 0 });
    files.delete('file_b_copy');
    expect(files.unmountedUsage()).toEqual({ files: 1, bytes: 10 });
    // A new upload of bytes a session already mounts is mounted; one of new bytes is not.
    files.insert(file('file_a_again', 'sha-a', null));
    files.insert(file('file_c', 'sha-c', null));
    expect(files.unmountedUsage()).toEqual({ files: 2, bytes: 20 });
    // Two uploads of the same bytes are two files, stored once.
    files.insert(file('file_c_again', 'sha-c', null));
    expect(files.unmountedUsage()).toEqual({ files: 3, bytes: 20 });
    // The row a caller reads is the file, not the bookkeeping beside it.
    expect(files.get('file_c')).toEqual(file('file_c', 'sha-c', null));
  });
});

describe('session records', () => {
  const agent = { id: 'agent_1', version: 2, name: 'sre', system: 'You are on call. '.repeat(400), tools: [{ type: 'custom', name: 'query_metrics' }] };
  const session = (id: string) => ({
    id,
    type: 'session',
    status: 'idle',
    title: 'checkout 5xx',
    agent,
    environment_id: 'env_1',
    metadata: { team: 'payments' },
    usage: { input_tokens: 10, output_tokens: 5 },
    created_at: '2026-12-01T00:00:00.000Z',
    updated_at: '2026-12-01T00:00:00.000Z',
    archived_at: null,
  });

  it('from a database of the schema before keep their agent and their key order, and a damaged one stays named as damaged', () => {
    const home = mkdtempSync(join(tmpdir(), 'incident-store-'));
    // A state folder written while a session's record carried its agent snapshot inline.
    const old = new DatabaseSync(join(home, 'incident.db'));
    for (const migration of MIGRATIONS.slice(0, 5)) old.exec(migration);
    old.exec('PRAGMA user_version = 5');
    const insert = old.prepare(
      'INSERT INTO sessions (id, status, body, agent_id, agent_version, environment_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run('sesn_old', 'idle', JSON.stringify(session('sesn_old')), 'agent_1', 2, 'env_1', 'x', 'x');
    insert.run('sesn_cut', 'idle', JSON.stringify(session('sesn_cut')).slice(0, 200), 'agent_1', 2, 'env_1', 'x', 'x');
    old.close();

    store = new Store(home);
    const read = store.sessions.get<Record<string, unknown>>('sesn_old');
    expect(read).toEqual(session('sesn_old'));
    expect(Object.keys(read ?? {})).toEqual(Object.keys(session('sesn_old')));
    expect(() => store?.sessions.get('sesn_cut')).toThrow(/the session sesn_cut stored in .*incident\.db is damaged/);
    const stored = store.db.prepare("SELECT length(body) AS body FROM sessions WHERE id = 'sesn_old'").get() as { body: number };
    expect(stored.body).toBeLessThan(1000);
  });

  it('change status, usage and updated_at in place, and say when the session is gone', () => {
    store = new Store(mkdtempSync(join(tmpdir(), 'incident-store-')));
    store.sessions.insert(session('sesn_1'));
    expect(store.sessions.touch('sesn_1', { updatedAt: '2026-12-01T00:05:00.000Z', status: 'running', usage: { input_tokens: 30, output_tokens: 8 } })).toBe(true);
    expect(store.sessions.touch('sesn_1', { updatedAt: '2026-12-01T00:06:00.000Z' })).toBe(true);
    expect(store.sessions.get('sesn_1')).toEqual({
      ...session('sesn_1'),
      status: 'running',
      usage: { input_tokens: 30, output_tokens: 8 },
      updated_at: '2026-12-01T00:06:00.000Z',
    });
    // The column the listings filter on moves with the record.
    expect(store.sessions.statusOf('sesn_1')).toBe('running');
    expect(store.sessions.idsWithStatus('running')).toEqual(['sesn_1']);
    expect(store.sessions.fieldsOf('sesn_1', ['usage', 'metadata'])).toEqual({ usage: { input_tokens: 30, output_tokens: 8 }, metadata: { team: 'payments' } });
    expect(store.sessions.touch('sesn_gone', { updatedAt: '2026-12-01T00:06:00.000Z', status: 'idle' })).toBe(false);
    expect(store.sessions.fieldsOf('sesn_gone', ['usage'])).toBeUndefined();
  });
});
