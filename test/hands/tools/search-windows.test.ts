import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBundle, type Bundle } from '../../../src/bundle/index.js';
import { searchLogs } from '../../../src/hands/tools/search-logs.js';
import { call, contextFor } from './helpers/bundle.js';
import { tempDir } from './helpers/temp.js';

const START = Date.parse('2026-11-20T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();
const timeOf = (i: number): number => START + i * 100;
/** An output limit no result here reaches, so every match is listed. */
const UNCUT = 10_000_000;

/** 90,000 requests, one line each, a stack trace after every 97th: several blocks of the map. */
async function writeLog(): Promise<string> {
  const dir = await tempDir('incident-search-windows');
  const lines: string[] = [];
  for (let i = 0; i < 90_000; i++) {
    lines.push(`${iso(timeOf(i))} ${i % 97 === 0 ? 'ERROR' : 'INFO'} req=${i} GET /api/items status=200 took ${i % 50}ms`);
    if (i % 97 === 0) lines.push('java.net.SocketTimeoutException: Read timed out', `\tat com.shop.Http.call(Http.java:${i % 9})`);
  }
  await mkdir(path.join(dir, 'logs'), { recursive: true });
  await writeFile(path.join(dir, 'incident.yaml'), `title: t\nservice: app\nstarted_at: ${iso(timeOf(45_000))}\n`);
  await writeFile(path.join(dir, 'logs/app.log'), `${lines.join('\n')}\n`);
  return dir;
}

let dir: string;
let bundle: Bundle;
beforeAll(async () => {
  dir = await writeLog();
  bundle = await openBundle(dir);
});

/** The request number on a line. */
async function requestAt(line: number): Promise<number> {
  const { json } = await call(searchLogs, { pattern: '.', regex: true, max_matches: 1, offset: line - 1 }, await contextFor(dir));
  return Number(/req=(\d+)/.exec(json.matches[0].text)?.[1]);
}

describe('search_logs with a time window on a large file', () => {
  it('reads only the blocks the window reaches, and finds what a whole scan finds, context included', async () => {
    const file = bundle.files.find((f) => f.path === 'logs/app.log');
    const map = await bundle.logMap(file!);
    expect(map.blocks.length).toBeGreaterThan(4);
    // A window from the first line of the third block to the last line of the fourth: matches
    // on those two lines need context from the blocks around, which the search skips.
    const first = await requestAt(map.blocks[2]!.line);
    const last = (await requestAt(map.blocks[4]!.line)) - 1;
    const pattern = `req=${first} |req=${last} |Read timed out`;
    const windowed = await call(searchLogs, { pattern, regex: true, context: 2, from: iso(timeOf(first)), to: iso(timeOf(last)), max_matches: 500 }, await contextFor(dir, UNCUT));
    // Every 97th request has a timeout stack trace: those before the window come first in a whole scan.
    const before = Math.ceil(first / 97);
    const whole = await call(searchLogs, { pattern, regex: true, context: 2, max_matches: 500, offset: before }, await contextFor(dir, UNCUT));

    const inWindow = whole.json.matches.filter((m: { t: string }) => m.t >= iso(timeOf(first)) && m.t <= iso(timeOf(last)));
    expect(windowed.json.total_matches).toBe(inWindow.length);
    expect(windowed.json.matches).toEqual(inWindow);
    expect(windowed.json.matches[0].text).toContain(`req=${first} `);
    expect(windowed.json.matches[0].before).toHaveLength(2);
    expect(windowed.json.matches.at(-1).text).toContain(`req=${last} `);
    expect(windowed.json.matches.at(-1).after).toHaveLength(2);
    const size = (await stat(path.join(dir, 'logs/app.log'))).size;
    expect(windowed.json.files[0].bytes_scanned).toBeLessThan(size / 2);
    expect(whole.json.files[0].bytes_scanned).toBe(size);
  });
});
