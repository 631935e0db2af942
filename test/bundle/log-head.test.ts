import { describe, expect, it } from 'vitest';
import { HEAD_EVENT, HEAD_NONE, HEAD_UNSURE, LineHeads } from '../../src/bundle/log-head.js';
import { parseLogLine } from '../../src/bundle/log-line.js';
import { ByteTime } from '../../src/bundle/time-bytes.js';
import { scanTime } from '../../src/bundle/time.js';
import { rng as random } from '../hands/tools/helpers/random.js';


const TIMES = [
  '2026-11-20T14:02:11.123Z',
  '2026-11-20 15:02:11,5 +01:00',
  '2026-11-20T14:02Z',
  '2026-11-20 14:02:11 UTC',
  '2026-11-20 14:02:11 UTCX',
  '2026-11-20T14:02:11+0130',
  '2026-11-20T14:02:11-05',
  '2026-11-20 14:02:11 -5',
  '2026-11-20T24:00:00z',
  '2026-13-20T14:02:11Z',
  '2026-11-20T14:02:61Z',
  '0099-01-01T00:00:00Z',
  '1795183331',
  '1795183331.123',
  '1795183331123',
  '1795183331123456',
  '1795183331123456789',
  '17951833',
  '2026-11-20x',
  '2026-11-20T14:02:11.123456789Z',
];
const AFTER_TIME = ['', ' ', '  ', '\t', 'x', ']', '] ', ':'];
const LEVELS = ['INFO', 'info', 'Info:', 'WARN', '[WARN]', 'warning', 'ERR', 'error:', 'FATAL', 'crit', 'notice', 'severe', 'emerg', 'PANIC', 'TRACE', 'debug', 'INFORMATION', 'ÉRROR', '\u212Aill', '[]', '[', ':', 'levels'];
const TAGS = ['[checkout]', '[main]', '[pool-1]', '[a b]', '[]', '[WARN]', '[sérvice]', '[svc:8080/x@y]', '[x', '[http-nio-8080-exec-3]'];
const LOGGERS = ['c.e.checkout.Boot -', 'com.example.Pay:42 -', 'word -', 'a.b -x', 'a.b', 'a..b -', 'a.b:x -', '$x.y_z -', '-', 'a.b - '];
const PAIRS = [
  'level=error',
  'lvl=WARN',
  'severity="error"',
  'LEVEL=info',
  'Level=30',
  'level=50',
  'level=',
  'level="  warn "',
  'level=\\"x\\"',
  'level="w\\"arn"',
  'level=000000000000000000045',
  'level=999999999999999999999',
  'service=cart',
  'Service=Upper',
  'svc=a',
  'app=b',
  'service=',
  'service="a\\"b"',
  'service="quoted name"',
  'service=sérvice',
  'app="unterminated',
  'msg="x y"',
  'msg="unterminated level=error',
  '=value',
  'flag',
  'clé=valeur',
  'time=2026-11-20T14:00:00Z',
  'a="b"c=d',
  'level=info\u00a0',
];
const WORDS = ['payment', 'declined', 'GET', '/api/cart', 'status=200', '-', '—', 'héllo', '"quoted"', '{', '}', '[x]', 'a=b', '\u00a0', ' '];
const LEADS = ['', '', '', '', '[', '{"time":"2026-11-20T14:00:00Z","level":"warn","msg":"x"}', '{bad', 'time=', 'ts=1795183331 ', 'timestamp="2026-11-20T14:00:00Z" ', 'tomorrow ', '\tat com.x', 'Caused by: x', '   '];

function line(rand: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const lead = pick(LEADS);
  if (lead !== '' && lead !== '[') return lead + (rand() < 0.5 ? pick(PAIRS) : '');
  let text = lead + pick(TIMES) + (lead === '[' ? pick(['] ', ']', ' ']) : pick(AFTER_TIME));
  const parts: string[] = [];
  const shape = Math.floor(rand() * 6);
  if (shape === 0) parts.push(pick(LEVELS));
  if (shape === 1) parts.push(pick(TAGS), pick(LEVELS));
  if (shape === 2) parts.push(pick(TAGS), pick(LEVELS), pick(LOGGERS));
  if (shape === 3) parts.push(pick(LEVELS), pick(TAGS), pick(LOGGERS));
  if (shape === 4) for (let k = 0; k < 1 + rand() * 4; k++) parts.push(pick(PAIRS));
  if (shape === 5) parts.push(pick(TAGS), pick(PAIRS), pick(PAIRS));
  for (let k = 0; k < rand() * 4; k++) parts.push(pick(WORDS));
  text += parts.join(rand() < 0.8 ? ' ' : pick(['', '  ', '\t']));
  return text;
}

describe('LineHeads (log lines read as bytes)', () => {
  it('agrees with parseLogLine on time, level and service wherever it answers', () => {
    const rand = random(20261120);
    const heads = new LineHeads('fallback');
    let unsure = 0;
    const total = 40_000;
    for (let k = 0; k < total; k++) {
      const text = line(rand);
      const bytes = Buffer.from(text, 'utf8');
      const kind = heads.read(bytes, 0, bytes.length);
      const parsed = parseLogLine(text, 'fallback');
      if (kind === HEAD_UNSURE) {
        if (/^\[?\d/.test(text)) unsure += 1;
        continue;
      }
      if (kind === HEAD_NONE) {
        expect(parsed, text).toBeNull();
        continue;
      }
      expect(kind).toBe(HEAD_EVENT);
      expect({ text, t: heads.t, level: heads.level, service: heads.service }).toEqual({ text, t: parsed?.t, level: parsed?.level, service: parsed?.service });
    }
    // Of the lines led by a time, only logfmt values with escapes or odd spaces are left to the parser.
    expect(unsure / total).toBeLessThan(0.05);
  });

  it('reads the common layouts itself, inside a larger buffer, without running past the line end', () => {
    const heads = new LineHeads('checkout');
    const lines = [
      ['2026-11-20T14:02:11.123Z INFO [edge-proxy] GET /api/items/1 status=200', 'info', 'checkout'],
      ['2026-11-20T14:02:11.123Z [payments] WARN retrying', 'warn', 'payments'],
      ['2026-11-20 14:02:11.123 [main] INFO  c.e.checkout.Boot - started', 'info', 'checkout'],
      ['2026-11-20T14:02:11Z level=error service=cart msg="stock lookup failed"', 'error', 'cart'],
      ['1795183331 ERROR', 'error', 'checkout'],
    ] as const;
    const buffer = Buffer.from(`${lines.map(([text]) => text).join('\n')}\n`);
    let start = 0;
    for (const [text, level, service] of lines) {
      const end = start + Buffer.byteLength(text);
      expect(heads.read(buffer, start, end)).toBe(HEAD_EVENT);
      expect({ level: heads.level, service: heads.service, t: heads.t }).toEqual({ level, service, t: parseLogLine(text, 'checkout')?.t });
      start = end + 1;
    }
    // `1795183331 ERROR` then `\n`: the level word stops at the line end, not at the next newline.
    expect(heads.read(Buffer.from('2026-11-20T14:02:11Z\n INFO'), 0, 20)).toBe(HEAD_EVENT);
    expect(heads.level).toBeNull();
  });

  it('reads timestamps exactly as scanTime does', () => {
    const time = new ByteTime();
    for (const text of TIMES) {
      const bytes = Buffer.from(`${text} rest`);
      const scanned = scanTime(`${text} rest`, 0);
      expect(time.scan(bytes, 0, bytes.length), text).toBe(scanned !== null);
      if (scanned) expect({ t: time.t, end: time.end }).toEqual(scanned);
    }
  });
});
