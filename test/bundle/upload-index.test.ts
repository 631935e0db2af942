// A log indexed from its bytes as they upload gives exactly the map (and the problems) that
// walking the stored file gives, and a bundle uses such an index only when it is whole, of
// this version and of the reading the file is mounted with; otherwise it walks the log.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LOG_INDEX_VERSION, readLogIndex } from '../../src/bundle/log-index-file.js';
import { mapLogFile } from '../../src/bundle/log-map.js';
import { openMappedBundle } from '../../src/bundle/open.js';
import { indexUploadedLog, isLogUploadName } from '../../src/bundle/upload-index.js';
import type { BundleFile } from '../../src/bundle/types.js';
import { problemLog, writeBundle } from './helpers.js';

/** Events with stack traces under some, a few services of their own, and some lines that follow no event. */
function textLog(lines: number): string {
  const out = ['boot banner', 'second banner line', ''];
  for (let i = 0; i < lines; i++) {
    const t = new Date(Date.parse('2026-11-20T13:00:00Z') + i * 250).toISOString();
    out.push(i % 7 === 0 ? `${t} [svc-${i % 3}] ERROR request ${i} failed` : `${t} ${i % 5 === 0 ? 'WARN' : 'INFO'} request ${i} done in ${i % 97}ms`);
    if (i % 7 === 0) out.push('java.lang.IllegalStateException: boom', `\tat com.example.Handler.run(Handler.java:${i % 40})`);
    if (i % 1000 === 999) out.push('2026-11-20T14:00:06Zjunk glued');
  }
  return `\ufeff${out.join('\r\n')}\n`;
}

function jsonLog(lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    if (i % 11 === 3) out.push(i % 2 === 0 ? 'not json at all' : '{"msg":"no time","service":"gw"}');
    else out.push(JSON.stringify({ time: new Date(Date.parse('2026-11-20T13:00:00Z') + i * 1000).toISOString(), level: i % 9 === 0 ? 'error' : 'info', msg: `m${i}` }));
  }
  return out.join('\n');
}

/** A file's bytes as an upload hands them over: uneven chunks that cut lines (and multi-byte characters) anywhere. */
async function* uploaded(bytes: Buffer): AsyncGenerator<Uint8Array> {
  const sizes = [1, 7, 4093, 65_536, 300_001, 2];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length] as number;
    yield new Uint8Array(bytes.subarray(at, at + size));
    at += size;
  }
}

const FILES: Record<string, string | Buffer> = {
  // Over three blocks of the map, with multi-line events.
  'logs/checkout.log': textLog(30_000),
  'logs/checkout.log.1.gz': gzipSync(textLog(2_000)),
  // Gzip by its bytes alone, and a gzip stream cut short.
  'logs/packed.log': gzipSync(textLog(500)),
  'logs/cut.log.gz': gzipSync(textLog(3_000)).subarray(0, 20_000),
  'logs/api.jsonl': jsonLog(700),
  'logs/edge.ndjson.gz': gzipSync(jsonLog(300)),
  // More problems than a file lists.
  'logs/noise.log': `${Array.from({ length: 80 }, (_, i) => `junk line ${i}`).join('\n')}\n2026-11-20T13:00:00Z INFO finally\n`,
  'logs/empty.log': '',
};

async function described(root: string, path: string, logIndex?: string): Promise<BundleFile> {
  const bundle = await openMappedBundle([{ path, source: join(root, path), ...(logIndex === undefined ? {} : { logIndex }) }], 'bundle');
  return bundle.files[0] as BundleFile;
}

/** The index an upload of the file under its own name leaves, written beside it. */
async function indexOnUpload(root: string, path: string): Promise<string> {
  const out = join(root, `${path}.index`);
  await writeFile(out, await indexUploadedLog(basename(path), uploaded(await readFile(join(root, path)))));
  return out;
}

