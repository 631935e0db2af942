import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineChunks } from '../../../src/hands/analysis/log-chunks.js';
import { buildMatcher, chooseAnchor, scanChunks, type ScanHit } from '../../../src/hands/analysis/log-scan.js';
import { requiredLiteral } from '../../../src/hands/analysis/regex-literal.js';
import { tempDir } from './helpers/temp.js';

async function fileWith(content: string | Buffer): Promise<string> {
  const dir = await tempDir('incident-scan');
  const file = path.join(dir, 'app.log');
  await writeFile(file, content);
  return file;
}

/** Every match with its line number and context, like grep -n -C context. */
async function grep(file: string, pattern: string, options: { regex?: boolean; ignoreCase?: boolean; context?: number; chunkBytes?: number; detail?: number } = {}) {
  const hits: ScanHit[] = [];
  const lines: string[] = [];
  let accepted = 0;
  const detail = options.detail ?? Infinity;
  const stats = await scanChunks(lineChunks(file, { gzip: false, chunkBytes: options.chunkBytes ?? 64 }), {
    matcher: buildMatcher(pattern, { regex: options.regex ?? false, ignoreCase: options.ignoreCase ?? false }),
    context: options.context ?? 0,
    classify: (line) => line,
    wantsDetail: () => accepted < detail,
    detailDone: () => accepted >= detail,
    accept: (line, hit) => {
      accepted += 1;
      lines.push(line);
      if (hit) hits.push(hit);
    },
  });
  return { hits, lines, stats };
}

const LOG = Array.from({ length: 40 }, (_, i) => `2026-11-20T14:00:${String(i).padStart(2, '0')}Z ${i % 7 === 3 ? 'ERROR payment timeout' : 'INFO ok'} n=${i}`).join('\n');

describe('scanChunks', () => {
  it('finds literals across tiny chunks with exact line numbers and context', async () => {
    const file = await fileWith(`${LOG}\n`);
    const { hits, stats } = await grep(file, 'payment timeout', { context: 2, chunkBytes: 64 });
    const expected = [3, 10, 17, 24, 31, 38];
    expect(hits.map((h) => h.lineNo)).toEqual(expected.map((i) => i + 1));
    const lines = LOG.split('\n');
    for (const hit of hits) {
      const i = hit.lineNo - 1;
      expect(hit.text).toBe(lines[i]);
      expect(hit.before).toEqual(lines.slice(Math.max(0, i - 2), i));
      expect(hit.after).toEqual(lines.slice(i + 1, i + 3));
    }
    expect(stats.matchedLines).toBe(6);
    expect(stats.bytes).toBe(LOG.length + 1);
  });

  it('gives the same answer whatever the chunk size', async () => {
    const file = await fileWith(LOG);
    const reference = await grep(file, 'n=1', { chunkBytes: 1 << 20 });
    for (const chunkBytes of [16, 50, 97]) {
      const { hits } = await grep(file, 'n=1', { chunkBytes });
      expect(hits.map((h) => [h.lineNo, h.text])).toEqual(reference.hits.map((h) => [h.lineNo, h.text]));
    }
    expect(reference.hits.map((h) => h.lineNo)).toEqual([2, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });

  it('runs regular expressions with line anchors, with and without a required literal', async () => {
    const file = await fileWith(`${LOG}\n`);
    const anchored = await grep(file, 'n=3\\d$', { regex: true });
    expect(anchored.hits.map((h) => h.lineNo)).toEqual([31, 32, 33, 34, 35, 36, 37, 38, 39, 40]);
    const noLiteral = await grep(file, '^\\S+ E\\w+', { regex: true });
    expect(noLiteral.hits).toHaveLength(6);
    const folded = await grep(file, 'PAYMENT TIMEOUT', { ignoreCase: true });
    expect(folded.hits).toHaveLength(6);
  });

  it('strips CRLF and a BOM, and counts without detail once detail is done', async () => {
    const file = await fileWith(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(LOG.split('\n').join('\r\n'))]));
    const { hits, lines } = await grep(file, 'ERROR', { detail: 2 });
    expect(lines).toHaveLength(6);
    expect(hits).toHaveLength(2);
    expect(hits[0]?.text.endsWith('\r')).toBe(false);
    const first = await grep(file, '2026-11-20T14:00:00Z');
    expect(first.hits[0]?.text).toBe('2026-11-20T14:00:00Z INFO ok n=0');
  });

  it('handles a file without a final newline and lines longer than the chunk', async () => {
    const long = `${'x'.repeat(500)} needle ${'y'.repeat(500)}`;
    const file = await fileWith(`first\n${long}\nlast needle`);
    const { hits } = await grep(file, 'needle', { chunkBytes: 64 });
    expect(hits.map((h) => [h.lineNo, h.text.length])).toEqual([
      [2, long.length],
      [3, 11],
    ]);
  });
});

describe('anchors and required literals', () => {
  it('anchors on the rarest byte of the needle in the sample', () => {
    const anchor = chooseAnchor(Buffer.from('timeout after 3000ms'), Buffer.from('eeee tttt ffff aaaa oooo iiii mmmm uuuu rrrr 0000 ssss 3'));
    expect(anchor.offset).toBe(14);
    expect(anchor.piece.toString()).toBe('3000ms');
  });

  it('finds the literal every match must contain, or none', () => {
    expect(requiredLiteral('timeout after \\d+ms')).toBe('timeout after ');
    expect(requiredLiteral('connection (refused|reset) by peer')).toBe('connection ');
    expect(requiredLiteral('retries?: \\d+')).toBe('retrie');
    expect(requiredLiteral('a+bcd')).toBe('bcd');
    expect(requiredLiteral('status=5\\d\\d path=\\/api')).toBe(' path=/api');
    expect(requiredLiteral('error|warn')).toBeNull();
    expect(requiredLiteral('\\u0041BC')).toBeNull();
    expect(requiredLiteral('x{0,3}yz')).toBeNull();
  });
});
