import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES, mapLogFile } from '../../src/bundle/log-map.js';
import { walkLogEvents } from '../../src/bundle/log-walk.js';
import { readLogEvents } from '../../src/bundle/logs.js';
import type { BundleFile, LogEvent, WalkedEvent } from '../../src/bundle/types.js';
import { collect, problemLog, writeBundle } from './helpers.js';

const TEXT = [
  'boot banner',
  '   ',
  '2026-11-20T14:00:00Z INFO started',
  '2026-11-20 14:00:01,5 +01:00 [payments] WARN retrying',
  '2026-11-20T14:00:02Z ERROR [pool-1] com.example.Pay - timeout',
  '\tat com.example.Pay.call(Pay.java:1)',
  '',
  '2026-11-20T14:00:03Z level=error svc=cart msg="stock \\"lookup\\" failed"',
  'time=2026-11-20T14:00:04Z level=warn msg=leading',
  '{"time":"2026-11-20T14:00:05Z","level":"fatal","msg":"json","service":"gw"}',
  '2026-11-20T14:00:06Zjunk glued',
  '1795183331 [sérvice] héllo',
  '2026-11-20T14:00:07Z INFO crlf\r',
].join('\n');

function file(root: string, path: string, kind: BundleFile['kind'], gzip = false): BundleFile {
  return { path, absPath: join(root, path), kind, size: 0, gzip };
}

/** What the walk saw, in the shape readLogEvents gives (without continuation lines). */
async function walked(source: BundleFile, options: Parameters<typeof walkLogEvents>[3] = {}): Promise<{ events: object[]; problems: object[] }> {
  const problems = problemLog();
  const events: object[] = [];
  // The head the walk read is checked, not the parse's: it comes last.
  const visit = (e: WalkedEvent): void => void events.push({ ...e.parse(), t: e.t, level: e.level, service: e.service, line: e.line });
  await walkLogEvents(source, problems, visit, options);
  return { events, problems: [...problems.list()] };
}

async function reference(source: BundleFile): Promise<{ events: object[]; problems: object[] }> {
  const problems = problemLog();
  const events = (await collect(readLogEvents(source, problems))).map(({ continuation: _c, file: _f, ...rest }: LogEvent) => ({ ...rest }));
  return { events, problems: [...problems.list()] };
}

describe('walkLogEvents', () => {
  it('finds the events, line numbers and problems the line reader finds, in text, gzip and JSON lines', async () => {
    const jsonl = ['{"time":"2026-11-20T14:00:00Z","level":30,"msg":"ok"}', '', 'oops', '{"msg":"no time","service":"gw"}'].join('\n');
    const long = `2026-11-20T14:01:00Z INFO ${'x'.repeat((1 << 20) + 10)}`;
    const root = await writeBundle({
      'logs/app.log': `\ufeff${TEXT}\n${long}\n2026-11-20T14:02:00Z INFO after`,
      'logs/app.log.gz': gzipSync(TEXT),
      'logs/api.jsonl': jsonl,
    });
    for (const source of [file(root, 'logs/app.log', 'log_text'), file(root, 'logs/app.log.gz', 'log_text', true), file(root, 'logs/api.jsonl', 'log_jsonl')]) {
      expect(await walked(source)).toEqual(await reference(source));
    }
  });

  it('walks a range from a line start with its line number, as the tail of the whole walk', async () => {
    const root = await writeBundle({ 'logs/app.log': `${TEXT}\n` });
    const source = file(root, 'logs/app.log', 'log_text');
    const all = await walked(source);
    const offset = Buffer.byteLength(`${TEXT.split('\n').slice(0, 4).join('\n')}\n`);
    const tail = await walked(source, { range: { offset, line: 5, end: offset + Buffer.byteLength(`${TEXT.split('\n')[4]}\n`) } });
    expect(tail.events).toEqual(all.events.filter((e) => (e as { line: number }).line === 5));
  });

  it('reports a line that starts with a time but is no event, for a grep that dates lines by it', async () => {
    const root = await writeBundle({ 'logs/app.log': `${TEXT}\n` });
    const stamps: number[] = [];
    await walkLogEvents(file(root, 'logs/app.log', 'log_text'), problemLog(), () => undefined, { stamped: (t) => stamps.push(t) });
    expect(stamps).toEqual([Date.parse('2026-11-20T14:00:06Z')]);
  });
});

describe('mapLogFile', () => {
  it('summarises a log as the index did and maps it in blocks that start on event lines', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const t = new Date(Date.parse('2026-11-20T13:00:00Z') + i * 100).toISOString();
      lines.push(`${t} [svc-${i % 3}] ${i % 50 === 0 ? 'ERROR' : 'INFO'} request ${i} done in ${i % 97}ms`);
      if (i % 50 === 0) lines.push('\tat com.example.Handler.run(Handler.java:12)');
    }
    const root = await writeBundle({ 'logs/big.log': `${lines.join('\n')}\n` });
    const source = { ...file(root, 'logs/big.log', 'log_text'), size: Buffer.byteLength(`${lines.join('\n')}\n`) };
    const map = await mapLogFile(source, problemLog());
    const events = (await reference(source)).events as Array<{ t: number; line: number; level: string }>;
    expect(map.summary).toMatchObject({ events: 60_000, services: ['svc-0', 'svc-1', 'svc-2'], levels: { error: 1200, info: 58_800 }, malformed: 0 });
    expect(map.summary.start).toBe(events[0]?.t);
    expect(map.blocks.length).toBeGreaterThan(3);
    expect(map.blocks.at(-1)?.end).toBe(map.bytes);
    expect(map.blocks.reduce((n, b) => n + b.events, 0)).toBe(60_000);
    expect(map.blocks.reduce((n, b) => n + (b.levels[5] as number), 0)).toBe(1200);
    for (const [k, block] of map.blocks.entries()) {
      if (k > 0) expect(block.offset).toBe(map.blocks[k - 1]?.end);
      if (k < map.blocks.length - 1) expect(block.end - block.offset).toBeGreaterThanOrEqual(BLOCK_BYTES);
      const first = events.find((e) => e.line === block.line);
      expect(first?.t, `block ${k} starts on an event line`).toBe(block.first);
    }
  });
});
