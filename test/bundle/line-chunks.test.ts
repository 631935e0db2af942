import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { lineChunks, readLinesAfter, readLinesBefore } from '../../src/bundle/line-chunks.js';
import { writeBundle } from './helpers.js';

const LINES = Array.from({ length: 400 }, (_, i) => `line ${i + 1} ${'x'.repeat(i % 37)}`);
const TEXT = `${LINES.join('\n')}\n`;
const offsetOf = (lineNo: number): number => Buffer.byteLength(LINES.slice(0, lineNo - 1).map((l) => `${l}\n`).join(''));

describe('lineChunks', () => {
  it('reads a byte range of a plain or gzip file in whole lines, whatever the chunk size', async () => {
    const root = await writeBundle({ 'a.log': TEXT, 'a.log.gz': gzipSync(TEXT) });
    const start = offsetOf(101);
    const end = offsetOf(301);
    const want = LINES.slice(100, 300).join('\n');
    for (const [name, gzip] of [['a.log', false], ['a.log.gz', true]] as const) {
      for (const chunkBytes of [64, 4096]) {
        const chunks: Buffer[] = [];
        // A chunk is valid until the next one is read: keep copies.
        for await (const chunk of lineChunks(join(root, name), { gzip, chunkBytes, start, end })) chunks.push(Buffer.from(chunk));
        expect(chunks.every((c) => c[c.length - 1] === 10)).toBe(true);
        expect(Buffer.concat(chunks).toString().trimEnd()).toBe(want);
      }
    }
  });
});

describe('readLinesBefore / readLinesAfter', () => {
  it('read the lines around an offset as a line reader gives them', async () => {
    const root = await writeBundle({ 'a.log': TEXT, 'crlf.log': `\ufefffirst\r\nsecond\r\nthird\r\n` });
    const path = join(root, 'a.log');
    expect(readLinesBefore(path, offsetOf(200), 3)).toEqual(LINES.slice(196, 199));
    expect(readLinesAfter(path, offsetOf(200), 2)).toEqual(LINES.slice(199, 201));
    expect(readLinesBefore(path, offsetOf(2), 5)).toEqual([LINES[0]]);
    expect(readLinesBefore(path, 0, 5)).toEqual([]);
    expect(readLinesAfter(path, Buffer.byteLength(TEXT), 2)).toEqual([]);
    const crlf = join(root, 'crlf.log');
    expect(readLinesBefore(crlf, Buffer.byteLength('\ufefffirst\r\nsecond\r\n'), 5)).toEqual(['first', 'second']);
    expect(readLinesAfter(crlf, Buffer.byteLength('\ufefffirst\r\n'), 5)).toEqual(['second', 'third']);
  });

  it('reach back and forward past their first probe for long lines', async () => {
    const long = ['a'.repeat(100_000), 'b'.repeat(70_000), 'c', 'd'.repeat(90_000), 'e'];
    const root = await writeBundle({ 'long.log': `${long.join('\n')}\n` });
    const path = join(root, 'long.log');
    const at = Buffer.byteLength(`${long.slice(0, 3).join('\n')}\n`);
    expect(readLinesBefore(path, at, 3)).toEqual(long.slice(0, 3));
    expect(readLinesAfter(path, at, 2)).toEqual(long.slice(3, 5));
  });
});
