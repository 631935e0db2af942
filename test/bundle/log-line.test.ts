import { describe, expect, it } from 'vitest';
import { parseLevel } from '../../src/bundle/levels.js';
import { parseLogLine } from '../../src/bundle/log-line.js';
import { parseLogfmt } from '../../src/bundle/logfmt.js';

const T = Date.UTC(2026, 10, 20, 14, 2, 11, 123);
const parse = (line: string) => parseLogLine(line, 'checkout');

describe('parseLogLine: timestamps', () => {
  it('accepts ISO, epoch seconds (int and fraction), epoch ms, and a bracketed time', () => {
    expect(parse('2026-11-20T14:02:11.123Z INFO ok')?.t).toBe(T);
    expect(parse('2026-11-20 15:02:11.123+01:00 INFO ok')?.t).toBe(T);
    expect(parse('1795183331 INFO ok')?.t).toBe(T - 123);
    expect(parse('1795183331.123 INFO ok')?.t).toBe(T);
    expect(parse('1795183331123 INFO ok')?.t).toBe(T);
    expect(parse('[2026-11-20T14:02:11.123Z] INFO ok')?.t).toBe(T);
  });

  it('returns null for lines that do not start with a timestamp (continuations)', () => {
    for (const line of ['\tat com.example.Foo.bar(Foo.java:42)', 'Caused by: java.io.IOException', '    ... 12 more', '', '404 page', '2026-11-20x']) {
      expect(parse(line)).toBeNull();
    }
  });
});

describe('parseLogLine: layouts', () => {
  it('LEVEL message, with the level in any case, bracketed or followed by a colon', () => {
    expect(parse('2026-11-20T14:02:11.123Z ERROR payment declined')).toEqual({
      t: T,
      level: 'error',
      service: 'checkout',
      message: 'payment declined',
      attributes: {},
    });
    expect(parse('2026-11-20T14:02:11.123Z warning: disk 91%')).toMatchObject({ level: 'warn', message: 'disk 91%' });
    expect(parse('2026-11-20T14:02:11.123Z [CRIT] oom')).toMatchObject({ level: 'fatal', message: 'oom' });
    expect(parse('2026-11-20T14:02:11.123Z Err connection reset')).toMatchObject({ level: 'error', message: 'connection reset' });
  });

  it('a line with no level keeps its whole text as the message', () => {
    expect(parse('2026-11-20T14:02:11.123Z GET /cart 200 12ms')).toMatchObject({ level: null, message: 'GET /cart 200 12ms' });
  });

  it('logback/log4j: LEVEL [thread] logger - message', () => {
    expect(parse('2026-11-20T14:02:11.123Z ERROR [http-nio-8080-exec-3] com.example.PaymentClient - call failed: timeout')).toEqual({
      t: T,
      level: 'error',
      service: 'checkout',
      message: 'call failed: timeout',
      attributes: { thread: 'http-nio-8080-exec-3', logger: 'com.example.PaymentClient' },
    });
  });

  it("logback's default: [thread] LEVEL dotted.logger - message (padding included)", () => {
    expect(parse('2026-11-20 14:02:11.123 [main] INFO  c.e.checkout.Boot - started')).toMatchObject({
      level: 'info',
      service: 'checkout',
      message: 'started',
      attributes: { thread: 'main', logger: 'c.e.checkout.Boot' },
    });
  });

  it('[service] tag, alone or followed by LEVEL message', () => {
    expect(parse('2026-11-20T14:02:11.123Z [payments] ERROR card declined')).toMatchObject({
      service: 'payments',
      level: 'error',
      message: 'card declined',
    });
    expect(parse('2026-11-20T14:02:11.123Z [payments] retrying in 2s')).toMatchObject({
      service: 'payments',
      level: null,
      message: 'retrying in 2s',
    });
  });

  it('logfmt pairs with level, service/svc/app and a quoted msg', () => {
    expect(parse('2026-11-20T14:02:11.123Z level=error service=cart msg="timeout talking to \\"db\\"" attempt=3 retry')).toEqual({
      t: T,
      level: 'error',
      service: 'cart',
      message: 'timeout talking to "db"',
      attributes: { attempt: '3', retry: true },
    });
    expect(parse('2026-11-20T14:02:11.123Z lvl=WARN svc=search msg=slow')).toMatchObject({ level: 'warn', service: 'search' });
    expect(parse('2026-11-20T14:02:11.123Z level=info app=web msg=hi')).toMatchObject({ service: 'web' });
    expect(parse('2026-11-20T14:02:11.123Z level=50 msg=boom')).toMatchObject({ level: 'error', service: 'checkout' });
  });

  it('logfmt without msg keeps the pairs as the message; a tag before logfmt names the service', () => {
    expect(parse('2026-11-20T14:02:11.123Z status=500 path=/pay')).toMatchObject({ message: 'status=500 path=/pay', level: null });
    expect(parse('2026-11-20T14:02:11.123Z [cart] level=warn msg="low stock"')).toMatchObject({ service: 'cart', level: 'warn', message: 'low stock' });
  });

  it('logfmt that starts with its time pair, and JSON records with a time, are events too', () => {
    expect(parse('time=2026-11-20T14:02:11.123Z level=info msg=hello app=web')).toMatchObject({ t: T, service: 'web', message: 'hello' });
    expect(parse('{"time":1795183331123,"level":40,"msg":"pino"}')).toMatchObject({ t: T, level: 'warn', message: 'pino' });
    expect(parse('{"no":"time"}')).toBeNull();
  });
});

describe('parseLevel', () => {
  it('reads names case-insensitively and pino/bunyan numbers', () => {
    expect(['TRACE', 'debug', 'Info', 'WARN', 'warning', 'ERROR', 'err', 'FATAL', 'critical', 'crit', 'PANIC'].map(parseLevel)).toEqual([
      'trace', 'debug', 'info', 'warn', 'warn', 'error', 'error', 'fatal', 'fatal', 'fatal', 'fatal',
    ]);
    expect([10, 20, 30, 40, 50, 60, '50', 35].map(parseLevel)).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'error', 'info']);
    expect([0, -1, 'loud', '', null, {}].map(parseLevel)).toEqual([null, null, null, null, null, null]);
  });
});

describe('parseLogfmt', () => {
  it('reads quoted values with escapes, flags and an unterminated quote', () => {
    expect(parseLogfmt('a=1 b="two words" c="tab\\there" flag d= e="open')).toEqual([
      ['a', '1'],
      ['b', 'two words'],
      ['c', 'tab\there'],
      ['flag', true],
      ['d', ''],
      ['e', 'open'],
    ]);
  });
});
