// The leading timestamp of a log line read straight from its bytes, so a scan over a gigabyte
// never decodes a line it does not need. It follows scanIsoTime/scanEpochTime in time.ts step
// for step (same checks, same arithmetic, so the same instant), bounded by the line's end where
// the string readers run off the end of their text. A timestamp is ASCII: a byte above 0x7f
// fails every check there, as the character it starts would.

import { dayStart, fromEpochNumber, isPlausibleTime } from './time.js';

function digit(buf: Buffer, i: number, end: number): number {
  if (i >= end) return -1;
  const d = (buf[i] as number) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

function digits(buf: Buffer, i: number, count: number, end: number): number {
  let n = 0;
  for (let k = 0; k < count; k++) {
    const d = digit(buf, i + k, end);
    if (d < 0) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Two digits at i (the caller knows they are inside the line); -1 when either is not a digit. */
function two(buf: Buffer, i: number): number {
  const a = (buf[i] as number) - 48;
  const b = (buf[i + 1] as number) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function four(buf: Buffer, i: number): number {
  const high = two(buf, i);
  const low = two(buf, i + 2);
  return high < 0 || low < 0 ? -1 : high * 100 + low;
}

function code(buf: Buffer, i: number, end: number): number {
  return i < end ? (buf[i] as number) : -1;
}

function isWordByte(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** ` UTC`/` GMT` followed by a word boundary, as /^(?:UTC|GMT)\b/ reads it. */
function utcWord(buf: Buffer, i: number, end: number): boolean {
  if (i + 3 > end) return false;
  const a = buf[i];
  const b = buf[i + 1];
  const c = buf[i + 2];
  const named = (a === 85 && b === 84 && c === 67) || (a === 71 && b === 77 && c === 84);
  return named && (i + 3 >= end || !isWordByte(buf[i + 3] as number));
}

/** A timestamp read from bytes: `t` in epoch ms, `end` just past it. One instance is reused line after line. */
export class ByteTime {
  t = 0;
  end = 0;

  /** Reads the timestamp at `start` (before `end`, the line's end); false when there is none. */
  scan(buf: Buffer, start: number, end: number): boolean {
    return code(buf, start + 4, end) === 45 /* - */ ? this.#iso(buf, start, end) : this.#epoch(buf, start, end);
  }

  #iso(buf: Buffer, start: number, end: number): boolean {
    // The date, hour and minute are required: a shorter line has no timestamp, and within those
    // 16 bytes no check needs the line's end.
    if (start + 16 > end) return false;
    const year = four(buf, start);
    if (year < 0 || buf[start + 4] !== 45) return false;
    const month = two(buf, start + 5);
    if (month < 1 || month > 12 || buf[start + 7] !== 45) return false;
    const day = two(buf, start + 8);
    if (day < 1 || day > 31) return false;
    const sep = buf[start + 10];
    if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32) return false;
    const hour = two(buf, start + 11);
    if (hour < 0 || hour > 24 || buf[start + 13] !== 58 /* : */) return false;
    const minute = two(buf, start + 14);
    if (minute < 0 || minute > 59) return false;
    let i = start + 16;
    let second = 0;
    let ms = 0;
    if (code(buf, i, end) === 58) {
      second = digits(buf, i + 1, 2, end);
      if (second < 0 || second > 60) return false;
      i += 3;
      const mark = code(buf, i, end);
      if ((mark === 46 || mark === 44) && digit(buf, i + 1, end) >= 0) {
        i += 1;
        let scale = 100;
        for (let d = digit(buf, i, end); d >= 0; d = digit(buf, i, end)) {
          ms += d * scale;
          scale /= 10;
          i += 1;
        }
        ms = Math.floor(ms);
      }
    }
    let offsetMinutes = 0;
    const spaced = code(buf, i, end) === 32;
    const zoneStart = spaced ? i + 1 : i;
    const z = code(buf, zoneStart, end);
    if (!spaced && (z === 90 /* Z */ || z === 122 /* z */)) {
      i = zoneStart + 1;
    } else if (spaced && utcWord(buf, zoneStart, end)) {
      i = zoneStart + 3;
    } else if (z === 43 /* + */ || z === 45 /* - */) {
      const hh = digits(buf, zoneStart + 1, 2, end);
      const colon = code(buf, zoneStart + 3, end) === 58 ? 1 : 0;
      const mm = digits(buf, zoneStart + 3 + colon, 2, end);
      if (hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59) {
        offsetMinutes = hh * 60 + mm;
        i = zoneStart + 5 + colon;
      } else if (!spaced && hh >= 0 && hh <= 23 && colon === 0) {
        offsetMinutes = hh * 60;
        i = zoneStart + 3;
      }
      if (z === 45) offsetMinutes = -offsetMinutes;
    }
    const t = dayStart(year, month, day) + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms - offsetMinutes * 60_000;
    if (!isPlausibleTime(t)) return false;
    this.t = t;
    this.end = i;
    return true;
  }

  #epoch(buf: Buffer, start: number, end: number): boolean {
    let i = start;
    while (digit(buf, i, end) >= 0) i += 1;
    const count = i - start;
    if (count !== 10 && count !== 13 && count !== 16 && count !== 19) return false;
    if (code(buf, i, end) === 46 && digit(buf, i + 1, end) >= 0) {
      i += 1;
      while (digit(buf, i, end) >= 0) i += 1;
    }
    // Number() of the text, as the string reader does: the fraction must round the same way.
    const t = fromEpochNumber(Number(buf.toString('latin1', start, i)));
    if (t === null) return false;
    this.t = t;
    this.end = i;
    return true;
  }
}
