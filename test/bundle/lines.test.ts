import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isGzipFile, openByteStream, openLineStream, readLineBatches } from '../../src/bundle/lines.js';
import { collect, writeBundle } from './helpers.js';

async function linesOf(absPath: string, options = {}): Promise<Array<{ line: string; lineNo: number }>> {
  return collect(openLineStream(absPath, options));
}

describe('openLineStream', () => {
  it('numbers lines and drops CRLF endings and a leading BOM', async () => {
    const root = await writeBundle({ 'a.log': '\uFEFFfirst\r\nsecond\r\n\r\nfourth' });
    expect(await linesOf(join(root, 'a.log'))).toEqual([
      { line: 'first', lineNo: 1 },
      { line: 'second', lineNo: 2 },
      { line: '', lineNo: 3 },
      { line: 'fourth', lineNo: 4 },
    ]);
  });

  it('yields nothing for an empty file and no extra line after a final newline', async () => {
    const root = await writeBundle({ 'empty.log': '', 'one.log': 'only\n' });
    expect(await linesOf(join(root, 'empty.log'))).toEqual([]);
    expect(await linesOf(join(root, 'one.log'))).toEqual([{ line: 'only', lineNo: 1 }]);
  });

  it('decompresses gzip, found by magic bytes whatever the name', async () => {
    const root = await writeBundle({ 'a.log.gz': gzipSync('x\r\ny\n'), 'disguised.log': gzipSync('z\n') });
    expect(await linesOf(join(root, 'a.log.gz'))).toEqual([
      { line: 'x', lineNo: 1 },
      { line: 'y', lineNo: 2 },
    ]);
    expect(isGzipFile(join(root, 'disguised.log'))).toBe(true);
    expect((await linesOf(join(root, 'disguised.log'))).map((l) => l.line)).toEqual(['z']);
  });

  it('keeps lines and multi-byte characters whole across chunk boundaries', async () => {
    // 700 KB lines cross the 256 KB read chunks; the euro sign is three bytes.
    const long = '€'.repeat(240_000);
    const root = await writeBundle({ 'big.log': `${long}\nshort\n${long}x` });
    const lines = await linesOf(join(root, 'big.log'));
    expect(lines.map((l) => l.line.length)).toEqual([240_000, 5, 240_001]);
    expect(lines[0]?.line).toBe(long);
    expect(lines[2]?.lineNo).toBe(3);
  });

  it('cuts a runaway line at maxLineLength and says which line it cut', async () => {
    const root = await writeBundle({ 'runaway.log': `${'a'.repeat(5000)}\nnext\n` });
    const batches = await collect(readLineBatches(join(root, 'runaway.log'), { maxLineLength: 100 }));
    expect(batches.flatMap((b) => b.lines)).toEqual(['a'.repeat(100), 'next']);
    expect(batches.flatMap((b) => b.truncated)).toEqual([1]);
  });

  it('ends quietly when aborted, and stops reading when the consumer breaks', async () => {
    const root = await writeBundle({ 'many.log': 'line\n'.repeat(200_000) });
    const controller = new AbortController();
    let seen = 0;
    for await (const _ of openLineStream(join(root, 'many.log'), { signal: controller.signal })) {
      seen += 1;
      if (seen === 10) controller.abort();
    }
    expect(seen).toBeLessThan(200_000);
    let count = 0;
    for await (const _ of openLineStream(join(root, 'many.log'))) if (++count === 3) break;
    expect(count).toBe(3);
  });

  it('throws for a missing file and for a truncated gzip, after the lines it could read', async () => {
    const root = await writeBundle({ 'cut.log.gz': gzipSync('one\ntwo\n'.repeat(1000)).subarray(0, 40) });
    await expect(linesOf(join(root, 'nope.log'))).rejects.toThrow(/ENOENT/);
    await expect(linesOf(join(root, 'cut.log.gz'))).rejects.toThrow();
  });
});

describe('openByteStream', () => {
  it('gives the decompressed bytes of a gzip file and the raw bytes of a plain one', async () => {
    const root = await writeBundle({ 'a.gz': gzipSync('hello gzip'), 'b.txt': 'plain' });
    const read = async (path: string): Promise<string> => Buffer.concat(await collect(openByteStream(path))).toString();
    expect(await read(join(root, 'a.gz'))).toBe('hello gzip');
    expect(await read(join(root, 'b.txt'))).toBe('plain');
  });
});
