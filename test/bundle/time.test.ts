import { describe, expect, it } from 'vitest';
import { formatTime, parseDuration, parseTime, scanTime } from '../../src/bundle/time.js';
import { ByteTime } from '../../src/bundle/time-bytes.js';

const T = Date.UTC(2026, 10, 20, 14, 2, 11, 123);

describe('parseTime', () => {
  it('reads RFC 3339 with Z, offsets, comma fractions and a space separator', () => {
    expect(parseTime('2026-11-20T14:02:11.123Z')).toBe(T);
    expect(parseTime('2026-11-20T15:02:11.123+01:00')).toBe(T);
    expect(parseTime('2026-11-20T09:02:11.123-0500')).toBe(T);
    expect(parseTime('2026-11-20 14:02:11,123Z')).toBe(T);
    expect(parseTime('2026-11-20T14:02:11.123456789Z')).toBe(T);
    expect(parseTime('2026-11-20T14:02Z')).toBe(T - 11_123);
  });

  it('reads a time without a zone as UTC, and a bare date as midnight UTC', () => {
    expect(parseTime('2026-11-20T14:02:11.123')).toBe(T);
    expect(parseTime('2026-11-20')).toBe(Date.UTC(2026, 10, 20));
  });

  it('reads epoch seconds (integer and fraction), milliseconds, micro- and nanoseconds', () => {
    expect(parseTime(1795183331)).toBe(1795183331000);
    expect(parseTime('1795183331.123')).toBe(T);
    expect(parseTime(1795183331.123)).toBe(T);
    expect(parseTime('1795183331123')).toBe(T);
    expect(parseTime(1795183331123)).toBe(T);
    expect(parseTime('1795183331123000')).toBe(T);
    expect(parseTime('1795183331123000000')).toBe(T);
  });

  it('takes Date objects (unquoted YAML timestamps) and git/mail dates', () => {
    expect(parseTime(new Date(T))).toBe(T);
    expect(parseTime('Fri, 20 Nov 2026 15:02:11 +0100')).toBe(T - 123);
    expect(parseTime('Fri Nov 20 15:02:11 2026 +0100')).toBe(T - 123);
  });

  it('rejects what is not a time', () => {
    for (const bad of ['', 'soon', '2026-13-01T00:00:00Z', 'Nov 20 14:02:11', null, undefined, {}, Number.NaN, Number.POSITIVE_INFINITY, new Date('x')]) {
      expect(parseTime(bad)).toBeNull();
    }
  });
});

describe('scanTime', () => {
  it('finds a leading timestamp and where it ends', () => {
    expect(scanTime('2026-11-20T14:02:11.123Z INFO x')).toEqual({ t: T, end: 24 });
    expect(scanTime('2026-11-20 14:02:11 +0100 x')).toEqual({ t: T - 123 - 3_600_000, end: 25 });
    expect(scanTime('1795183331.123 x')).toEqual({ t: T, end: 14 });
    expect(scanTime('1795183331123 x')).toEqual({ t: T, end: 13 });
  });

  it('does not take short numbers or a following dash for a time', () => {
    expect(scanTime('404 not found')).toBeNull();
    expect(scanTime('12345 rows')).toBeNull();
    expect(scanTime('2026-11-20 14:02:11 - 5 retries')?.end).toBe(19);
  });
});

describe('times an incident cannot carry', () => {
  it('are no time: zeros and small numbers read as an epoch, 1970 written out, years far from now', () => {
    for (const value of [0, '0', 1, '1000', 86_400, '0000000000', '0000000000000', '1970-01-01T00:00:00Z', '1969-12-31T21:00:00Z', '1999-12-31', '2100-01-01T00:00:00Z', new Date(0), 'Thu Jan 01 00:00:00 1970 +0000']) {
      expect(parseTime(value), String(value)).toBeNull();
    }
    expect(parseTime('2000-01-01T00:00:00Z')).toBe(Date.UTC(2000, 0, 1));
    expect(parseTime('2099-12-31T23:59:59Z')).toBe(Date.UTC(2099, 11, 31, 23, 59, 59));
  });

  it('never start a log line, read as text or as bytes', () => {
    const time = new ByteTime();
    for (const line of ['0000000000 ERROR boot', '0000000001.5 INFO x', '0000000000000 WARN y', '1970-01-01T00:00:05Z INFO clock not set', '3021-01-01T00:00:00Z INFO z']) {
      expect(scanTime(line, 0), line).toBeNull();
      const bytes = Buffer.from(line);
      expect(time.scan(bytes, 0, bytes.length), line).toBe(false);
    }
  });
});

describe('formatTime', () => {
  it('prints RFC 3339 UTC with milliseconds', () => {
    expect(formatTime(T)).toBe('2026-11-20T14:02:11.123Z');
    expect(formatTime(Number.NaN)).toBe('invalid time');
  });
});

describe('parseDuration', () => {
  it('reads units, combinations and bare seconds', () => {
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('30')).toBe(30_000);
  });

  it('rejects anything else', () => {
    for (const bad of ['', 'm', '15x', '15m garbage', '-5m']) expect(parseDuration(bad)).toBeNull();
  });
});
