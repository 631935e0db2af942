import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFile } from '../../../src/hands/tools/read-file.js';
import { call, contextFor, writeBundle } from './helpers/bundle.js';
import { tempDir } from './helpers/temp.js';

let dir: string;

beforeAll(async () => {
  dir = await writeBundle({
    'configs/long.txt': Array.from({ length: 500 }, (_, i) => `line ${i + 1}`).join('\r\n'),
    'blob.bin': '\u0000\u0001binary',
  });
  await writeFile(path.join(dir, 'logs', 'old.log.gz'), gzipSync('2026-11-20T13:00:00Z INFO first\n2026-11-20T13:00:01Z INFO second\n'));
  const outside = await tempDir('incident-outside');
  await writeFile(path.join(outside, 'anything'), 'secret\n');
  await symlink(outside, path.join(dir, 'tmp-link'));
});

describe('read_file', () => {
  it('reads a range as numbered lines with a citable ref', async () => {
    const { json, isError } = await call(readFile, { path: 'runbooks/checkout.md', start: 3, end: 4 }, await contextFor(dir));
    expect(isError).toBe(false);
    expect(json.ref).toBe('runbooks/checkout.md:3-4');
    expect(json.total_lines).toBe(4);
    expect(json.lines).toEqual(['3| 1. Check the latest deploy.', '4| 2. Roll back if latency rose after it.']);
    expect(json.truncated).toBeUndefined();
  });

  it('pages: says how many lines follow and where to start next', async () => {
    const { json } = await call(readFile, { path: 'configs/long.txt' }, await contextFor(dir));
    expect(json.lines).toHaveLength(200);
    expect(json.lines[199]).toBe('200| line 200');
    expect(json.total_lines).toBe(500);
    expect(json.truncated).toEqual({ omitted: 300, next_offset: 201, hint: 'call read_file with path: "configs/long.txt", start: 201' });
    const next = await call(readFile, { path: 'configs/long.txt', start: 201, end: 500 }, await contextFor(dir));
    expect(next.json.lines[0]).toBe('201| line 201');
    expect(next.json.lines).toHaveLength(300);
  });

  it('stops at the output limit and says where to go on', async () => {
    const { json, text } = await call(readFile, { path: 'configs/long.txt', start: 1, end: 500 }, await contextFor(dir, 2000));
    expect(text.length).toBeLessThanOrEqual(2000);
    const shown = json.lines.length as number;
    expect(shown).toBeGreaterThan(10);
    expect(json.truncated.hint).toBe(`call read_file with path: "configs/long.txt", start: ${shown + 1}`);
  });

  it('reads gzip files and files the bundle does not recognise', async () => {
    const gz = await call(readFile, { path: 'logs/old.log.gz' }, await contextFor(dir));
    expect(gz.json.lines).toEqual(['1| 2026-11-20T13:00:00Z INFO first', '2| 2026-11-20T13:00:01Z INFO second']);
    const notes = await call(readFile, { path: 'notes.txt' }, await contextFor(dir));
    expect(notes.json.total_lines).toBe(1);
  });

  it('refuses paths outside the bundle with a clear error', async () => {
    const context = await contextFor(dir);
    for (const request of ['../etc/passwd', '/etc/passwd', 'tmp-link/anything']) {
      const { json, isError } = await call(readFile, { path: request }, context);
      expect(isError, request).toBe(true);
      expect(json.error).toMatch(/\.\.|outside|no file/);
      expect(json.hint).toBeTruthy();
    }
  });

  it('refuses binary files and a start past the end', async () => {
    const binary = await call(readFile, { path: 'blob.bin' }, await contextFor(dir));
    expect(binary.isError).toBe(true);
    expect(binary.json.error).toContain('binary');
    const past = await call(readFile, { path: 'runbooks/checkout.md', start: 10 }, await contextFor(dir));
    expect(past.isError).toBe(true);
    expect(past.json.hint).toContain('between 1 and 4');
  });
});
