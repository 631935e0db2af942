import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { searchLogs } from '../../../src/hands/tools/search-logs.js';
import { call, contextFor, ONSET, writeBundle } from './helpers/bundle.js';

let dir: string;

beforeAll(async () => {
  dir = await writeBundle();
  await writeFile(
    path.join(dir, 'logs', 'edge.log.gz'),
    gzipSync('2026-11-20T14:05:00Z [edge] ERROR upstream timeout after 3000ms\n2026-11-20T14:05:01Z [edge] INFO fine\n'),
  );
});

describe('search_logs', () => {
  it('counts every match, shows the first ones with refs, and says how to page on', async () => {
    const { json, isError } = await call(searchLogs, { pattern: 'upstream timeout', max_matches: 5 }, await contextFor(dir));
    expect(isError).toBe(false);
    expect(json.total_matches).toBe(29);
    expect(json.files).toEqual([
      expect.objectContaining({ file: 'logs/checkout.log', matches: 28 }),
      expect.objectContaining({ file: 'logs/edge.log.gz', matches: 1 }),
    ]);
    expect(json.files_without_matches).toBe(1);
    expect(json.matches).toHaveLength(5);
    expect(json.matches[0]).toMatchObject({
      ref: 'logs/checkout.log:194',
      t: new Date(ONSET).toISOString(),
      level: 'error',
      service: 'checkout',
    });
    expect(json.matches[0].text).toContain('ERROR upstream timeout after 3000ms');
    expect(json.truncated).toEqual({ omitted: 24, next_offset: 5, hint: 'call search_logs again with offset: 5' });
    expect(json.summary).toContain('first 2026-11-20T14:02:00.000Z (8m before the page)');

    const next = await call(searchLogs, { pattern: 'upstream timeout', max_matches: 5, offset: 5 }, await contextFor(dir));
    expect(next.json.matches[0].ref).not.toBe(json.matches[4].ref);
    expect(next.json.offset).toBe(5);
  });

  it('counts matches over time, per minute', async () => {
    const { json } = await call(searchLogs, { pattern: 'upstream timeout', file: 'logs/checkout.log' }, await contextFor(dir));
    expect(json.over_time.bucket).toBe('1m');
    expect(json.over_time.counts[0]).toEqual(['2026-11-20T14:02:00.000Z', 1]);
    expect(json.over_time.counts.reduce((n: number, [, c]: [string, number]) => n + c, 0)).toBe(28);
  });

  it('filters by level, service, window and file; reads JSON lines and gzip', async () => {
    const context = await contextFor(dir);
    const warnings = await call(searchLogs, { pattern: 'charge', level: 'warn' }, context);
    expect(warnings.json.total_matches).toBe(28);
    expect(warnings.json.matches[0]).toMatchObject({ ref: 'logs/payments.jsonl:63', level: 'warn', service: 'payments' });
    const windowed = await call(searchLogs, { pattern: 'timeout after', from: '-8m', to: '-5m' }, context);
    expect(windowed.json.total_matches).toBe(5);
    const edge = await call(searchLogs, { pattern: 'timeout', service: 'edge' }, context);
    expect(edge.json.total_matches).toBe(1);
    expect(edge.json.matches[0].ref).toBe('logs/edge.log.gz:1');
    const onlyGz = await call(searchLogs, { pattern: 'fine', file: '*.gz' }, context);
    expect(onlyGz.json.files).toHaveLength(1);
  });

  it('attributes a match in a stack trace to the event above it, and shows context', async () => {
    const { json } = await call(searchLogs, { pattern: 'SocketTimeoutException', context: 1, max_matches: 1 }, await contextFor(dir));
    const [match] = json.matches;
    expect(match).toMatchObject({ in_event_above: true, level: 'error', t: '2026-11-20T14:03:00.000Z' });
    expect(match.before[0]).toContain('ERROR upstream timeout');
    expect(match.after[0]).toContain('at com.shop.Http.call');
  });

  it('searches with a regular expression, or case-insensitively', async () => {
    const context = await contextFor(dir);
    const regex = await call(searchLogs, { pattern: 'order=1(18|19)\\d$', regex: true }, context);
    expect(regex.json.total_matches).toBe(5);
    const folded = await call(searchLogs, { pattern: 'UPSTREAM TIMEOUT', ignore_case: true }, context);
    expect(folded.json.total_matches).toBe(29);
    const bad = await call(searchLogs, { pattern: '(unclosed', regex: true }, context);
    expect(bad.isError).toBe(true);
    expect(bad.json.error).toContain('not a valid regular expression');
  });

  it('stays within the output limit', async () => {
    const { json, text } = await call(searchLogs, { pattern: 'request completed', max_matches: 500, context: 2 }, await contextFor(dir, 4000));
    expect(text.length).toBeLessThanOrEqual(4000);
    const shown = json.matches.length as number;
    expect(json.total_matches).toBe(242);
    expect(json.truncated).toEqual({ omitted: 242 - shown, next_offset: shown, hint: `call search_logs again with offset: ${shown} (or less context)` });
  });

  it('explains what is wrong when nothing can be searched', async () => {
    const { json, isError } = await call(searchLogs, { pattern: 'x', file: 'logs/none.log' }, await contextFor(dir));
    expect(isError).toBe(true);
    expect(json.hint).toContain('logs/checkout.log');
  });
});
