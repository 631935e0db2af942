// Time in a bundle: every accepted form becomes epoch milliseconds, and tools print RFC 3339 UTC.
// Accepted: RFC 3339 / ISO 8601 (zone `Z` or `±hh:mm`; a time without a zone is read as UTC),
// unix epoch seconds (integer or fraction), epoch milliseconds (13 digits), and, because exporters
// such as Loki and OpenTelemetry use them, epoch micro- and nanoseconds. Log lines are scanned
// millions of times, so the ISO reader walks char codes instead of running a regular expression.

/** The largest instant a JavaScript Date can hold. */
const MAX_MS = 8.64e15;

/**
 * The instants an incident's data can carry: from 2000 to 2100. A number or date outside is
 * no time of an incident (zeros or garbage read as an epoch give 1970, a clock never set
 * gives 1970 too), and it must not become a window or a time span, so it is read as no time.
 */
export const EARLIEST_TIME = Date.UTC(2000, 0, 1);
export const LATEST_TIME = Date.UTC(2100, 0, 1);

export function isPlausibleTime(ms: number): boolean {
  return ms >= EARLIEST_TIME && ms < LATEST_TIME;
}

const ZERO = 48;

function digitAt(text: string, i: number): number {
  const c = text.charCodeAt(i) - ZERO;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Reads `count` digits at `i`; -1 when any of them is not a digit. */
function digitsAt(text: string, i: number, count: number): number {
  let n = 0;
  for (let k = 0; k < count; k++) {
    const d = digitAt(text, i + k);
    if (d < 0) return -1;
    n = n * 10 + d;
  }
  return n;
}

// Consecutive log lines almost always share their day, and Date.UTC is the slow part of a scan.
let cachedDayKey = -1;
let cachedDayMs = 0;

/** Epoch ms of a UTC calendar day (cached for the last day asked). */
export function dayStart(year: number, month: number, day: number): number {
  const key = (year * 100 + month) * 100 + day;
  if (key !== cachedDayKey) {
    // Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear does not.
    cachedDayMs = year >= 100 ? Date.UTC(year, month - 1, day) : new Date(Date.UTC(2000, month - 1, day)).setUTCFullYear(year);
    cachedDayKey = key;
  }
  return cachedDayMs;
}

export interface ScannedTime {
  t: number;
  /** Index just past the timestamp. */
  end: number;
}

/**
 * Reads an ISO 8601 timestamp that starts at `start` (`2026-11-20T14:02:11.123Z`,
 * `2026-11-20 14:02:11,123 +01:00`). The time of day is required; seconds, fraction and zone are not.
 */
export function scanIsoTime(text: string, start = 0): ScannedTime | null {
  let i = start;
  const year = digitsAt(text, i, 4);
  if (year < 0 || text.charCodeAt(i + 4) !== 45 /* - */) return null;
  const month = digitsAt(text, i + 5, 2);
  if (month < 1 || month > 12 || text.charCodeAt(i + 7) !== 45) return null;
  const day = digitsAt(text, i + 8, 2);
  if (day < 1 || day > 31) return null;
  const sep = text.charCodeAt(i + 10);
  if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32 /* space */) return null;
  const hour = digitsAt(text, i + 11, 2);
  if (hour < 0 || hour > 24 || text.charCodeAt(i + 13) !== 58 /* : */) return null;
  const minute = digitsAt(text, i + 14, 2);
  if (minute < 0 || minute > 59) return null;
  i += 16;
  let second = 0;
  let ms = 0;
  if (text.charCodeAt(i) === 58) {
    second = digitsAt(text, i + 1, 2);
    if (second < 0 || second > 60) return null;
    i += 3;
    const mark = text.charCodeAt(i);
    if ((mark === 46 /* . */ || mark === 44) /* , */ && digitAt(text, i + 1) >= 0) {
      i += 1;
      let scale = 100;
      while (digitAt(text, i) >= 0) {
        ms += digitAt(text, i) * scale;
        scale /= 10;
        i += 1;
      }
      ms = Math.floor(ms);
    }
  }
  let offsetMinutes = 0;
  // After a space only a full `±hh:mm` / `±hhmm` counts as a zone, so `… 14:02:11 -5 retries` stays text.
  const spaced = text.charCodeAt(i) === 32;
  const zoneStart = spaced ? i + 1 : i;
  const z = text.charCodeAt(zoneStart);
  if (!spaced && (z === 90 /* Z */ || z === 122 /* z */)) {
    i = zoneStart + 1;
  } else if (spaced && /^(?:UTC|GMT)\b/.test(text.slice(zoneStart, zoneStart + 4))) {
    i = zoneStart + 3;
  } else if (z === 43 /* + */ || z === 45 /* - */) {
    const hh = digitsAt(text, zoneStart + 1, 2);
    const colon = text.charCodeAt(zoneStart + 3) === 58 ? 1 : 0;
    const mm = digitsAt(text, zoneStart + 3 + colon, 2);
    if (hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59) {
      offsetMinutes = hh * 60 + mm;
      i = zoneStart + 5 + colon;
    } else if (!spaced && hh >= 0 && hh <= 23 && colon === 0) {
      offsetMinutes = hh * 60; // `+01`
      i = zoneStart + 3;
    }
    if (z === 45) offsetMinutes = -offsetMinutes;
  }
  const t = dayStart(year, month, day) + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms - offsetMinutes * 60_000;
  return isPlausibleTime(t) ? { t, end: i } : null;
}

