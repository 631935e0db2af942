// The event store: durable appends per second (one committed transaction per event,
// synchronous=FULL), and listing and replaying a 10,000-event session, each against
// a baseline in the same run (raw SQLite inserts with the same durability, JSON.parse).
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { report } from './_util.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, '.tmp', 'bench');
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, 'store.mjs');
await build({ entryPoints: [join(root, 'src/store/index.ts')], outfile, bundle: true, format: 'esm', platform: 'node', packages: 'external', logLevel: 'error' });
const { Store } = await import(pathToFileURL(outfile).href);

const home = mkdtempSync(join(tmpdir(), 'incident-bench-store-'));
const store = new Store(home);
store.sessions.insert({ id: 'sesn_b', status: 'running', created_at: 'x', updated_at: 'x', environment_id: 'env', agent: { id: 'a', version: 1 } });
const payload = { type: 'agent.tool_result', tool_use_id: 'sevt_x', content: [{ type: 'text', text: 'x'.repeat(400) }], is_error: false };

const APPENDS = 2000;
let start = performance.now();
for (let i = 0; i < APPENDS; i += 1) store.append('sesn_b', [payload]);
const appendMs = performance.now() - start;

// Baseline: the same number of single-row durable transactions on a bare table.
const raw = new DatabaseSync(join(home, 'raw.db'));
raw.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
const insert = raw.prepare('INSERT INTO t (body) VALUES (?)');
const body = JSON.stringify(payload);
start = performance.now();
for (let i = 0; i < APPENDS; i += 1) {
  raw.exec('BEGIN IMMEDIATE');
  insert.run(body);
  raw.exec('COMMIT');
}
const rawMs = performance.now() - start;

// Listing and replaying a 10,000-event session (fill to 10k in batches).
const have = store.events.lastSeq('sesn_b');
for (let i = have; i < 10_000; i += 100) store.append('sesn_b', Array.from({ length: Math.min(100, 10_000 - i) }, () => payload));
start = performance.now();
const listed = store.events.list('sesn_b');
const listMs = performance.now() - start;
start = performance.now();
let pages = 0;
for (let after = 0; ; ) {
  const page = store.events.list('sesn_b', { afterSeq: after, limit: 1000 });
  if (page.length === 0) break;
  after = page.at(-1).seq;
  pages += 1;
}
const pagedMs = performance.now() - start;
start = performance.now();
const problems = store.verify('sesn_b');
const verifyMs = performance.now() - start;
const rows = raw.prepare('SELECT body FROM t').all();
start = performance.now();
for (const row of rows) JSON.parse(row.body);
const parseMs = ((performance.now() - start) * 10_000) / rows.length;

store.close();
raw.close();
rmSync(home, { recursive: true, force: true });
const result = {
  bench: 'store',
  appends_per_second: Math.round((APPENDS / appendMs) * 1000),
  raw_sqlite_commits_per_second: Math.round((APPENDS / rawMs) * 1000),
  append_ratio_to_raw: Number((appendMs / rawMs).toFixed(2)),
  list_10k_ms: Number(listMs.toFixed(1)),
  paged_replay_10k_ms: Number(pagedMs.toFixed(1)),
  pages,
  verify_chain_10k_ms: Number(verifyMs.toFixed(1)),
  json_parse_10k_ms_baseline: Number(parseMs.toFixed(1)),
  list_ratio_to_json_parse: Number((listMs / parseMs).toFixed(2)),
  events: listed.length,
  chain_problems: problems.length,
};
process.stdout.write(`durable appends: ${result.appends_per_second}/s (${result.append_ratio_to_raw}× a bare SQLite commit); list 10k: ${result.list_10k_ms} ms; replay in pages: ${result.paged_replay_10k_ms} ms; verify: ${result.verify_chain_10k_ms} ms\n`);
report(result);