describe('a log indexed as it uploads', () => {
  it('holds exactly the map and the problems a walk of the stored file finds', async () => {
    const root = await writeBundle(FILES);
    for (const path of Object.keys(FILES)) {
      const file = await described(root, path);
      const problems = problemLog();
      const walked = await mapLogFile(file, problems);
      const stored = await readLogIndex(await indexOnUpload(root, path), file);
      expect(stored, path).not.toBeNull();
      expect(stored?.map, path).toEqual(walked);
      expect(stored?.problems, path).toEqual(problems.list());
    }
    // The cases above are what they claim: several blocks, gzip by bytes, a stream cut short, a capped problem list.
    const checkout = await mapLogFile(await described(root, 'logs/checkout.log'), problemLog());
    expect(checkout.blocks.length).toBeGreaterThanOrEqual(3);
    expect((await described(root, 'logs/packed.log')).gzip).toBe(true);
    const cut = problemLog();
    await mapLogFile(await described(root, 'logs/cut.log.gz'), cut);
    expect(cut.list().some((p) => p.message.startsWith('could not read the whole file'))).toBe(true);
    const noise = problemLog();
    await mapLogFile(await described(root, 'logs/noise.log'), noise);
    expect(noise.list().at(-1)?.message).toMatch(/^more problems in this file are not listed/);
  });

  it('gives a bundle the same index, problems and log reads as walking the logs', async () => {
    const root = await writeBundle(FILES);
    const paths = Object.keys(FILES);
    const entries = await Promise.all(paths.map(async (path) => ({ path, source: join(root, path), logIndex: await indexOnUpload(root, path) })));
    const fromUpload = await openMappedBundle(entries, 'bundle');
    const walked = await openMappedBundle(
      paths.map((path) => ({ path, source: join(root, path) })),
      'bundle',
    );
    expect(await fromUpload.index()).toEqual(await walked.index());
    for (const file of walked.files) expect(await fromUpload.logMap(file)).toEqual(await walked.logMap(file));
    expect(fromUpload.problems()).toEqual(walked.problems());
  });

  it('is not used when it is missing, cut short, damaged, of another version or of another reading: the log is walked', async () => {
    const root = await writeBundle({ 'logs/checkout.log': textLog(3_000) });
    const path = 'logs/checkout.log';
    const good = await indexOnUpload(root, path);
    const text = await readFile(good, 'utf8');
    const file = await described(root, path, good);
    expect(await readLogIndex(good, file)).not.toBeNull();
    const variants: Record<string, string> = {
      'cut short': text.slice(0, text.length - 10),
      'only its header': text.slice(0, text.indexOf('\n') + 1),
      damaged: text.replace('"events":', '"events":1'),
      'of another version': text.replace(`incident-log-index ${LOG_INDEX_VERSION} `, `incident-log-index ${LOG_INDEX_VERSION + 1} `),
      empty: '',
    };
    for (const [why, content] of Object.entries(variants)) {
      const bad = join(root, `bad-${why.replace(/ /g, '-')}.index`);
      await writeFile(bad, content);
      expect(await readLogIndex(bad, await described(root, path, bad)), why).toBeNull();
    }
    // Another reading of the same bytes: mounted under another name (another service), or grown since.
    expect(await readLogIndex(good, { ...file, path: 'logs/payments.log' }), 'another name').toBeNull();
    expect(await readLogIndex(good, { ...file, size: file.size + 1 }), 'another size').toBeNull();
    expect(await readLogIndex(join(root, 'missing.index'), file), 'missing').toBeNull();

    // A bundle given a damaged index walks the log, and says what the walk says.
    const damaged = join(root, 'bad-damaged.index');
    const mounted = await openMappedBundle([{ path, source: join(root, path), logIndex: damaged }], 'bundle');
    const plain = await openMappedBundle([{ path, source: join(root, path) }], 'bundle');
    expect(await mounted.index()).toEqual(await plain.index());
  });

  it('is built for the names a bundle gives its logs', () => {
    for (const name of ['api.log', 'api.log.1', 'api.log.gz', 'gw.jsonl', 'gw.ndjson.gz', 'app.txt', 'APP.LOG']) expect(isLogUploadName(name), name).toBe(true);
    for (const name of ['p99.json', 'changes.yaml', 'deploy-4821.diff', 'runbook.md', 'upload']) expect(isLogUploadName(name), name).toBe(false);
  });
});
