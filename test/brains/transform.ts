// Copies of a bundle that an honest diagnosis must not notice: every timestamp shifted,
// every service renamed consistently, every file converted to the other format the spec
// allows, metric names and config keys renamed to synonyms a real exporter or config
// could use, log messages reworded. Used to show the triage brain keys on no name, time,
// wording or format. Each transform is consistent across the whole bundle.
import { gunzipSync, gzipSync } from 'node:zlib';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import YAML from 'yaml';
import { openBundle, parseTime, type Series } from '../../src/bundle/index.js';

const DAY_MS = 86_400_000;

export function filesOf(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesOf(path) : [path];
  });
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `incident-${label}-`));
}

function write(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/**
 * Copies a bundle, passing every text file (gzip included, with its bundle-relative path)
 * and every path through `edit`.
 */
export function copyBundle(
  from: string,
  to: string,
  edit: { text?: (text: string, rel: string) => string; path?: (path: string) => string } = {},
): string {
  for (const file of filesOf(from)) {
    const rel = relative(from, file).split('\\').join('/');
    const target = join(to, edit.path ? edit.path(rel) : rel);
    const raw = readFileSync(file);
    const gz = rel.endsWith('.gz');
    const text = (gz ? gunzipSync(raw) : raw).toString('utf8');
    const edited = edit.text ? edit.text(text, rel) : text;
    write(target, gz ? gzipSync(Buffer.from(edited, 'utf8')) : edited);
  }
  return to;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A wall-clock time moved by `offsetMs`: the fields are read as UTC, shifted, and read back. */
function shiftedClock(y: number, mo: number, d: number, h: number, mi: number, s: number, offsetMs: number): Date {
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) + offsetMs);
}

const ISO = /(?<!\d)(\d{4})-(\d{2})-(\d{2})([Tt ])(\d{2}):(\d{2})(:\d{2})?/g;
const RFC2822 = /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2})(?= [+-]\d{4}\b)/g;
/** `git log`'s date: `Thu Mar 12 14:02:11 2026 +0100` (only with its zone: format-patch's `Mon Sep 17 00:00:00 2001` is a marker, not a time). */
const GIT_DATE = /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})(?= [+-]\d{4}\b)/g;