/** Epoch seconds, ms, µs or ns from a number, told apart by magnitude. */
export function fromEpochNumber(n: number): number | null {
  if (!Number.isFinite(n)) return null;
  const abs = Math.abs(n);
  let ms: number;
  if (abs < 1e11) ms = n * 1000;
  else if (abs < 1e14) ms = n;
  else if (abs < 1e17) ms = n / 1000;
  else ms = n / 1e6;
  ms = Math.round(ms); // whole milliseconds: 1763647331.123 * 1000 is 1763647331122.9998
  return isPlausibleTime(ms) ? ms : null;
}

/**
 * Reads a leading epoch timestamp as log lines write it: 10 digits (seconds, optional fraction),
 * 13 (milliseconds), 16 (µs) or 19 (ns). Shorter numbers are not times (`404 Not Found` is no date).
 */
export function scanEpochTime(text: string, start = 0): ScannedTime | null {
  let i = start;
  while (digitAt(text, i) >= 0) i += 1;
  const digits = i - start;
  if (digits !== 10 && digits !== 13 && digits !== 16 && digits !== 19) return null;
  if (text.charCodeAt(i) === 46 && digitAt(text, i + 1) >= 0) {
    i += 1;
    while (digitAt(text, i) >= 0) i += 1;
  }
  const t = fromEpochNumber(Number(text.slice(start, i)));
  return t === null ? null : { t, end: i };
}

/** A leading timestamp of either kind. */
export function scanTime(text: string, start = 0): ScannedTime | null {
  return text.charCodeAt(start + 4) === 45 /* - */ ? scanIsoTime(text, start) : scanEpochTime(text, start);
}

const NUMERIC = /^[+-]?\d+(?:\.\d+)?$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Only formats that name their zone go to Date.parse, which reads zone-less text as local time. */
const EXPLICIT_ZONE = /(?:\b(?:GMT|UTC|Z)|[+-]\d{2}:?\d{2})\s*$/;

/** Any accepted time form as epoch milliseconds, or null. */
export function parseTime(value: unknown): number | null {
  if (value instanceof Date) {
    const t = value.getTime();
    return isPlausibleTime(t) ? t : null;
  }
  if (typeof value === 'number') return fromEpochNumber(value);
  if (typeof value === 'bigint') return fromEpochNumber(Number(value));
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return null;
  if (NUMERIC.test(text)) return fromEpochNumber(Number(text));
  const iso = scanIsoTime(text);
  if (iso && iso.end === text.length) return iso.t;
  const date = DATE_ONLY.exec(text);
  if (date) {
    const t = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
    return isPlausibleTime(t) ? t : null;
  }
  // RFC 2822 and `git log` dates (`Thu Nov 20 14:02:11 2026 +0100`), as diffs headers write them.
  if (EXPLICIT_ZONE.test(text)) {
    const t = Date.parse(text);
    if (isPlausibleTime(t)) return t;
  }
  return null;
}

/** RFC 3339 UTC with milliseconds: `2026-11-20T14:02:11.123Z`. */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_MS) return 'invalid time';
  return new Date(ms).toISOString();
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;

/** `15m`, `2h`, `90s`, `1d`, `500ms`, `1h30m` → milliseconds. A bare number is seconds. */
export function parseDuration(text: string): number | null {
  const value = text.trim().toLowerCase();
  if (value === '') return null;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Number(value) * 1000;
  DURATION_PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (let m = DURATION_PART.exec(value); m; m = DURATION_PART.exec(value)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
    end = DURATION_PART.lastIndex;
  }
  return end === value.length && Number.isFinite(total) ? Math.round(total) : null;
}