/** A daily cron schedule at a fixed time (`"0 14 * * *"`): the time it names moves with the clock. */
const CRON_DAILY = /(["'])(\d{1,2}) (\d{1,2}) \* \* \*\1/g;
/**
 * A time of day on its own (`03:00 -> 14:00 UTC` in a change's summary, `14:05` in a chat
 * log): not one inside a date-time, which the passes below move with its date.
 */
const TIME_OF_DAY = /(?<!\d{4}-\d{2}-\d{2}[Tt ])(?<!\d{4} )(?<![A-Z][a-z]{2} +\d{1,2} )(?<![\d:.,/])(?<!\d{2}:\d{2}:\d{2}(?:[.,]\d+)? ?[+-])([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d(?:[.,]\d+)?)?(?![\d:])/g;

/**
 * Every timestamp in a text moved by `offsetMs` (whole minutes): RFC 3339 and its
 * relatives (`T` or a space, any zone or none: the wall clock moves, the zone text stays,
 * so the instant moves by the offset; a fraction is kept), RFC 2822 and `git log` dates,
 * epoch seconds or milliseconds that fall within `around` ± 60 days (so byte counts
 * and ids stay as they are), and, so that what the bundle says about times stays true,
 * a time of day on its own and a daily cron schedule move around the clock with them. A
 * date with no time of day (a version such as 2026-12-02) is not a time and stays.
 */
export function shiftTimes(text: string, offsetMs: number, around: number): string {
  if (offsetMs % 60_000 !== 0) throw new Error('shift by whole minutes: some timestamps have no seconds');
  const near = (ms: number): boolean => Math.abs(ms - around) < 60 * DAY_MS;
  const dayMinutes = (((offsetMs / 60_000) % 1440) + 1440) % 1440;
  const clock = (h: number, m: number): [number, number] => {
    const total = (h * 60 + m + dayMinutes) % 1440;
    return [Math.floor(total / 60), total % 60];
  };
  return text
    .replace(CRON_DAILY, (_, quote: string, m: string, h: string) => {
      const [hour, minute] = clock(Number(h), Number(m));
      return `${quote}${minute} ${hour} * * *${quote}`;
    })
    .replace(TIME_OF_DAY, (_, h: string, m: string, sec: string | undefined) => {
      const [hour, minute] = clock(Number(h), Number(m));
      return `${pad(hour)}:${pad(minute)}${sec ?? ''}`;
    })
    .replace(ISO, (_, y: string, mo: string, d: string, sep: string, h: string, mi: string, sec: string | undefined) => {
      const date = shiftedClock(Number(y), Number(mo), Number(d), Number(h), Number(mi), sec === undefined ? 0 : Number(sec.slice(1)), offsetMs);
      const seconds = sec === undefined ? '' : `:${pad(date.getUTCSeconds())}`;
      return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}${sep}${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}${seconds}`;
    })
    .replace(RFC2822, (_, _w: string, d: string, mon: string, y: string, h: string, mi: string, sec: string) => {
      const date = shiftedClock(Number(y), MONTHS.indexOf(mon) + 1, Number(d), Number(h), Number(mi), Number(sec), offsetMs);
      return `${WEEKDAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
    })
    .replace(GIT_DATE, (_, _w: string, mon: string, d: string, h: string, mi: string, sec: string, y: string) => {
      const date = shiftedClock(Number(y), MONTHS.indexOf(mon) + 1, Number(d), Number(h), Number(mi), Number(sec), offsetMs);
      return `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${date.getUTCFullYear()}`;
    })
    .replace(/(?<![\w.])1\d{12}(?![\w])/g, (ms: string) => (near(Number(ms)) ? String(Number(ms) + offsetMs) : ms))
    .replace(/(?<![\w.])(1\d{9})(\.\d+)?(?![\w])/g, (whole: string, s: string, fraction: string | undefined) =>
      near(Number(s) * 1000) ? `${Number(s) + offsetMs / 1000}${fraction ?? ''}` : whole,
    );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces each service name (as a whole word, any of - _ . between its words) by its new name. */
export function renamer(mapping: ReadonlyMap<string, string>): (text: string) => string {
  const names = [...mapping.keys()].sort((a, b) => b.length - a.length);
  const alternatives = names.map((name) => name.split(/[-_.]/).map(escape).join('[-_.]'));
  const regex = new RegExp(`(?<![A-Za-z0-9])(${alternatives.join('|')})(?![A-Za-z0-9])`, 'gi');
  const lookup = (found: string): string => {
    const key = names.find((name) => new RegExp(`^${name.split(/[-_.]/).map(escape).join('[-_.]')}$`, 'i').test(found));
    return key === undefined ? found : (mapping.get(key) ?? found);
  };
  return (text) => text.replace(regex, lookup);
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function toCsv(series: readonly Series[]): string {
  const labelKeys = [...new Set(series.flatMap((s) => Object.keys(s.labels)))].sort();
  const rows = [['timestamp', 'metric', 'value', ...labelKeys].join(',')];
  for (const s of series) {
    for (const sample of s.samples) {
      rows.push([new Date(sample.t).toISOString(), s.name, sample.v === null ? 'NaN' : String(sample.v), ...labelKeys.map((k) => csvCell(s.labels[k] ?? ''))].join(','));
    }
  }
  return `${rows.join('\n')}\n`;
}

function toPrometheus(series: readonly Series[]): string {
  return JSON.stringify({
    status: 'success',
    data: {
      resultType: 'matrix',
      result: series.map((s) => ({
        metric: { __name__: s.name, ...s.labels },
        values: s.samples.map((sample) => [sample.t / 1000, sample.v === null ? 'NaN' : String(sample.v)]),
      })),
    },
  });
}

function logfmtValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[\s"=]/.test(text) || text === '' ? JSON.stringify(text) : text;
}

const LEVEL_WORD: Record<string, string> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'FATAL' };

/** The same bundle in the other formats: CSV ⇄ Prometheus JSON, text logs ⇄ JSON lines, YAML ⇄ JSON, incident.yaml ⇄ alert.json. */
export async function convertFormats(from: string, to: string): Promise<string> {
  const bundle = await openBundle(from);
  const series = await bundle.series();
  for (const file of bundle.files) {
    const rel = file.path;
    const target = (path: string): string => join(to, path);
    const text = (): string => (file.gzip ? gunzipSync(readFileSync(file.absPath)) : readFileSync(file.absPath)).toString('utf8');
    if (file.kind === 'metrics_csv' || file.kind === 'metrics_json') {
      const own = series.filter((s) => s.file === rel);
      const base = rel.replace(/\.gz$/, '').replace(/\.(csv|json)$/, '');
      if (file.kind === 'metrics_csv') write(target(`${base}.json`), toPrometheus(own));
      else write(target(`${base}.csv`), toCsv(own));
    } else if (file.kind === 'log_text' || file.kind === 'log_jsonl') {
      const lines: string[] = [];
      for await (const event of bundle.logEvents(file)) {
        const message = [event.message, ...event.continuation].join('\n');
        const at = event.t === null ? '' : new Date(event.t).toISOString();
        const level = event.level ?? 'info';
        if (file.kind === 'log_text') {
          lines.push(JSON.stringify({ ...event.attributes, time: at, level, msg: message, service: event.service }));
        } else if (Object.keys(event.attributes).length === 0) {
          lines.push(`${at} [${event.service}] ${LEVEL_WORD[level] ?? 'INFO'} ${message}`);
        } else {
          // Fields beyond the message survive as logfmt pairs.
          const pairs = Object.entries(event.attributes).map(([key, value]) => `${key}=${logfmtValue(value)}`);
          lines.push([at, `level=${level}`, `service=${event.service}`, `msg=${logfmtValue(message)}`, ...pairs].join(' '));
        }
      }
      const base = rel.replace(/\.gz$/, '').replace(/\.(log|jsonl)$/, '');
      write(target(`${base}.${file.kind === 'log_text' ? 'jsonl' : 'log'}`), `${lines.join('\n')}\n`);
    } else if (file.kind === 'changes') {
      const parsed: unknown = rel.endsWith('.json') ? JSON.parse(text()) : YAML.parse(text());
      if (rel.endsWith('.json')) write(target(rel.replace(/\.json$/, '.yaml')), YAML.stringify(parsed));
      else write(target(rel.replace(/\.ya?ml$/, '.json')), JSON.stringify(parsed, null, 2));
    } else if (file.kind === 'alert_yaml') {
      const alert = YAML.parse(text()) as Record<string, unknown>;
      const startedAt = parseTime(alert['started_at'] as string | number);
      const labels = { alertname: String(alert['title'] ?? ''), service: String(alert['service'] ?? ''), severity: String(alert['severity'] ?? ''), ...((alert['labels'] as object) ?? {}) };
      const payload = {
        version: '4',
        status: 'firing',
        alerts: [{ status: 'firing', labels, annotations: { summary: String(alert['summary'] ?? '') }, startsAt: startedAt === null ? null : new Date(startedAt).toISOString() }],
      };
      write(target(rel.replace(/incident\.ya?ml$/, 'alert.json')), JSON.stringify(payload, null, 2));
    } else if (file.kind === 'alert_json') {
      const payload = JSON.parse(text()) as { alerts?: Array<{ status?: string; labels?: Record<string, string>; annotations?: Record<string, string>; startsAt?: string }> };
      const page = payload.alerts?.find((a) => a.status === 'firing') ?? payload.alerts?.[0];
      const labels = page?.labels ?? {};
      const incident = {
        title: labels['alertname'] ?? '',
        service: labels['service'] ?? labels['job'] ?? labels['app'] ?? null,
        severity: labels['severity'] ?? null,
        started_at: page?.startsAt ?? null,
        summary: page?.annotations?.['summary'] ?? null,
      };
      write(target(rel.replace(/alert\.json$/, 'incident.yaml')), YAML.stringify(incident));
    } else {
      write(target(rel), readFileSync(file.absPath));
    }
  }
  return to;
}
