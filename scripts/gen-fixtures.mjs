#!/usr/bin/env node
// Writes the incident bundles under fixtures/. Each bundle is a small world: a few services
// with diurnal traffic, one thing that went wrong (or nothing identifiable), and the innocent
// changes and noise any real week has. The world is told only through the artefacts those
// systems export (alerts, Prometheus ranges, CSV exports, change feeds, patches, logs,
// runbooks), following spec/bundle.md. truth.json records what happened, for evaluation.
//
// Deterministic: every draw comes from a PRNG seeded by bundle and stream name, and no clock
// is read, so a run writes the same bytes every time.
//
//   node scripts/gen-fixtures.mjs [--out <dir>]      (default: fixtures/ beside scripts/)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import YAML from 'yaml';

// ---------------------------------------------------------------------------------------------
// Randomness: sfc32 seeded with cyrb128, keyed by strings so streams never disturb each other.

function hash128(str) {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A uniform number in [0, 1) fixed by the key: for noise that must agree across series. */
function hashUnit(key) {
  return hash128(key)[0] / 4294967296;
}

class Rng {
  constructor(key) {
    [this.a, this.b, this.c, this.d] = hash128(key);
    for (let i = 0; i < 12; i++) this.next();
  }
  next() {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  float(lo, hi) {
    return lo + (hi - lo) * this.next();
  }
  int(lo, hi) {
    return Math.floor(this.float(lo, hi + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(list) {
    return list[Math.floor(this.next() * list.length)];
  }
  normal(mean = 0, sd = 1) {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  poisson(lambda) {
    if (lambda > 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
  hex(n) {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(this.next() * 16).toString(16);
    return s;
  }
  id(n) {
    const abc = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < n; i++) s += abc[Math.floor(this.next() * abc.length)];
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Time. Everything inside the generator is epoch milliseconds, UTC.

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

function ms(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad time ${iso}`);
  return t;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** RFC 3339 with milliseconds, in UTC (`Z`) or at a fixed offset in minutes (`+01:00`). */
function iso(t, { offsetMin = 0, millis = true } = {}) {
  const d = new Date(t + offsetMin * MIN);
  const base =
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    (millis ? `.${pad(d.getUTCMilliseconds(), 3)}` : '');
  if (offsetMin === 0) return `${base}Z`;
  const sign = offsetMin > 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  return `${base}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const isoS = (t) => iso(t, { millis: false });

/** The date line git writes in a format-patch header. */
function rfc2822(t, offsetMin = 0) {
  const d = new Date(t + offsetMin * MIN);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  return (
    `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

/** A timestamp as a log line or CSV cell writes it. */
function stamp(t, form) {
  switch (form) {
    case 'iso':
      return iso(t);
    case 'iso+01':
      return iso(t, { offsetMin: 60 });
    case 'iso+02':
      return iso(t, { offsetMin: 120 });
    case 'iso-s':
      return isoS(t);
    case 'epoch_s':
      return (t / 1000).toFixed(3);
    case 'epoch_s_int':
      return String(Math.floor(t / 1000));
    case 'epoch_ms':
      return String(t);
    default:
      throw new Error(`unknown time form ${form}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Signals: the shapes a world is made of.

const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

/** 0 before t0, 1 after t0 + dur, smooth in between. */
function ramp(t, t0, dur) {
  if (t <= t0) return 0;
  if (dur <= 0 || t >= t0 + dur) return 1;
  const x = (t - t0) / dur;
  return x * x * (3 - 2 * x);
}

/** Daily traffic curve: 1 ± depth, peaking at peakHour UTC. */
function diurnal(t, peakHour, depth) {
  const h = (t / HOUR) % 24;
  return 1 + depth * Math.cos((2 * Math.PI * (h - peakHour)) / 24);
}

/** Smooth noise in [-1, 1] shared by everything that names the same key. */
function drift(key, t, period) {
  const x = t / period;
  const i = Math.floor(x);
  const f = x - i;
  const a = hashUnit(`${key}:${i}`);
  const b = hashUnit(`${key}:${i + 1}`);
  const s = (1 - Math.cos(Math.PI * f)) / 2;
  return (a + (b - a) * s) * 2 - 1;
}

/** How queueing stretches latency as utilisation approaches 1 (M/M/1 shape, bounded). */
function queueing(util) {
  return 1 / (1 - clamp(util, 0, 0.965));
}

// ---------------------------------------------------------------------------------------------
// Metrics.

function fmtValue(v, digits) {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Math.abs(v) < 1e-6) return '0';
  const r = Number(v.toPrecision(digits));
  return String(r);
}

/**
 * A metric series: labels plus how a scraper sees one value at time t.
 * value(t) returns a number, NaN (the exporter produced NaN), or null (no sample).
 */
function series(labels, value, opts = {}) {
  return { labels, value, digits: opts.digits ?? 4, name: opts.name ?? labels.__name__ ?? null };
}

/** Multiplicative measurement noise on top of the true value, plus optional scrape gaps. */
function observed(rng, fn, { noise = 0.03, floor = 0, ceil = Infinity, gaps = [], integer = false } = {}) {
  return (t) => {
    for (const [a, b] of gaps) if (t >= a && t < b) return null;
    const v = fn(t);
    if (v === null || Number.isNaN(v)) return v;
    const x = clamp(v * (1 + rng.normal(0, noise)), floor, ceil);
    return integer ? Math.round(x) : x;
  };
}

/** Random scrape outages: count windows of a few samples each. */
function scrapeGaps(rng, start, end, step, count, maxSamples = 4) {
  const gaps = [];
  for (let i = 0; i < count; i++) {
    const at = start + Math.floor(rng.float(0.05, 0.95) * ((end - start) / step)) * step;
    gaps.push([at, at + rng.int(1, maxSamples) * step]);
  }
  return gaps;
}

function sampleTimes(start, end, step) {
  const times = [];
  for (let t = start; t <= end; t += step) times.push(t);
  return times;
}

/** The body Prometheus returns for GET /api/v1/query_range. */
function promMatrix(times, list) {
  const result = list.map((s) => {
    const values = [];
    for (const t of times) {
      const v = s.value(t);
      if (v === null) continue;
      values.push([t / 1000, fmtValue(v, s.digits)]);
    }
    return { metric: s.labels, values };
  });
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }) + '\n';
}

function csvCell(v) {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Long-form CSV: one row per sample. columns names the header; each series gives its
 * cells (metric, service, labels) and the time and value columns are filled per sample.
 * A gap is written as NaN when nanGaps, else the row is left out.
 */
function longCsv(times, list, { columns, timeForm, nanGaps, order = 'time' }) {
  const rows = [];
  const cells = (s, t, v) =>
    columns.map((c) => {
      if (c === 'timestamp') return stamp(t, timeForm);
      if (c === 'value') return v;
      return s.cells[c] ?? '';
    });
  if (order === 'series') {
    for (const s of list)
      for (const t of times) {
        const v = s.value(t);
        if (v === null && !nanGaps) continue;
        rows.push(cells(s, t, v === null ? 'NaN' : fmtValue(v, s.digits)));
      }
  } else {
    const values = list.map((s) => times.map((t) => s.value(t)));
    times.forEach((t, i) =>
      list.forEach((s, j) => {
        const v = values[j][i];
        if (v === null && !nanGaps) return;
        rows.push(cells(s, t, v === null ? 'NaN' : fmtValue(v, s.digits)));
      }),
    );
  }
  return [columns.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
}

function csvSeries(cells, value, digits = 4) {
  return { cells, value, digits };
}

// ---------------------------------------------------------------------------------------------
// Logs. An event: { t, level, msg, thread?, logger?, svc?, fields?, stack?: string[] }.

/** Events at a rough period with jitter, from..to. */
function every(rng, from, to, period, jitter, make) {
  const out = [];
  for (let t = from + rng.float(0, period); t < to; t += period + rng.float(-jitter, jitter)) {
    const e = make(Math.round(t), rng);
    if (e) out.push(...[].concat(e));
  }
  return out;
}

/** A Poisson stream whose rate (events per second) follows the world. */
function poisson(rng, from, to, ratePerSec, make, tick = 5 * SEC) {
  const out = [];
  for (let t0 = from; t0 < to; t0 += tick) {
    const n = rng.poisson(Math.max(0, ratePerSec(t0)) * (tick / SEC));
    const ts = [];
    for (let i = 0; i < n; i++) ts.push(Math.round(t0 + rng.next() * tick));
    ts.sort((a, b) => a - b);
    for (const t of ts) {
      const e = make(t, rng);
      if (e) out.push(...[].concat(e));
    }
  }
  return out;
}

function sortEvents(events) {
  return events
    .map((e, i) => ({ e, i }))
    .sort((x, y) => x.e.t - y.e.t || x.i - y.i)
    .map((x) => x.e);
}

const LEVEL_UPPER = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'FATAL' };
const PINO = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

function logfmtValue(v) {
  const s = String(v);
  return s === '' || /[\s"=]/.test(s) ? JSON.stringify(s) : s;
}

/**
 * Renders events as a text log. style: 'plain' (`LEVEL msg`), 'logback'
 * (`LEVEL [thread] logger - msg`), 'tagged' (`[svc] LEVEL msg`), 'logfmt'.
 * levels maps the event level to the word this logger prints.
 */
function textLog(events, { style, time, levels = LEVEL_UPPER, serviceKey = 'service', service, crlf = false }) {
  const lines = [];
  for (const e of sortEvents(events)) {
    const ts = stamp(e.t, time);
    const lvl = e.levelText ?? levels[e.level] ?? LEVEL_UPPER[e.level];
    const extra = e.fields
      ? ' ' +
        Object.entries(e.fields)
          .map(([k, v]) => `${k}=${logfmtValue(v)}`)
          .join(' ')
      : '';
    let line;
    if (style === 'plain') line = `${ts} ${lvl} ${e.msg}${extra}`;
    else if (style === 'logback') line = `${ts} ${lvl.padEnd(5)} [${e.thread ?? 'main'}] ${e.logger ?? 'root'} - ${e.msg}`;
    else if (style === 'tagged') line = lvl ? `${ts} [${e.svc ?? service}] ${lvl} ${e.msg}` : `${ts} [${e.svc ?? service}] ${e.msg}`;
    else if (style === 'logfmt') {
      const svc = e.svc ?? service;
      line = `${ts} level=${lvl.toLowerCase()}${svc ? ` ${serviceKey}=${logfmtValue(svc)}` : ''} msg=${logfmtValue(e.msg)}${extra}`;
    } else throw new Error(`unknown log style ${style}`);
    lines.push(line, ...(e.stack ?? []));
  }
  return lines.join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '\n');
}

/**
 * Renders events as JSON lines. keys: { time, level, msg, service } names the keys this
 * logger uses; timeForm: 'iso' | 'iso+01' | 'epoch_ms' | 'epoch_s' (a JSON number);
 * levelForm: 'lower' | 'upper' | 'pino'. base fields go on every line (pid, hostname...).
 */
function jsonLog(events, { keys, timeForm, levelForm, service, base = {}, first = 'time' }) {
  const lines = [];
  for (const e of sortEvents(events)) {
    const time =
      timeForm === 'epoch_ms' ? e.t : timeForm === 'epoch_s' ? Number((e.t / 1000).toFixed(3)) : stamp(e.t, timeForm);
    const level =
      levelForm === 'pino' ? PINO[e.level] : levelForm === 'upper' ? LEVEL_UPPER[e.level] : e.level === 'warn' && keys.level === 'severity' ? 'warning' : e.level;
    const obj = {};
    const put = {
      time: () => (obj[keys.time] = time),
      level: () => (obj[keys.level] = level),
    };
    if (first === 'level') {
      put.level();
      put.time();
    } else {
      put.time();
      put.level();
    }
    Object.assign(obj, base);
    if (keys.service) obj[keys.service] = e.svc ?? service;
    if (keys.logger && e.logger) obj[keys.logger] = e.logger;
    obj[keys.msg] = e.msg;
    if (e.fields) Object.assign(obj, e.fields);
    lines.push(JSON.stringify(obj));
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Diffs: a line diff (LCS), unified hunks with git's default function headings, and the two
// shapes git prints: `git format-patch` mail and plain `git diff`.

function lineOps(a, b) {
  const n = a.length;
  const m = b.length;
  const dp = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ op: ' ', line: a[i], o: i, n: j });
      i++;
      j++;
    } else if (j >= m || (i < n && dp[i + 1][j] >= dp[i][j + 1])) {
      ops.push({ op: '-', line: a[i], o: i, n: j });
      i++;
    } else {
      ops.push({ op: '+', line: b[j], o: i, n: j });
      j++;
    }
  }
  compact(ops);
  let oldLine = 0;
  let newLine = 0;
  for (const op of ops) {
    op.o = oldLine;
    op.n = newLine;
    if (op.op !== '+') oldLine++;
    if (op.op !== '-') newLine++;
  }
  return ops;
}

/**
 * Slides runs of pure additions or pure deletions the way git's xdiff does without its indent
 * heuristic: up as far as equal lines allow (merging neighbouring runs), then down as far as
 * possible. Relabelling keeps both files' line sequences unchanged.
 */
function compact(ops) {
  const runEnd = (s) => {
    let e = s;
    while (e < ops.length && ops[e].op === ops[s].op) e++;
    return e;
  };
  const pure = (s, e) => (s === 0 || ops[s - 1].op === ' ') && (e === ops.length || ops[e].op === ' ');
  for (const direction of ['up', 'down']) {
    let moved = true;
    while (moved) {
      moved = false;
      for (let s = 0; s < ops.length; s++) {
        if (ops[s].op === ' ' || (s > 0 && ops[s - 1].op === ops[s].op)) continue;
        const e = runEnd(s);
        if (!pure(s, e)) continue;
        if (direction === 'up' && s > 0 && ops[s - 1].line === ops[e - 1].line) {
          ops[s - 1].op = ops[s].op;
          ops[e - 1].op = ' ';
          moved = true;
        } else if (direction === 'down' && e < ops.length && ops[e].line === ops[s].line) {
          ops[e].op = ops[s].op;
          ops[s].op = ' ';
          moved = true;
        }
      }
    }
  }
}

const splitLines = (text) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

function unifiedHunks(oldText, newText, context = 3) {
  const a = splitLines(oldText);
  const ops = lineOps(a, splitLines(newText));
  const changed = ops.map((op, i) => (op.op === ' ' ? -1 : i)).filter((i) => i >= 0);
  const groups = [];
  for (const i of changed) {
    const lo = Math.max(0, i - context);
    const hi = Math.min(ops.length, i + context + 1);
    const last = groups[groups.length - 1];
    if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else groups.push([lo, hi]);
  }
  let adds = 0;
  let dels = 0;
  const hunks = groups.map(([lo, hi]) => {
    const slice = ops.slice(lo, hi);
    const oldCount = slice.filter((o) => o.op !== '+').length;
    const newCount = slice.filter((o) => o.op !== '-').length;
    adds += slice.filter((o) => o.op === '+').length;
    dels += slice.filter((o) => o.op === '-').length;
    const oldStart = oldCount === 0 ? slice[0].o : slice[0].o + 1;
    const newStart = newCount === 0 ? slice[0].n : slice[0].n + 1;
    const range = (start, count) => (count === 1 ? `${start}` : `${start},${count}`);
    let heading = '';
    for (let k = slice[0].o - 1; k >= 0; k--)
      if (/^[A-Za-z_$]/.test(a[k])) {
        heading = ` ${a[k].slice(0, 80).trimEnd()}`;
        break;
      }
    const body = slice.map((o) => `${o.op}${o.line}`);
    return [`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@${heading}`, ...body].join('\n');
  });
  return { text: hunks.join('\n'), adds, dels };
}

const blobId = (text) => createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0`).update(text).digest('hex');

/** Applies unified hunks to a text: the generator checks every patch it writes this way. */
function applyHunks(before, hunks) {
  const src = splitLines(before);
  const out = [];
  let next = 0;
  const lines = hunks === '' ? [] : hunks.split('\n');
  for (let i = 0; i < lines.length; ) {
    const m = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(lines[i]);
    if (!m) throw new Error(`not a hunk header: ${lines[i]}`);
    const start = Number(m[2] ?? 1) === 0 ? Number(m[1]) : Number(m[1]) - 1;
    out.push(...src.slice(next, start));
    next = start;
    for (i++; i < lines.length && !lines[i].startsWith('@@'); i++) {
      const [tag, text] = [lines[i][0], lines[i].slice(1)];
      if (tag !== '+' && src[next] !== text) throw new Error(`hunk does not match at line ${next + 1}: ${text}`);
      if (tag === ' ') out.push(src[next++]);
      else if (tag === '-') next++;
      else out.push(text);
    }
  }
  out.push(...src.slice(next));
  return out.length ? `${out.join('\n')}\n` : '';
}

/** files: [{ path, before, after }] (before null: a new file; after null: a deleted one). */
function fileDiffs(files) {
  return files.map((f) => {
    const { text, adds, dels } = unifiedHunks(f.before ?? '', f.after ?? '');
    if (applyHunks(f.before ?? '', text) !== (f.after ?? '')) throw new Error(`patch for ${f.path} does not reproduce the new file`);
    const header = [`diff --git a/${f.path} b/${f.path}`];
    if (f.before === null) header.push('new file mode 100644', `index 0000000..${blobId(f.after).slice(0, 7)}`);
    else if (f.after === null) header.push('deleted file mode 100644', `index ${blobId(f.before).slice(0, 7)}..0000000`);
    else header.push(`index ${blobId(f.before).slice(0, 7)}..${blobId(f.after).slice(0, 7)} ${f.mode ?? '100644'}`);
    header.push(f.before === null ? '--- /dev/null' : `--- a/${f.path}`, f.after === null ? '+++ /dev/null' : `+++ b/${f.path}`);
    return { path: f.path, adds, dels, text: `${header.join('\n')}\n${text}\n` };
  });
}

function gitDiff(files) {
  return fileDiffs(files)
    .map((d) => d.text)
    .join('');
}

/** The --stat block of a format-patch mail, laid out the way git does at 72 columns. */
function diffstat(diffs) {
  const width = 72;
  const maxChange = Math.max(...diffs.map((d) => d.adds + d.dels));
  const numberWidth = String(maxChange).length;
  let graphWidth = maxChange;
  let nameWidth = Math.max(...diffs.map((d) => d.path.length));
  if (nameWidth + numberWidth + 6 + graphWidth > width) {
    const cap = Math.max(6, Math.floor((width * 3) / 8) - numberWidth - 6);
    if (graphWidth > cap) graphWidth = cap;
    nameWidth = Math.min(nameWidth, width - numberWidth - 6 - graphWidth);
  }
  const scale = (n) => (n === 0 ? 0 : maxChange <= graphWidth ? n : 1 + Math.floor((n * (graphWidth - 1)) / maxChange));
  const lines = diffs.map((d) => {
    let name = d.path;
    if (name.length > nameWidth) {
      const tail = name.slice(name.length - (nameWidth - 3));
      const slash = tail.indexOf('/');
      name = `...${slash >= 0 ? tail.slice(slash) : tail}`;
    }
    const total = scale(d.adds + d.dels);
    const plus = scale(d.adds);
    const minus = Math.max(d.dels ? 1 : 0, total - plus);
    return ` ${name.padEnd(nameWidth)} | ${String(d.adds + d.dels).padStart(numberWidth)} ${'+'.repeat(plus)}${'-'.repeat(minus)}`;
  });
  const adds = diffs.reduce((s, d) => s + d.adds, 0);
  const dels = diffs.reduce((s, d) => s + d.dels, 0);
  const parts = [`${diffs.length} file${diffs.length === 1 ? '' : 's'} changed`];
  if (adds) parts.push(`${adds} insertion${adds === 1 ? '' : 's'}(+)`);
  if (dels) parts.push(`${dels} deletion${dels === 1 ? '' : 's'}(-)`);
  return [...lines, ` ${parts.join(', ')}`].join('\n');
}

/** commit: { sha, author, email, at, subject, body } */
function formatPatch(commit, files) {
  const diffs = fileDiffs(files);
  const body = commit.body ? `\n${commit.body.trim()}\n` : '';
  return (
    `From ${commit.sha} Mon Sep 17 00:00:00 2001\n` +
    `From: ${commit.author} <${commit.email}>\n` +
    `Date: ${rfc2822(commit.at, commit.offsetMin ?? 0)}\n` +
    `Subject: [PATCH] ${commit.subject}\n` +
    `${body}---\n${diffstat(diffs)}\n\n` +
    diffs.map((d) => d.text).join('') +
    '-- \n2.47.1\n\n'
  );
}

// ---------------------------------------------------------------------------------------------
// YAML written the way people write it: times may be bare (a YAML 1.1 timestamp), strings
// are quoted only when they must be. Every document is parsed back before it is written.

function yamlScalar(v) {
  if (v instanceof BareTime) return v.text;
  return YAML.stringify(v, { lineWidth: 0 }).trimEnd();
}

class BareTime {
  constructor(text) {
    this.text = text;
  }
}
/** A time the YAML file writes unquoted. */
const bare = (text) => new BareTime(text);

function yamlMap(obj, indent) {
  const sp = ' '.repeat(indent);
  const out = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      out.push(`${sp}${k}:`);
      for (const item of v) {
        if (item && typeof item === 'object' && !(item instanceof BareTime)) {
          const inner = yamlMap(item, indent + 4).map((l) => l.slice(indent + 2));
          out.push(`${sp}  - ${inner[0].trimStart()}`, ...inner.slice(1).map((l) => `${sp}  ${l}`));
        } else out.push(`${sp}  - ${yamlScalar(item)}`);
      }
    } else if (v && typeof v === 'object' && !(v instanceof BareTime)) {
      out.push(`${sp}${k}:`, ...yamlMap(v, indent + 2));
    } else if (typeof v === 'string' && v.includes('\n')) {
      out.push(`${sp}${k}: |`, ...v.replace(/\n$/, '').split('\n').map((l) => `${sp}  ${l}`));
    } else out.push(`${sp}${k}: ${yamlScalar(v)}`);
  }
  return out;
}

function yamlDoc(obj, { comment } = {}) {
  const head = comment ? comment.map((c) => `# ${c}`).join('\n') + '\n' : '';
  const text = head + yamlMap(obj, 0).join('\n') + '\n';
  YAML.parse(text);
  return text;
}

/** A YAML list of maps (changes.yaml as a bare list). */
function yamlList(items, { comment } = {}) {
  const head = comment ? comment.map((c) => `# ${c}`).join('\n') + '\n' : '';
  const blocks = items.map((item) => {
    const lines = yamlMap(item, 2);
    return [`- ${lines[0].trimStart()}`, ...lines.slice(1)].join('\n');
  });
  const text = head + blocks.join('\n\n') + '\n';
  const parsed = YAML.parse(text);
  if (!Array.isArray(parsed) || parsed.length !== items.length) throw new Error('yamlList round trip failed');
  return text;
}

// ---------------------------------------------------------------------------------------------
// A bundle under construction: files in memory, plus the format features its writers used
// (the README's formats column is built from these and from the files themselves).

const TIME_LABEL = {
  iso: 'RFC 3339 Z',
  'iso-s': 'RFC 3339 Z',
  'iso+01': '+01:00',
  'iso+02': '+02:00',
  epoch_s: 'epoch s',
  epoch_s_int: 'epoch s',
  epoch_ms: 'epoch ms',
};
const STYLE_LABEL = { plain: '`LEVEL msg`', logback: 'logback', tagged: '`[service]` tag', logfmt: 'logfmt' };

/** Where a series' service comes from, by the spec's order: label service, job, app, folder. */
function serviceSource(labels, path) {
  if (labels.service) return 'service label';
  if (labels.job) return 'job label';
  if (labels.app) return 'app label';
  return path.split('/').length > 2 ? 'folder' : 'none';
}

class Bundle {
  constructor(name, { start, end, step, onset, summary }) {
    this.name = name;
    this.start = ms(start);
    this.end = ms(end);
    this.step = step;
    this.onset = ms(onset);
    this.summary = summary;
    this.files = new Map();
    this.tags = new Map();
    this.truthData = null;
  }
  rng(key) {
    return new Rng(`${this.name}/${key}`);
  }
  times(step = this.step) {
    return sampleTimes(this.start, this.end, step);
  }
  tag(group, ...tags) {
    if (!this.tags.has(group)) this.tags.set(group, new Set());
    for (const t of tags) this.tags.get(group).add(t);
  }
  put(path, content) {
    if (this.files.has(path)) throw new Error(`${this.name}: ${path} written twice`);
    this.files.set(path, Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'));
  }
  text(path, content) {
    this.put(path, content);
  }
  json(path, value) {
    this.put(path, JSON.stringify(value, null, 2) + '\n');
  }
  prom(path, list, { step = this.step } = {}) {
    const body = promMatrix(this.times(step), list);
    this.put(path, body);
    const notes = new Set(list.map((s) => `service from ${serviceSource(s.labels, path)}`));
    if (list.some((s) => !s.labels.__name__)) notes.add('name from file');
    if (list.some((s) => 'quantile' in s.labels)) notes.add('quantile label');
    if (body.includes('"NaN"')) notes.add('NaN');
    this.tag('metrics-json', ...notes);
  }
  csv(path, list, { step = this.step, columns, timeForm, nanGaps = true, order }) {
    const body = longCsv(this.times(step), list, { columns, timeForm, nanGaps, order });
    this.put(path, body);
    const source = columns.includes('service') ? 'service column' : columns.includes('job') ? 'job column' : columns.includes('app') ? 'app column' : 'folder';
    const notes = [TIME_LABEL[timeForm], `service from ${source}`];
    if (columns.includes('quantile')) notes.push('quantile column');
    if (body.includes(',NaN')) notes.push('NaN rows');
    this.tag('metrics-csv', ...notes);
  }
  /** Logs cover the bundle's window: an event scheduled past either end was never exported. */
  window(events) {
    return events.filter((e) => e.t >= this.start && e.t <= this.end);
  }
  log(path, all, opts) {
    const events = this.window(all);
    const body = textLog(events, opts);
    const notes = [TIME_LABEL[opts.time]];
    if (opts.style === 'logfmt') notes.push(`${opts.serviceKey ?? 'service'}=`);
    if (events.some((e) => e.stack)) notes.push('continuation lines');
    if (opts.crlf) notes.push('CRLF');
    if (path.endsWith('.gz')) notes.push('.log.gz');
    this.tag('logs', `${STYLE_LABEL[opts.style]} (${notes.join(', ')})`);
    this.put(path, path.endsWith('.gz') ? gzipSync(Buffer.from(body, 'utf8'), { level: 9 }) : body);
  }
  jsonl(path, events, opts) {
    this.put(path, jsonLog(this.window(events), opts));
    const level = opts.levelForm === 'pino' ? `${opts.keys.level} as pino number` : opts.keys.level;
    this.tag('logs', `JSONL (${opts.keys.time} ${TIME_LABEL[opts.timeForm]}, ${level}, ${opts.keys.msg})`);
  }
  patch(path, commit, files) {
    this.put(path, formatPatch(commit, files));
  }
  diff(path, files) {
    this.put(path, gitDiff(files));
  }
  truth(t) {
    this.truthData = { category: t.category, service: t.service, change_id: t.change_id, onset: isoS(ms(t.onset)), notes: t.notes };
    this.put('truth.json', JSON.stringify(this.truthData, null, 2) + '\n');
  }
}

/** The formats a bundle uses, by group, read back from its files and its writers' tags. */
function formatsOf(b) {
  const text = (path) => b.files.get(path).toString('utf8');
  const groups = new Map();
  const add = (group, item) => {
    if (!groups.has(group)) groups.set(group, []);
    if (!groups.get(group).includes(item)) groups.get(group).push(item);
  };
  const timeForm = (v) => (typeof v === 'number' ? (v > 1e12 ? 'epoch ms' : 'epoch s') : /Z$/.test(v) ? 'RFC 3339 Z' : 'RFC 3339 offset');
  if (b.files.has('incident.yaml')) add('alert', `incident.yaml (started_at ${timeForm(YAML.parse(text('incident.yaml')).started_at)})`);
  if (b.files.has('alert.json')) {
    const { alerts } = JSON.parse(text('alert.json'));
    const page = alerts.find((a) => a.status === 'firing');
    const notes = [`${alerts.length} alerts`, `service from ${serviceSource(page.labels, 'alert.json')}`];
    if (alerts[0] !== page) notes.push('resolved alert first');
    add('alert', `alert.json (${notes.join(', ')})`);
  }
  let changes = [];
  for (const name of ['changes.yaml', 'changes.json']) {
    if (!b.files.has(name)) continue;
    const raw = text(name);
    const doc = name.endsWith('.json') ? JSON.parse(raw) : YAML.parse(raw);
    changes = Array.isArray(doc) ? doc : doc.changes;
    const keys = ['at', 'started_at', 'timestamp', 'time'].filter((k) => changes.some((c) => k in c));
    const notes = [Array.isArray(doc) ? 'list' : '{changes: [...]}', `time as ${keys.join('/')}`];
    if (/^\s*-?\s*(at|finished_at|started_at|time): \d{4}-/m.test(raw) && name.endsWith('.yaml')) notes.push('bare timestamps');
    if (changes.some((c) => typeof (c.at ?? c.timestamp ?? c.time ?? c.started_at) === 'number')) notes.push('epoch time');
    if (changes.some((c) => /[+-]\d\d:\d\d$/.test(String(c.at ?? '')))) notes.push('+01:00 times');
    if (changes.some((c) => c.finished_at)) notes.push('finished_at');
    if (changes.some((c) => c.type === 'rollback')) notes.push('rollback');
    add('changes', `${name} (${notes.join(', ')})`);
  }
  for (const path of [...b.files.keys()].filter((p) => p.startsWith('diffs/')).sort()) {
    const kind = text(path).startsWith('From ') ? 'format-patch' : 'git diff';
    const linked = changes.some((c) => c.diff === path) ? 'via diff:' : 'id in file name';
    add('diffs', `${kind} (${linked})`);
  }
  const kinds = { 'metrics-json': 'Prometheus JSON', 'metrics-csv': 'CSV' };
  for (const [group, tags] of b.tags)
    if (kinds[group]) add('metrics', `${kinds[group]} (${[...tags].sort().join(', ')})`);
    else for (const tag of tags) add(group, tag);
  const runbooks = [...b.files.keys()].filter((p) => p.startsWith('runbooks/')).length;
  if (runbooks) add('runbooks', `${runbooks} markdown`);
  const known = /^(incident\.yaml|alert\.json|changes\.(yaml|json)|truth\.json|(metrics|logs|diffs|runbooks)\/.*)$/;
  for (const path of b.files.keys()) if (!known.test(path)) add('extra', `\`${path}\``);
  const order = ['alert', 'metrics', 'changes', 'diffs', 'logs', 'runbooks', 'extra'];
  return order.filter((g) => groups.has(g)).map((g) => `**${g}:** ${groups.get(g).sort().join('; ')}`);
}

/** A change record's commit (a stable fake sha from its id). */
function commitFor(b, id) {
  return createHash('sha1').update(`${b.name}:${id}`).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Small things every world has.

const reqId = (rng) => rng.hex(16);
const ip = (rng, net = '10.12') => `${net}.${rng.int(0, 15)}.${rng.int(2, 250)}`;
const ms1 = (x) => Math.max(1, Math.round(x * 1000));

/** A request latency drawn around a median with a log-normal tail (seconds). */
function latencyDraw(rng, p50, sigma = 0.55) {
  return p50 * Math.exp(rng.normal(0, sigma));
}

/** Latency quantiles over a log-normal with median p50 and spread sigma. */
const Z = { 0.5: 0, 0.9: 1.2816, 0.95: 1.6449, 0.99: 2.3263 };
const quantileOf = (p50, sigma, q) => p50 * Math.exp(sigma * Z[q]);

function javaStack(exception, frames, cause) {
  const lines = [exception, ...frames.map((f) => `\tat ${f}`)];
  if (cause) lines.push(`Caused by: ${cause.exception}`, ...cause.frames.map((f) => `\tat ${f}`), `\t... ${cause.more ?? 42} more`);
  return lines;
}

function pythonTraceback(frames, last) {
  const lines = ['Traceback (most recent call last):'];
  for (const [file, line, fn, code] of frames) lines.push(`  File "${file}", line ${line}, in ${fn}`, `    ${code}`);
  lines.push(last);
  return lines;
}

function nodeStack(error, frames) {
  return [error, ...frames.map((f) => `    at ${f}`)];
}

/** The pods of a rolling deploy: when each one restarts on the new version. */
function rollout(at, finishedAt, pods) {
  const stepMs = pods > 1 ? (finishedAt - at) / (pods - 1) : 0;
  return Array.from({ length: pods }, (_, i) => at + Math.round(i * stepMs));
}

/** The share of pods already on the new version at time t. */
function rolledShare(times, t) {
  return times.filter((x) => x + 40 * SEC <= t).length / times.length;
}

/** An Alertmanager alert object. */
function amAlert({ status = 'firing', labels, annotations, startsAt, endsAt, generator }) {
  const fingerprint = createHash('sha1').update(JSON.stringify(labels)).digest('hex').slice(0, 16);
  return {
    status,
    labels,
    annotations,
    startsAt,
    endsAt: endsAt ?? '0001-01-01T00:00:00Z',
    generatorURL: generator,
    fingerprint,
  };
}

function amPayload({ receiver, alerts, groupLabels, externalURL }) {
  const firing = alerts.some((a) => a.status === 'firing');
  const common = {};
  for (const [k, v] of Object.entries(alerts[0].labels)) if (alerts.every((a) => a.labels[k] === v)) common[k] = v;
  return {
    receiver,
    status: firing ? 'firing' : 'resolved',
    alerts,
    groupLabels,
    commonLabels: common,
    commonAnnotations: {},
    externalURL,
    version: '4',
    groupKey: `{}:{${Object.entries(groupLabels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(', ')}}`,
    truncatedAlerts: 0,
  };
}

const promGenerator = (host, expr) => `${host}/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`;

// =============================================================================================
// The bundles. Each function tells one incident: the world (traffic, what broke, how it
// spreads), then the artefacts each system would hand the on-call engineer.
// =============================================================================================

// ---------------------------------------------------------------------------------------------
// 1. A checkout deploy stops caching catalog prices: every quote goes to catalog-db, whose CPU
//    saturates, and checkout's latency follows. A gateway config change shortly before and a
//    checkout flag after the onset are innocent.

function checkoutCacheRemoved() {
  const b = new Bundle('checkout-cache-removed', {
    start: '2026-02-10T12:30:00Z',
    end: '2026-02-10T15:30:00Z',
    step: 30 * SEC,
    onset: '2026-02-10T14:03:10Z',
    summary: 'A checkout deploy removed the price cache; every quote now queries catalog-db, whose CPU saturates, and checkout p99 climbs past 1 s.',
  });
  const deployAt = ms('2026-02-10T14:02:30Z');
  const deployDone = ms('2026-02-10T14:09:30Z');
  const podRestarts = rollout(deployAt, deployDone, 6);
  const gatewayCfgAt = ms('2026-02-10T13:41:40Z');
  const flagAt = ms('2026-02-10T14:44:05Z');

  // The world.
  const gatewayRps = (t) => 430 * diurnal(t, 19, 0.35) * (1 + 0.05 * drift('gw', t, 7 * MIN));
  const checkoutRps = (t) => gatewayRps(t) * 0.118 * (1 + 0.04 * drift('co', t, 3 * MIN));
  const uncached = (t) => rolledShare(podRestarts, t); // share of quotes that skip the cache
  const skusPerQuote = 5.6;
  const otherQps = (t) => 240 * diurnal(t, 19, 0.3);
  const priceQps = (t) => checkoutRps(t) * skusPerQuote * (0.035 + 0.965 * uncached(t));
  const dbQps = (t) => otherQps(t) + priceQps(t);
  const dbCpuCores = (t) => 0.9 + otherQps(t) * 0.0055 + priceQps(t) * 0.0152 + 0.25 * Math.max(0, drift('vacuum', t, 20 * MIN));
  const dbUtil = (t) => dbCpuCores(t) / 8;
  const dbQueryS = (t) => 0.0042 * queueing(dbUtil(t));
  const quoteP50 = (t) => 0.071 + skusPerQuote * (0.0006 * (1 - uncached(t)) + dbQueryS(t) * (0.035 + 0.965 * uncached(t)));
  const quoteSigma = (t) => 0.5 + 0.35 * uncached(t);
  const checkoutErr = (t) => 0.0015 + 0.24 * Math.max(0, dbUtil(t) - 0.86) * uncached(t);
  const redisOps = (t) => 310 * diurnal(t, 19, 0.35) + checkoutRps(t) * skusPerQuote * 1.04 * (1 - uncached(t));

  // Alert: the page.
  b.text(
    'incident.yaml',
    yamlDoc({
      title: 'Checkout p99 latency above 1s',
      service: 'checkout',
      severity: 'SEV2',
      started_at: '2026-02-10T14:12:00Z',
      summary:
        'histogram_quantile(0.99, checkout http_server_requests) has been above 1s for 5 minutes. Customers report slow "Review order" pages.',
      labels: { team: 'checkout', env: 'prod', region: 'eu-west-1', alertname: 'CheckoutLatencyP99High' },
      links: [
        'https://grafana.example.internal/d/checkout-overview?from=1770730200000&to=1770737400000',
        'https://runbooks.example.internal/checkout/latency',
      ],
    }),
  );

  // Metrics.
  const gaps = scrapeGaps(b.rng('gaps'), b.start, b.end, b.step, 2, 3);
  const qs = ['0.5', '0.95', '0.99'];
  b.prom(
    'metrics/checkout/latency_seconds.json',
    qs.map((q) =>
      series(
        { quantile: q, uri: '/api/checkout/quote' },
        observed(b.rng(`lat${q}`), (t) => quantileOf(quoteP50(t), quoteSigma(t), Number(q)), { noise: 0.06, gaps }),
      ),
    ),
  );
  b.prom(
    'metrics/checkout/http_requests_per_second.json',
    [
      series({ status: '2xx' }, observed(b.rng('co2xx'), (t) => checkoutRps(t) * (1 - checkoutErr(t)), { gaps })),
      series({ status: '5xx' }, observed(b.rng('co5xx'), (t) => checkoutRps(t) * checkoutErr(t), { noise: 0.25, gaps })),
    ],
  );
  b.prom('metrics/checkout/resources.json', [
    series(
      { __name__: 'container_cpu_usage_cores', pod: 'checkout-7c9f6d5b8-2xkqv' },
      observed(b.rng('cocpu'), (t) => 0.35 + checkoutRps(t) * 0.011 + 0.1 * uncached(t), { gaps }),
    ),
    series(
      { __name__: 'jvm_memory_used_bytes', area: 'heap', pod: 'checkout-7c9f6d5b8-2xkqv' },
      observed(b.rng('coheap'), (t) => 6.1e8 + 3.4e8 * (((t - b.start) / (11 * MIN)) % 1), { noise: 0.01, gaps }),
      { digits: 6 },
    ),
  ]);
  b.prom(
    'metrics/catalog-db.json',
    [
      series({ __name__: 'pg_queries_per_second', job: 'catalog-db', instance: 'catalog-db-0:9187' }, observed(b.rng('dbqps'), dbQps)),
      series(
        { __name__: 'node_cpu_utilisation_ratio', job: 'catalog-db', instance: 'catalog-db-0:9100' },
        observed(b.rng('dbcpu'), dbUtil, { noise: 0.02, ceil: 0.998 }),
      ),
      series(
        { __name__: 'pg_stat_activity_count', job: 'catalog-db', instance: 'catalog-db-0:9187', state: 'active' },
        observed(b.rng('dbact'), (t) => 4 + dbQps(t) * dbQueryS(t) * 1.6, { noise: 0.08, integer: true }),
      ),
      series(
        { __name__: 'pg_stat_statements_mean_exec_time_seconds', job: 'catalog-db', instance: 'catalog-db-0:9187', queryid: '-6171453361280718142' },
        observed(b.rng('dbmean'), dbQueryS, { noise: 0.07 }),
      ),
    ],
  );
  b.prom(
    'metrics/price-cache.json',
    [
      series({ __name__: 'redis_commands_processed_per_second', service: 'price-cache', cmd: 'get' }, observed(b.rng('rget'), redisOps)),
      series(
        { __name__: 'redis_keyspace_hit_ratio', service: 'price-cache' },
        observed(b.rng('rhit'), (t) => 0.963 - 0.02 * uncached(t) + 0.01 * drift('rhit', t, 9 * MIN), { noise: 0.004 }),
      ),
      series({ __name__: 'redis_connected_clients', service: 'price-cache' }, observed(b.rng('rcli'), (t) => 148 - 52 * uncached(t), { noise: 0.02, integer: true })),
    ],
  );
  const routes = [
    ['/api/checkout', (t) => checkoutRps(t), (t) => quoteP50(t) + 0.012, quoteSigma],
    ['/api/search', (t) => gatewayRps(t) * 0.41, () => 0.094, () => 0.5],
    ['/api/catalog', (t) => gatewayRps(t) * 0.38, () => 0.038, () => 0.45],
  ];
  b.prom(
    'metrics/api-gateway.json',
    routes.flatMap(([route, rps, p50, sigma]) => [
      series({ __name__: 'gateway_requests_per_second', service: 'api-gateway', route }, observed(b.rng(`gwr${route}`), rps)),
      series(
        { __name__: 'gateway_request_duration_p99_seconds', service: 'api-gateway', route },
        observed(b.rng(`gwl${route}`), (t) => quantileOf(p50(t), sigma(t), 0.99), { noise: 0.08 }),
      ),
    ]),
  );

  // Changes: the feed the deploy tooling exports, hand-edited YAML with bare timestamps.
  b.text(
    'changes.yaml',
    yamlList(
      [
        {
          id: 'deploy-4819',
          service: 'web-frontend',
          type: 'deploy',
          at: bare('2026-02-10T12:58:10Z'),
          version: '5.12.3',
          author: 'ines.duarte',
          commit: commitFor(b, 'deploy-4819').slice(0, 12),
          summary: 'Place order button copy and aria label',
          diff: 'diffs/web-frontend-5.12.3.patch',
        },
        {
          id: 'cfg-1180',
          service: 'api-gateway',
          type: 'config',
          at: bare('2026-02-10T13:41:40Z'),
          author: 'tomasz.wrobel',
          summary: 'Raise access log sampling from 1% to 5% for the latency dashboard',
          diff: 'diffs/cfg-1180.diff',
          ticket: 'PLAT-2291',
        },
        {
          id: 'deploy-4821',
          service: 'checkout',
          type: 'deploy',
          at: bare('2026-02-10T14:02:30Z'),
          finished_at: bare('2026-02-10T14:09:30Z'),
          version: '2.41.0',
          author: 'marek.halloran',
          commit: commitFor(b, 'deploy-4821').slice(0, 12),
          summary: 'Read current prices from catalog-db (fixes stale prices after repricing, CHK-1432)',
          diff: 'diffs/checkout-2.41.0.patch',
          environment: 'prod',
          strategy: 'rolling',
        },
        {
          id: 'deploy-4823',
          service: 'search',
          type: 'deploy',
          at: '2026-02-10T14:31:00Z',
          version: '3.8.1',
          author: 'renovate[bot]',
          summary: 'Bump github.com/elastic/go-elasticsearch/v8 from 8.12.0 to 8.12.1',
        },
        {
          id: 'flag-checkout-gift-wrap',
          service: 'checkout',
          type: 'feature_flag',
          at: bare('2026-02-10T14:44:05Z'),
          author: 'priya.natarajan',
          summary: 'Gift wrap option at checkout: 0% -> 25%',
          flag: 'checkout.gift_wrap',
          rollout_percent: 25,
        },
      ],
      { comment: ['exported from deploybot: prod, 2026-02-10'] },
    ),
  );

  // Diffs.
  const priceBefore = `package com.example.checkout.pricing;

import com.example.checkout.catalog.CatalogPriceRepository;
import com.example.checkout.model.Money;
import com.example.checkout.model.Sku;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Resolves the current price of every SKU in a cart. */
@Service
public class PriceService {
  private static final Logger log = LoggerFactory.getLogger(PriceService.class);
  private static final Duration PRICE_TTL = Duration.ofMinutes(10);

  private final CatalogPriceRepository repository;
  private final PriceCache cache;
  private final MeterRegistry meters;

  public PriceService(CatalogPriceRepository repository, PriceCache cache, MeterRegistry meters) {
    this.repository = repository;
    this.cache = cache;
    this.meters = meters;
  }

  public Map<Sku, Money> pricesFor(List<Sku> skus, String currency) {
    Map<Sku, Money> prices = new HashMap<>();
    List<Sku> misses = new ArrayList<>();
    for (Sku sku : skus) {
      Money cached = cache.get(cacheKey(sku, currency));
      if (cached != null) {
        prices.put(sku, cached);
      } else {
        misses.add(sku);
      }
    }
    meters.counter("checkout.price.cache", "result", "hit").increment(skus.size() - misses.size());
    meters.counter("checkout.price.cache", "result", "miss").increment(misses.size());

    for (Sku sku : misses) {
      Money price = repository.currentPrice(sku, currency);
      cache.put(cacheKey(sku, currency), price, PRICE_TTL);
      prices.put(sku, price);
    }
    return prices;
  }

  public void invalidate(Sku sku) {
    cache.evictPrefix("price:" + sku.id() + ":");
    log.debug("evicted cached prices for {}", sku.id());
  }

  private static String cacheKey(Sku sku, String currency) {
    return "price:" + sku.id() + ":" + currency;
  }
}
`;
  const priceAfter = `package com.example.checkout.pricing;

import com.example.checkout.catalog.CatalogPriceRepository;
import com.example.checkout.model.Money;
import com.example.checkout.model.Sku;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Resolves the current price of every SKU in a cart, straight from catalog-db so a
 * repricing run is visible on the next quote.
 */
@Service
public class PriceService {
  private final CatalogPriceRepository repository;
  private final MeterRegistry meters;

  public PriceService(CatalogPriceRepository repository, MeterRegistry meters) {
    this.repository = repository;
    this.meters = meters;
  }

  public Map<Sku, Money> pricesFor(List<Sku> skus, String currency) {
    Map<Sku, Money> prices = new HashMap<>();
    for (Sku sku : skus) {
      prices.put(sku, repository.currentPrice(sku, currency));
    }
    meters.counter("checkout.price.lookups").increment(skus.size());
    return prices;
  }
}
`;
  const listenerBefore = `package com.example.checkout.pricing;

import com.example.checkout.events.RepricingCompleted;
import com.example.checkout.model.Sku;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

@Component
public class RepricingListener {
  private final PriceService prices;

  public RepricingListener(PriceService prices) {
    this.prices = prices;
  }

  @KafkaListener(topics = "catalog.repricing", groupId = "checkout")
  public void onRepricing(RepricingCompleted event) {
    for (Sku sku : event.skus()) {
      prices.invalidate(sku);
    }
  }
}
`;
  const cfgBefore = `spring:
  application:
    name: checkout
  datasource:
    url: jdbc:postgresql://catalog-db.prod.internal:5432/catalog
    hikari:
      maximum-pool-size: 20
      connection-timeout: 3000

checkout:
  price-cache:
    enabled: true
    host: price-cache.prod.internal
    port: 6379
    ttl: 10m
  quote:
    max-items: 50
`;
  const cfgAfter = `spring:
  application:
    name: checkout
  datasource:
    url: jdbc:postgresql://catalog-db.prod.internal:5432/catalog
    hikari:
      maximum-pool-size: 20
      connection-timeout: 3000

checkout:
  quote:
    max-items: 50
`;
  b.patch(
    'diffs/checkout-2.41.0.patch',
    {
      sha: commitFor(b, 'deploy-4821'),
      author: 'Marek Halloran',
      email: 'marek.halloran@example.com',
      at: ms('2026-02-10T10:17:44Z'),
      offsetMin: 60,
      subject: 'checkout: read current prices from catalog-db',
      body: `Prices cached in price-cache stayed stale for up to ten minutes after a
repricing run, so some customers were charged the old price (CHK-1432).
Read the current price from catalog-db on every quote instead; the
repricing listener no longer has anything to invalidate.`,
    },
    [
      { path: 'services/checkout/src/main/java/com/example/checkout/pricing/PriceService.java', before: priceBefore, after: priceAfter },
      { path: 'services/checkout/src/main/java/com/example/checkout/pricing/RepricingListener.java', before: listenerBefore, after: null },
      { path: 'services/checkout/src/main/resources/application-prod.yaml', before: cfgBefore, after: cfgAfter },
    ],
  );
  const gwBefore = `# api-gateway production values
replicaCount: 6
image:
  repository: registry.example.internal/platform/api-gateway
  tag: "1.19.4"

routes:
  - prefix: /api/checkout
    upstream: checkout.prod.svc.cluster.local:8080
    timeout: 5s
  - prefix: /api/search
    upstream: search.prod.svc.cluster.local:8080
    timeout: 3s
  - prefix: /api/catalog
    upstream: catalog.prod.svc.cluster.local:8080
    timeout: 3s

accessLog:
  enabled: true
  format: json
  sampling: 0.01
  fields: [route, status, upstream, duration_ms, request_id]

resources:
  requests:
    cpu: "1"
    memory: 1Gi
`;
  b.diff('diffs/cfg-1180.diff', [
    { path: 'deploy/api-gateway/values-prod.yaml', before: gwBefore, after: gwBefore.replace('sampling: 0.01', 'sampling: 0.05') },
  ]);
  const buttonBefore = `import { useCheckout } from '../../hooks/useCheckout';
import { Spinner } from '../Spinner';

export function PlaceOrderButton({ disabled }: { disabled: boolean }) {
  const { placeOrder, placing } = useCheckout();
  return (
    <button
      type="submit"
      className="btn btn-primary checkout__place-order"
      disabled={disabled || placing}
      aria-label="Place order"
      onClick={placeOrder}
    >
      {placing ? <Spinner size="sm" /> : 'Place order'}
    </button>
  );
}
`;
  b.patch(
    'diffs/web-frontend-5.12.3.patch',
    {
      sha: commitFor(b, 'deploy-4819'),
      author: 'Ines Duarte',
      email: 'ines.duarte@example.com',
      at: ms('2026-02-09T16:03:12Z'),
      subject: 'checkout: "Place your order" copy from the UX review',
    },
    [
      {
        path: 'apps/web/src/components/checkout/PlaceOrderButton.tsx',
        before: buttonBefore,
        after: buttonBefore.replace('aria-label="Place order"', 'aria-label="Place your order"').replace("'Place order'", "'Place your order'"),
      },
    ],
  );

  // Logs: checkout (Spring Boot, logback layout).
  const co = b.rng('log-checkout');
  const threads = (rng) => `http-nio-8080-exec-${rng.int(1, 64)}`;
  const coEvents = [];
  coEvents.push(
    ...poisson(co, b.start, b.end, (t) => checkoutRps(t) * 0.002, (t, r) => {
      const lat = latencyDraw(r, quoteP50(t), quoteSigma(t));
      const failed = r.chance(checkoutErr(t));
      return {
        t,
        level: failed ? 'error' : lat > 1 ? 'warn' : 'info',
        thread: threads(r),
        logger: 'c.e.checkout.web.RequestLogFilter',
        msg: `POST /api/checkout/quote status=${failed ? 500 : 200} items=${r.int(1, 9)} duration=${ms1(lat)}ms${lat > 1 ? ' (slow)' : ''}`,
      };
    }),
    ...every(co, b.start, b.end, 17 * MIN, 4 * MIN, (t) => ({
      t,
      level: 'warn',
      thread: 'HikariPool-1 housekeeper',
      logger: 'com.zaxxer.hikari.pool.HikariPool',
      msg: `HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=${co.int(61, 74)}s${co.int(100, 999)}ms).`,
    })),
    ...every(co, b.start, b.end, 6 * MIN, 2 * MIN, (t, r) => ({
      t,
      level: 'info',
      thread: 'kafka-producer-network-thread | checkout-events',
      logger: 'o.a.kafka.clients.NetworkClient',
      msg: `[Producer clientId=checkout-events] Node ${r.int(1, 3)} disconnected.`,
    })),
    ...every(co, b.start, b.end, 30 * MIN, 2 * MIN, (t, r) => ({
      t,
      level: 'warn',
      thread: 'scheduling-1',
      logger: 'c.e.checkout.inventory.ReservationSweeper',
      msg: `Released ${r.int(3, 40)} expired reservations older than 30m`,
    })),
  );
  podRestarts.forEach((t, i) => {
    coEvents.push(
      { t: t + 2100, level: 'info', thread: 'main', logger: 'c.e.checkout.CheckoutApplication', msg: `Starting CheckoutApplication v2.41.0 using Java 21.0.2 with PID 1 (/app/checkout.jar started by app in /app)` },
      { t: t + 14_800 + i * 130, level: 'info', thread: 'main', logger: 'c.e.checkout.CheckoutApplication', msg: `Started CheckoutApplication in ${(11 + co.next() * 2).toFixed(3)} seconds (process running for ${(12.5 + co.next() * 2).toFixed(3)})` },
    );
  });
  coEvents.push(
    ...poisson(co, b.onset, b.end, (t) => (dbUtil(t) > 0.84 ? 0.05 * uncached(t) : 0), (t, r) => ({
      t,
      level: 'warn',
      thread: threads(r),
      logger: 'c.e.checkout.pricing.PriceService',
      msg: `Quote pricing took ${ms1(latencyDraw(r, quoteP50(t) * 1.4, 0.4))}ms for ${r.int(3, 11)} SKUs`,
    })),
    ...poisson(co, b.onset, b.end, (t) => checkoutRps(t) * checkoutErr(t) * 0.006, (t, r) => {
      const timeout = r.chance(0.55);
      return {
        t,
        level: 'error',
        thread: threads(r),
        logger: 'o.a.c.c.C.[.[.[/].[dispatcherServlet]',
        msg: 'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception',
        stack: timeout
          ? javaStack(
              'org.springframework.dao.QueryTimeoutException: PreparedStatementCallback; SQL [SELECT p.amount, p.currency FROM prices p JOIN price_rules r ON r.sku_id = p.sku_id WHERE p.sku_id = ? AND p.currency = ? AND r.active]; ERROR: canceling statement due to statement timeout',
              [
                'org.springframework.jdbc.support.SQLStateSQLExceptionTranslator.doTranslate(SQLStateSQLExceptionTranslator.java:99)',
                'org.springframework.jdbc.core.JdbcTemplate.query(JdbcTemplate.java:732)',
                'com.example.checkout.catalog.CatalogPriceRepository.currentPrice(CatalogPriceRepository.java:48)',
                'com.example.checkout.pricing.PriceService.pricesFor(PriceService.java:29)',
                'com.example.checkout.quote.QuoteService.quote(QuoteService.java:71)',
                'com.example.checkout.web.QuoteController.quote(QuoteController.java:38)',
              ],
              {
                exception: 'org.postgresql.util.PSQLException: ERROR: canceling statement due to statement timeout',
                frames: ['org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2713)', 'org.postgresql.jdbc.PgPreparedStatement.executeQuery(PgPreparedStatement.java:134)'],
                more: 61,
              },
            )
          : javaStack(
              'org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection',
              [
                'org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)',
                'org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:653)',
                'com.example.checkout.catalog.CatalogPriceRepository.currentPrice(CatalogPriceRepository.java:48)',
                'com.example.checkout.pricing.PriceService.pricesFor(PriceService.java:29)',
                'com.example.checkout.quote.QuoteService.quote(QuoteService.java:71)',
              ],
              {
                exception: 'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 3000ms (total=20, active=20, idle=0, waiting=37)',
                frames: ['com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)', 'com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)'],
                more: 58,
              },
            ),
      };
    }),
    { t: flagAt + 2300, level: 'info', thread: 'flagd-sync', logger: 'c.e.checkout.flags.FlagClient', msg: 'Flag checkout.gift_wrap changed: rollout 0% -> 25%' },
  );
  b.log('logs/checkout.log', coEvents, { style: 'logback', time: 'iso' });

  // Logs: catalog-db (PostgreSQL via the platform's log shipper, `LEVEL message`).
  const pg = b.rng('log-db');
  const pgLevels = { info: 'INFO', warn: 'WARNING', error: 'ERROR', fatal: 'FATAL' };
  const dbEvents = [
    ...every(pg, b.start, b.end, 5 * MIN, 10 * SEC, (t, r) => [
      { t, level: 'info', msg: 'checkpoint starting: time' },
      {
        t: t + r.int(25, 32) * SEC,
        level: 'info',
        msg: `checkpoint complete: wrote ${r.int(900, 4200)} buffers (${(r.float(0.6, 3.1)).toFixed(1)}%); 0 WAL file(s) added, 0 removed, ${r.int(1, 3)} recycled; write=${r.float(24, 29).toFixed(3)} s, sync=${r.float(0.002, 0.09).toFixed(3)} s, total=${r.float(26, 31).toFixed(3)} s`,
      },
    ]),
    ...every(pg, b.start, b.end, 11 * MIN, 5 * MIN, (t, r) => ({
      t,
      level: 'info',
      msg: `automatic vacuum of table "catalog.public.${r.pick(['inventory_snapshots', 'price_history', 'search_clicks'])}": index scans: 1 pages: 0 removed, ${r.int(2000, 90000)} remain`,
    })),
    ...every(pg, b.start, b.end, 9 * MIN, 6 * MIN, (t) => ({ t, level: 'info', msg: 'could not receive data from client: Connection reset by peer' })),
    ...poisson(pg, b.start, b.end, (t) => 0.001 + 0.02 * Math.max(0, queueing(dbUtil(t)) - 2), (t, r) => {
      const dur = 0.25 + latencyDraw(r, dbQueryS(t) * 4 + 0.02, 0.8);
      const heavy = uncached(t) > 0 && r.chance(0.93);
      return {
        t,
        level: 'warn',
        levelText: 'WARNING',
        msg: heavy
          ? `duration: ${(dur * 1000).toFixed(3)} ms  execute S_3: SELECT p.amount, p.currency FROM prices p JOIN price_rules r ON r.sku_id = p.sku_id WHERE p.sku_id = $1 AND p.currency = $2 AND r.active`
          : `duration: ${(dur * 1000).toFixed(3)} ms  execute S_1: SELECT sku_id, qty FROM inventory_snapshots WHERE warehouse_id = $1 ORDER BY taken_at DESC LIMIT 500`,
      };
    }),
    ...poisson(pg, b.onset, b.end, (t) => checkoutRps(t) * checkoutErr(t) * 0.01, (t) => ({
      t,
      level: 'error',
      msg: 'canceling statement due to statement timeout',
    })),
  ];
  b.log('logs/catalog-db.log', dbEvents, { style: 'plain', time: 'iso', levels: pgLevels });

  // Logs: api-gateway access log, JSON lines.
  const gw = b.rng('log-gw');
  const gwEvents = [];
  for (const [route, rps, p50, sigma] of routes) {
    gwEvents.push(
      ...poisson(gw, b.start, b.end, (t) => rps(t) * 0.00012 * (t >= gatewayCfgAt ? 5 : 1), (t, r) => {
        const lat = latencyDraw(r, p50(t), sigma(t));
        const upstreamErr = route === '/api/checkout' && r.chance(checkoutErr(t));
        const status = upstreamErr ? (lat > 5 ? 504 : 502) : r.chance(0.003) ? 404 : 200;
        return {
          t,
          level: status >= 500 ? 'error' : 'info',
          msg: 'request completed',
          fields: {
            route,
            method: route === '/api/checkout' ? 'POST' : 'GET',
            status,
            upstream: route.split('/')[2],
            duration_ms: Math.min(5000, ms1(lat)),
            request_id: reqId(r),
          },
        };
      }),
    );
  }
  gwEvents.push(
    ...every(gw, b.start, b.end, 4 * MIN, 90 * SEC, (t, r) => ({
      t,
      level: 'warn',
      msg: 'rate limit exceeded',
      fields: { client_ip: `203.0.113.${r.int(2, 250)}`, route: '/api/search', limit: '50r/s' },
    })),
    { t: gatewayCfgAt + 8200, level: 'info', msg: 'configuration reloaded', fields: { revision: 'cfg-1180', access_log_sampling: 0.05 } },
  );
  b.jsonl('logs/api-gateway.jsonl', gwEvents, {
    keys: { time: 'time', level: 'level', msg: 'msg' },
    timeForm: 'iso',
    levelForm: 'lower',
    base: { logger: 'access' },
  });

  // Runbooks.
  b.text(
    'runbooks/checkout-latency.md',
    `# Checkout latency

Alert: \`CheckoutLatencyP99High\` (p99 of \`/api/checkout/quote\` above 1s for 5m).

## What checkout calls on a quote

1. \`price-cache\` (Redis) for each SKU's price, falling back to \`catalog-db\` on a miss.
2. \`catalog-db\` (PostgreSQL 15, 8 vCPU) for price rules and stock.
3. \`inventory\` over HTTP to hold stock for 30 minutes.

## First checks

- Is it every route or only quote? Compare the gateway's per-route p99.
- Database: CPU of \`catalog-db\`, active sessions, slow query log (\`log_min_duration_statement = 250ms\`).
- Connection pool: HikariCP logs \`Connection is not available\` when the 20 connections per pod are busy.
- Recent changes: \`deploybot changes --service checkout --since 2h\`.

## Mitigations

- Roll back the last checkout release: \`deploybot rollback checkout\`.
- Scale checkout only if its own CPU is the limit; more pods mean more database connections.

The HikariCP "Thread starvation or clock leap detected" warning shows up every few minutes on
every pod and is not related to latency (JDK-8292587 on our node images).
`,
  );
  b.text(
    'runbooks/catalog-db.md',
    `# catalog-db

PostgreSQL 15 primary \`catalog-db-0\`, one streaming replica \`catalog-db-1\` (read-only, not used by checkout).

- Slow queries are logged above 250 ms. \`statement_timeout\` is 2 s for the \`checkout\` role.
- CPU above 85% for more than 10 minutes: find the top statements in \`pg_stat_statements\`
  (\`ORDER BY total_exec_time DESC\`) and the service that issues them.
- "could not receive data from client: Connection reset by peer" is logged whenever a pod is
  killed mid-connection. Harmless unless it comes in bursts.
`,
  );

  b.truth({
    category: 'deploy',
    service: 'checkout',
    change_id: 'deploy-4821',
    onset: '2026-02-10T14:03:10Z',
    notes:
      'checkout 2.41.0 (deploy-4821, rolled out 14:02:30-14:09:30) removed the price-cache lookups in PriceService to fix stale prices, so every quote queries catalog-db once per SKU. the price lookup statement on catalog-db goes from about 10 to 300 executions per second as pods roll (total queries more than double), its CPU saturates near 95%, query latency and active sessions climb, and checkout p99 passes 1 s with statement timeouts and Hikari pool exhaustion; price-cache GET traffic falls at the same time. The gateway access-log sampling change (cfg-1180) only adds log volume, the web-frontend copy change is cosmetic, and the search bump and the gift-wrap flag came after the onset.',
  });
  return b;
}

// ---------------------------------------------------------------------------------------------
// 2. An orders release adds product names to the order history by loading line items and
//    products one query at a time (N+1). Queries per request go from 2 to ~200, orders-db QPS
//    jumps, order history p99 passes 1 s. A search release eight minutes earlier is innocent.

function ordersNPlusOne() {
  const b = new Bundle('orders-n-plus-one', {
    start: '2026-03-05T08:30:00Z',
    end: '2026-03-05T11:30:00Z',
    step: 30 * SEC,
    onset: '2026-03-05T09:42:00Z',
    summary: 'An orders release loads line items and products one query at a time in the order history (N+1); orders-db transactions jump ~18x and GET /orders p99 passes 1 s.',
  });
  const deployAt = ms('2026-03-05T09:41:05Z');
  const pods = rollout(deployAt, deployAt + 95 * SEC, 4);
  const searchDeployAt = ms('2026-03-05T09:33:20Z');
  const notifCfgAt = ms('2026-03-05T10:05:00Z');

  const gwRps = (t) => 910 * diurnal(t, 18, 0.32) * (1 + 0.05 * drift('gw', t, 6 * MIN));
  const historyRps = (t) => gwRps(t) * 0.046 * (1 + 0.06 * drift('hist', t, 4 * MIN));
  const placeRps = (t) => gwRps(t) * 0.0071;
  const share = (t) => rolledShare(pods, t);
  const queriesPerHistory = (t) => 2 + share(t) * (50 + 142); // 50 orders, ~2.84 items each
  const otherQps = (t) => 410 * diurnal(t, 18, 0.3);
  const dbQps = (t) => otherQps(t) + historyRps(t) * queriesPerHistory(t) + placeRps(t) * 7;
  const dbUtil = (t) => (1.6 + dbQps(t) * 0.00052) / 16;
  const rtt = 0.0011;
  const historyP50 = (t) => 0.041 + (queriesPerHistory(t) - 2) * rtt * 0.55 * queueing(dbUtil(t));
  const historySigma = (t) => 0.48 + 0.42 * share(t);
  const historyErr = (t) => 0.0008 + share(t) * 0.02 * clamp((historyP50(t) - 0.1) / 0.1, 0, 1.3);
  const poolInUse = (t) => (historyRps(t) * historyP50(t) * 1.9 + placeRps(t) * 0.06) / 4; // per pod

  // The Alertmanager webhook: an old resolved alert first, then the page and its context.
  const am = 'https://alertmanager.prod.example.internal';
  const prom = 'https://prometheus.prod.example.internal';
  b.json(
    'alert.json',
    amPayload({
      receiver: 'pagerduty-orders',
      groupLabels: { cluster: 'prod-us-east-1' },
      externalURL: am,
      alerts: [
        amAlert({
          status: 'resolved',
          labels: { alertname: 'KubeJobFailed', cluster: 'prod-us-east-1', severity: 'warning', job_name: 'orders-nightly-export-29021430', service: 'orders-export' },
          annotations: { summary: 'Job orders-nightly-export-29021430 failed to complete.' },
          startsAt: '2026-03-05T07:12:30Z',
          endsAt: '2026-03-05T08:05:30Z',
          generator: promGenerator(prom, 'kube_job_failed{job_name=~"orders-nightly-export.*"} > 0'),
        }),
        amAlert({
          labels: { alertname: 'OrdersHighLatency', cluster: 'prod-us-east-1', severity: 'page', service: 'orders', job: 'orders', handler: '/orders' },
          annotations: {
            summary: 'orders GET /orders p99 latency is 1.84s (threshold 1s)',
            description: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="orders",handler="/orders"}[5m]))) > 1 for 5m',
            runbook_url: 'https://runbooks.example.internal/orders',
          },
          startsAt: '2026-03-05T09:49:45Z',
          generator: promGenerator(prom, 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="orders",handler="/orders"}[5m]))) > 1'),
        }),
        amAlert({
          labels: { alertname: 'GatewayUpstream5xx', cluster: 'prod-us-east-1', severity: 'warning', service: 'api-gateway', route: '/api/orders' },
          annotations: { summary: '2.2% of /api/orders requests fail with 5xx' },
          startsAt: '2026-03-05T09:56:15Z',
          generator: promGenerator(prom, 'sum(rate(gateway_requests_total{route="/api/orders",code=~"5.."}[5m])) / sum(rate(gateway_requests_total{route="/api/orders"}[5m])) > 0.01'),
        }),
        amAlert({
          labels: { alertname: 'PostgresQueriesSpike', cluster: 'prod-us-east-1', severity: 'info', job: 'orders-db' },
          annotations: { summary: 'orders-db transactions per second 5x above the same time last week' },
          startsAt: '2026-03-05T09:51:00Z',
          generator: promGenerator(prom, 'rate(pg_stat_database_xact_commit{datname="orders"}[5m]) > 5 * rate(pg_stat_database_xact_commit{datname="orders"}[5m] offset 1w)'),
        }),
      ],
    }),
  );

  // Metrics: a CSV export per system.
  const gaps = scrapeGaps(b.rng('gaps'), b.start, b.end, b.step, 3, 4);
  const ordersSeries = [];
  for (const q of [0.5, 0.99])
    ordersSeries.push(
      csvSeries(
        { metric: 'http_request_duration_seconds', service: 'orders', handler: '/orders', method: 'GET', quantile: String(q) },
        observed(b.rng(`hq${q}`), (t) => quantileOf(historyP50(t), historySigma(t), q), { noise: 0.07, gaps }),
      ),
      csvSeries(
        { metric: 'http_request_duration_seconds', service: 'orders', handler: '/orders', method: 'POST', quantile: String(q) },
        observed(b.rng(`pq${q}`), () => quantileOf(0.085, 0.5, q), { noise: 0.08, gaps }),
      ),
    );
  ordersSeries.push(
    csvSeries({ metric: 'http_requests_per_second', service: 'orders', handler: '/orders', method: 'GET' }, observed(b.rng('hr'), historyRps, { gaps })),
    csvSeries({ metric: 'http_requests_per_second', service: 'orders', handler: '/orders', method: 'POST' }, observed(b.rng('pr'), placeRps, { noise: 0.08, gaps })),
    csvSeries({ metric: 'http_errors_ratio', service: 'orders', handler: '/orders', method: 'GET' }, observed(b.rng('he'), historyErr, { noise: 0.2, gaps })),
    csvSeries(
      { metric: 'sqlalchemy_pool_checked_out_connections', service: 'orders' },
      observed(b.rng('pool'), (t) => Math.min(15, poolInUse(t)), { noise: 0.1, gaps, integer: true }),
    ),
    csvSeries({ metric: 'process_cpu_seconds_rate', service: 'orders' }, observed(b.rng('ocpu'), (t) => 0.4 + historyRps(t) * (0.006 + 0.011 * share(t)), { gaps })),
  );
  b.csv('metrics/orders.csv', ordersSeries, {
    columns: ['timestamp', 'service', 'metric', 'handler', 'method', 'quantile', 'value'],
    timeForm: 'iso-s',
    nanGaps: false,
  });
  const exporterDown = [[ms('2026-03-05T10:31:15Z'), ms('2026-03-05T10:33:00Z')]];
  const dbSeries = [
    csvSeries({ metric: 'pg_stat_database_xact_commit_rate', job: 'orders-db', datname: 'orders' }, observed(b.rng('xact'), (t) => dbQps(t) * 0.93, { gaps: exporterDown })),
    csvSeries({ metric: 'pg_stat_database_tup_fetched_rate', job: 'orders-db', datname: 'orders' }, observed(b.rng('tup'), (t) => dbQps(t) * 14.2, { gaps: exporterDown }), 5),
    csvSeries({ metric: 'node_cpu_utilisation_ratio', job: 'orders-db', datname: '' }, observed(b.rng('dbcpu'), dbUtil, { gaps: exporterDown, ceil: 1 })),
    csvSeries(
      { metric: 'pg_stat_statements_calls_rate', job: 'orders-db', datname: 'orders', queryid: '3387715612873561447' },
      observed(b.rng('q1'), (t) => historyRps(t) * (1 + share(t) * 49), { gaps: exporterDown }),
    ),
    csvSeries(
      { metric: 'pg_stat_statements_calls_rate', job: 'orders-db', datname: 'orders', queryid: '-882166304177384920' },
      observed(b.rng('q2'), (t) => historyRps(t) * (1 + share(t) * 141), { gaps: exporterDown }),
    ),
    csvSeries(
      { metric: 'pg_stat_statements_calls_rate', job: 'orders-db', datname: 'orders', queryid: '5120984420961937710' },
      observed(b.rng('q3'), (t) => historyRps(t) * (1 - share(t)), { gaps: exporterDown }),
    ),
  ];
  b.csv('metrics/db/orders-db.csv', dbSeries, {
    columns: ['timestamp', 'metric', 'job', 'datname', 'queryid', 'value'],
    timeForm: 'epoch_s_int',
    nanGaps: true,
    order: 'series',
  });
  const routes = [
    ['/api/orders', (t) => historyRps(t) + placeRps(t), (t) => historyP50(t) + 0.006, historySigma],
    ['/api/search', (t) => gwRps(t) * 0.38, () => 0.072, () => 0.5],
    ['/api/products', (t) => gwRps(t) * 0.44, () => 0.031, () => 0.45],
  ];
  b.prom(
    'metrics/api-gateway.json',
    routes.flatMap(([route, rps, p50, sigma]) => [
      series({ __name__: 'gateway_requests_per_second', service: 'api-gateway', route }, observed(b.rng(`gwr${route}`), rps)),
      series(
        { __name__: 'gateway_request_duration_seconds', service: 'api-gateway', route, quantile: '0.99' },
        observed(b.rng(`gwl${route}`), (t) => Math.min(3, quantileOf(p50(t), sigma(t), 0.99)), { noise: 0.07 }),
      ),
    ]),
  );
  b.prom('metrics/search.json', [
    series({ __name__: 'search_query_duration_seconds', job: 'search', quantile: '0.99' }, observed(b.rng('sq'), (t) => 0.21 + 0.03 * drift('sq', t, 10 * MIN), { noise: 0.08 })),
    series({ __name__: 'search_cache_hit_ratio', job: 'search' }, observed(b.rng('sh'), (t) => 0.71 + 0.04 * drift('sh', t, 15 * MIN), { noise: 0.01 })),
    // The search release only demoted a log line: its visible effect is fewer log lines.
    series({ __name__: 'search_log_lines_per_second', job: 'search' }, observed(b.rng('sll'), (t) => (t >= searchDeployAt + 90 * SEC ? 38 : 141) * diurnal(t, 18, 0.3), { noise: 0.06 })),
  ]);

  // Changes: a JSON list as the deploy pipeline's API returns it.
  b.json(
    'changes.json',
    [
      {
        id: 'deploy-7709',
        service: 'orders',
        type: 'deploy',
        at: '2026-03-05T08:52:40Z',
        version: '4.17.2',
        author: 'sam.okafor',
        commit: commitFor(b, 'deploy-7709'),
        summary: 'Propagate X-Request-Id to outbound calls',
        pipeline: 'orders-prod#1841',
      },
      {
        id: 'deploy-7712',
        service: 'search',
        type: 'deploy',
        started_at: '2026-03-05T09:33:20Z',
        version: '2.30.0',
        author: 'lena.fischer',
        commit: commitFor(b, 'deploy-7712'),
        summary: 'Log cache misses at debug level',
        pipeline: 'search-prod#977',
      },
      {
        id: 'deploy-7713',
        service: 'orders',
        type: 'deploy',
        at: '2026-03-05T09:41:05Z',
        version: '4.18.0',
        author: 'sam.okafor',
        commit: commitFor(b, 'deploy-7713'),
        summary: 'Order history: show product name and thumbnail per line item (ORD-662)',
        pipeline: 'orders-prod#1842',
      },
      {
        id: 'cfg-412',
        service: 'notifications',
        type: 'config',
        at: '2026-03-05T10:05:00Z',
        author: 'ana.lima',
        summary: 'Email digest batch size 200 -> 500',
      },
      {
        id: 'deploy-7716',
        service: 'api-gateway',
        type: 'deploy',
        timestamp: ms('2026-03-05T10:20:40Z'),
        version: 'envoy-1.29.3',
        author: 'platform-bot',
        summary: 'Envoy 1.29.2 -> 1.29.3 (CVE-2024-27919 fix)',
      },
    ],
  );

  // Diffs: plain `git diff` output, matched to changes by the id in the file name.
  const repoBefore = `from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import LineItem, Order
from app.schemas import OrderSummary


class OrderRepository:
    """Reads and writes orders for one request's database session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, order_id: str) -> Order | None:
        return self.session.get(Order, order_id)

    def list_for_customer(
        self, customer_id: str, limit: int = 50, before: datetime | None = None
    ) -> list[OrderSummary]:
        stmt = (
            select(Order)
            .where(Order.customer_id == customer_id)
            .options(selectinload(Order.items).selectinload(LineItem.product))
            .order_by(Order.created_at.desc())
            .limit(limit)
        )
        if before is not None:
            stmt = stmt.where(Order.created_at < before)
        orders = self.session.scalars(stmt).all()
        return [OrderSummary.from_model(order) for order in orders]

    def add(self, order: Order) -> None:
        self.session.add(order)
        self.session.flush()
`;
  const repoAfter = `from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import LineItem, Order, Product
from app.schemas import LineItemSummary, OrderSummary


class OrderRepository:
    """Reads and writes orders for one request's database session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, order_id: str) -> Order | None:
        return self.session.get(Order, order_id)

    def list_for_customer(
        self, customer_id: str, limit: int = 50, before: datetime | None = None
    ) -> list[OrderSummary]:
        stmt = (
            select(Order)
            .where(Order.customer_id == customer_id)
            .order_by(Order.created_at.desc())
            .limit(limit)
        )
        if before is not None:
            stmt = stmt.where(Order.created_at < before)
        orders = self.session.scalars(stmt).all()
        summaries = []
        for order in orders:
            items = self.session.scalars(select(LineItem).where(LineItem.order_id == order.id)).all()
            lines = []
            for item in items:
                product = self.session.get(Product, item.product_id)
                lines.append(
                    LineItemSummary(
                        sku=item.sku,
                        quantity=item.quantity,
                        name=product.name,
                        thumbnail_url=product.thumbnail_url,
                    )
                )
            summaries.append(OrderSummary.from_model(order, lines=lines))
        return summaries

    def add(self, order: Order) -> None:
        self.session.add(order)
        self.session.flush()
`;
  const schemaBefore = `from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel


class LineItemSummary(BaseModel):
    sku: str
    quantity: int


class OrderSummary(BaseModel):
    id: str
    placed_at: datetime
    status: str
    total: Decimal
    lines: list[LineItemSummary]

    @classmethod
    def from_model(cls, order) -> "OrderSummary":
        return cls(
            id=order.id,
            placed_at=order.created_at,
            status=order.status,
            total=order.total,
            lines=[LineItemSummary(sku=i.sku, quantity=i.quantity) for i in order.items],
        )
`;
  const schemaAfter = `from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel


class LineItemSummary(BaseModel):
    sku: str
    quantity: int
    name: str | None = None
    thumbnail_url: str | None = None


class OrderSummary(BaseModel):
    id: str
    placed_at: datetime
    status: str
    total: Decimal
    lines: list[LineItemSummary]

    @classmethod
    def from_model(cls, order, lines: list[LineItemSummary]) -> "OrderSummary":
        return cls(
            id=order.id,
            placed_at=order.created_at,
            status=order.status,
            total=order.total,
            lines=lines,
        )
`;
  b.diff('diffs/deploy-7713.diff', [
    { path: 'services/orders/app/repositories/orders.py', before: repoBefore, after: repoAfter },
    { path: 'services/orders/app/schemas.py', before: schemaBefore, after: schemaAfter },
  ]);
  const searchBefore = `package cache

import (
	"context"
	"time"

	"go.uber.org/zap"
)

// Lookup returns the cached result page for a normalised query, or nil.
func (c *ResultCache) Lookup(ctx context.Context, key string) *Page {
	start := time.Now()
	page, ok := c.lru.Get(key)
	c.metrics.lookupSeconds.Observe(time.Since(start).Seconds())
	if !ok {
		c.log.Info("cache miss", zap.String("key", key))
		c.metrics.misses.Inc()
		return nil
	}
	c.metrics.hits.Inc()
	return page.(*Page)
}
`;
  b.diff('diffs/deploy-7712.diff', [
    {
      path: 'services/search/internal/cache/lookup.go',
      before: searchBefore,
      after: searchBefore.replace('c.log.Info("cache miss"', 'c.log.Debug("cache miss"'),
    },
  ]);
  const clientBefore = `import httpx

from app.context import current_request_id


def build_client(base_url: str, timeout: float = 2.0) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=timeout)
`;
  const clientAfter = `import httpx

from app.context import current_request_id


def _propagate_request_id(request: httpx.Request) -> None:
    request_id = current_request_id()
    if request_id:
        request.headers["X-Request-Id"] = request_id


def build_client(base_url: str, timeout: float = 2.0) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=timeout, event_hooks={"request": [_propagate_request_id]})
`;
  b.diff('diffs/deploy-7709.diff', [{ path: 'services/orders/app/http.py', before: clientBefore, after: clientAfter }]);

  // Logs: orders (structlog, logfmt after the timestamp).
  const lo = b.rng('log-orders');
  const ordersEvents = [
    ...poisson(lo, b.start, b.end, (t) => historyRps(t) * 0.0026, (t, r) => {
      const lat = latencyDraw(r, historyP50(t), historySigma(t));
      const onNew = r.chance(share(t));
      const queries = onNew ? 2 + r.int(10, 50) * (1 + Math.round(r.float(1.5, 4.2))) : 2;
      return {
        t,
        level: lat > 1 ? 'warn' : 'info',
        msg: lat > 1 ? 'slow request' : 'request finished',
        fields: { method: 'GET', path: '/orders', status: 200, duration_ms: ms1(lat), db_queries: queries, request_id: reqId(r) },
      };
    }),
    ...poisson(lo, b.start, b.end, (t) => placeRps(t) * 0.01, (t, r) => ({
      t,
      level: 'info',
      msg: 'order placed',
      fields: { method: 'POST', path: '/orders', status: 201, duration_ms: ms1(latencyDraw(r, 0.085, 0.5)), db_queries: 7, order_id: `ord_${r.id(12)}` },
    })),
    ...every(lo, b.start, b.end, 8 * MIN, 3 * MIN, (t, r) => ({
      t,
      level: 'warn',
      msg: 'payment webhook signature check skipped for sandbox merchant',
      fields: { merchant: `m_test_${r.int(100, 140)}` },
    })),
    ...every(lo, b.start, b.end, 15 * MIN, 20 * SEC, (t, r) => ({ t, level: 'info', msg: 'refund reconciliation finished', fields: { matched: r.int(40, 120), unmatched: r.int(0, 2) } })),
    ...poisson(lo, b.onset, b.end, (t) => historyRps(t) * historyErr(t) * 0.025, (t, r) => ({
      t,
      level: 'error',
      msg: 'unhandled exception in request',
      fields: { method: 'GET', path: '/orders', status: 500, request_id: reqId(r) },
      stack: pythonTraceback(
        [
          ['/app/app/routes/orders.py', 41, 'list_orders', 'return repo.list_for_customer(customer.id, limit=page_size, before=cursor)'],
          ['/app/app/repositories/orders.py', 35, 'list_for_customer', 'product = self.session.get(Product, item.product_id)'],
          ['/usr/local/lib/python3.12/site-packages/sqlalchemy/orm/session.py', 3617, 'get', 'return self._get_impl('],
          ['/usr/local/lib/python3.12/site-packages/sqlalchemy/pool/impl.py', 166, '_do_get', 'raise exc.TimeoutError('],
        ],
        'sqlalchemy.exc.TimeoutError: QueuePool limit of size 10 overflow 5 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)',
      ),
    })),
  ];
  [ms('2026-03-05T08:52:40Z'), ...pods].forEach((t, i) => {
    const version = i === 0 ? '4.17.2' : '4.18.0';
    const n = i === 0 ? 4 : 1;
    for (let k = 0; k < n; k++) {
      const at = t + k * 24 * SEC + 3 * SEC;
      ordersEvents.push(
        { t: at, level: 'info', msg: 'Started server process', fields: { pid: 1, version } },
        { t: at + 2400, level: 'info', msg: 'Application startup complete.', fields: { version } },
      );
    }
  });
  b.log('logs/orders.log', ordersEvents, { style: 'logfmt', time: 'iso', service: 'orders' });

  // Logs: api-gateway (zap JSON: ts in epoch seconds).
  const lg = b.rng('log-gw');
  const gwEvents = [];
  for (const [route, rps, p50, sigma] of routes)
    gwEvents.push(
      ...poisson(lg, b.start, b.end, (t) => rps(t) * 0.00022, (t, r) => {
        const lat = latencyDraw(r, p50(t), sigma(t));
        const timedOut = lat > 3 || (route === '/api/orders' && r.chance(historyErr(t)));
        return {
          t,
          level: timedOut ? 'error' : 'info',
          logger: 'access',
          msg: timedOut ? 'upstream request timeout' : 'request',
          fields: {
            caller: 'proxy/access.go:88',
            route,
            status: timedOut ? 504 : 200,
            duration_ms: timedOut ? 3000 : ms1(lat),
            upstream_cluster: route.split('/')[2],
          },
        };
      }),
    );
  gwEvents.push(
    ...every(lg, b.start, b.end, 3 * MIN, 80 * SEC, (t, r) => ({
      t,
      level: 'warn',
      logger: 'tls',
      msg: 'TLS handshake error',
      fields: { caller: 'listener/tls.go:141', remote: `${ip(r, '10.40')}:${r.int(30000, 60000)}`, error: 'EOF' },
    })),
    { t: ms('2026-03-05T10:20:52Z'), level: 'info', logger: 'main', msg: 'starting envoy', fields: { caller: 'main.go:52', version: '1.29.3' } },
  );
  b.jsonl('logs/api-gateway.jsonl', gwEvents, {
    keys: { time: 'ts', level: 'level', msg: 'msg', logger: 'logger' },
    timeForm: 'epoch_s',
    levelForm: 'lower',
    first: 'level',
  });

  // Logs: notifications (pino: numeric levels, epoch ms).
  const ln = b.rng('log-notif');
  const notifEvents = [
    ...every(ln, b.start, b.end, 2 * MIN, 20 * SEC, (t, r) => ({
      t,
      level: 'info',
      msg: 'digest batch sent',
      fields: { batch: t >= notifCfgAt ? r.int(420, 500) : r.int(160, 200), provider: 'sendgrid', ms: r.int(300, 900) },
    })),
    ...every(ln, b.start, b.end, 13 * MIN, 6 * MIN, (t, r) => ({
      t,
      level: 'warn',
      msg: 'SMTP 421 from provider, will retry',
      fields: { attempt: 1, retry_in_ms: r.pick([2000, 4000, 8000]) },
    })),
    ...poisson(ln, b.start, b.end, (t) => placeRps(t) * 0.02, (t, r) => ({ t, level: 'info', msg: 'order confirmation queued', fields: { order_id: `ord_${r.id(12)}` } })),
    { t: notifCfgAt + 4100, level: 'info', msg: 'config reloaded', fields: { digestBatchSize: 500 } },
  ];
  b.jsonl('logs/notifications.jsonl', notifEvents, {
    keys: { time: 'time', level: 'level', msg: 'msg' },
    timeForm: 'epoch_ms',
    levelForm: 'pino',
    first: 'level',
    base: { pid: 1, hostname: 'notifications-5f7d9c8b6-qm2lx' },
  });

  b.text(
    'runbooks/orders.md',
    `# orders

FastAPI service (4 pods) behind the api-gateway route \`/api/orders\`. Database: \`orders-db\`
(PostgreSQL 15, 16 vCPU). SQLAlchemy pool per pod: size 10, overflow 5, timeout 30 s.

## OrdersHighLatency

1. Which handler? \`GET /orders\` (order history) and \`POST /orders\` (place order) have
   different dependencies: history only reads orders-db, placing also calls payments.
2. Compare with orders-db: \`pg_stat_statements\` calls and mean time per statement.
3. Request logs carry \`db_queries\` per request: a sudden change in that number means a code change.
4. Roll back with \`deployctl rollback orders --to <previous version>\`.

The "payment webhook signature check skipped for sandbox merchant" warning is expected: sandbox
merchants are not signed.
`,
  );

  b.truth({
    category: 'deploy',
    service: 'orders',
    change_id: 'deploy-7713',
    onset: '2026-03-05T09:42:00Z',
    notes:
      'orders 4.18.0 (deploy-7713, 09:41:05) replaced the eager selectinload in OrderRepository.list_for_customer with a loop that queries line items per order and then each product with session.get: an N+1 pattern that turns the 2 queries of a history page into about 200. Request logs show db_queries jump from 2 to hundreds, orders-db commits and the per-item statements multiply, the pool fills, GET /orders p99 passes 1 s and some requests time out at the gateway. The search release at 09:33 only lowers a log level, the 08:52 orders release only propagates request ids, and the notifications and gateway changes came after the onset.',
  });
  return b;
}

/** Erlang C: the chance an arrival waits, for c servers offered a Erlangs of load (a < c). */
function erlangC(c, a) {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const top = (term * a) / c / (1 - a / c);
  return top / (sum + top);
}

/**
 * A connection pool of c slots, each request holding one for hold seconds, waiting at most
 * timeout seconds for one: the chance of waiting, the mean wait, and the share that time out.
 */
function poolState(c, a, hold, timeout) {
  const load = Math.min(a, c * 0.985);
  const pw = erlangC(c, load);
  const rate = (c - load) / hold;
  return { pw, meanWait: pw / rate, timeoutShare: pw * Math.exp(-rate * timeout) + Math.max(0, (a - c * 0.985) / a) };
}

// ---------------------------------------------------------------------------------------------
// 3. A payments config change shrinks the database pool from 40 to 8 connections per pod. Each
//    authorisation holds its connection through the provider call, so at evening traffic the
//    pool is always full: waits, acquire timeouts, failed payments in checkout. A rollback of
//    the config at 19:04 ends it.

function paymentsPoolShrunk() {
  const b = new Bundle('payments-pool-shrunk', {
    start: '2026-04-17T17:30:00Z',
    end: '2026-04-17T19:30:00Z',
    step: 15 * SEC,
    onset: '2026-04-17T18:12:50Z',
    summary: 'A payments config change cut the DB pool from 40 to 8 connections per pod; at evening traffic the pool is always full, payments time out acquiring connections and checkout payments fail.',
  });
  const cfgPods = rollout(ms('2026-04-17T18:12:00Z'), ms('2026-04-17T18:14:45Z'), 4);
  const backPods = rollout(ms('2026-04-17T19:04:30Z'), ms('2026-04-17T19:06:45Z'), 4);
  const fraudAt = ms('2026-04-17T18:04:10Z');
  const debugAt = ms('2026-04-17T18:55:20Z');
  const podNames = ['payments-6c9f8d7b5-4kq2w', 'payments-6c9f8d7b5-9xv7d', 'payments-6c9f8d7b5-hm3tz', 'payments-6c9f8d7b5-rb8nc'];

  const payRps = (t) => 36 * diurnal(t, 19.5, 0.35) * (1 + 0.04 * drift('pay', t, 5 * MIN));
  const hold = 0.6;
  // How many pods run with the small pool at t (the config rolls out, then is rolled back).
  const smallShare = (t) => rolledShare(cfgPods, t) - rolledShare(backPods, t);
  const pool = (t) => {
    const a = (payRps(t) / 4) * hold;
    const small = poolState(8, a, hold, 2);
    const large = poolState(40, a, hold, 2);
    const s = smallShare(t);
    return {
      a,
      s,
      maxOpen: 4 * (8 * s + 40 * (1 - s)),
      inUse: 4 * (s * Math.min(8, a * (1 + small.pw * 0.1)) + (1 - s) * a),
      waitRate: payRps(t) * (s * small.pw + (1 - s) * large.pw),
      meanWait: s * Math.min(2, small.meanWait) + (1 - s) * large.meanWait,
      failShare: s * small.timeoutShare + (1 - s) * large.timeoutShare,
    };
  };
  const payP50 = (t) => 0.57 + pool(t).meanWait * 0.7;
  const paySigma = (t) => 0.42 + 0.5 * pool(t).s;
  const payErr = (t) => 0.004 + pool(t).failShare;
  const checkoutErr = (t) => 0.002 + payErr(t) * 0.96;

  b.text(
    'incident.yaml',
    yamlDoc({
      title: 'Checkout payment failures above 5%',
      service: 'checkout',
      severity: 'P1',
      started_at: '2026-04-17T19:21:30+01:00',
      summary: 'checkout_payment_failures_ratio is 0.06 over 5m (SLO burn rate 12x). Card payments fail with "payment service unavailable".',
      labels: { team: 'payments-platform', env: 'prod', region: 'eu-west-2' },
      links: ['https://grafana.example.internal/d/payments-overview', 'https://status.example.internal/incidents/new'],
    }),
  );

  const gaps = scrapeGaps(b.rng('gaps'), b.start, b.end, b.step, 2, 3);
  b.prom(
    'metrics/payments.json',
    [
      series({ __name__: 'http_requests_per_second', app: 'payments', handler: '/v1/authorizations' }, observed(b.rng('rps'), payRps, { gaps })),
      series({ __name__: 'http_request_duration_p50_seconds', app: 'payments', handler: '/v1/authorizations' }, observed(b.rng('p50'), payP50, { gaps, noise: 0.05 })),
      series(
        { __name__: 'http_request_duration_p99_seconds', app: 'payments', handler: '/v1/authorizations' },
        observed(b.rng('p99'), (t) => Math.min(2.7, quantileOf(payP50(t), paySigma(t), 0.99)), { gaps, noise: 0.06 }),
      ),
      series({ __name__: 'http_errors_ratio', app: 'payments', handler: '/v1/authorizations' }, observed(b.rng('err'), payErr, { gaps, noise: 0.15 })),
      series({ __name__: 'go_sql_max_open_connections', app: 'payments', db_name: 'payments' }, observed(b.rng('max'), (t) => pool(t).maxOpen, { noise: 0, gaps })),
      series({ __name__: 'go_sql_in_use_connections', app: 'payments', db_name: 'payments' }, observed(b.rng('use'), (t) => pool(t).inUse, { noise: 0.08, gaps, integer: true })),
      series({ __name__: 'go_sql_wait_count_per_second', app: 'payments', db_name: 'payments' }, observed(b.rng('wait'), (t) => pool(t).waitRate, { noise: 0.1, gaps })),
      series({ __name__: 'process_cpu_usage_cores', app: 'payments' }, observed(b.rng('cpu'), (t) => 0.31 + payRps(t) * 0.009, { gaps })),
    ],
  );
  b.prom('metrics/payments-db.json', [
    series(
      { __name__: 'pg_stat_activity_count', service: 'payments-db', datname: 'payments' },
      observed(b.rng('conns'), (t) => 14 + 4 * (20 * (1 - pool(t).s) + 4 * pool(t).s) + pool(t).inUse * 0.3, { noise: 0.04, integer: true }),
    ),
    series({ __name__: 'node_cpu_utilisation_ratio', service: 'payments-db' }, observed(b.rng('dbcpu'), (t) => 0.12 + payRps(t) * (1 - payErr(t)) * 0.0031, { noise: 0.05 })),
    series(
      { __name__: 'pg_stat_database_xact_commit_rate', service: 'payments-db', datname: 'payments' },
      observed(b.rng('xact'), (t) => 30 + payRps(t) * (1 - payErr(t)) * 3.1),
    ),
  ]);
  b.prom('metrics/checkout/payments_client.json', [
    series({ __name__: 'checkout_payment_requests_per_second' }, observed(b.rng('cr'), (t) => payRps(t) * 0.98, { gaps })),
    series({ __name__: 'checkout_payment_failures_ratio' }, observed(b.rng('cf'), checkoutErr, { noise: 0.15, gaps })),
    series({ __name__: 'checkout_payment_duration_p99_seconds' }, observed(b.rng('cl'), (t) => Math.min(2.8, quantileOf(payP50(t) + 0.05, paySigma(t), 0.99)), { noise: 0.06, gaps })),
  ]);
  b.prom(
    'metrics/fraud.json',
    [
      series({ __name__: 'fraud_score_duration_p99_seconds', job: 'fraud' }, observed(b.rng('fl'), (t) => 0.041 + 0.004 * drift('fl', t, 8 * MIN), { noise: 0.07 })),
      series({ __name__: 'fraud_requests_per_second', job: 'fraud' }, observed(b.rng('fr'), (t) => payRps(t) * 1.02)),
    ],
  );

  b.text(
    'changes.yaml',
    yamlList([
      {
        id: 'deploy-9120',
        service: 'fraud',
        type: 'deploy',
        time: '2026-04-17T18:04:10Z',
        version: '2.8.1',
        author: 'kofi.mensah',
        summary: 'Extract feature builders into their own module (no behaviour change)',
        diff: 'diffs/fraud-2.8.1.diff',
      },
      {
        id: 'cfg-2207',
        service: 'payments',
        type: 'config',
        at: '2026-04-17T18:12:00Z',
        finished_at: '2026-04-17T18:14:45Z',
        author: 'dba-oncall',
        commit: commitFor(b, 'cfg-2207').slice(0, 10),
        summary: 'Right-size payments DB pool now that pgbouncer fronts payments-db (DBA-311)',
        ticket: 'DBA-311',
      },
      {
        id: 'deploy-9122',
        service: 'checkout',
        type: 'deploy',
        at: '2026-04-17T18:40:00Z',
        version: '7.2.0',
        author: 'noemi.varga',
        summary: 'Polish and Czech translations for the payment step',
      },
      {
        id: 'cfg-2209',
        service: 'payments',
        type: 'config',
        at: '2026-04-17T18:55:20Z',
        author: 'oncall-payments',
        summary: 'LOG_LEVEL=debug for pgx while investigating',
      },
      {
        id: 'rollback-2211',
        service: 'payments',
        type: 'rollback',
        at: bare('2026-04-17T19:04:30Z'),
        finished_at: bare('2026-04-17T19:06:45Z'),
        author: 'oncall-payments',
        summary: 'Revert cfg-2207',
        reverts: 'cfg-2207',
      },
    ]),
  );

  const valuesBefore = `# payments production values
replicaCount: 4
image:
  repository: registry.example.internal/payments/payments
  tag: "3.14.2"

env:
  LOG_LEVEL: info
  PAYFLOW_BASE_URL: https://api.payflow.com
  PAYFLOW_TIMEOUT: 10s
  FRAUD_URL: http://fraud.payments.svc.cluster.local:8080

database:
  host: payments-db.prod.internal
  port: 5432
  name: payments
  sslmode: verify-full
  maxOpenConns: 40
  maxIdleConns: 20
  connMaxLifetime: 30m
  acquireTimeout: 2s

resources:
  requests:
    cpu: 500m
    memory: 512Mi
  limits:
    memory: 1Gi
`;
  const valuesAfter = valuesBefore
    .replace('  maxOpenConns: 40\n  maxIdleConns: 20\n  connMaxLifetime: 30m', '  # pgbouncer (transaction pooling) multiplexes server connections now,\n  # so each pod only needs a handful of client connections.\n  maxOpenConns: 8\n  maxIdleConns: 4\n  connMaxLifetime: 5m');
  b.patch(
    'diffs/cfg-2207.patch',
    {
      sha: commitFor(b, 'cfg-2207'),
      author: 'Hana Kobayashi',
      email: 'hana.kobayashi@example.com',
      at: ms('2026-04-17T15:48:02Z'),
      offsetMin: 60,
      subject: 'payments: right-size the DB pool behind pgbouncer',
      body: `payments-db now sits behind pgbouncer in transaction mode (DBA-311), and
160 client connections from four pods is far more than the 40 server
connections pgbouncer keeps. Lower the per-pod pool to 8 open / 4 idle
and recycle connections every 5 minutes so they rebalance after a
pgbouncer restart.`,
    },
    [{ path: 'deploy/payments/values-prod.yaml', before: valuesBefore, after: valuesAfter }],
  );
  const fraudBefore = `from dataclasses import dataclass

from fraud.model import RiskModel


@dataclass
class Authorization:
    amount_minor: int
    currency: str
    card_country: str
    ip_country: str
    account_age_days: int


def score(model: RiskModel, auth: Authorization) -> float:
    features = {
        "amount": auth.amount_minor / 100,
        "foreign_card": float(auth.card_country != auth.ip_country),
        "new_account": float(auth.account_age_days < 7),
        "currency_eur": float(auth.currency == "EUR"),
    }
    return model.predict(features)
`;
  const fraudAfter = `from dataclasses import dataclass

from fraud.features import build_features
from fraud.model import RiskModel


@dataclass
class Authorization:
    amount_minor: int
    currency: str
    card_country: str
    ip_country: str
    account_age_days: int


def score(model: RiskModel, auth: Authorization) -> float:
    return model.predict(build_features(auth))
`;
  const featuresNew = `def build_features(auth) -> dict[str, float]:
    """The model's input features for one authorization."""
    return {
        "amount": auth.amount_minor / 100,
        "foreign_card": float(auth.card_country != auth.ip_country),
        "new_account": float(auth.account_age_days < 7),
        "currency_eur": float(auth.currency == "EUR"),
    }
`;
  b.diff('diffs/fraud-2.8.1.diff', [
    { path: 'services/fraud/fraud/scoring.py', before: fraudBefore, after: fraudAfter },
    { path: 'services/fraud/fraud/features.py', before: null, after: featuresNew },
  ]);

  // Logs: payments (Go, `LEVEL message key=value`, local time +01:00).
  const lp = b.rng('log-pay');
  const payEvents = [
    ...poisson(lp, b.start, b.end, (t) => payRps(t) * 0.0065, (t, r) => {
      const failed = r.chance(payErr(t));
      const waited = Math.min(2, latencyDraw(r, Math.max(0.001, pool(t).meanWait), 0.6));
      if (failed)
        return {
          t,
          level: 'error',
          msg: `authorize payment: begin tx: failed to acquire conn: context deadline exceeded`,
          fields: { order_id: `ord_${r.id(10)}`, pod: r.pick(podNames), waited: `${waited >= 1.99 ? '2.000' : waited.toFixed(3)}s` },
        };
      return {
        t,
        level: 'info',
        msg: 'payment authorized',
        fields: { order_id: `ord_${r.id(10)}`, amount: (r.int(900, 25000) / 100).toFixed(2), currency: 'GBP', provider: 'payflow', duration_ms: ms1(latencyDraw(r, payP50(t), paySigma(t))) },
      };
    }),
    ...every(lp, b.start, b.end, 7 * MIN, 2 * MIN, (t) => ({ t, level: 'warn', msg: 'fraud score cache stale, refreshing', fields: { age: '5m0s' } })),
    ...every(lp, b.start, b.end, 25 * SEC, 10 * SEC, (t, r) => ({ t, level: 'info', msg: 'payflow webhook received', fields: { event: r.pick(['charge.succeeded', 'charge.succeeded', 'charge.refunded', 'dispute.created']) } })),
  ];
  const podStart = (t, i, maxOpen, maxIdle, life) => [
    { t: t + 1800, level: 'info', msg: 'starting payments', fields: { version: '3.14.2', pod: podNames[i] } },
    { t: t + 1950, level: 'info', msg: 'database pool configured', fields: { max_open: maxOpen, max_idle: maxIdle, conn_max_lifetime: life, acquire_timeout: '2s' } },
  ];
  cfgPods.forEach((t, i) => payEvents.push(...podStart(t, i, 8, 4, '5m0s')));
  backPods.forEach((t, i) => payEvents.push(...podStart(t, i, 40, 20, '30m0s')));
  payEvents.push(
    ...poisson(lp, debugAt, backPods[3], (t) => payRps(t) * 0.01, (t, r) => ({
      t,
      level: 'debug',
      msg: 'pgxpool: acquire',
      fields: { wait: `${Math.min(2, latencyDraw(r, pool(t).meanWait, 0.5)).toFixed(3)}s`, total_conns: 8, acquired_conns: 8, idle_conns: 0 },
    })),
  );
  b.log('logs/payments.log', payEvents, { style: 'plain', time: 'iso+01' });

  // Logs: checkout (JSON, @timestamp / severity / message).
  const lc = b.rng('log-co');
  const coEvents = [
    ...poisson(lc, b.start, b.end, (t) => payRps(t) * 0.003, (t, r) => ({
      t,
      level: 'info',
      msg: 'order paid',
      fields: { order_id: `ord_${r.id(10)}`, payment_ms: ms1(latencyDraw(r, payP50(t) + 0.05, paySigma(t))) },
    })),
    ...poisson(lc, b.start, b.end, (t) => payRps(t) * checkoutErr(t) * 0.025, (t, r) => ({
      t,
      level: 'error',
      msg: 'payment authorization failed',
      fields: { order_id: `ord_${r.id(10)}`, upstream: 'payments', upstream_status: 503, error: 'payment service unavailable' },
    })),
    ...every(lc, b.start, b.end, 10 * MIN, 4 * MIN, (t) => ({ t, level: 'warn', msg: 'address autocomplete provider slow, using fallback', fields: { provider: 'loqate', elapsed_ms: 1500 } })),
  ];
  b.jsonl('logs/checkout.jsonl', coEvents, {
    keys: { time: '@timestamp', level: 'severity', msg: 'message', service: 'app' },
    timeForm: 'iso',
    levelForm: 'upper',
    service: 'checkout',
  });

  // Logs: cluster events, tagged by the service they concern.
  const lk = b.rng('log-k8s');
  const k8s = [
    ...every(lk, b.start, b.end, 4 * MIN, 2 * MIN, (t, r) => ({ t, svc: 'cluster-autoscaler', level: null, levelText: '', msg: `No unschedulable pods; node group ng-general at ${r.int(9, 10)} nodes` })),
    ...every(lk, b.start, b.end, 20 * MIN, 5 * MIN, (t) => ({ t, svc: 'checkout', level: 'warn', msg: 'HorizontalPodAutoscaler checkout: failed to get memory utilization: missing request for memory' })),
    ...every(lk, b.start, b.end, 40 * SEC, 8 * SEC, (t, r) => {
      const app = r.pick(['payments-prod', 'checkout-prod', 'fraud-prod', 'payments-db-prod']);
      return { t, svc: 'argocd', level: 'info', msg: `Reconciliation completed application=${app} comparison-level=${r.pick([1, 1, 2])} dedup_ms=0 diff_ms=${r.int(3, 40)} git_ms=${r.int(10, 90)} time_ms=${r.int(60, 400)}` };
    }),
    { t: fraudAt + 500, svc: 'fraud', level: 'info', msg: 'Deployment fraud: rolling update to image tag 2.8.1 started' },
    { t: fraudAt + 61_000, svc: 'fraud', level: 'info', msg: 'Deployment fraud: rollout complete (3/3 updated)' },
    { t: cfgPods[0] + 300, svc: 'payments', level: 'info', msg: 'Deployment payments: pod template changed (checksum/config 3b9e2f1 -> 9f1c04a), rolling update started' },
    { t: cfgPods[3] + 30_000, svc: 'payments', level: 'info', msg: 'Deployment payments: rollout complete (4/4 updated)' },
    { t: debugAt + 200, svc: 'payments', level: 'info', msg: 'ConfigMap payments-env updated (LOG_LEVEL); pods pick it up without restart' },
    { t: backPods[0] + 300, svc: 'payments', level: 'info', msg: 'Deployment payments: pod template changed (checksum/config 9f1c04a -> 3b9e2f1), rolling update started' },
    { t: backPods[3] + 30_000, svc: 'payments', level: 'info', msg: 'Deployment payments: rollout complete (4/4 updated)' },
    { t: ms('2026-04-17T18:40:00Z') + 500, svc: 'checkout', level: 'info', msg: 'Deployment checkout: rolling update to image tag 7.2.0 started' },
  ];
  b.log('logs/platform.log', k8s, { style: 'tagged', time: 'iso' });

  b.text(
    'runbooks/payments.md',
    `# payments

Go service, 4 pods. Each authorisation: fraud score (\`fraud\`), then a database transaction that
records the attempt, calls the card provider (payflow, p50 about 500 ms) and records the result.

## Payment failures

- Provider first: payflow status page, \`payments_upstream_request_duration_seconds{upstream="payflow"}\`.
- Pool: \`go_sql_in_use_connections\` against \`go_sql_max_open_connections\`, and
  \`go_sql_wait_count\`. "failed to acquire conn" in the logs means a request waited
  \`acquireTimeout\` (2 s) for a connection.
- Database: payments-db CPU and connections.

## Levers

- Config lives in \`deploy/payments/values-prod.yaml\`; every change goes through Argo CD and rolls
  the pods. Revert with \`argocd app rollback payments-prod\`.
- "fraud score cache stale" warnings are routine.
`,
  );

  b.truth({
    category: 'config',
    service: 'payments',
    change_id: 'cfg-2207',
    onset: '2026-04-17T18:12:50Z',
    notes:
      'cfg-2207 (18:12-18:14:45) lowered the payments database pool from maxOpenConns 40 to 8 per pod. Each authorisation holds its connection across the ~0.6 s provider call, so at evening traffic each pod needs about 7-8 connections: the pool sits full, requests queue for a connection and those waiting more than the 2 s acquire timeout fail. go_sql_max_open_connections drops from 160 to 32, in-use connections pin at the limit, waits soar, payments errors reach about 10% and checkout payment failures follow; payments-db itself is calmer than before. The fraud refactor at 18:04 is innocent; the checkout translations and the debug log level came after the onset, and rollback-2211 (19:04:30) restored the pool and ended the incident.',
  });
  return b;
}

// ---------------------------------------------------------------------------------------------
// 4. search shipped a cross-encoder rerank behind a flag at midday (dark, harmless). At 15:02 the
//    flag goes to 100%: every query now scores 200 candidates on CPU, search pods saturate,
//    latency explodes and the gateway times out. Elasticsearch is unaffected.

function searchRerankFlag() {
  const b = new Bundle('search-rerank-flag', {
    start: '2026-05-21T12:00:00Z',
    end: '2026-05-21T16:00:00Z',
    step: 30 * SEC,
    onset: '2026-05-21T15:02:30Z',
    summary: 'Turning the search.semantic_rerank flag on for everyone made every query score 200 candidates with a CPU cross-encoder; search CPU saturates and p99 explodes. The release that shipped the code (dark) is innocent.',
  });
  const deployAt = ms('2026-05-21T12:24:50Z');
  const deployPods = rollout(deployAt, deployAt + 4 * MIN, 12);
  const flagAt = ms('2026-05-21T15:02:10Z');
  const recsCfgAt = ms('2026-05-21T14:52:30Z');

  const gwRps = (t) => 700 * diurnal(t, 19, 0.3) * (1 + 0.05 * drift('gw', t, 6 * MIN));
  const searchRps = (t) => gwRps(t) * 0.36 * (1 + 0.04 * drift('s', t, 3 * MIN));
  const rerank = (t) => ramp(t, flagAt + 15 * SEC, 45 * SEC); // flagd pushes within seconds
  const cores = 24;
  const cpuDemand = (t) => searchRps(t) * (0.034 + 0.07 * rerank(t));
  const util = (t) => cpuDemand(t) / cores;
  const overload = (t) => Math.max(0, util(t) - 0.97);
  const searchP50 = (t) => (0.062 + 0.07 * rerank(t)) * Math.min(12, queueing(util(t)));
  const searchSigma = (t) => 0.5 + 0.25 * rerank(t);
  const gwTimeoutShare = (t) => {
    const p50 = searchP50(t);
    const z = Math.log(3 / p50) / searchSigma(t);
    return 1 - 0.5 * (1 + Math.tanh(z * 0.8)); // logistic approximation of the normal tail
  };
  const esP99 = (t) => 0.041 + 0.012 * rerank(t) + 0.004 * drift('es', t, 9 * MIN);
  const memory = (t) => 1.08e9 + 0.51e9 * rolledShare(deployPods, t) + 0.04e9 * drift('mem', t, 20 * MIN);

  const prom = 'https://prometheus.prod.example.internal';
  b.json(
    'alert.json',
    amPayload({
      receiver: 'opsgenie-search',
      groupLabels: { namespace: 'search' },
      externalURL: 'https://alertmanager.prod.example.internal',
      alerts: [
        amAlert({
          labels: { alertname: 'SearchLatencyHigh', job: 'search', namespace: 'search', severity: 'critical' },
          annotations: {
            summary: 'search p99 latency 8.9s (SLO 800ms)',
            description: 'search request p99 above 2s for 5 minutes.',
            runbook_url: 'https://runbooks.example.internal/search',
          },
          startsAt: '2026-05-21T15:08:30Z',
          generator: promGenerator(prom, 'histogram_quantile(0.99, sum by (le) (rate(search_request_duration_seconds_bucket[5m]))) > 2'),
        }),
        amAlert({
          labels: { alertname: 'CPUThrottlingHigh', job: 'search', namespace: 'search', severity: 'warning', container: 'search' },
          annotations: { summary: '61% throttling of CPU in namespace search for container search.' },
          startsAt: '2026-05-21T15:06:00Z',
          generator: promGenerator(prom, 'sum(increase(container_cpu_cfs_throttled_periods_total{container="search"}[5m])) / sum(increase(container_cpu_cfs_periods_total{container="search"}[5m])) > 0.25'),
        }),
        amAlert({
          labels: { alertname: 'GatewayUpstreamTimeouts', service: 'api-gateway', namespace: 'search', severity: 'warning', route: '/api/search' },
          annotations: { summary: '18% of /api/search requests time out at the gateway (3s)' },
          startsAt: '2026-05-21T15:09:00Z',
          generator: promGenerator(prom, 'sum(rate(gateway_requests_total{route="/api/search",code="504"}[5m])) / sum(rate(gateway_requests_total{route="/api/search"}[5m])) > 0.05'),
        }),
      ],
    }),
  );

  b.csv(
    'metrics/search.csv',
    [
      ...[0.5, 0.99].map((q) =>
        csvSeries(
          { metric: 'search_request_duration_seconds', app: 'search', quantile: String(q) },
          observed(b.rng(`q${q}`), (t) => Math.min(30, quantileOf(searchP50(t), searchSigma(t), q)), { noise: 0.06 }),
        ),
      ),
      csvSeries({ metric: 'search_requests_per_second', app: 'search' }, observed(b.rng('rps'), searchRps)),
      csvSeries({ metric: 'container_cpu_usage_ratio', app: 'search' }, observed(b.rng('cpu'), (t) => Math.min(util(t), 1), { noise: 0.02, ceil: 1 })),
      csvSeries(
        { metric: 'search_worker_queue_depth', app: 'search' },
        observed(b.rng('queue'), (t) => 2 + 12 * Math.max(0, Math.min(12, queueing(util(t))) - 1.5) + 300 * overload(t), { noise: 0.12, integer: true }),
      ),
      csvSeries({ metric: 'process_resident_memory_bytes', app: 'search' }, observed(b.rng('mem'), memory, { noise: 0.005 }), 6),
    ],
    { columns: ['timestamp', 'metric', 'app', 'quantile', 'value'], timeForm: 'epoch_ms', nanGaps: true },
  );
  b.prom(
    'metrics/search-es/query_latency_p99_seconds.json',
    [series({ cluster: 'search-es-prod', index: 'products' }, observed(b.rng('es'), esP99, { noise: 0.07 }))],
  );
  b.prom('metrics/api-gateway.json', [
    series({ __name__: 'gateway_requests_per_second', job: 'api-gateway', route: '/api/search' }, observed(b.rng('gws'), searchRps)),
    series({ __name__: 'gateway_requests_per_second', job: 'api-gateway', route: '/api/recommendations' }, observed(b.rng('gwr'), (t) => gwRps(t) * 0.22)),
    series({ __name__: 'gateway_timeouts_ratio', job: 'api-gateway', route: '/api/search' }, observed(b.rng('gwt'), (t) => 0.0003 + gwTimeoutShare(t), { noise: 0.1, ceil: 1 })),
    series({ __name__: 'gateway_timeouts_ratio', job: 'api-gateway', route: '/api/recommendations' }, observed(b.rng('gwtr'), () => 0.0004, { noise: 0.3 })),
  ]);
  b.prom('metrics/recommendations.json', [
    series({ __name__: 'recommendations_cache_hit_ratio', job: 'recommendations' }, observed(b.rng('rh'), (t) => 0.62 + 0.17 * ramp(t, recsCfgAt, 15 * MIN), { noise: 0.02 })),
    series({ __name__: 'recommendations_request_duration_p99_seconds', job: 'recommendations' }, observed(b.rng('rl'), (t) => 0.24 - 0.05 * ramp(t, recsCfgAt, 15 * MIN), { noise: 0.06 })),
  ]);

  b.json(
    'changes.json',
    {
      generated_at: '2026-05-21T15:40:12Z',
      changes: [
        {
          id: 'deploy-5530',
          service: 'search',
          type: 'deploy',
          at: '2026-05-21T12:24:50Z',
          finished_at: '2026-05-21T12:28:50Z',
          version: '1.44.0',
          author: 'yusuf.demir',
          commit: commitFor(b, 'deploy-5530'),
          summary: 'Semantic rerank with a cross-encoder behind search.semantic_rerank (off by default)',
          diff: 'diffs/search-1.44.0.patch',
        },
        {
          id: 'cfg-881',
          service: 'recommendations',
          type: 'config',
          at: '2026-05-21T14:52:30Z',
          author: 'claire.dubois',
          summary: 'Recommendation cache TTL 5m -> 15m',
        },
        {
          id: 'flag-search-semantic-rerank',
          service: 'search',
          type: 'feature_flag',
          at: '2026-05-21T15:02:10Z',
          author: 'yusuf.demir',
          summary: 'search.semantic_rerank on for 100% of traffic',
          flag: 'search.semantic_rerank',
          previous: { enabled: false, percentage: 0 },
          current: { enabled: true, percentage: 100 },
          source: 'flagd',
        },
        {
          id: 'deploy-5534',
          service: 'web-frontend',
          type: 'deploy',
          at: '2026-05-21T15:31:00Z',
          version: '9.3.2',
          author: 'ola.nordmann',
          summary: 'Summer sale banner',
        },
        {
          id: 'flag-web-new-nav',
          service: 'web-frontend',
          type: 'feature_flag',
          at: '2026-05-21T15:40:00Z',
          author: 'ola.nordmann',
          summary: 'web.new_navigation 10% -> 25%',
          flag: 'web.new_navigation',
        },
      ],
    },
  );

  const rankBefore = `from app.clients.elastic import ElasticClient
from app.models import Hit, SearchRequest


class Ranker:
    """Turns a search request into a page of ranked hits."""

    def __init__(self, es: ElasticClient) -> None:
        self.es = es

    def search(self, req: SearchRequest) -> list[Hit]:
        hits = self.es.search(index="products", query=req.to_query(), size=req.page_size)
        return [Hit.from_es(h) for h in hits]
`;
  const rankAfter = `from app.clients.elastic import ElasticClient
from app.flags import flags
from app.models import Hit, SearchRequest
from app.rerank import CrossEncoder

RERANK_CANDIDATES = 200


class Ranker:
    """Turns a search request into a page of ranked hits."""

    def __init__(self, es: ElasticClient, encoder: CrossEncoder) -> None:
        self.es = es
        self.encoder = encoder

    def search(self, req: SearchRequest) -> list[Hit]:
        if flags.enabled("search.semantic_rerank", user=req.user_id):
            # Fetch a wider candidate set and let the cross-encoder order it.
            hits = self.es.search(index="products", query=req.to_query(), size=RERANK_CANDIDATES)
            scored = [(self.encoder.score(req.text, _passage(h)), h) for h in hits]
            scored.sort(key=lambda pair: pair[0], reverse=True)
            return [Hit.from_es(h) for _, h in scored[: req.page_size]]
        hits = self.es.search(index="products", query=req.to_query(), size=req.page_size)
        return [Hit.from_es(h) for h in hits]


def _passage(hit: dict) -> str:
    source = hit["_source"]
    return f"{source['title']}. {source.get('description', '')}"
`;
  const rerankNew = `import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

MODEL_DIR = "/models/ms-marco-MiniLM-L-6-v2"


class CrossEncoder:
    """Scores how well a passage answers a query (higher is better)."""

    def __init__(self, model_dir: str = MODEL_DIR) -> None:
        self.session = ort.InferenceSession(f"{model_dir}/model.onnx", providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
        self.tokenizer.enable_truncation(max_length=256)

    def score(self, query: str, passage: str) -> float:
        encoding = self.tokenizer.encode(query, passage)
        inputs = {
            "input_ids": np.array([encoding.ids], dtype=np.int64),
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([encoding.type_ids], dtype=np.int64),
        }
        (logits,) = self.session.run(None, inputs)
        return float(logits[0][0])
`;
  const mainBefore = `from fastapi import FastAPI

from app.clients.elastic import ElasticClient
from app.ranking import Ranker
from app.routes import router
from app.settings import settings

app = FastAPI(title="search")
app.state.ranker = Ranker(ElasticClient(settings.es_url))
app.include_router(router)
`;
  const mainAfter = `from fastapi import FastAPI

from app.clients.elastic import ElasticClient
from app.ranking import Ranker
from app.rerank import CrossEncoder
from app.routes import router
from app.settings import settings

app = FastAPI(title="search")
app.state.ranker = Ranker(ElasticClient(settings.es_url), CrossEncoder())
app.include_router(router)
`;
  b.patch(
    'diffs/search-1.44.0.patch',
    {
      sha: commitFor(b, 'deploy-5530'),
      author: 'Yusuf Demir',
      email: 'yusuf.demir@example.com',
      at: ms('2026-05-20T16:12:40Z'),
      offsetMin: 180,
      subject: 'search: semantic rerank of the top candidates (flagged)',
      body: `Rerank the top 200 Elasticsearch candidates with the MiniLM-L6
cross-encoder. Offline evaluation on the March query log: NDCG@10 +3.1%.
Guarded by search.semantic_rerank, which is off by default; the model is
loaded at startup so the first flagged request does not pay for it.`,
    },
    [
      { path: 'services/search/app/main.py', before: mainBefore, after: mainAfter },
      { path: 'services/search/app/ranking.py', before: rankBefore, after: rankAfter },
      { path: 'services/search/app/rerank.py', before: null, after: rerankNew },
    ],
  );
  const flagsBefore = `# Flags for the search service. Evaluated by flagd; changes apply within seconds.
search.semantic_rerank:
  description: Rerank the top 200 candidates with the MiniLM cross-encoder
  owner: search-relevance
  enabled: false
  rollout:
    percentage: 0
  targeting: []

search.spellcheck_v2:
  description: SymSpell-based spelling correction
  owner: search-relevance
  enabled: true
  rollout:
    percentage: 100
  targeting: []
`;
  b.diff('diffs/flag-search-semantic-rerank.diff', [
    {
      path: 'flags/search.yaml',
      before: flagsBefore,
      after: flagsBefore.replace('  enabled: false\n  rollout:\n    percentage: 0', '  enabled: true\n  rollout:\n    percentage: 100'),
    },
  ]);

  // Logs: search (structlog JSON).
  const ls = b.rng('log-search');
  const searchEvents = [
    ...poisson(ls, b.start, b.end, (t) => searchRps(t) * 0.0005, (t, r) => {
      const took = latencyDraw(r, searchP50(t), searchSigma(t));
      const reranked = r.chance(rerank(t));
      return {
        t,
        level: took > 2 ? 'warn' : 'info',
        msg: took > 2 ? 'slow search' : 'search',
        fields: { took_ms: ms1(took), es_took_ms: ms1(latencyDraw(r, esP99(t) / 2.6, 0.4)), hits: reranked ? 200 : 24, reranked, q_len: r.int(3, 40) },
      };
    }),
    ...poisson(ls, flagAt, b.end, (t) => searchRps(t) * gwTimeoutShare(t) * 0.002, (t, r) => ({
      t,
      level: 'error',
      msg: 'client disconnected before response was sent',
      fields: { took_ms: r.int(3000, 9000), path: '/search', reranked: true },
    })),
    ...every(ls, b.start, b.end, 9 * MIN, 3 * MIN, (t, r) => ({ t, level: 'warn', msg: 'synonyms file older than 24h, using cached copy', fields: { age_h: r.int(25, 29) } })),
    ...every(ls, b.start, b.end, 60 * SEC, 15 * SEC, (t) => ({ t, level: 'debug', msg: 'flagd sync ok', fields: { flags: 2, revision: t < flagAt ? 'r-3381' : 'r-3382' } })),
  ];
  deployPods.forEach((t, i) =>
    searchEvents.push(
      { t: t + 3100, level: 'info', msg: 'starting search', fields: { version: '1.44.0', worker: i } },
      { t: t + 6400 + ls.int(0, 900), level: 'info', msg: 'cross-encoder loaded', fields: { model: 'ms-marco-MiniLM-L-6-v2', load_ms: ls.int(2900, 3600), provider: 'CPUExecutionProvider' } },
    ),
  );
  searchEvents.push({ t: flagAt + 1900, level: 'info', msg: 'feature flag changed', fields: { flag: 'search.semantic_rerank', enabled: true, percentage: 100 } });
  b.jsonl('logs/search.jsonl', searchEvents, {
    keys: { time: 'timestamp', level: 'level', msg: 'message', service: 'service' },
    timeForm: 'iso',
    levelForm: 'lower',
    service: 'search',
  });

  // Logs: the gateway's error log, epoch-second timestamps.
  const lg = b.rng('log-gw');
  const gwEvents = [
    ...poisson(lg, b.start, b.end, (t) => searchRps(t) * (0.00004 + gwTimeoutShare(t) * 0.003), (t, r) => ({
      t,
      level: 'warn',
      msg: 'upstream timed out',
      fields: { route: '/api/search', upstream: 'search', status: 504, duration_ms: 3000, request_id: reqId(r) },
    })),
    ...every(lg, b.start, b.end, 5 * MIN, 2 * MIN, (t, r) => ({ t, level: 'warn', msg: 'client closed connection while waiting for request', fields: { client: `198.51.100.${r.int(2, 250)}` } })),
    ...every(lg, b.start, b.end, 30 * MIN, 10 * SEC, (t) => ({ t, level: 'info', msg: 'upstream health check ok', fields: { upstreams: 7 } })),
  ];
  b.log('logs/api-gateway.log', gwEvents, { style: 'plain', time: 'epoch_s' });

  b.text(
    'runbooks/search.md',
    `# search

FastAPI service, 12 pods x 2 CPU, in front of the \`search-es-prod\` Elasticsearch cluster.
The gateway times out \`/api/search\` at 3 s.

## Latency

1. Elasticsearch or search itself? Compare \`query_latency_p99_seconds\` (ES) with the service's
   own p99. If ES is flat, the time is spent in the service (ranking, serialisation).
2. CPU: pods are limited to 2 CPU; throttling shows as \`container_cpu_usage_ratio\` pinned at 1.
3. Flags: \`flagd\` changes apply in seconds without a deploy. List recent flag changes with
   \`flagctl history --service search\`; turn one off with \`flagctl set <flag> enabled=false\`.

"synonyms file older than 24h" warnings are harmless (the sync job runs weekly).
`,
  );

  b.truth({
    category: 'feature_flag',
    service: 'search',
    change_id: 'flag-search-semantic-rerank',
    onset: '2026-05-21T15:02:30Z',
    notes:
      'search 1.44.0 (deploy-5530, 12:24) shipped a cross-encoder rerank guarded by search.semantic_rerank, off by default: it only loaded the model (resident memory up ~500 MB) and changed nothing else for two and a half hours. At 15:02:10 the flag was switched on for 100% of traffic, so every query fetches 200 candidates and scores each with a CPU model: CPU demand triples, search pods pin at their CPU limit, the worker queue grows, p50 and p99 explode and the gateway times out a growing share of /api/search. Elasticsearch latency barely moves. The recommendations TTL change before and the web changes after are unrelated.',
  });
  return b;
}

// ---------------------------------------------------------------------------------------------
// 5. payflow, the third-party card processor, slows down and starts timing out. No change is
//    at fault: a payments release eight minutes earlier only adds a log line, and the rollback
//    of it and a timeout change after the onset do not help.

function payflowProviderDegraded() {
  const b = new Bundle('payflow-provider-degraded', {
    start: '2026-06-12T09:45:00Z',
    end: '2026-06-12T11:45:00Z',
    step: 30 * SEC,
    onset: '2026-06-12T10:47:00Z',
    summary: 'The third-party card processor payflow slows down and times out; payments and checkout fail. A payments release 8 minutes earlier (a log line) is innocent, and its rollback does not help.',
  });
  const releaseAt = ms('2026-06-12T10:39:00Z');
  const rollbackAt = ms('2026-06-12T11:02:30Z');
  const timeoutCfgAt = ms('2026-06-12T11:15:00Z');
  const ledgerCfgAt = ms('2026-06-12T10:12:00Z');

  const payRps = (t) => 28 * diurnal(t, 13, 0.25) * (1 + 0.05 * drift('pay', t, 4 * MIN));
  const degraded = (t) => ramp(t, b.onset, 2 * MIN) * (0.85 + 0.15 * drift('pf', t, 6 * MIN));
  const payflowP50 = (t) => 0.28 + 2.1 * degraded(t);
  const payflowSigma = (t) => 0.45 + 0.4 * degraded(t);
  const timeoutS = (t) => (t >= timeoutCfgAt + 60 * SEC ? 4 : 10);
  const tailShare = (p50, sigma, limit) => 1 - 0.5 * (1 + Math.tanh(0.8 * (Math.log(limit / p50) / sigma)));
  const timeoutShare = (t) => tailShare(payflowP50(t), payflowSigma(t), timeoutS(t)) + 0.22 * degraded(t);
  const unavailableShare = (t) => 0.0015 + 0.05 * degraded(t);
  const payErr = (t) => Math.min(0.95, 0.003 + timeoutShare(t) + unavailableShare(t));
  const payP50 = (t) => 0.07 + Math.min(payflowP50(t), timeoutS(t));
  const payP99 = (t) => (degraded(t) > 0.05 ? timeoutS(t) + 0.08 : 0.07 + quantileOf(payflowP50(t), payflowSigma(t), 0.99));

  b.text(
    'incident.yaml',
    yamlDoc(
      {
        title: 'Checkout: card payments failing',
        service: 'checkout',
        severity: 'SEV1',
        started_at: Math.floor(ms('2026-06-12T10:53:00Z') / 1000),
        summary: 'Payment failure ratio 31% over 5 minutes (threshold 5%). Support reports "Payment could not be processed" on web and app.',
        labels: { team: 'checkout', env: 'production', alertname: 'CheckoutPaymentFailures' },
        links: ['https://grafana.example.internal/d/checkout-payments'],
      },
      { comment: ['Created by PagerDuty webhook bridge'] },
    ),
  );

  const upstreams = [
    ['payflow', payflowP50, payflowSigma, (t) => Math.min(timeoutS(t), quantileOf(payflowP50(t), payflowSigma(t), 0.99))],
    ['fraud', () => 0.031, () => 0.4, () => quantileOf(0.031, 0.4, 0.99)],
    ['ledger', () => 0.024, () => 0.35, () => quantileOf(0.024, 0.35, 0.99)],
  ];
  const rows = [];
  for (const [name, p50, , p99] of upstreams)
    rows.push(
      csvSeries(
        { metric: 'payments_upstream_request_duration_seconds', service: 'payments', upstream: name, quantile: '0.5' },
        observed(b.rng(`u50${name}`), (t) => Math.min(timeoutS(t), p50(t)), { noise: 0.06 }),
      ),
      csvSeries({ metric: 'payments_upstream_request_duration_seconds', service: 'payments', upstream: name, quantile: '0.99' }, observed(b.rng(`u99${name}`), p99, { noise: 0.05 })),
    );
  rows.push(
    csvSeries({ metric: 'payments_upstream_requests_per_second', service: 'payments', upstream: 'payflow', status: 'ok' }, observed(b.rng('ok'), (t) => payRps(t) * (1 - payErr(t)))),
    csvSeries({ metric: 'payments_upstream_requests_per_second', service: 'payments', upstream: 'payflow', status: 'timeout' }, observed(b.rng('to'), (t) => payRps(t) * timeoutShare(t), { noise: 0.1 })),
    csvSeries({ metric: 'payments_upstream_requests_per_second', service: 'payments', upstream: 'payflow', status: 'error' }, observed(b.rng('er'), (t) => payRps(t) * unavailableShare(t), { noise: 0.2 })),
    csvSeries({ metric: 'payments_http_request_duration_seconds', service: 'payments', quantile: '0.99' }, observed(b.rng('p99'), payP99, { noise: 0.03 })),
    csvSeries({ metric: 'payments_http_errors_ratio', service: 'payments' }, observed(b.rng('perr'), payErr, { noise: 0.08, ceil: 1 })),
    csvSeries({ metric: 'go_goroutines', service: 'payments' }, observed(b.rng('gor'), (t) => 180 + payRps(t) * payP50(t) * 2.2, { noise: 0.05, integer: true })),
  );
  b.csv('metrics/payments.csv', rows, {
    columns: ['timestamp', 'metric', 'service', 'upstream', 'status', 'quantile', 'value'],
    timeForm: 'iso',
    nanGaps: false,
  });
  b.prom('metrics/checkout.json', [
    series({ __name__: 'checkout_payment_failures_ratio', service: 'checkout' }, observed(b.rng('cf'), (t) => payErr(t) * 0.97 + 0.002, { noise: 0.08, ceil: 1 })),
    series({ __name__: 'checkout_requests_per_second', service: 'checkout', route: '/checkout/pay' }, observed(b.rng('cr'), payRps)),
    series({ __name__: 'checkout_requests_per_second', service: 'checkout', route: '/checkout/review' }, observed(b.rng('crv'), (t) => payRps(t) * 2.7)),
  ]);
  b.prom('metrics/ledger/journal_entries_per_second.json', [
    series({ book: 'card-payments' }, observed(b.rng('je'), (t) => payRps(t) * (1 - payErr(t)) * 2)),
    series({ book: 'refunds' }, observed(b.rng('jr'), (t) => 0.6 + 0.2 * drift('jr', t, 10 * MIN), { noise: 0.2 })),
  ]);

  b.text(
    'changes.yaml',
    yamlList([
      {
        id: 'cfg-3308',
        service: 'ledger',
        type: 'config',
        at: bare('2026-06-12T10:12:00Z'),
        author: 'femi.adeyemi',
        summary: 'Move the nightly export window from 01:00 to 02:30 UTC',
      },
      {
        id: 'deploy-6101',
        service: 'payments',
        type: 'deploy',
        at: bare('2026-06-12T10:39:00Z'),
        version: '5.9.0',
        author: 'lucia.romero',
        commit: commitFor(b, 'deploy-6101').slice(0, 8),
        summary: 'Log payflow decline codes; decline counter by code',
        diff: 'diffs/payments-5.9.0.patch',
      },
      {
        id: 'rollback-6102',
        service: 'payments',
        type: 'rollback',
        at: bare('2026-06-12T11:02:30Z'),
        version: '5.8.4',
        author: 'oncall-payments',
        summary: 'Roll back payments to 5.8.4 while investigating payment failures',
        reverts: 'deploy-6101',
      },
      {
        id: 'cfg-3310',
        service: 'payments',
        type: 'config',
        at: bare('2026-06-12T11:15:00Z'),
        author: 'oncall-payments',
        summary: 'payflow client timeout 10s -> 4s, enable circuit breaker',
        incident: 'INC-4471',
      },
    ]),
  );

  const clientBefore = `package payflow

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Authorize asks payflow to authorise a card payment.
func (c *Client) Authorize(ctx context.Context, req AuthorizeRequest) (*AuthorizeResponse, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("payflow authorize: encode: %w", err)
	}
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+"/v2/authorizations", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	httpReq.Header.Set("Content-Type", "application/json")
	httpReq.Header.Set("Idempotency-Key", req.OrderID)
	resp, err := c.http.Do(httpReq)
	if err != nil {
		return nil, fmt.Errorf("payflow authorize: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 500 {
		return nil, fmt.Errorf("payflow authorize: upstream status %d", resp.StatusCode)
	}
	var out AuthorizeResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("payflow authorize: decode: %w", err)
	}
	if out.Status == "declined" {
		c.metrics.declines.Inc()
	}
	return &out, nil
}
`;
  const clientAfter = clientBefore.replace(
    '\t\tc.metrics.declines.Inc()\n',
    '\t\tc.metrics.declines.Inc()\n\t\tc.metrics.declinesByCode.WithLabelValues(out.DeclineCode).Inc()\n\t\tc.log.Info("payflow declined authorization", "decline_code", out.DeclineCode, "order_id", req.OrderID)\n',
  );
  const metricsBefore = `package payflow

import "github.com/prometheus/client_golang/prometheus"

type clientMetrics struct {
	declines prometheus.Counter
}

func newClientMetrics(reg prometheus.Registerer) *clientMetrics {
	m := &clientMetrics{
		declines: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "payments_payflow_declines_total",
			Help: "Authorizations payflow declined.",
		}),
	}
	reg.MustRegister(m.declines)
	return m
}
`;
  const metricsAfter = `package payflow

import "github.com/prometheus/client_golang/prometheus"

type clientMetrics struct {
	declines       prometheus.Counter
	declinesByCode *prometheus.CounterVec
}

func newClientMetrics(reg prometheus.Registerer) *clientMetrics {
	m := &clientMetrics{
		declines: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "payments_payflow_declines_total",
			Help: "Authorizations payflow declined.",
		}),
		declinesByCode: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "payments_payflow_declines_by_code_total",
			Help: "Authorizations payflow declined, by decline code.",
		}, []string{"code"}),
	}
	reg.MustRegister(m.declines, m.declinesByCode)
	return m
}
`;
  b.patch(
    'diffs/payments-5.9.0.patch',
    {
      sha: commitFor(b, 'deploy-6101'),
      author: 'Lucia Romero',
      email: 'lucia.romero@example.com',
      at: ms('2026-06-11T14:20:31Z'),
      offsetMin: 120,
      subject: 'payflow: log decline codes and count declines by code',
      body: 'Support keeps asking why a card was declined. Log the decline code with the\norder id and export a counter per code for the payments dashboard.',
    },
    [
      { path: 'internal/payflow/client.go', before: clientBefore, after: clientAfter },
      { path: 'internal/payflow/metrics.go', before: metricsBefore, after: metricsAfter },
    ],
  );
  const valuesBefore = `env:
  PAYFLOW_BASE_URL: https://api.payflow.com
  PAYFLOW_TIMEOUT: 10s
  PAYFLOW_BREAKER_ENABLED: "false"
  PAYFLOW_BREAKER_FAILURE_RATIO: "0.5"
  LEDGER_URL: http://ledger.payments.svc.cluster.local:8080
`;
  b.diff('diffs/cfg-3310.diff', [
    {
      path: 'deploy/payments/values-production.yaml',
      before: valuesBefore,
      after: valuesBefore.replace('PAYFLOW_TIMEOUT: 10s', 'PAYFLOW_TIMEOUT: 4s').replace('PAYFLOW_BREAKER_ENABLED: "false"', 'PAYFLOW_BREAKER_ENABLED: "true"'),
    },
  ]);

  // Logs: payments (logfmt, svc=).
  const lp = b.rng('log-pay');
  const breakerOpen = (t) => t >= timeoutCfgAt + 60 * SEC && payErr(t) > 0.3;
  const payEvents = [
    ...poisson(lp, b.start, b.end, (t) => payRps(t) * 0.008, (t, r) => {
      const orderId = `ord_${r.id(10)}`;
      if (breakerOpen(t) && r.chance(0.4))
        return { t, level: 'warn', msg: 'payflow circuit open, failing fast', fields: { order_id: orderId } };
      const x = r.next();
      if (x < timeoutShare(t))
        return {
          t,
          level: 'error',
          msg: 'payflow authorize failed',
          fields: {
            order_id: orderId,
            err: `Post "https://api.payflow.com/v2/authorizations": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
            duration_ms: timeoutS(t) * 1000 + r.int(0, 3),
          },
        };
      if (x < timeoutShare(t) + unavailableShare(t))
        return { t, level: 'error', msg: 'payflow authorize failed', fields: { order_id: orderId, err: 'payflow authorize: upstream status 503', duration_ms: ms1(latencyDraw(r, payflowP50(t) / 3, 0.5)) } };
      const declined = r.chance(0.06);
      return {
        t,
        level: 'info',
        msg: declined ? 'payment declined' : 'payment authorized',
        fields: { order_id: orderId, provider: 'payflow', duration_ms: ms1(Math.min(timeoutS(t), latencyDraw(r, payflowP50(t), payflowSigma(t)) + 0.07)) },
      };
    }),
    ...poisson(lp, releaseAt + 70 * SEC, rollbackAt, (t) => payRps(t) * (1 - payErr(t)) * 0.06 * 0.05, (t, r) => ({
      t,
      level: 'info',
      msg: 'payflow declined authorization',
      fields: { decline_code: r.pick(['insufficient_funds', 'do_not_honor', 'expired_card', 'do_not_honor']), order_id: `ord_${r.id(10)}` },
    })),
    ...every(lp, b.start, b.end, 6 * MIN, 2 * MIN, (t, r) => ({ t, level: 'warn', msg: 'idempotency key reused with different body', fields: { order_id: `ord_${r.id(10)}`, action: 'returned_original' } })),
    ...every(lp, b.start, b.end, 10 * MIN, 30 * SEC, (t) => ({ t, level: 'info', msg: 'payflow settlement report fetched', fields: { rows: 0, note: 'next report 23:00' } })),
    { t: releaseAt + 40 * SEC, level: 'info', msg: 'starting payments', fields: { version: '5.9.0' } },
    { t: rollbackAt + 45 * SEC, level: 'info', msg: 'starting payments', fields: { version: '5.8.4' } },
    { t: timeoutCfgAt + 50 * SEC, level: 'info', msg: 'starting payments', fields: { version: '5.8.4', payflow_timeout: '4s', breaker: 'enabled' } },
  ];
  b.log('logs/payments.log', payEvents, { style: 'logfmt', time: 'iso', service: 'payments', serviceKey: 'svc' });

  // Logs: ledger (.NET on Windows hosts: CRLF line endings).
  const ll = b.rng('log-ledger');
  const ledgerEvents = [
    ...poisson(ll, b.start, b.end, (t) => payRps(t) * (1 - payErr(t)) * 0.01, (t, r) => ({ t, level: 'info', msg: `Posted journal entry JE-${r.int(4400000, 4499999)} (2 lines, card-payments)` })),
    ...every(ll, b.start, b.end, 12 * MIN, 4 * MIN, (t) => ({ t, level: 'warn', msg: 'Npgsql: connection reached its idle lifetime and was closed' })),
    ...every(ll, b.start, b.end, 30 * MIN, 1 * MIN, (t, r) => ({ t, level: 'info', msg: `Reconciliation pass complete: ${r.int(0, 2)} unmatched entries` })),
    { t: ledgerCfgAt + 30 * SEC, level: 'info', msg: 'Configuration reloaded: ExportSchedule=02:30' },
  ];
  b.log('logs/ledger.log', ledgerEvents, { style: 'plain', time: 'iso', crlf: true });

  // Logs: checkout (JSON with ts / lvl / log keys).
  const lc = b.rng('log-co');
  const coEvents = [
    ...poisson(lc, b.start, b.end, (t) => payRps(t) * payErr(t) * 0.012, (t, r) => ({
      t,
      level: 'error',
      msg: 'payment failed: payments returned 502',
      fields: { order_id: `ord_${r.id(10)}`, user_message: 'Payment could not be processed' },
    })),
    ...poisson(lc, b.start, b.end, (t) => payRps(t) * 0.004, (t, r) => ({ t, level: 'info', msg: 'order placed', fields: { order_id: `ord_${r.id(10)}` } })),
    ...every(lc, b.start, b.end, 8 * MIN, 3 * MIN, (t) => ({ t, level: 'warn', msg: 'session store latency above 50ms', fields: { store: 'redis-sessions' } })),
  ];
  b.jsonl('logs/checkout.jsonl', coEvents, { keys: { time: 'ts', level: 'lvl', msg: 'log', service: 'service' }, timeForm: 'iso', levelForm: 'lower', service: 'checkout' });

  b.text(
    'runbooks/payments-provider.md',
    `# Card processor incidents

payments sends every card authorisation to **payflow** (\`https://api.payflow.com\`). There is
no retry: an authorisation is idempotent by order id, and checkout shows the customer an error.

## Is it payflow?

- \`payments_upstream_request_duration_seconds{upstream="payflow"}\` and the share of
  \`status="timeout"\` / \`status="error"\`.
- payflow status page: https://status.payflow.com (often updated 20-30 minutes late).
- Compare with our other upstreams (\`fraud\`, \`ledger\`): if only payflow moved, it is payflow.

## What we can do

- Open a P1 ticket with payflow (contract: 30 minute response).
- Fail over to the secondary acquirer: \`flagctl set payments.acquirer paybridge\` (needs the
  payments lead; paybridge costs 0.3% more per transaction).
- Lowering the timeout only makes failures faster; it does not make payments succeed.
`,
  );

  b.truth({
    category: 'dependency',
    service: null, // a third party outside the bundle: named in the words, not as a service
    change_id: null,
    onset: '2026-06-12T10:47:00Z',
    notes:
      'From 10:47 the third-party card processor payflow slows down (p50 from ~0.3 s to ~2.4 s) and a third of authorisations hit the 10 s client timeout, with some 503s. payments errors and p99 follow, checkout payment failures reach ~30%, and ledger journal entries drop because fewer payments succeed; fraud and ledger latencies are flat. The payments 5.9.0 release at 10:39 only added a decline-code log line and counter; rolling it back at 11:02 changed nothing, and cfg-3310 at 11:15 (4 s timeout, circuit breaker) only made the failures faster. The ledger export-window change at 10:12 is unrelated.',
  });
  return b;
}

// ---------------------------------------------------------------------------------------------
// 6. Black Friday: at 18:00 a campaign email goes out and traffic more than doubles within
//    minutes. catalog's autoscaler is capped at 24 replicas, so catalog saturates and sheds
//    load until on-call raises the cap. No change caused it; the cap raise helped.

function catalogTrafficSurge() {
  const b = new Bundle('catalog-traffic-surge', {
    start: '2025-11-28T15:00:00Z',
    end: '2025-11-28T21:00:00Z',
    step: 60 * SEC,
    onset: '2025-11-28T18:01:00Z',
    summary: 'A Black Friday campaign doubles traffic in minutes; catalog hits its autoscaler cap of 24 replicas, saturates and sheds load until the cap is raised. No change at fault.',
  });
  const surgeAt = ms('2025-11-28T18:00:30Z');
  const capRaisedAt = ms('2025-11-28T18:26:00Z');

  const baseRps = (t) => 900 * diurnal(t, 20, 0.4) * (1 + 0.04 * drift('gw', t, 8 * MIN));
  const surge = (t) => 1 + 1.25 * ramp(t, surgeAt, 8 * MIN) * (0.5 + 0.5 * Math.exp(-Math.max(0, t - surgeAt - 8 * MIN) / (110 * MIN)));
  const gwRps = (t) => baseRps(t) * surge(t);
  const catalogRps = (t) => gwRps(t) * 0.56;
  const perPod = 55;
  const maxReplicas = (t) => (t >= capRaisedAt + 20 * SEC ? 40 : 24);

  // The autoscaler, stepped every 15 s: pods take 90 s to become ready, scale-down is slow.
  const hpa = [];
  {
    let replicas = 19;
    let pending = [];
    for (let t = b.start; t <= b.end; t += 15 * SEC) {
      replicas += pending.filter((p) => p <= t).length;
      pending = pending.filter((p) => p > t);
      const target = clamp(Math.ceil(catalogRps(t) / (perPod * 0.65)), 6, maxReplicas(t));
      const missing = target - replicas - pending.length;
      for (let k = 0; k < Math.min(4, missing); k++) pending.push(t + 90 * SEC);
      if (target < replicas && pending.length === 0 && (t / (15 * SEC)) % 8 === 0) replicas -= 1;
      hpa.push({ t, replicas, desired: target });
    }
  }
  const hpaAt = (t) => hpa[clamp(Math.floor((t - b.start) / (15 * SEC)), 0, hpa.length - 1)];
  const util = (t) => catalogRps(t) / (hpaAt(t).replicas * perPod);
  const shed = (t) => (util(t) > 1 ? 1 - 1 / util(t) : 0) + 0.0004;
  const catP50 = (t) => 0.043 * Math.min(16, queueing(util(t)));
  const catSigma = (t) => 0.5 + 0.3 * clamp(util(t) - 0.8, 0, 0.4) / 0.4;

  b.text(
    'incident.yaml',
    yamlDoc({
      title: 'catalog availability below SLO',
      service: 'catalog',
      severity: 'critical',
      started_at: '2025-11-28T18:07:00Z',
      summary: 'catalog is returning 503 for 11% of requests; p99 above 3s. Black Friday sale is live.',
      labels: { team: 'catalog', env: 'prod', slo: 'catalog-availability' },
      links: ['https://grafana.example.internal/d/catalog', 'https://runbooks.example.internal/catalog/availability'],
    }),
  );

  b.prom(
    'metrics/catalog.json',
    [
      series({ __name__: 'catalog_http_requests_per_second', service: 'catalog' }, observed(b.rng('rps'), catalogRps)),
      series({ __name__: 'catalog_http_request_duration_p50_seconds', service: 'catalog' }, observed(b.rng('p50'), catP50, { noise: 0.05 })),
      series({ __name__: 'catalog_http_request_duration_p99_seconds', service: 'catalog' }, observed(b.rng('p99'), (t) => Math.min(5, quantileOf(catP50(t), catSigma(t), 0.99)), { noise: 0.06 })),
      series({ __name__: 'catalog_shed_requests_per_second', service: 'catalog' }, observed(b.rng('shed'), (t) => catalogRps(t) * shed(t), { noise: 0.1 })),
      series({ __name__: 'container_cpu_utilisation_ratio', service: 'catalog' }, observed(b.rng('cpu'), (t) => 0.06 + 0.9 * Math.min(1, util(t)), { noise: 0.02, ceil: 1 })),
      series(
        { __name__: 'catalog_executor_queue_depth', service: 'catalog' },
        observed(b.rng('queue'), (t) => 3 + 497 * clamp((util(t) - 0.85) / 0.2, 0, 1), { noise: 0.08, integer: true, ceil: 500 }),
      ),
      series({ __name__: 'kube_horizontalpodautoscaler_status_current_replicas', service: 'catalog', horizontalpodautoscaler: 'catalog' }, observed(b.rng('rep'), (t) => hpaAt(t).replicas, { noise: 0 })),
      series({ __name__: 'kube_horizontalpodautoscaler_status_desired_replicas', service: 'catalog', horizontalpodautoscaler: 'catalog' }, observed(b.rng('des'), (t) => hpaAt(t).desired, { noise: 0 })),
      series({ __name__: 'kube_horizontalpodautoscaler_spec_max_replicas', service: 'catalog', horizontalpodautoscaler: 'catalog' }, observed(b.rng('max'), maxReplicas, { noise: 0 })),
    ],
  );
  const routes = [
    ['/api/catalog', 0.56, (t) => shed(t)],
    ['/api/search', 0.21, () => 0.0006],
    ['/api/cart', 0.13, () => 0.0009],
    ['/static', 0.1, () => 0.0001],
  ];
  b.csv(
    'metrics/gateway.csv',
    routes.flatMap(([route, share, err]) => [
      csvSeries({ metric: 'gateway_requests_per_second', service: 'api-gateway', route }, observed(b.rng(`r${route}`), (t) => gwRps(t) * share)),
      csvSeries({ metric: 'gateway_5xx_ratio', service: 'api-gateway', route }, observed(b.rng(`e${route}`), (t) => err(t), { noise: 0.15, ceil: 1 })),
    ]),
    { columns: ['timestamp', 'service', 'metric', 'route', 'value'], timeForm: 'epoch_ms', nanGaps: false },
  );
  b.prom(
    'metrics/catalog-db.json',
    [
      series({ __name__: 'node_cpu_utilisation_ratio', job: 'catalog-db' }, observed(b.rng('dbcpu'), (t) => 0.14 + catalogRps(t) * (1 - shed(t)) * 0.08 * 0.0029)),
      series({ __name__: 'pg_queries_per_second', job: 'catalog-db' }, observed(b.rng('dbq'), (t) => 60 + catalogRps(t) * (1 - shed(t)) * 0.08 * 3)),
    ],
  );
  b.prom('metrics/catalog-cache.json', [
    series({ __name__: 'redis_keyspace_hit_ratio', service: 'catalog-cache' }, observed(b.rng('hit'), (t) => 0.918 + 0.008 * drift('hit', t, 20 * MIN), { noise: 0.003 })),
    series({ __name__: 'redis_commands_processed_per_second', service: 'catalog-cache' }, observed(b.rng('ops'), (t) => catalogRps(t) * (1 - shed(t)) * 2.1)),
    series({ __name__: 'redis_memory_used_bytes', service: 'catalog-cache' }, observed(b.rng('mem'), (t) => 5.1e9 + 0.3e9 * ((t - b.start) / (6 * HOUR)), { noise: 0.002 }), { digits: 6 }),
  ]);

  b.text(
    'changes.yaml',
    yamlList([
      { id: 'deploy-3391', service: 'web-frontend', type: 'deploy', at: '2025-11-28T18:41:00+01:00', version: '14.2.0', author: 'julia.berg', summary: 'Black Friday banner and countdown' },
      {
        id: 'cfg-7720',
        service: 'api-gateway',
        type: 'config',
        at: '2025-11-28T18:48:00+01:00',
        author: 'platform-oncall',
        summary: 'Enable brotli compression for /static',
        diff: 'diffs/cfg-7720.diff',
      },
      {
        id: 'cfg-7724',
        service: 'catalog',
        type: 'config',
        at: '2025-11-28T19:26:00+01:00',
        author: 'catalog-oncall',
        summary: 'catalog HPA maxReplicas 24 -> 40',
        diff: 'diffs/cfg-7724.diff',
        incident: 'INC-2981',
      },
      { id: 'deploy-3394', service: 'catalog', type: 'deploy', at: '2025-11-28T20:40:00+01:00', version: '8.11.3', author: 'catalog-oncall', summary: 'Log shed requests at debug instead of warn' },
    ]),
  );
  const hpaBefore = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: catalog
  namespace: catalog
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: catalog
  minReplicas: 6
  maxReplicas: 24
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 65
`;
  b.diff('diffs/cfg-7724.diff', [{ path: 'k8s/catalog/hpa.yaml', before: hpaBefore, after: hpaBefore.replace('maxReplicas: 24', 'maxReplicas: 40') }]);
  const gzBefore = `static:
  root: /srv/static
  cacheControl: "public, max-age=31536000, immutable"
  compression:
    gzip: true
    brotli: false
    minSize: 1024
`;
  b.diff('diffs/cfg-7720.diff', [{ path: 'gateway/conf.d/static.yaml', before: gzBefore, after: gzBefore.replace('brotli: false', 'brotli: true') }]);

  // Logs: catalog (Spring Boot).
  const lc = b.rng('log-catalog');
  const threads = (r) => `http-nio-8080-exec-${r.int(1, 200)}`;
  const catEvents = [
    ...poisson(lc, b.start, b.end, (t) => catalogRps(t) * shed(t) * 0.004, (t, r) => ({
      t,
      level: 'warn',
      thread: threads(r),
      logger: 'c.e.catalog.web.LoadShedFilter',
      msg: `Shedding request GET /api/catalog/items: executor queue full (${r.int(495, 500)}/500)`,
    })),
    ...poisson(lc, b.start, b.end, (t) => 0.0012 * catalogRps(t) * (1 + 5 * clamp(util(t) - 0.8, 0, 1)) * 0.05, (t, r) => ({
      t,
      level: 'info',
      thread: 'GC Thread#0',
      logger: 'gc',
      msg: `GC(${r.int(1000, 9999)}) Pause Young (Normal) (G1 Evacuation Pause) ${r.int(400, 900)}M->${r.int(150, 300)}M(2048M) ${(r.float(4, 18) * (1 + Math.max(0, util(t) - 0.8) * 5)).toFixed(3)}ms`,
    })),
    ...every(lc, b.start, b.end, 15 * MIN, 5 * MIN, (t) => ({ t, level: 'warn', thread: 'main', logger: 'o.s.b.a.o.j.JpaBaseConfiguration$JpaWebConfiguration', msg: 'spring.jpa.open-in-view is enabled by default. Therefore, database queries may be performed during view rendering.' })),
    ...every(lc, b.start, b.end, 5 * MIN, 2 * MIN, (t, r) => ({ t, level: 'info', thread: 'scheduling-1', logger: 'c.e.catalog.price.PriceRefresher', msg: `Refreshed ${r.int(1200, 1900)} promotional prices` })),
  ];
  for (let i = 1; i < hpa.length; i++) {
    const added = hpa[i].replicas - hpa[i - 1].replicas;
    for (let k = 0; k < added; k++)
      catEvents.push({ t: hpa[i].t - 20 * SEC + k * 700, level: 'info', thread: 'main', logger: 'c.e.catalog.CatalogApplication', msg: `Started CatalogApplication in ${(21 + lc.next() * 6).toFixed(3)} seconds (process running for ${(24 + lc.next() * 6).toFixed(3)})` });
  }
  b.log('logs/catalog.log', catEvents, { style: 'logback', time: 'iso' });

  // Logs: the gateway access log, gzipped as the log shipper archives it.
  const lg = b.rng('log-gw');
  const gwEvents = routes.flatMap(([route, share, err]) =>
    poisson(lg, b.start, b.end, (t) => gwRps(t) * share * 0.00016, (t, r) => {
      const failed = r.chance(err(t));
      const lat = route === '/api/catalog' ? latencyDraw(r, catP50(t), catSigma(t)) : latencyDraw(r, 0.03, 0.5);
      return {
        t,
        level: failed ? 'error' : 'info',
        msg: 'request',
        fields: { method: 'GET', path: route, status: failed ? 503 : 200, duration_ms: failed ? r.int(2, 40) : ms1(lat), bytes: failed ? 58 : r.int(900, 42000), client: `${r.int(1, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}` },
      };
    }),
  );
  b.log('logs/api-gateway-access.log.gz', gwEvents, { style: 'logfmt', time: 'iso', service: 'api-gateway', serviceKey: 'app' });

  // An extra file the engineer pasted in: the autoscaler's events.
  const evLines = ['LAST SEEN   TYPE      REASON                   OBJECT                                    MESSAGE'];
  const rel = (t) => `${Math.round((ms('2025-11-28T19:05:00Z') - t) / MIN)}m`;
  const evs = [
    [ms('2025-11-28T17:20:00Z'), 'Normal', 'SuccessfulRescale', 'horizontalpodautoscaler/catalog', 'New size: 19; reason: cpu resource utilization (percentage of request) above target'],
    [ms('2025-11-28T18:03:10Z'), 'Normal', 'SuccessfulRescale', 'horizontalpodautoscaler/catalog', 'New size: 23; reason: cpu resource utilization (percentage of request) above target'],
    [ms('2025-11-28T18:04:40Z'), 'Normal', 'SuccessfulRescale', 'horizontalpodautoscaler/catalog', 'New size: 24; reason: cpu resource utilization (percentage of request) above target'],
    [ms('2025-11-28T18:05:10Z'), 'Warning', 'FailedRescale', 'horizontalpodautoscaler/catalog', 'desired replica count 41 is more than the maximum replica count 24'],
    [ms('2025-11-28T18:14:00Z'), 'Warning', 'Unhealthy', 'pod/catalog-5d8f7c9b4-x2lqp', 'Readiness probe failed: Get "http://10.42.7.19:8080/actuator/health/readiness": context deadline exceeded'],
    [ms('2025-11-28T18:26:40Z'), 'Normal', 'SuccessfulRescale', 'horizontalpodautoscaler/catalog', 'New size: 28; reason: cpu resource utilization (percentage of request) above target'],
    [ms('2025-11-28T18:28:10Z'), 'Normal', 'SuccessfulRescale', 'horizontalpodautoscaler/catalog', 'New size: 36; reason: cpu resource utilization (percentage of request) above target'],
    [ms('2025-11-28T18:29:40Z'), 'Normal', 'SuccessfulRescale', 'horizontalpodautoscaler/catalog', 'New size: 40; reason: cpu resource utilization (percentage of request) above target'],
    [ms('2025-11-28T18:31:00Z'), 'Normal', 'TriggeredScaleUp', 'pod/catalog-5d8f7c9b4-7hvnc', 'pod triggered scale-up: [{eks-ng-general 14->17 (max: 30)}]'],
  ];
  for (const [t, type, reason, obj, msg] of evs.reverse()) evLines.push(`${rel(t).padEnd(12)}${type.padEnd(10)}${reason.padEnd(25)}${obj.padEnd(42)}${msg}`);
  b.text('kubectl-events.txt', evLines.join('\n') + '\n', 'extra file (kubectl output)');

  b.text(
    'runbooks/catalog.md',
    `# catalog availability

catalog serves product pages and listings (Spring Boot, HPA on CPU at 65%, 55 rps per pod at
full CPU). It sheds load with 503 when its executor queue (500) is full instead of timing out.

1. Traffic: \`gateway_requests_per_second\` by route. Campaigns are not in the change feed;
   ask #marketing-ops whether an email or push went out.
2. Capacity: current vs desired vs max replicas. If desired > max, raise \`maxReplicas\` in
   \`k8s/catalog/hpa.yaml\` (node group ng-general can grow to 30 nodes).
3. Dependencies: catalog-cache hit ratio and catalog-db CPU. If they are fine, the pods are
   simply out of CPU.

The \`spring.jpa.open-in-view\` warning is logged by every pod and is not a problem.
`,
  );

  b.truth({
    category: 'capacity',
    service: 'catalog',
    change_id: null,
    onset: '2025-11-28T18:01:00Z',
    notes:
      'At 18:00 a Black Friday campaign email went out and traffic on every gateway route rose about 2.2x within eight minutes. catalog needed ~41 replicas but its HPA was capped at 24: CPU pinned, the executor queue filled, p99 passed 2 s and catalog shed 10-15% of requests with 503. catalog-cache and catalog-db stayed healthy. On-call raised maxReplicas to 40 (cfg-7724, 18:26, after the onset), which ended the shedding. The web banner deploy and the gateway brotli change before the onset and the catalog logging deploy after it are unrelated.',
  });
  return b;
}

// ---------------------------------------------------------------------------------------------
// 7. The data disk of inventory-db fills up: WAL archiving has been failing since the night
//    before, so WAL piles up until the volume is full. PostgreSQL panics and crash-loops;
//    inventory fails, and checkout (the paged service) fails to reserve stock. An inventory
//    refactor 17 minutes earlier is innocent; the volume resize after the onset ends it.

function inventoryDbDiskFull() {
  const b = new Bundle('inventory-db-disk-full', {
    start: '2026-01-14T10:15:00Z',
    end: '2026-01-14T13:15:00Z',
    step: 30 * SEC,
    onset: '2026-01-14T11:22:10Z',
    summary: 'WAL archiving had been failing for hours; the inventory-db data disk fills, PostgreSQL panics and crash-loops, inventory fails and checkout (paged) cannot reserve stock. Cause is two hops from the page.',
  });
  const full = b.onset;
  const resizeAt = ms('2026-01-14T11:58:20Z');
  const dbBack = ms('2026-01-14T12:02:40Z');
  const refactorAt = ms('2026-01-14T11:05:00Z');
  const volume = 536870912000;

  const gwRps = (t) => 640 * diurnal(t, 18, 0.33) * (1 + 0.05 * drift('gw', t, 5 * MIN));
  const writeRps = (t) => gwRps(t) * 0.05;
  const dbDown = (t) => t >= full && t < dbBack;
  // Free space: WAL grows with write traffic until the disk is full, calibrated to hit 0 at `full`.
  const freeAt = [];
  {
    const step = 15 * SEC;
    let integral = 0;
    const totals = [];
    for (let t = b.start; t <= b.end; t += step) {
      totals.push(integral);
      integral += writeRps(t) * step;
    }
    const toFull = totals[Math.round((full - b.start) / step)];
    const bytesPerWrite = (volume * 0.0621) / toFull;
    for (let i = 0, t = b.start; t <= b.end; t += step, i++) {
      let free = volume * 0.0621 - totals[i] * bytesPerWrite;
      if (t >= full) free = 0;
      if (t >= resizeAt + 40 * SEC) free = 268435456000 - 1.1e9 * Math.min(1, (t - resizeAt) / (20 * MIN));
      freeAt.push(Math.max(0, free));
    }
  }
  const free = (t) => freeAt[clamp(Math.floor((t - b.start) / (15 * SEC)), 0, freeAt.length - 1)];
  // The failure travels upstream: inventory within seconds, checkout as its calls time out.
  const invHit = (t) => ramp(t, full + 5 * SEC, 40 * SEC) * (1 - ramp(t, dbBack, 90 * SEC));
  const coHit = (t) => ramp(t, full + 30 * SEC, 150 * SEC) * (1 - ramp(t, dbBack + 20 * SEC, 2 * MIN));
  const invErr = (t) => 0.0012 + invHit(t) * (0.58 + 0.08 * drift('ie', t, 3 * MIN));
  const invP99 = (t) => 0.062 + 0.01 * drift('ip', t, 7 * MIN) + 0.96 * invHit(t);
  const coErr = (t) => 0.002 + 0.44 * coHit(t) * (1 + 0.1 * drift('ce', t, 3 * MIN));
  const coP99 = (t) => 0.41 + 0.04 * drift('cp', t, 6 * MIN) + 1.9 * coHit(t);

  const prom = 'https://prometheus.example.internal';
  b.json(
    'alert.json',
    amPayload({
      receiver: 'pagerduty-checkout',
      groupLabels: {},
      externalURL: 'https://alertmanager.example.internal',
      alerts: [
        amAlert({
          labels: { alertname: 'CheckoutErrorRateHigh', service: 'checkout', severity: 'critical', env: 'prod' },
          annotations: { summary: 'checkout place-order error ratio is 43%', runbook_url: 'https://runbooks.example.internal/checkout/errors' },
          startsAt: '2026-01-14T11:27:30Z',
          generator: promGenerator(prom, 'checkout:place_order_errors:ratio_rate5m > 0.05'),
        }),
        amAlert({
          labels: { alertname: 'NodeFilesystemAlmostOutOfSpace', service: 'inventory-db', severity: 'warning', env: 'prod', instance: 'inventory-db-0', mountpoint: '/var/lib/postgresql' },
          annotations: { summary: 'Filesystem on /var/lib/postgresql at inventory-db-0 has less than 10% space left.' },
          startsAt: '2026-01-14T06:12:00Z',
          generator: promGenerator(prom, 'node_filesystem_avail_bytes{mountpoint="/var/lib/postgresql"} / node_filesystem_size_bytes < 0.1'),
        }),
        amAlert({
          labels: { alertname: 'PostgresDown', job: 'inventory-db', severity: 'critical', env: 'prod', instance: 'inventory-db-0' },
          annotations: { summary: 'pg_up == 0 on inventory-db-0' },
          startsAt: '2026-01-14T11:24:00Z',
          generator: promGenerator(prom, 'pg_up == 0'),
        }),
        amAlert({
          labels: { alertname: 'InventoryErrorRateHigh', service: 'inventory', severity: 'warning', env: 'prod' },
          annotations: { summary: 'inventory 5xx ratio 61%' },
          startsAt: '2026-01-14T11:25:30Z',
          generator: promGenerator(prom, 'inventory:http_errors:ratio_rate5m > 0.05'),
        }),
      ],
    }),
  );

  b.prom(
    'metrics/inventory-db/filesystem.json',
    [
      series({ __name__: 'node_filesystem_avail_bytes', instance: 'inventory-db-0', mountpoint: '/var/lib/postgresql', device: '/dev/nvme1n1' }, observed(b.rng('avail'), free, { noise: 0.0005 }), { digits: 8 }),
      series(
        { __name__: 'node_filesystem_size_bytes', instance: 'inventory-db-0', mountpoint: '/var/lib/postgresql', device: '/dev/nvme1n1' },
        observed(b.rng('size'), (t) => (t >= resizeAt + 40 * SEC ? 805306368000 : volume), { noise: 0 }),
        { digits: 12 },
      ),
    ],
  );
  const failedBase = 412;
  b.csv(
    'metrics/inventory-db/postgres.csv',
    [
      csvSeries({ metric: 'pg_up', instance: 'inventory-db-0' }, (t) => (dbDown(t) ? 0 : 1)),
      csvSeries({ metric: 'pg_stat_archiver_failed_count', instance: 'inventory-db-0' }, (t) => (dbDown(t) ? null : failedBase + Math.floor((t - b.start) / (62 * SEC))), 6),
      csvSeries({ metric: 'pg_wal_size_bytes', instance: 'inventory-db-0' }, (t) => (dbDown(t) ? null : (t >= resizeAt + 40 * SEC ? 805306368000 : volume) - free(t) - 3.073e11), 6),
      csvSeries({ metric: 'pg_stat_activity_count', instance: 'inventory-db-0' }, observed(b.rng('act'), (t) => (dbDown(t) ? null : 22 + writeRps(t) * 0.3), { noise: 0.1, integer: true })),
    ],
    { columns: ['timestamp', 'metric', 'instance', 'value'], timeForm: 'iso', nanGaps: true },
  );
  b.prom('metrics/inventory.json', [
    series({ __name__: 'http_requests_per_second', service: 'inventory' }, observed(b.rng('irps'), (t) => gwRps(t) * 0.31)),
    series({ __name__: 'http_errors_ratio', service: 'inventory' }, observed(b.rng('ierr'), invErr, { noise: 0.1, ceil: 1 })),
    series({ __name__: 'http_request_duration_p99_seconds', service: 'inventory' }, observed(b.rng('ip99'), invP99, { noise: 0.04 })),
  ]);
  b.prom('metrics/checkout.json', [
    series({ __name__: 'checkout_place_order_errors_ratio', service: 'checkout' }, observed(b.rng('cerr'), coErr, { noise: 0.1, ceil: 1 })),
    series({ __name__: 'checkout_place_order_duration_p99_seconds', service: 'checkout' }, observed(b.rng('cp99'), coP99, { noise: 0.05 })),
    series({ __name__: 'checkout_requests_per_second', service: 'checkout' }, observed(b.rng('crps'), (t) => gwRps(t) * 0.04)),
  ]);

  b.json(
    'changes.json',
    [
      { id: 'cfg-5510', service: 'checkout', type: 'config', at: '2026-01-14T10:31:00Z', author: 'rui.costa', summary: 'inventory client timeout 800ms -> 1s (CHK-1520)' },
      {
        id: 'deploy-3302',
        service: 'inventory',
        type: 'deploy',
        started_at: '2026-01-14T11:05:00Z',
        finished_at: '2026-01-14T11:07:10Z',
        version: '6.4.0',
        author: 'mei.tanaka',
        commit: commitFor(b, 'deploy-3302'),
        summary: 'Extract StockLedger from ReservationService (no behaviour change)',
        diff: 'diffs/inventory-6.4.0.patch',
      },
      {
        id: 'infra-918',
        service: 'inventory-db',
        type: 'infra',
        at: '2026-01-14T11:58:20Z',
        author: 'dba-oncall',
        summary: 'Resize inventory-db-0 data volume 500Gi -> 750Gi',
        ticket: 'DBA-402',
      },
      { id: 'deploy-3305', service: 'api-gateway', type: 'deploy', at: '2026-01-14T12:30:00Z', version: '2.14.1', author: 'platform-bot', summary: 'Rotate upstream keep-alive defaults' },
    ],
  );
  const svcBefore = `import { Pool } from 'pg';
import { logger } from '../logger';

export class ReservationService {
  constructor(private readonly db: Pool) {}

  async reserve(orderId: string, lines: { sku: string; qty: number }[]): Promise<void> {
    const client = await this.db.connect();
    try {
      await client.query('BEGIN');
      for (const line of lines) {
        const { rowCount } = await client.query(
          'UPDATE stock SET reserved = reserved + $1 WHERE sku = $2 AND on_hand - reserved >= $1',
          [line.qty, line.sku],
        );
        if (rowCount === 0) throw new OutOfStockError(line.sku);
        await client.query(
          'INSERT INTO stock_movements (order_id, sku, qty, kind) VALUES ($1, $2, $3, $4)',
          [orderId, line.sku, line.qty, 'reserve'],
        );
      }
      await client.query('COMMIT');
      logger.info({ orderId, lines: lines.length }, 'stock reserved');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }
}

export class OutOfStockError extends Error {
  constructor(readonly sku: string) {
    super(\`out of stock: \${sku}\`);
  }
}
`;
  const svcAfter = `import { Pool } from 'pg';
import { logger } from '../logger';
import { StockLedger } from './stock-ledger';

export class ReservationService {
  constructor(private readonly db: Pool) {}

  async reserve(orderId: string, lines: { sku: string; qty: number }[]): Promise<void> {
    const client = await this.db.connect();
    try {
      await client.query('BEGIN');
      const ledger = new StockLedger(client);
      for (const line of lines) {
        await ledger.reserve(orderId, line.sku, line.qty);
      }
      await client.query('COMMIT');
      logger.info({ orderId, lines: lines.length }, 'stock reserved');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }
}

export class OutOfStockError extends Error {
  constructor(readonly sku: string) {
    super(\`out of stock: \${sku}\`);
  }
}
`;
  const ledgerNew = `import type { PoolClient } from 'pg';
import { OutOfStockError } from './reservation-service';

/** Stock bookkeeping inside one transaction. */
export class StockLedger {
  constructor(private readonly client: PoolClient) {}

  async reserve(orderId: string, sku: string, qty: number): Promise<void> {
    const { rowCount } = await this.client.query(
      'UPDATE stock SET reserved = reserved + $1 WHERE sku = $2 AND on_hand - reserved >= $1',
      [qty, sku],
    );
    if (rowCount === 0) throw new OutOfStockError(sku);
    await this.client.query(
      'INSERT INTO stock_movements (order_id, sku, qty, kind) VALUES ($1, $2, $3, $4)',
      [orderId, sku, qty, 'reserve'],
    );
  }
}
`;
  b.patch(
    'diffs/inventory-6.4.0.patch',
    {
      sha: commitFor(b, 'deploy-3302'),
      author: 'Mei Tanaka',
      email: 'mei.tanaka@example.com',
      at: ms('2026-01-13T09:02:11Z'),
      offsetMin: 540,
      subject: 'inventory: extract StockLedger from ReservationService',
      body: 'Pure refactor ahead of the returns work (INV-77): the SQL moves into\nStockLedger unchanged, ReservationService keeps the transaction.',
    },
    [
      { path: 'src/reservations/reservation-service.ts', before: svcBefore, after: svcAfter },
      { path: 'src/reservations/stock-ledger.ts', before: null, after: ledgerNew },
    ],
  );

  // Logs: PostgreSQL on inventory-db-0. DETAIL lines follow their message without a timestamp.
  const lp = b.rng('log-pg');
  const pgLevels = { info: 'INFO', warn: 'WARNING', error: 'ERROR', fatal: 'FATAL' };
  let segment = 0xc3;
  const seg = () => `000000010000A2F0000000${(segment & 0xff).toString(16).toUpperCase().padStart(2, '0')}`;
  const pgEvents = [
    ...every(lp, b.start, b.end, 62 * SEC, 3 * SEC, (t, r) => {
      if (dbDown(t)) return null;
      if (r.chance(0.12)) segment++;
      return [
        {
          t,
          level: 'warn',
          levelText: 'WARNING',
          msg: `archive command failed with exit code 1`,
          stack: [`DETAIL:  The failed archive command was: wal-g wal-push pg_wal/${seg()}`],
        },
        ...(r.chance(0.34) ? [{ t: t + 4, level: 'warn', levelText: 'WARNING', msg: `archiving write-ahead log file "${seg()}" failed too many times, will try again later` }] : []),
      ];
    }),
    ...every(lp, b.start, b.end, 5 * MIN, 5 * SEC, (t, r) =>
      dbDown(t) ? null : { t, level: 'info', levelText: 'INFO', msg: `checkpoint complete: wrote ${r.int(2000, 9000)} buffers (${r.float(1, 6).toFixed(1)}%); 0 WAL file(s) added, 0 removed, 0 recycled` },
    ),
    ...every(lp, b.start, b.end, 7 * MIN, 3 * MIN, (t, r) => (dbDown(t) ? null : { t, level: 'info', levelText: 'INFO', msg: `automatic analyze of table "inventory.public.${r.pick(['stock', 'stock_movements', 'warehouses'])}"` })),
  ];
  pgEvents.push(
    { t: full, level: 'fatal', levelText: 'PANIC', msg: 'could not write to file "pg_wal/xlogtemp.2231": No space left on device' },
    { t: full + 90, level: 'info', levelText: 'INFO', msg: 'WAL writer process (PID 2231) was terminated by signal 6: Aborted' },
    { t: full + 95, level: 'info', levelText: 'INFO', msg: 'terminating any other active server processes' },
    { t: full + 410, level: 'info', levelText: 'INFO', msg: 'all server processes terminated; reinitializing' },
  );
  // The pod crash-loops with kubelet's growing back-off until the volume is resized.
  for (let t = full + 9 * SEC, backoff = 10 * SEC; t < resizeAt + 60 * SEC; t += backoff + 12 * SEC, backoff = Math.min(300 * SEC, backoff * 2)) {
    pgEvents.push(
      { t, level: 'info', levelText: 'INFO', msg: 'database system was interrupted; last known up at 2026-01-14 11:21:48 UTC' },
      { t: t + 700, level: 'info', levelText: 'INFO', msg: 'database system was not properly shut down; automatic recovery in progress' },
      { t: t + 900, level: 'fatal', levelText: 'FATAL', msg: 'could not write to file "pg_wal/xlogtemp.88": No space left on device' },
      { t: t + 950, level: 'info', levelText: 'INFO', msg: 'startup process (PID 88) exited with exit code 1' },
      { t: t + 960, level: 'info', levelText: 'INFO', msg: 'aborting startup due to startup process failure' },
      { t: t + 990, level: 'info', levelText: 'INFO', msg: 'database system is shut down' },
    );
  }
  pgEvents.push(
    { t: dbBack - 40 * SEC, level: 'info', levelText: 'INFO', msg: 'database system was not properly shut down; automatic recovery in progress' },
    { t: dbBack - 39 * SEC, level: 'info', levelText: 'INFO', msg: 'redo starts at A2F0/C3000028' },
    { t: dbBack - 2 * SEC, level: 'info', levelText: 'INFO', msg: 'redo done at A2F0/D2FFFF78 system usage: CPU: user: 21.40 s, system: 9.88 s, elapsed: 36.91 s' },
    { t: dbBack, level: 'info', levelText: 'INFO', msg: 'database system is ready to accept connections' },
  );
  b.log('logs/inventory-db.log', pgEvents, { style: 'plain', time: 'iso', levels: pgLevels });

  // Logs: inventory (Node, pino: numeric levels, epoch ms, err objects).
  const li = b.rng('log-inv');
  const invEvents = [
    ...poisson(li, b.start, b.end, (t) => writeRps(t) * 0.006 * (1 - invErr(t)), (t, r) => ({ t, level: 'info', msg: 'stock reserved', fields: { orderId: `ord_${r.id(10)}`, lines: r.int(1, 6) } })),
    ...poisson(li, b.start, b.end, (t) => writeRps(t) * invErr(t) * 0.006, (t, r) => {
      const refused = r.chance(0.8);
      const message = refused ? 'connect ECONNREFUSED 10.20.3.14:5432' : 'Connection terminated unexpectedly';
      return {
        t,
        level: 'error',
        msg: 'reserve failed',
        fields: {
          orderId: `ord_${r.id(10)}`,
          err: {
            type: 'Error',
            message,
            stack: refused
              ? `Error: ${message}\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)`
              : `Error: ${message}\n    at Connection.<anonymous> (/app/node_modules/pg/lib/client.js:132:73)\n    at Object.onceWrapper (node:events:632:28)`,
            code: refused ? 'ECONNREFUSED' : undefined,
          },
        },
      };
    }),
    ...every(li, b.start, b.end, 3 * MIN, 40 * SEC, (t, r) => ({ t, level: 'warn', msg: 'WMS feed lag above threshold', fields: { lagSeconds: r.int(61, 140), thresholdSeconds: 60 } })),
    ...every(li, b.start, b.end, 10 * MIN, 1 * MIN, (t, r) => (dbDown(t) ? null : { t, level: 'info', msg: 'stock sync from WMS finished', fields: { updated: r.int(300, 2400) } })),
  ];
  [0, 1, 2].forEach((i) => invEvents.push({ t: refactorAt + i * 40 * SEC + 8 * SEC, level: 'info', msg: 'inventory listening', fields: { port: 8080, version: '6.4.0' } }));
  b.jsonl('logs/inventory.jsonl', invEvents, {
    keys: { time: 'time', level: 'level', msg: 'msg' },
    timeForm: 'epoch_ms',
    levelForm: 'pino',
    first: 'level',
    base: { pid: 1, hostname: 'inventory-7b9d5f6c4-wx8rt' },
  });

  // Logs: checkout (logback, with the client exception's stack trace).
  const lc = b.rng('log-co');
  const coEvents = [
    ...poisson(lc, b.start, b.end, (t) => gwRps(t) * 0.04 * coErr(t) * 0.006, (t, r) => ({
      t,
      level: 'error',
      thread: `http-nio-8080-exec-${r.int(1, 80)}`,
      logger: 'c.e.checkout.order.PlaceOrderService',
      msg: `Place order failed for cart ${r.id(8)}: inventory reservation failed`,
      stack: javaStack(
        'org.springframework.web.client.HttpServerErrorException$ServiceUnavailable: 503 Service Unavailable: "{"error":"database unavailable"}"',
        [
          'org.springframework.web.client.HttpServerErrorException.create(HttpServerErrorException.java:116)',
          'org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:183)',
          'org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:915)',
          'com.example.checkout.inventory.InventoryClient.reserve(InventoryClient.java:64)',
          'com.example.checkout.order.PlaceOrderService.place(PlaceOrderService.java:88)',
        ],
      ),
    })),
    ...poisson(lc, b.start, b.end, (t) => gwRps(t) * 0.04 * 0.004, (t, r) => ({
      t,
      level: 'info',
      thread: `http-nio-8080-exec-${r.int(1, 80)}`,
      logger: 'c.e.checkout.order.PlaceOrderService',
      msg: `Order ${r.id(10)} placed (${r.int(1, 6)} lines)`,
    })),
    ...every(lc, b.start, b.end, 11 * MIN, 4 * MIN, (t) => ({ t, level: 'warn', thread: 'main', logger: 'o.h.e.j.e.i.JdbcEnvironmentInitiator', msg: 'HHH000342: Could not obtain connection to query metadata' })),
    { t: ms('2026-01-14T10:31:00Z') + 6 * SEC, level: 'info', thread: 'config-watcher', logger: 'c.e.checkout.config.ConfigReloader', msg: 'Reloaded inventory.client.timeout=1000ms' },
  ];
  b.log('logs/checkout.log', coEvents, { style: 'logback', time: 'iso' });

  b.text(
    'runbooks/postgres-disk.md',
    `# PostgreSQL disk space

Data volumes are EBS gp3, one per primary. Growth comes from table data and from WAL that
cannot be recycled until it is archived (\`wal-g wal-push\` to S3) and no replication slot
needs it.

- \`node_filesystem_avail_bytes{mountpoint="/var/lib/postgresql"}\`, and what is using the space:
  \`du -sh /var/lib/postgresql/data/pg_wal\`.
- \`pg_stat_archiver\`: \`failed_count\` rising and \`last_failed_wal\` mean archiving is broken;
  WAL accumulates until it is fixed.
- A full volume crashes the server ("No space left on device" PANIC) and it cannot finish
  recovery until space is freed. Resize the volume first
  (\`terraform apply -target=aws_ebs_volume.inventory_db_0\`), then fix archiving.

Never delete files from \`pg_wal\` by hand.
`,
  );

  b.truth({
    category: 'infrastructure',
    service: 'inventory-db',
    change_id: null,
    onset: '2026-01-14T11:22:10Z',
    notes:
      'WAL archiving on inventory-db-0 had been failing since the previous night (archive command failed every minute, failed_count rising), so WAL could not be recycled and the 500 GiB data volume filled. At 11:22:10 PostgreSQL hit "No space left on device", panicked and crash-looped; inventory lost its database and returned 503s, checkout could not reserve stock and its place-order errors and latency rose, and checkout was paged. The inventory refactor (deploy-3302, 11:05) and the checkout timeout change (10:31) are innocent; the volume resize (infra-918, 11:58, after the onset) let PostgreSQL recover at 12:02.',
  });
  return b;
}

// ---------------------------------------------------------------------------------------------
// 8. A Terraform change moves the inventory-db writer DNS name to the new Aurora cluster but
//    points it at the reader endpoint. As inventory's pooled connections recycle, writes land
//    on a read-only instance and fail. A pgx driver bump six minutes earlier is innocent.

function inventoryDnsCutover() {
  const b = new Bundle('inventory-dns-cutover', {
    start: '2026-07-08T13:00:00Z',
    end: '2026-07-08T14:30:00Z',
    step: 15 * SEC,
    onset: '2026-07-08T13:38:10Z',
    summary: 'A Terraform DNS change pointed the inventory-db writer name at the read-only reader endpoint; as connections recycle, stock reservations fail with "read-only transaction". A driver bump 6 minutes earlier is innocent.',
  });
  const cutAt = ms('2026-07-08T13:37:00Z');
  const revertAt = ms('2026-07-08T14:11:30Z');
  const bumpAt = ms('2026-07-08T13:31:30Z');
  const ttl = 60 * SEC;
  const lifetime = 5 * MIN;

  const gwRps = (t) => 520 * diurnal(t, 19, 0.3) * (1 + 0.05 * drift('gw', t, 5 * MIN));
  const reserveRps = (t) => gwRps(t) * 0.045;
  const stockRps = (t) => gwRps(t) * 0.21;
  // Share of inventory's connections that resolve to the reader: grows as the pool recycles.
  const readerShare = (t) => ramp(t, cutAt + ttl, lifetime) * (1 - ramp(t, revertAt + ttl, lifetime));
  const reserveErr = (t) => 0.0009 + 0.985 * readerShare(t);
  const coErr = (t) => 0.0015 + 0.96 * readerShare(t);

  b.text(
    'incident.yaml',
    yamlDoc({
      title: 'inventory: stock reservation errors above 20%',
      service: 'inventory',
      severity: 'SEV2',
      started_at: '2026-07-08T13:44:30Z',
      summary: 'POST /v1/reservations is failing for most requests; checkout cannot place orders.',
      labels: { team: 'fulfilment', env: 'prod' },
      links: ['https://grafana.example.internal/d/inventory'],
    }),
  );

  // Old cluster (writer and reader) and the new one. Writes belong on a writer.
  const instances = [
    ['inventory-db-1', 'writer', (t) => 6 + 48 * (1 - readerShare(t)), (t) => 40 + reserveRps(t) * 9 * (1 - readerShare(t)), (t) => 21 - 9 * readerShare(t)],
    ['inventory-db-2', 'reader', (t) => 4 + 18 * (1 - readerShare(t)), () => 3, (t) => 12 - 6 * readerShare(t)],
    ['inventory-db-v2-1', 'writer', () => 2, () => 26, () => 7],
    ['inventory-db-v2-2', 'reader', (t) => 2 + 66 * readerShare(t), () => 3, (t) => 6 + 10 * readerShare(t)],
  ];
  const rdsRows = instances.flatMap(([instance, role, conns, iops, cpu]) => [
    csvSeries({ metric: 'aws_rds_database_connections', service: 'inventory-db', instance, role }, observed(b.rng(`c${instance}`), conns, { noise: 0.04, integer: true })),
    csvSeries({ metric: 'aws_rds_write_iops', service: 'inventory-db', instance, role }, observed(b.rng(`w${instance}`), iops, { noise: 0.08 })),
    csvSeries({ metric: 'aws_rds_cpu_utilization_percent', service: 'inventory-db', instance, role }, observed(b.rng(`u${instance}`), cpu, { noise: 0.05 })),
  ]);
  b.csv('metrics/rds.csv', rdsRows, {
    columns: ['timestamp', 'metric', 'service', 'instance', 'role', 'value'],
    timeForm: 'iso+01',
    nanGaps: false,
  });
  b.prom(
    'metrics/inventory.json',
    [
      series({ __name__: 'http_requests_per_second', job: 'inventory', handler: 'POST /v1/reservations' }, observed(b.rng('rr'), reserveRps)),
      series({ __name__: 'http_requests_per_second', job: 'inventory', handler: 'GET /v1/stock' }, observed(b.rng('sr'), stockRps)),
      series({ __name__: 'http_errors_ratio', job: 'inventory', handler: 'POST /v1/reservations' }, observed(b.rng('re'), reserveErr, { noise: 0.05, ceil: 1 })),
      series({ __name__: 'http_errors_ratio', job: 'inventory', handler: 'GET /v1/stock' }, observed(b.rng('se'), () => 0.0006, { noise: 0.3 })),
      series({ __name__: 'http_request_duration_seconds', job: 'inventory', handler: 'POST /v1/reservations', quantile: '0.99' }, observed(b.rng('rl'), (t) => 0.048 - 0.02 * readerShare(t), { noise: 0.07 })),
      series({ __name__: 'pgxpool_acquired_conns', job: 'inventory' }, observed(b.rng('acq'), (t) => 4 + reserveRps(t) * 0.02, { noise: 0.2, integer: true })),
    ],
  );
  b.prom('metrics/checkout/place_order_errors_ratio.json', [series({}, observed(b.rng('co'), coErr, { noise: 0.05, ceil: 1 }))]);

  b.text(
    'changes.yaml',
    yamlDoc({
      changes: [
        { id: 'infra-2290', service: 'loki', type: 'infra', at: bare('2026-07-08T13:20:00Z'), author: 'obs-team', summary: 'Loki retention 14d -> 21d' },
        {
          id: 'deploy-4410',
          service: 'inventory',
          type: 'deploy',
          at: bare('2026-07-08T13:31:30Z'),
          finished_at: bare('2026-07-08T13:33:10Z'),
          version: '3.22.1',
          author: 'dependabot[bot]',
          commit: commitFor(b, 'deploy-4410'),
          summary: 'Bump github.com/jackc/pgx/v5 from 5.5.4 to 5.5.5',
        },
        {
          id: 'infra-2291',
          service: 'inventory-db',
          type: 'infra',
          at: bare('2026-07-08T13:37:00Z'),
          author: 'nikolai.petrov',
          summary: 'Point inventory-db DNS records at the inventory-v2 Aurora cluster after blue/green switchover (INFRA-880)',
          diff: 'diffs/terraform-inventory-dns.diff',
          tool: 'terraform',
          workspace: 'prod-data',
        },
        { id: 'infra-2292', service: 'k8s-platform', type: 'infra', at: bare('2026-07-08T14:00:00Z'), author: 'platform-oncall', summary: 'batch node pool 3 -> 5 nodes for the nightly reindex' },
        { id: 'cfg-6631', service: 'checkout', type: 'config', at: bare('2026-07-08T14:05:00Z'), author: 'ivy.chen', summary: 'Show out-of-stock badge from cached stock levels' },
        { id: 'rollback-2293', service: 'inventory-db', type: 'rollback', at: bare('2026-07-08T14:11:30Z'), author: 'nikolai.petrov', summary: 'Revert INFRA-880 DNS records', reverts: 'infra-2291' },
      ],
    }),
  );

  const tfBefore = `resource "aws_route53_record" "inventory_db_writer" {
  zone_id = aws_route53_zone.internal.zone_id
  name    = "inventory-db-writer.prod.internal"
  type    = "CNAME"
  ttl     = 60
  records = [aws_rds_cluster.inventory.endpoint]
}

resource "aws_route53_record" "inventory_db_reader" {
  zone_id = aws_route53_zone.internal.zone_id
  name    = "inventory-db-reader.prod.internal"
  type    = "CNAME"
  ttl     = 60
  records = [aws_rds_cluster.inventory.reader_endpoint]
}
`;
  const tfAfter = tfBefore
    .replace('records = [aws_rds_cluster.inventory.endpoint]', 'records = [aws_rds_cluster.inventory_v2.reader_endpoint]')
    .replace('records = [aws_rds_cluster.inventory.reader_endpoint]', 'records = [aws_rds_cluster.inventory_v2.reader_endpoint]');
  const clusterBefore = `resource "aws_rds_cluster" "inventory" {
  cluster_identifier      = "inventory-db"
  engine                  = "aurora-postgresql"
  engine_version          = "13.12"
  database_name           = "inventory"
  backup_retention_period = 14
  deletion_protection     = true
}
`;
  const clusterAfter = `${clusterBefore}
resource "aws_rds_cluster" "inventory_v2" {
  cluster_identifier      = "inventory-db-v2"
  engine                  = "aurora-postgresql"
  engine_version          = "16.2"
  database_name           = "inventory"
  backup_retention_period = 14
  deletion_protection     = true
}
`;
  b.diff('diffs/terraform-inventory-dns.diff', [
    { path: 'terraform/prod-data/inventory/dns.tf', before: tfBefore, after: tfAfter },
    { path: 'terraform/prod-data/inventory/cluster.tf', before: clusterBefore, after: clusterAfter },
  ]);
  const goModBefore = `module github.com/example/inventory

go 1.22

require (
	github.com/go-chi/chi/v5 v5.0.12
	github.com/jackc/pgx/v5 v5.5.4
	github.com/prometheus/client_golang v1.19.0
	go.uber.org/zap v1.27.0
)
`;
  const goSumBefore = `github.com/go-chi/chi/v5 v5.0.12 h1:9euLV5sTrTNTRUU9POmDUvfxyj6LAABLUcEWO+JJb4s=
github.com/go-chi/chi/v5 v5.0.12/go.mod h1:DslCQbL2OYiznFReuXYUmQ2hGd1aDpCnlMNITLSKoi8=
github.com/jackc/pgx/v5 v5.5.4 h1:Xp2aQS8uXButQdnCMWNmvx6UysWQQC+u1EoizjguY+8=
github.com/jackc/pgx/v5 v5.5.4/go.mod h1:ez9gk+OAat140fv9ErkZDYFWmXLfV+++K0uAOiwgm1A=
github.com/prometheus/client_golang v1.19.0 h1:ygXvpU1AoN1MhdzckN+PyD9QJOSD4x7kmXYlnfbA6JU=
github.com/prometheus/client_golang v1.19.0/go.mod h1:ZRM9uEAypZakd+q/x7+gmsvXdURP+DABIEIjnmDdp+k=
`;
  b.patch(
    'diffs/deploy-4410.patch',
    {
      sha: commitFor(b, 'deploy-4410'),
      author: 'dependabot[bot]',
      email: '49699333+dependabot[bot]@users.noreply.github.com',
      at: ms('2026-07-07T06:14:52Z'),
      subject: 'build(deps): bump github.com/jackc/pgx/v5 from 5.5.4 to 5.5.5',
      body: 'Bumps [github.com/jackc/pgx/v5](https://github.com/jackc/pgx) from 5.5.4 to 5.5.5.\n- [Changelog](https://github.com/jackc/pgx/blob/master/CHANGELOG.md)\n- [Commits](https://github.com/jackc/pgx/compare/v5.5.4...v5.5.5)\n\nSigned-off-by: dependabot[bot] <support@github.com>',
    },
    [
      { path: 'go.mod', before: goModBefore, after: goModBefore.replace('pgx/v5 v5.5.4', 'pgx/v5 v5.5.5') },
      {
        path: 'go.sum',
        before: goSumBefore,
        after: goSumBefore
          .replace('github.com/jackc/pgx/v5 v5.5.4 h1:Xp2aQS8uXButQdnCMWNmvx6UysWQQC+u1EoizjguY+8=', 'github.com/jackc/pgx/v5 v5.5.5 h1:amBjrZVmksIdNjxGW/IiIMzxMKZFelXbUoPNb+8sjQw=')
          .replace('github.com/jackc/pgx/v5 v5.5.4/go.mod', 'github.com/jackc/pgx/v5 v5.5.5/go.mod'),
      },
    ],
  );

  // Logs: inventory (Go, epoch seconds at the start of each line).
  const li = b.rng('log-inv');
  const writerAddr = '10.30.4.21';
  const readerAddr = '10.30.6.87';
  const invEvents = [
    ...poisson(li, b.start, b.end, (t) => reserveRps(t) * 0.012, (t, r) => {
      const x = r.next();
      if (x < readerShare(t))
        return {
          t,
          level: 'error',
          msg: 'reserve stock: ERROR: cannot execute UPDATE in a read-only transaction (SQLSTATE 25006)',
          fields: { order_id: `ord_${r.id(10)}`, sku: `SKU-${r.int(10000, 99999)}` },
        };
      if (x < reserveErr(t))
        return { t, level: 'error', msg: 'reserve stock: ERROR: deadlock detected (SQLSTATE 40P01)', fields: { order_id: `ord_${r.id(10)}`, retried: true } };
      return { t, level: 'info', msg: 'stock reserved', fields: { order_id: `ord_${r.id(10)}`, lines: r.int(1, 5), ms: r.int(6, 40) } };
    }),
    // The pool opens a connection whenever one reaches its 5-minute lifetime.
    ...poisson(li, b.start, b.end, () => 0.05, (t, r) => ({
      t,
      level: 'info',
      msg: 'pgxpool: connection established',
      fields: { host: 'inventory-db-writer.prod.internal', addr: `${r.chance(readerShare(t + 30 * SEC)) ? readerAddr : writerAddr}:5432` },
    })),
    ...every(li, b.start, b.end, 6 * MIN, 2 * MIN, (t, r) => ({ t, level: 'warn', msg: 'slow query', fields: { query: 'stock_snapshot_refresh', ms: r.int(800, 1900) } })),
    ...every(li, b.start, b.end, 2 * MIN, 20 * SEC, (t, r) => ({ t, level: 'debug', msg: 'wms webhook processed', fields: { events: r.int(3, 40) } })),
  ];
  [0, 1, 2].forEach((i) => invEvents.push({ t: bumpAt + i * 33 * SEC + 9 * SEC, level: 'info', msg: 'inventory starting', fields: { version: '3.22.1', go: 'go1.22.4' } }));
  b.log('logs/inventory.log', invEvents, { style: 'plain', time: 'epoch_s' });

  // Logs: the edge (gateway and checkout share a log stream, tagged by service).
  const le = b.rng('log-edge');
  const edgeEvents = [
    ...poisson(le, b.start, b.end, (t) => reserveRps(t) * coErr(t) * 0.012, (t, r) => ({
      t,
      svc: 'checkout',
      level: 'error',
      msg: r.chance(readerShare(t) / coErr(t))
        ? `place order ord_${r.id(10)} failed: inventory reserve returned 500 (read-only transaction)`
        : `place order ord_${r.id(10)} failed: payment declined (do_not_honor)`,
    })),
    ...poisson(le, b.start, b.end, (t) => reserveRps(t) * coErr(t) * 0.006, (t) => ({ t, svc: 'api-gateway', level: 'warn', msg: 'upstream returned 502 route=/api/checkout/orders upstream=checkout' })),
    ...every(le, b.start, b.end, 4 * MIN, 90 * SEC, (t, r) => ({ t, svc: 'api-gateway', level: 'warn', msg: `rate limit exceeded client=203.0.113.${r.int(2, 250)} route=/api/search` })),
    ...every(le, b.start, b.end, 9 * MIN, 3 * MIN, (t) => ({ t, svc: 'checkout', level: 'warn', msg: 'recommendations widget timed out after 300ms, rendering without it' })),
    { t: ms('2026-07-08T14:05:00Z') + 5 * SEC, svc: 'checkout', level: 'info', msg: 'config reloaded: stock.badge.source=cache' },
  ];
  b.log('logs/edge.log', edgeEvents, { style: 'tagged', time: 'iso' });

  b.text(
    'runbooks/inventory.md',
    `# inventory

Go service; reads and writes stock in Aurora PostgreSQL through the DNS names
\`inventory-db-writer.prod.internal\` (writes) and \`inventory-db-reader.prod.internal\` (reads),
both CNAMEs with a 60 s TTL. pgx pools recycle connections every 5 minutes.

- Reservation errors: look at the database error text in the inventory log. SQLSTATE 25006
  ("read-only transaction") means the connection is on a reader instance.
- Which instance takes writes: \`aws_rds_write_iops\` per instance; connections per instance.
- DNS records live in \`terraform/prod-data/inventory/dns.tf\`.

"slow query stock_snapshot_refresh" warnings come from a nightly-sized job that runs hourly.
`,
  );

  b.truth({
    category: 'infrastructure',
    service: 'inventory-db',
    change_id: 'infra-2291',
    onset: '2026-07-08T13:38:10Z',
    notes:
      'infra-2291 (Terraform, 13:37) repointed inventory-db-writer.prod.internal at the new cluster but used its reader_endpoint. After the 60 s TTL, every connection inventory opened went to the read-only reader (new pgxpool connections show a different address), so as the 5-minute connection lifetime cycled the pool, stock reservations failed with SQLSTATE 25006 while stock reads kept working; writer write IOPS fell and checkout could not place orders. The pgx bump (deploy-4410, 13:31) is innocent, the Loki retention change is unrelated, the node pool resize and checkout config came after the onset, and rollback-2293 (14:11:30) restored the record.',
  });
  return b;
}

// ---------------------------------------------------------------------------------------------
// 9. A cart release wraps its pricing call in 4 attempts of 150 ms with no backoff. At evening
//    traffic pricing's tail already crosses 150 ms, so retries add load, which slows pricing,
//    which causes more retries: a retry storm. pricing (the callee) is paged and even scaling
//    it does not help; rolling back cart does.

function cartRetryStorm() {
  const b = new Bundle('cart-retry-storm', {
    start: '2026-08-19T18:45:00Z',
    end: '2026-08-19T20:45:00Z',
    step: 15 * SEC,
    onset: '2026-08-19T19:31:45Z',
    summary: 'A cart release retries pricing 4x with a 150 ms timeout and no backoff; retries amplify load until pricing saturates. pricing is paged, but the cause is the caller\'s deploy.',
  });
  const deployPods = rollout(ms('2026-08-19T19:31:00Z'), ms('2026-08-19T19:35:00Z'), 8);
  const backPods = rollout(ms('2026-08-19T20:14:00Z'), ms('2026-08-19T20:16:00Z'), 8);
  const pricingDeployAt = ms('2026-08-19T19:12:00Z');
  const scaleAt = ms('2026-08-19T19:52:00Z');

  const cartRps = (t) => 240 * diurnal(t, 20, 0.3) * (1 + 0.04 * drift('cart', t, 4 * MIN));
  const checkoutCalls = (t) => 55 * diurnal(t, 20, 0.3) * (1 + 0.05 * drift('co', t, 5 * MIN));
  const retrying = (t) => rolledShare(deployPods, t) - rolledShare(backPods, t);
  const capacity = (t) => 40 * (t >= scaleAt + 2 * MIN ? 20 : 12);
  const serviceTime = 0.021;
  const sigma = 0.5;
  const overTimeout = (p50) => 1 - 0.5 * (1 + Math.tanh(0.8 * (Math.log(0.15 / p50) / sigma)));

  // pricing's load depends on how often cart's attempts time out, which depends on the load:
  // settle that loop every 5 s, starting from the previous state (a storm, once started, holds).
  const grid = [];
  {
    let u = 0.6;
    for (let t = b.start; t <= b.end + 5 * SEC; t += 5 * SEC) {
      let state;
      for (let k = 0; k < 40; k++) {
        const p50 = serviceTime * Math.min(60, queueing(u));
        const p = overTimeout(p50);
        const attempts = 1 + p + p * p + p * p * p;
        const cartCalls = cartRps(t) * (retrying(t) * attempts + (1 - retrying(t)));
        const load = checkoutCalls(t) + cartCalls;
        const next = load / capacity(t);
        state = { u: next, p50, p, attempts, cartCalls, load };
        u = u + 0.5 * (next - u);
      }
      grid.push(state);
    }
  }
  const at = (t) => grid[clamp(Math.round((t - b.start) / (5 * SEC)), 0, grid.length - 1)];
  const pricingP50 = (t) => at(t).p50;
  const cartErr = (t) => 0.001 + retrying(t) * Math.pow(at(t).p, 4) + (1 - retrying(t)) * (at(t).p50 > 0.6 ? 0.2 : 0);
  const cartP99 = (t) => (retrying(t) > 0 ? Math.min(0.62, 0.035 + 0.15 * at(t).attempts) : 0.09 + quantileOf(pricingP50(t), sigma, 0.99));

  const prom = 'https://prometheus.shop.internal';
  b.json(
    'alert.json',
    amPayload({
      receiver: 'pagerduty-pricing',
      groupLabels: { team: 'pricing' },
      externalURL: 'https://alertmanager.shop.internal',
      alerts: [
        amAlert({
          labels: { alertname: 'PricingLatencyHigh', app: 'pricing', team: 'pricing', severity: 'page' },
          annotations: { summary: 'pricing p99 latency 1.9s (SLO 300ms)', runbook_url: 'https://runbooks.shop.internal/pricing' },
          startsAt: '2026-08-19T19:38:15Z',
          generator: promGenerator(prom, 'histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{app="pricing"}[5m]))) > 1'),
        }),
        amAlert({
          labels: { alertname: 'PricingCPUSaturated', service: 'pricing', team: 'pricing', severity: 'warning' },
          annotations: { summary: 'pricing pods above 95% CPU for 5 minutes' },
          startsAt: '2026-08-19T19:39:00Z',
          generator: promGenerator(prom, 'avg(rate(container_cpu_usage_seconds_total{container="pricing"}[2m])) / avg(kube_pod_container_resource_limits{container="pricing",resource="cpu"}) > 0.95'),
        }),
        amAlert({
          labels: { alertname: 'CartErrorRateHigh', service: 'cart', team: 'pricing', severity: 'warning' },
          annotations: { summary: 'cart 5xx ratio 78%' },
          startsAt: '2026-08-19T19:41:30Z',
          generator: promGenerator(prom, 'sum(rate(http_requests_total{service="cart",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="cart"}[5m])) > 0.05'),
        }),
      ],
    }),
  );

  b.csv(
    'metrics/pricing.csv',
    [
      csvSeries({ metric: 'pricing_requests_per_second', service: 'pricing', caller: 'cart' }, observed(b.rng('pc'), (t) => Math.min(at(t).cartCalls, capacity(t) * 1.6))),
      csvSeries({ metric: 'pricing_requests_per_second', service: 'pricing', caller: 'checkout' }, observed(b.rng('pk'), checkoutCalls)),
      csvSeries({ metric: 'pricing_request_duration_seconds', service: 'pricing', quantile: '0.5' }, observed(b.rng('p50'), pricingP50, { noise: 0.05 })),
      csvSeries({ metric: 'pricing_request_duration_seconds', service: 'pricing', quantile: '0.99' }, observed(b.rng('p99'), (t) => quantileOf(pricingP50(t), sigma, 0.99), { noise: 0.05 })),
      csvSeries({ metric: 'container_cpu_utilisation_ratio', service: 'pricing' }, observed(b.rng('cpu'), (t) => 0.05 + 0.93 * Math.min(1, at(t).u), { noise: 0.02, ceil: 1 })),
      csvSeries({ metric: 'kube_deployment_status_replicas_available', service: 'pricing' }, (t) => capacity(t) / 40),
    ],
    { columns: ['timestamp', 'service', 'metric', 'caller', 'quantile', 'value'], timeForm: 'iso', nanGaps: false },
  );
  b.prom(
    'metrics/cart.json',
    [
      series({ __name__: 'http_requests_per_second', job: 'cart' }, observed(b.rng('cr'), cartRps)),
      series({ __name__: 'http_errors_ratio', job: 'cart' }, observed(b.rng('ce'), cartErr, { noise: 0.06, ceil: 1 })),
      series({ __name__: 'http_request_duration_p99_seconds', job: 'cart' }, observed(b.rng('cl'), cartP99, { noise: 0.05 })),
      series({ __name__: 'cart_pricing_attempts_per_second', job: 'cart', outcome: 'ok' }, observed(b.rng('ao'), (t) => cartRps(t) * (1 - cartErr(t)))),
      series({ __name__: 'cart_pricing_attempts_per_second', job: 'cart', outcome: 'timeout' }, observed(b.rng('at'), (t) => at(t).cartCalls * at(t).p * (retrying(t) > 0 ? 1 : 0.02), { noise: 0.06 })),
    ],
  );
  b.prom('metrics/web-frontend.json', [
    series({ __name__: 'web_vitals_lcp_p75_seconds', service: 'web-frontend', page: 'cart' }, observed(b.rng('lcp'), (t) => 1.9 + 1.4 * Math.min(1, cartErr(t) * 2), { noise: 0.05 })),
  ]);

  b.json(
    'changes.json',
    {
      changes: [
        {
          id: 'deploy-8838',
          service: 'pricing',
          type: 'deploy',
          at: '2026-08-19T19:12:00Z',
          version: '12.4.0',
          author: 'oskar.lindqvist',
          commit: commitFor(b, 'deploy-8838'),
          summary: 'Move currency rounding into Money.roundHalfEven (refactor)',
        },
        { id: 'cfg-1502', service: 'promotions', type: 'config', time: '2026-08-19T19:25:00Z', author: 'marta.silva', summary: 'Enable the September promo calendar (inactive until 09-01)' },
        {
          id: 'deploy-8840',
          service: 'cart',
          type: 'deploy',
          at: '2026-08-19T19:31:00Z',
          finished_at: '2026-08-19T19:35:00Z',
          version: '5.30.0',
          author: 'devon.price',
          commit: commitFor(b, 'deploy-8840'),
          summary: 'Retry pricing quotes so pricing blips do not fail the cart',
        },
        { id: 'cfg-1505', service: 'pricing', type: 'config', at: '2026-08-19T19:52:00Z', author: 'pricing-oncall', summary: 'Scale pricing 12 -> 20 replicas' },
        { id: 'flag-web-recs-carousel', service: 'web-frontend', type: 'feature_flag', at: '2026-08-19T20:05:00Z', author: 'amir.haddad', summary: 'Recommendations carousel on cart page 0% -> 50%', flag: 'web.recs_carousel' },
        {
          id: 'rollback-8843',
          service: 'cart',
          type: 'rollback',
          at: '2026-08-19T20:14:00Z',
          finished_at: '2026-08-19T20:16:00Z',
          version: '5.29.2',
          author: 'pricing-oncall',
          summary: 'Roll cart back to 5.29.2',
          reverts: 'deploy-8840',
        },
      ],
    },
  );

  const clientBefore = `import { fetch } from 'undici';
import { config } from '../config';
import { PricingError } from './errors';
import type { CartLine, Quote } from './types';

export class PricingClient {
  constructor(private readonly baseUrl = config.pricingUrl) {}

  async quote(cartId: string, lines: CartLine[]): Promise<Quote> {
    const res = await fetch(\`\${this.baseUrl}/v2/quotes\`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-caller': 'cart' },
      body: JSON.stringify({ cartId, lines }),
      signal: AbortSignal.timeout(2000),
    });
    if (!res.ok) throw new PricingError(res.status, await res.text());
    return (await res.json()) as Quote;
  }
}
`;
  const clientAfter = `import { fetch } from 'undici';
import { config } from '../config';
import { withRetry } from '../lib/retry';
import { PricingError } from './errors';
import type { CartLine, Quote } from './types';

const ATTEMPT_TIMEOUT_MS = 150;
const MAX_ATTEMPTS = 4;

export class PricingClient {
  constructor(private readonly baseUrl = config.pricingUrl) {}

  async quote(cartId: string, lines: CartLine[]): Promise<Quote> {
    // pricing has short blips during its deploys: retry fast instead of failing the cart.
    return withRetry(() => this.quoteOnce(cartId, lines), { attempts: MAX_ATTEMPTS });
  }

  private async quoteOnce(cartId: string, lines: CartLine[]): Promise<Quote> {
    const res = await fetch(\`\${this.baseUrl}/v2/quotes\`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-caller': 'cart' },
      body: JSON.stringify({ cartId, lines }),
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    if (!res.ok) throw new PricingError(res.status, await res.text());
    return (await res.json()) as Quote;
  }
}
`;
  const retryNew = `import { logger } from '../logger';
import { metrics } from '../metrics';

/** Runs fn up to \`attempts\` times, returning the first success. */
export async function withRetry<T>(fn: () => Promise<T>, { attempts }: { attempts: number }): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      lastError = err;
      metrics.retries.inc({ attempt: String(attempt) });
      logger.warn({ attempt, err }, 'pricing attempt failed, retrying');
    }
  }
  throw lastError;
}
`;
  b.patch(
    'diffs/deploy-8840.patch',
    {
      sha: commitFor(b, 'deploy-8840'),
      author: 'Devon Price',
      email: 'devon.price@shop.example',
      at: ms('2026-08-18T21:40:09Z'),
      offsetMin: -420,
      subject: 'cart: retry pricing quotes',
      body: 'During pricing deploys a few quotes fail and the cart page shows an error.\nRetry the quote up to 4 times with a short per-attempt timeout so a blip\nis invisible to customers.',
    },
    [
      { path: 'src/pricing/pricing-client.ts', before: clientBefore, after: clientAfter },
      { path: 'src/lib/retry.ts', before: null, after: retryNew },
    ],
  );
  const moneyBefore = `package shop.pricing.money

import java.math.BigDecimal
import java.math.RoundingMode

data class Money(val amount: BigDecimal, val currency: String) {
    operator fun plus(other: Money): Money {
        require(currency == other.currency) { "currency mismatch: $currency vs \${other.currency}" }
        return Money(amount + other.amount, currency)
    }

    operator fun times(quantity: Int): Money = Money(amount * quantity.toBigDecimal(), currency)
}
`;
  const moneyAfter = `package shop.pricing.money

import java.math.BigDecimal
import java.math.RoundingMode

data class Money(val amount: BigDecimal, val currency: String) {
    operator fun plus(other: Money): Money {
        require(currency == other.currency) { "currency mismatch: $currency vs \${other.currency}" }
        return Money(amount + other.amount, currency)
    }

    operator fun times(quantity: Int): Money = Money(amount * quantity.toBigDecimal(), currency)

    fun roundHalfEven(): Money = Money(amount.setScale(Currencies.scale(currency), RoundingMode.HALF_EVEN), currency)
}
`;
  const quoteBefore = `package shop.pricing.quote

import java.math.RoundingMode
import shop.pricing.money.Currencies
import shop.pricing.money.Money

class QuoteCalculator(private val rules: PriceRules) {
    fun total(lines: List<QuoteLine>): Money {
        val subtotal = lines.map { rules.unitPrice(it.sku) * it.quantity }.reduce(Money::plus)
        val scale = Currencies.scale(subtotal.currency)
        return Money(subtotal.amount.setScale(scale, RoundingMode.HALF_EVEN), subtotal.currency)
    }
}
`;
  const quoteAfter = `package shop.pricing.quote

import shop.pricing.money.Money

class QuoteCalculator(private val rules: PriceRules) {
    fun total(lines: List<QuoteLine>): Money =
        lines.map { rules.unitPrice(it.sku) * it.quantity }.reduce(Money::plus).roundHalfEven()
}
`;
  b.patch(
    'diffs/deploy-8838.patch',
    {
      sha: commitFor(b, 'deploy-8838'),
      author: 'Oskar Lindqvist',
      email: 'oskar.lindqvist@shop.example',
      at: ms('2026-08-19T08:55:47Z'),
      offsetMin: 120,
      subject: 'pricing: move currency rounding into Money',
      body: 'No behaviour change; QuoteCalculatorTest and MoneyTest cover both paths.',
    },
    [
      { path: 'src/main/kotlin/shop/pricing/money/Money.kt', before: moneyBefore, after: moneyAfter },
      { path: 'src/main/kotlin/shop/pricing/quote/QuoteCalculator.kt', before: quoteBefore, after: quoteAfter },
    ],
  );

  // Logs: cart (pino).
  const lc = b.rng('log-cart');
  const timeoutErr = { type: 'TimeoutError', message: 'The operation was aborted due to timeout', code: 23, name: 'TimeoutError' };
  const cartEvents = [
    ...poisson(lc, b.start, b.end, (t) => cartRps(t) * 0.0005, (t, r) => ({ t, level: 'info', msg: 'cart viewed', fields: { cartId: r.id(12), lines: r.int(1, 8), pricingMs: ms1(latencyDraw(r, pricingP50(t), sigma)) } })),
    ...poisson(lc, deployPods[0], backPods[7] + MIN, (t) => at(t).cartCalls * at(t).p * retrying(t) * 0.00012, (t, r) => ({
      t,
      level: 'warn',
      msg: 'pricing attempt failed, retrying',
      fields: { attempt: r.int(1, 3), err: timeoutErr },
    })),
    ...poisson(lc, b.start, b.end, (t) => cartRps(t) * cartErr(t) * 0.0004, (t, r) => ({
      t,
      level: 'error',
      msg: retrying(t) > 0 ? 'quote failed after 4 attempts' : 'quote failed',
      fields: {
        cartId: r.id(12),
        err: {
          ...timeoutErr,
          stack: nodeStack('TimeoutError: The operation was aborted due to timeout', [
            'Timeout.<anonymous> (node:internal/deps/undici/undici:13502:27)',
            'listOnTimeout (node:internal/timers:594:17)',
            'process.processTimers (node:internal/timers:529:7)',
            'async PricingClient.quoteOnce (/app/dist/pricing/pricing-client.js:24:21)',
            'async withRetry (/app/dist/lib/retry.js:9:20)',
          ]).join('\n'),
        },
      },
    })),
    ...every(lc, b.start, b.end, 5 * MIN, 2 * MIN, (t) => ({ t, level: 'warn', msg: 'session cookie without SameSite from legacy app, accepting' })),
  ];
  [...deployPods.map((t) => [t, '5.30.0']), ...backPods.map((t) => [t, '5.29.2'])].forEach(([t, version]) =>
    cartEvents.push({ t: t + 4 * SEC, level: 'info', msg: 'cart listening', fields: { port: 3000, version } }),
  );
  b.jsonl('logs/cart.jsonl', cartEvents, {
    keys: { time: 'time', level: 'level', msg: 'msg' },
    timeForm: 'epoch_ms',
    levelForm: 'pino',
    first: 'level',
    base: { pid: 7, hostname: 'cart-84d5b9c7f-kz2mn', name: 'cart' },
  });

  // Logs: pricing (Spring Boot on Kotlin, logback).
  const lp = b.rng('log-pricing');
  const th = (r) => `http-nio-8080-exec-${r.int(1, 200)}`;
  const pricingEvents = [
    ...poisson(lp, b.start, b.end, (t) => at(t).load * 0.00028, (t, r) => {
      const caller = r.chance(Math.min(at(t).cartCalls, capacity(t) * 1.6) / at(t).load) ? 'cart' : 'checkout';
      const lat = latencyDraw(r, pricingP50(t), sigma);
      return { t, level: lat > 1 ? 'warn' : 'info', thread: th(r), logger: 's.p.web.AccessLog', msg: `POST /v2/quotes 200 ${ms1(lat)}ms caller=${caller}` };
    }),
    ...poisson(lp, b.start, b.end, (t) => (at(t).p50 > 0.12 ? at(t).cartCalls * at(t).p * 0.00005 : 0), (t, r) => ({
      t,
      level: 'warn',
      thread: th(r),
      logger: 'o.a.c.c.C.[.[.[/].[dispatcherServlet]',
      msg: 'Failure in sending response for POST /v2/quotes (caller=cart): client closed connection',
      stack: javaStack('org.apache.catalina.connector.ClientAbortException: java.io.IOException: Broken pipe', [
        'org.apache.catalina.connector.OutputBuffer.realWriteBytes(OutputBuffer.java:341)',
        'org.apache.catalina.connector.OutputBuffer.flushByteBuffer(OutputBuffer.java:776)',
        'com.fasterxml.jackson.core.json.UTF8JsonGenerator.flush(UTF8JsonGenerator.java:1187)',
      ]),
    })),
    ...every(lp, b.start, b.end, 9 * MIN, 3 * MIN, (t) => ({ t, level: 'warn', thread: 'scheduling-1', logger: 's.p.rules.RuleCache', msg: 'Price rule snapshot is 6 minutes old; refresh scheduled' })),
    ...every(lp, b.start, b.end, 20 * MIN, 2 * MIN, (t) => ({ t, level: 'info', thread: 'scheduling-1', logger: 's.p.fx.FxRates', msg: 'FX rates refreshed from ECB feed (32 currencies)' })),
  ];
  for (let i = 0; i < 12; i++)
    pricingEvents.push({ t: pricingDeployAt + i * 20 * SEC + 15 * SEC, level: 'info', thread: 'main', logger: 's.p.PricingApplicationKt', msg: `Started PricingApplicationKt in ${(9 + lp.next() * 3).toFixed(3)} seconds (version 12.4.0)` });
  for (let i = 0; i < 8; i++)
    pricingEvents.push({ t: scaleAt + 70 * SEC + i * 4 * SEC, level: 'info', thread: 'main', logger: 's.p.PricingApplicationKt', msg: `Started PricingApplicationKt in ${(9 + lp.next() * 3).toFixed(3)} seconds (version 12.4.0)` });
  b.log('logs/pricing.log', pricingEvents, { style: 'logback', time: 'iso+02' });

  b.text(
    'runbooks/pricing.md',
    `# pricing

Kotlin/Spring service computing cart and checkout quotes (\`POST /v2/quotes\`). Callers send
\`x-caller\`; \`pricing_requests_per_second{caller=...}\` shows who is calling how much.

## Latency or CPU alerts

1. Is the load ours or theirs? Compare request rate per caller with the callers' own traffic.
   A caller whose calls grew much faster than its own requests is retrying.
2. CPU at the limit with normal traffic: look at the last pricing deploy.
3. Scaling helps only if the extra load is real traffic; retries grow with the latency they cause.

"Price rule snapshot is N minutes old" is informational.
`,
  );

  b.truth({
    category: 'deploy',
    service: 'cart',
    change_id: 'deploy-8840',
    onset: '2026-08-19T19:31:45Z',
    notes:
      'cart 5.30.0 (deploy-8840, 19:31-19:35) wrapped the pricing quote in withRetry: 4 attempts with a 150 ms per-attempt timeout and no backoff or jitter. At evening traffic pricing p50 was already ~100 ms, so a fifth of attempts timed out and were retried, adding load that slowed pricing further until nearly every attempt timed out: pricing calls from cart rose about 4x while cart traffic stayed flat, pricing CPU pinned and its latency alarmed (pricing was paged), and cart errors soared. Scaling pricing to 20 replicas (cfg-1505) did not help; the rollback of cart (rollback-8843, 20:14) ended it. The pricing refactor at 19:12 and the promotions config at 19:25 are innocent; the web flag came after the onset.',
  });
  return b;
}

// ---------------------------------------------------------------------------------------------
// 10. In the middle of the night the gateway's latency and 5xx rise on every route, with
//     connection resets spread evenly over all upstreams. No upstream is slower, traffic is
//     flat, and the changes nearby are harmless: nothing in the bundle explains it.

function gatewayLatencyUnexplained() {
  const b = new Bundle('gateway-latency-unexplained', {
    start: '2026-09-30T02:00:00Z',
    end: '2026-09-30T04:30:00Z',
    step: 30 * SEC,
    onset: '2026-09-30T03:14:00Z',
    summary: 'Gateway p99 and 5xx rise on every route with upstream connection resets spread evenly; upstreams, traffic and gateway resources are flat and nearby changes are harmless. Cause not identifiable from the bundle.',
  });
  const onset = b.onset;
  const eased = ms('2026-09-30T04:02:00Z');
  const routes = [
    ['/api/accounts', 'accounts', 0.19, 0.031],
    ['/api/search', 'search', 0.37, 0.068],
    ['/api/checkout', 'checkout', 0.08, 0.11],
    ['/api/catalog', 'catalog', 0.36, 0.027],
  ];
  const gwRps = (t) => 210 * diurnal(t, 19, 0.45) * (1 + 0.05 * drift('gw', t, 6 * MIN));
  // The symptom: intermittent and not tied to any route or upstream.
  const trouble = (t) => ramp(t, onset, 90 * SEC) * (1 - 0.55 * ramp(t, eased, 5 * MIN)) * (0.75 + 0.25 * Math.max(0, drift('trouble', t, 2 * MIN)));
  const resetShare = (t) => 0.0015 + 0.013 * trouble(t);
  const gwP99 = (p50) => (t) => quantileOf(p50 + 0.006, 0.55, 0.99) + 0.65 * trouble(t);

  b.text(
    'incident.yaml',
    yamlDoc({
      title: 'api-gateway: error budget burn (5xx) across routes',
      service: 'api-gateway',
      severity: 'P2',
      started_at: '2026-09-30T05:21:00+02:00',
      summary: 'Multi-window burn rate alert: 5xx ratio 1.4% over 5m on all public routes.',
      labels: { team: 'platform', env: 'prod', region: 'eu-central-1' },
      links: ['https://grafana.example.internal/d/gateway'],
    }),
  );

  b.csv(
    'metrics/gateway.csv',
    routes.flatMap(([route, , share, p50]) => [
      csvSeries({ metric: 'gateway_requests_per_second', service: 'api-gateway', route }, observed(b.rng(`r${route}`), (t) => gwRps(t) * share)),
      csvSeries({ metric: 'gateway_request_duration_p99_seconds', service: 'api-gateway', route }, observed(b.rng(`l${route}`), gwP99(p50), { noise: 0.07 })),
      csvSeries({ metric: 'gateway_5xx_ratio', service: 'api-gateway', route }, observed(b.rng(`e${route}`), resetShare, { noise: 0.2, ceil: 1 })),
    ]),
    { columns: ['timestamp', 'service', 'metric', 'route', 'value'], timeForm: 'epoch_s_int', nanGaps: false },
  );
  b.prom(
    'metrics/gateway-resources.json',
    [
      series({ __name__: 'container_cpu_usage_cores', job: 'api-gateway', pod: 'api-gateway-6d9c7b8f5-9hxk2' }, observed(b.rng('cpu'), (t) => 0.21 + gwRps(t) * 0.0011)),
      series({ __name__: 'container_memory_working_set_bytes', job: 'api-gateway', pod: 'api-gateway-6d9c7b8f5-9hxk2' }, observed(b.rng('mem'), () => 3.1e8, { noise: 0.01 }), { digits: 6 }),
      ...routes.map(([, upstream]) =>
        series(
          { __name__: 'envoy_cluster_upstream_cx_destroy_remote_with_active_rq_per_second', job: 'api-gateway', envoy_cluster_name: upstream },
          observed(b.rng(`cx${upstream}`), (t) => gwRps(t) * 0.25 * resetShare(t) * 0.8, { noise: 0.25 }),
        ),
      ),
      series({ __name__: 'envoy_server_total_connections', job: 'api-gateway' }, observed(b.rng('conn'), (t) => 180 + gwRps(t) * 0.9, { noise: 0.04, integer: true })),
    ],
  );
  for (const [, upstream, share, p50] of routes)
    b.prom(`metrics/upstreams/${upstream}.json`, [
      series({ __name__: 'http_server_request_duration_p99_seconds', service: upstream }, observed(b.rng(`u${upstream}`), () => quantileOf(p50, 0.55, 0.99), { noise: 0.07 })),
      series({ __name__: 'http_server_requests_per_second', service: upstream }, observed(b.rng(`ur${upstream}`), (t) => gwRps(t) * share * (1 - resetShare(t)))),
      series({ __name__: 'http_server_errors_ratio', service: upstream }, observed(b.rng(`ue${upstream}`), () => 0.0007, { noise: 0.3 })),
    ]);
  b.prom(
    'metrics/upstreams/search-indexing.json',
    [series({ __name__: 'search_bulk_index_docs_per_second', service: 'search' }, observed(b.rng('idx'), (t) => (t >= ms('2026-09-30T03:00:00Z') && t < ms('2026-09-30T03:47:00Z') ? 5200 : t >= ms('2026-09-30T02:30:00Z') && t < ms('2026-09-30T03:00:00Z') ? 2700 : 0), { noise: 0.06 }))],
  );

  b.json(
    'changes.json',
    [
      { id: 'deploy-2231', service: 'accounts', type: 'deploy', at: '2026-09-30T02:10:00Z', version: '4.3.7', author: 'greta.holm', commit: commitFor(b, 'deploy-2231'), summary: 'Password reset email: clearer expiry wording' },
      { id: 'cfg-3391', service: 'search', type: 'config', at: '2026-09-30T02:58:00Z', author: 'search-ops', summary: 'Nightly reindex bulk size 500 -> 1000' },
      { id: 'deploy-2236', service: 'web-frontend', type: 'deploy', at: '2026-09-30T03:31:00Z', version: '22.0.4', author: 'release-train', summary: 'Weekly web release train' },
      { id: 'flag-checkout-express-pay', service: 'checkout', type: 'feature_flag', at: '2026-09-30T03:50:00Z', author: 'sofia.moretti', summary: 'Express pay button 5% -> 10%', flag: 'checkout.express_pay' },
    ],
  );
  const mailBefore = `{
  "subject": "Reset your password",
  "heading": "Forgot your password?",
  "body": "Use the button below to choose a new password. The link expires soon.",
  "button": "Reset password",
  "footer": "If you did not ask for this, you can ignore this email."
}
`;
  b.patch(
    'diffs/deploy-2231.patch',
    {
      sha: commitFor(b, 'deploy-2231'),
      author: 'Greta Holm',
      email: 'greta.holm@example.com',
      at: ms('2026-09-29T13:05:44Z'),
      offsetMin: 120,
      subject: 'accounts: say when the reset link expires',
    },
    [{ path: 'services/accounts/templates/email/password-reset.en.json', before: mailBefore, after: mailBefore.replace('The link expires soon.', 'The link expires in 30 minutes.') }],
  );
  const reindexBefore = `reindex:
  schedule: "30 2 * * *"
  source: products-v41
  target: products-v42
  bulk:
    size: 500
    concurrency: 4
  cluster: search-indexing
`;
  b.diff('diffs/cfg-3391.diff', [{ path: 'search/reindex.yaml', before: reindexBefore, after: reindexBefore.replace('size: 500', 'size: 1000') }]);

  // Logs: the gateway (envoy-style messages, `LEVEL message`).
  const lg = b.rng('log-gw');
  const gwEvents = [
    ...routes.flatMap(([route, upstream, share]) =>
      poisson(lg, b.start, b.end, (t) => gwRps(t) * share * resetShare(t) * 0.1, (t, r) => ({
        t,
        level: 'warn',
        msg: `upstream reset: route=${route} cluster=${upstream} upstream_host=10.44.${r.int(0, 15)}.${r.int(2, 250)}:8080 reason="upstream connect error or disconnect/reset before headers. reset reason: connection termination" status=503`,
      })),
    ),
    ...every(lg, b.start, b.end, 2 * MIN, 40 * SEC, (t, r) => ({ t, level: 'info', msg: `cds: add ${r.int(14, 15)} cluster(s), remove 0 cluster(s) version_info=${r.hex(8)}` })),
    ...every(lg, b.start, b.end, 7 * MIN, 3 * MIN, (t, r) => ({ t, level: 'warn', msg: `TLS error: 268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED client=198.51.100.${r.int(2, 250)}` })),
    ...poisson(lg, b.start, b.end, (t) => gwRps(t) * 0.0008, (t, r) => {
      const [route, , , p50] = r.pick(routes);
      return { t, level: 'info', msg: `access route=${route} status=200 duration_ms=${ms1(latencyDraw(r, p50 + 0.004 + 0.15 * trouble(t), 0.55))}` };
    }),
  ];
  b.log('logs/api-gateway.log', gwEvents, { style: 'plain', time: 'iso' });

  // Logs: accounts (Spring Boot) and search (JSON via logstash).
  const la = b.rng('log-acc');
  const accEvents = [
    ...poisson(la, b.start, b.end, (t) => gwRps(t) * 0.19 * 0.004, (t, r) => ({ t, level: 'info', thread: `http-nio-8080-exec-${r.int(1, 50)}`, logger: 'c.e.accounts.web.AccessLog', msg: `GET /v1/me 200 ${ms1(latencyDraw(r, 0.031, 0.5))}ms` })),
    ...every(la, b.start, b.end, 15 * MIN, 3 * MIN, (t) => ({ t, level: 'warn', thread: 'main', logger: 'o.s.s.c.a.web.builders.WebSecurity', msg: 'You are asking Spring Security to ignore Ant [pattern=\'/actuator/**\']. This is not recommended.' })),
    { t: ms('2026-09-30T02:10:00Z') + 14 * SEC, level: 'info', thread: 'main', logger: 'c.e.accounts.AccountsApplication', msg: 'Started AccountsApplication in 7.904 seconds (version 4.3.7)' },
  ];
  b.log('logs/accounts.log', accEvents, { style: 'logback', time: 'iso' });
  const ls = b.rng('log-search');
  const searchEvents = [
    ...every(ls, ms('2026-09-30T02:30:00Z'), ms('2026-09-30T03:47:00Z'), 60 * SEC, 5 * SEC, (t, r) => ({
      t,
      level: 'info',
      msg: 'bulk batch indexed',
      fields: { batch_size: t >= ms('2026-09-30T02:58:30Z') ? 1000 : 500, took_ms: r.int(180, 420), index: 'products-v42', cluster: 'search-indexing' },
    })),
    { t: ms('2026-09-30T03:47:10Z'), level: 'info', msg: 'reindex finished; alias products -> products-v42', fields: { docs: 18204411 } },
    ...poisson(ls, b.start, b.end, (t) => gwRps(t) * 0.37 * 0.002, (t, r) => ({ t, level: 'info', msg: 'query', fields: { took_ms: ms1(latencyDraw(r, 0.068, 0.55)), cluster: 'search-serving' } })),
    ...every(ls, b.start, b.end, 10 * MIN, 4 * MIN, (t) => ({ t, level: 'warn', msg: 'deprecated query parameter "sort_by" used by client', fields: { client: 'ios/7.12' } })),
  ];
  b.jsonl('logs/search.jsonl', searchEvents, { keys: { time: '@timestamp', level: 'level', msg: 'message', service: 'app' }, timeForm: 'iso', levelForm: 'upper', service: 'search' });

  b.text(
    'notes/incident-channel.txt',
    `#inc-2026-09-30-gateway-5xx  (exported 04:29 UTC)

03:22 kai.osei: paged for gateway 5xx burn. all routes, not one upstream. anyone deploying?
03:23 greta.holm: accounts went out at 02:10, just an email template
03:24 kai.osei: search reindex is running right now, could it be that?
03:26 lena.fischer: reindex writes to the search-indexing cluster, serving cluster is separate. search p99 looks normal from the service side
03:31 kai.osei: resets are "connection termination" from every cluster, roughly proportional to traffic
03:35 kai.osei: gateway CPU/mem flat, no restarts, no OOMs. upstream pods no restarts either
03:41 nadia.r: nothing on the cloud status page for eu-central-1
03:52 kai.osei: conntrack on gateway nodes? node_nf_conntrack_entries isn't scraped on that pool, can't tell
04:06 kai.osei: it eased off a bit around 04:02, still above baseline. no idea why. keeping it open, will pull VPC flow logs in the morning
`,
  );

  b.text(
    'runbooks/gateway.md',
    `# api-gateway (Envoy)

## 5xx across routes

1. One upstream or all? \`gateway_5xx_ratio\` by route; \`envoy_cluster_upstream_cx_destroy_remote_with_active_rq\`
   by cluster.
2. If one upstream: follow that service's runbook.
3. If all: check the gateway itself (CPU, memory, restarts), recent gateway config, then the
   network between gateway nodes and upstream pods (node conntrack, CNI, security groups).
4. Compare with the upstreams' own server-side latency: if they are fast, the time is lost in between.

"TLS error ... CERTIFICATE_VERIFY_FAILED" lines come from scanners on the public listener.
`,
  );

  b.truth({
    category: 'unknown',
    service: null,
    change_id: null,
    onset: '2026-09-30T03:14:00Z',
    notes:
      'From 03:14 the gateway sees p99 rise from ~0.25 s to ~0.9 s and 5xx from 0.2% to ~1.4% on every route, with "connection termination" resets spread over all upstream clusters in proportion to traffic; it eases somewhat at 04:02 but stays elevated. Upstream services report flat server-side latency and errors, traffic is flat and low, gateway CPU and memory are flat. The changes in the bundle are an accounts email template (02:10), a reindex bulk size on the separate indexing cluster (02:58), and a web release and a checkout flag after the onset: none explains the symptoms. The artefacts do not identify the cause (the network between gateway and upstreams is plausible but unobserved), so the correct answer is unknown.',
  });
  return b;
}

// ---------------------------------------------------------------------------------------------
// 11. The TLS certificate of auth's internal listener expires at midnight UTC: cert-manager had
//     been failing to renew it for days (DNS01 challenge denied). From 00:00 the gateway's
//     mTLS handshakes to auth fail and nobody can log in. No change caused it.

function authCertExpired() {
  const b = new Bundle('auth-cert-expired', {
    start: '2026-10-31T23:00:00Z',
    end: '2026-11-01T01:30:00Z',
    step: 30 * SEC,
    onset: '2026-11-01T00:00:00Z',
    summary: "auth's internal TLS certificate expires at midnight (cert-manager renewals had been failing for days); the gateway's mTLS handshakes to auth fail and logins stop. No change at fault.",
  });
  const expiry = b.onset;
  const renewedAt = ms('2026-11-01T00:42:30Z');
  const broken = (t) => t >= expiry && t < renewedAt;
  const gwRps = (t) => 380 * diurnal(t, 20, 0.4) * (1 + 0.05 * drift('gw', t, 5 * MIN));
  const authRps = (t) => gwRps(t) * 0.34;
  const loginFail = (t) => (broken(t) ? 0.985 : 0.018 + 0.004 * drift('lf', t, 7 * MIN));

  const prom = 'https://prometheus.example.internal';
  b.json(
    'alert.json',
    amPayload({
      receiver: 'pagerduty-identity',
      groupLabels: { env: 'prod' },
      externalURL: 'https://alertmanager.example.internal',
      alerts: [
        amAlert({
          labels: { alertname: 'WebLoginFailureRate', service: 'web-frontend', env: 'prod', severity: 'critical' },
          annotations: { summary: '98% of login attempts fail', runbook_url: 'https://runbooks.example.internal/web/login' },
          startsAt: '2026-11-01T00:04:00Z',
          generator: promGenerator(prom, 'web:login_failures:ratio_rate5m > 0.2'),
        }),
        amAlert({
          labels: { alertname: 'GatewayUpstreamTLSErrors', service: 'api-gateway', env: 'prod', severity: 'warning', envoy_cluster_name: 'auth' },
          annotations: { summary: 'TLS handshake failures to cluster auth' },
          startsAt: '2026-11-01T00:02:30Z',
          generator: promGenerator(prom, 'rate(envoy_cluster_ssl_connection_error[2m]) > 1'),
        }),
        amAlert({
          labels: { alertname: 'CertManagerCertNotReady', service: 'auth', env: 'prod', severity: 'warning', name: 'auth-tls', namespace: 'auth' },
          annotations: { summary: 'Certificate auth/auth-tls is not ready' },
          startsAt: '2026-11-01T00:01:30Z',
          generator: promGenerator(prom, 'certmanager_certificate_ready_status{condition="True"} == 0'),
        }),
        amAlert({
          labels: { alertname: 'CertManagerCertExpirySoon', service: 'auth', env: 'prod', severity: 'info', name: 'auth-tls', namespace: 'auth' },
          annotations: { summary: 'Certificate auth/auth-tls expires in less than 7 days' },
          startsAt: '2026-10-25T00:00:30Z',
          generator: promGenerator(prom, 'certmanager_certificate_expiration_timestamp_seconds - time() < 7 * 86400'),
        }),
      ],
    }),
  );

  b.prom(
    'metrics/certificates.json',
    [
      series({ __name__: 'certmanager_certificate_expiration_timestamp_seconds', service: 'auth', name: 'auth-tls', namespace: 'auth' }, () => expiry / 1000, { digits: 10 }),
      series({ __name__: 'certmanager_certificate_expiration_timestamp_seconds', service: 'accounts', name: 'accounts-tls', namespace: 'accounts' }, () => ms('2027-01-09T11:04:17Z') / 1000, { digits: 10 }),
      series({ __name__: 'certmanager_certificate_ready_status', service: 'auth', name: 'auth-tls', namespace: 'auth', condition: 'True' }, (t) => (broken(t) ? 0 : 1)),
      series({ __name__: 'certmanager_certificate_ready_status', service: 'accounts', name: 'accounts-tls', namespace: 'accounts', condition: 'True' }, () => 1),
    ],
  );
  b.prom('metrics/api-gateway.json', [
    series({ __name__: 'envoy_cluster_ssl_connection_error_per_second', service: 'api-gateway', envoy_cluster_name: 'auth' }, observed(b.rng('ssl'), (t) => (broken(t) ? authRps(t) * 0.22 : 0), { noise: 0.1 })),
    series({ __name__: 'envoy_cluster_ssl_connection_error_per_second', service: 'api-gateway', envoy_cluster_name: 'accounts' }, () => 0),
    series({ __name__: 'gateway_5xx_ratio', service: 'api-gateway', route: '/api/auth' }, observed(b.rng('ea'), (t) => (broken(t) ? 0.99 : 0.0008), { noise: 0.1, ceil: 1 })),
    series({ __name__: 'gateway_5xx_ratio', service: 'api-gateway', route: '/api/accounts' }, observed(b.rng('eb'), (t) => (broken(t) ? 0.97 : 0.0006), { noise: 0.1, ceil: 1 })),
    series({ __name__: 'gateway_5xx_ratio', service: 'api-gateway', route: '/api/catalog' }, observed(b.rng('ec'), () => 0.0005, { noise: 0.3 })),
    series({ __name__: 'gateway_requests_per_second', service: 'api-gateway', route: '/api/auth' }, observed(b.rng('ra'), authRps)),
  ]);
  // Nothing reaches auth while the handshake fails: its error ratio is 0/0, which Prometheus returns as NaN.
  b.prom('metrics/auth/requests_per_second.json', [series({ handler: '/oauth/introspect' }, observed(b.rng('ar'), (t) => (broken(t) ? 0 : authRps(t) * 0.97), { noise: 0.05 }))]);
  b.prom('metrics/auth/errors_ratio.json', [series({ handler: '/oauth/introspect' }, observed(b.rng('aerr'), (t) => (broken(t) ? NaN : 0.0011), { noise: 0.3 }))]);
  b.csv(
    'metrics/web.csv',
    [
      csvSeries({ metric: 'web_login_failures_ratio', service: 'web-frontend' }, observed(b.rng('lf'), loginFail, { noise: 0.05, ceil: 1 })),
      csvSeries({ metric: 'web_login_attempts_per_second', service: 'web-frontend' }, observed(b.rng('la'), (t) => gwRps(t) * 0.012 * (broken(t) ? 1.8 : 1))),
      csvSeries({ metric: 'web_page_views_per_second', service: 'web-frontend' }, observed(b.rng('pv'), (t) => gwRps(t) * 1.4)),
    ],
    { columns: ['timestamp', 'metric', 'service', 'value'], timeForm: 'iso', nanGaps: false },
  );

  b.text(
    'changes.yaml',
    yamlList([
      { id: 'cfg-993', service: 'api-gateway', type: 'config', at: bare('2026-10-31T23:36:00Z'), author: 'platform-oncall', summary: 'CORS: allow https://deals.example.com' },
      {
        id: 'deploy-7012',
        service: 'accounts',
        type: 'deploy',
        timestamp: Math.floor(ms('2026-10-31T23:47:40Z') / 1000),
        version: '2.19.0',
        author: 'bea.santos',
        summary: 'Avatar upload: clearer size limit message',
        diff: 'diffs/accounts-2.19.0.patch',
      },
      { id: 'cfg-995', service: 'web-frontend', type: 'config', at: bare('2026-11-01T00:20:00Z'), author: 'identity-oncall', summary: 'Login page: "we are investigating" banner' },
      {
        id: 'infra-3120',
        service: 'auth',
        type: 'infra',
        at: bare('2026-11-01T00:41:00Z'),
        author: 'identity-oncall',
        summary: 'Grant cert-manager route53:ChangeResourceRecordSets on the internal zone; cmctl renew auth/auth-tls',
        incident: 'INC-5120',
      },
    ]),
  );
  const corsBefore = `cors:
  allowOrigins:
    - https://www.example.com
    - https://m.example.com
  allowMethods: [GET, POST, PUT, DELETE]
  allowCredentials: true
  maxAge: 600
`;
  b.diff('diffs/cfg-993.diff', [{ path: 'gateway/cors.yaml', before: corsBefore, after: corsBefore.replace('    - https://m.example.com\n', '    - https://m.example.com\n    - https://deals.example.com\n') }]);
  const avatarBefore = `export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;

export function avatarError(size: number): string | null {
  if (size > AVATAR_MAX_BYTES) return 'File too large.';
  return null;
}
`;
  b.patch(
    'diffs/accounts-2.19.0.patch',
    { sha: commitFor(b, 'deploy-7012'), author: 'Bea Santos', email: 'bea.santos@example.com', at: ms('2026-10-30T15:31:02Z'), subject: 'accounts: say what the avatar size limit is' },
    [{ path: 'web/src/avatar/validation.ts', before: avatarBefore, after: avatarBefore.replace("'File too large.'", "'Images can be up to 5 MB.'") }],
  );

  // Logs: gateway (JSON, @timestamp at +01:00 as the node's local time).
  const lg = b.rng('log-gw');
  const gwEvents = [
    ...poisson(lg, b.start, b.end, (t) => (broken(t) ? authRps(t) * 0.0009 : 0), (t, r) => ({
      t,
      level: 'error',
      msg: 'upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS error: 268436501:SSL routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_EXPIRED',
      fields: { route: r.pick(['/api/auth/login', '/api/auth/token', '/api/accounts/me']), upstream_cluster: 'auth', status: 503, request_id: reqId(r) },
    })),
    ...poisson(lg, b.start, b.end, (t) => gwRps(t) * 0.0006, (t, r) => {
      const route = r.pick(['/api/auth/token', '/api/accounts/me', '/api/catalog', '/api/catalog', '/api/search']);
      const viaAuth = route.startsWith('/api/auth') || route.startsWith('/api/accounts');
      const status = viaAuth && broken(t) ? 503 : 200;
      return { t, level: status === 503 ? 'warn' : 'info', msg: 'access', fields: { route, status, duration_ms: status === 503 ? r.int(1, 6) : ms1(latencyDraw(r, 0.035, 0.5)) } };
    }),
    ...every(lg, b.start, b.end, 6 * MIN, 2 * MIN, (t, r) => ({ t, level: 'warn', msg: 'CORS preflight rejected', fields: { origin: r.pick(['https://example-deals.io', 'http://localhost:3000']), route: '/api/catalog' } })),
  ];
  b.jsonl('logs/api-gateway.jsonl', gwEvents, { keys: { time: '@timestamp', level: 'level', msg: 'message' }, timeForm: 'iso+01', levelForm: 'lower' });

  // Logs: auth (Go, `LEVEL message`).
  const la = b.rng('log-auth');
  const authEvents = [
    ...poisson(la, b.start, b.end, (t) => (broken(t) ? 0 : authRps(t) * 0.002), (t, r) => ({ t, level: 'info', msg: `token introspected client=${r.pick(['web', 'ios', 'android', 'partner-api'])} active=true duration_ms=${r.int(2, 19)}` })),
    ...poisson(la, b.start, b.end, (t) => (broken(t) ? authRps(t) * 0.0015 : 0), (t, r) => ({ t, level: 'info', msg: `http: TLS handshake error from 10.44.${r.int(0, 7)}.${r.int(2, 250)}:${r.int(30000, 60999)}: remote error: tls: expired certificate` })),
    ...every(la, b.start, b.end, 5 * MIN, 20 * SEC, (t) => ({ t, level: 'info', msg: 'jwks refreshed keys=3' })),
    ...every(la, b.start, b.end, 13 * MIN, 5 * MIN, (t, r) => ({ t, level: 'warn', msg: `rate limited client=partner-api ip=203.0.113.${r.int(2, 250)}` })),
    { t: renewedAt - 8 * SEC, level: 'info', msg: 'tls: certificate file changed, reloading /etc/tls/tls.crt (notAfter=2027-01-30T00:40:55Z)' },
  ];
  b.log('logs/auth.log', authEvents, { style: 'plain', time: 'iso' });

  // Logs: platform controllers, tagged by component.
  const lp = b.rng('log-platform');
  const platformEvents = [
    ...every(lp, b.start, b.end, 30 * MIN, 30 * SEC, (t) => ({
      t,
      svc: 'cert-manager',
      level: t < renewedAt - 60 * SEC ? 'warn' : 'info',
      msg:
        t < renewedAt - 60 * SEC
          ? 'Failed to renew certificate auth/auth-tls: error presenting DNS01 challenge: route53: AccessDenied: User: arn:aws:sts::481516234200:assumed-role/cert-manager/1761951600 is not authorized to perform: route53:ChangeResourceRecordSets on resource: arn:aws:route53:::hostedzone/Z0INTERNAL42'
          : 'Certificate auth/auth-tls is up to date',
    })),
    ...every(lp, b.start, b.end, 10 * MIN, 1 * MIN, (t) => ({ t, svc: 'cert-manager', level: null, levelText: '', msg: 'Certificate accounts/accounts-tls is up to date and has no issues' })),
    ...every(lp, b.start, b.end, 4 * MIN, 2 * MIN, (t, r) => ({ t, svc: 'cluster-autoscaler', level: null, levelText: '', msg: `Scale-down: node ip-10-44-${r.int(0, 7)}-${r.int(2, 250)} unneeded for ${r.int(1, 9)}m` })),
    ...every(lp, b.start, b.end, 60 * SEC, 3 * SEC, (t) => ({ t, svc: 'external-dns', level: 'info', msg: 'All records are already up to date' })),
    ...every(lp, b.start, b.end, 45 * SEC, 10 * SEC, (t, r) => ({ t, svc: 'kube-state-metrics', level: 'info', msg: `Scrape served in ${r.int(80, 240)}ms (${r.int(41000, 43000)} series)` })),
    { t: renewedAt - 70 * SEC, svc: 'cert-manager', level: 'info', msg: 'Issuing certificate auth/auth-tls: DNS01 challenge presented' },
    { t: renewedAt - 20 * SEC, svc: 'cert-manager', level: 'info', msg: 'Certificate auth/auth-tls issued, notAfter=2027-01-30T00:40:55Z' },
  ];
  b.log('logs/platform.log', platformEvents, { style: 'tagged', time: 'iso' });

  b.text(
    'runbooks/login-failures.md',
    `# Login failures

Login goes web-frontend -> api-gateway -> auth (\`/oauth/token\`). The gateway talks to auth
over mTLS; auth's serving certificate is \`auth/auth-tls\`, issued by cert-manager (Let's
Encrypt, DNS01 on the internal Route 53 zone) and renewed 30 days before expiry.

1. Is auth receiving requests? \`metrics/auth\` request rate; the gateway's TLS errors to the
   \`auth\` cluster.
2. Certificates: \`kubectl get certificate -A\`, \`cmctl status certificate auth-tls -n auth\`.
3. Renew by hand: \`cmctl renew auth-tls -n auth\`; auth reloads the file without a restart.
`,
  );

  b.truth({
    category: 'infrastructure',
    service: 'auth',
    change_id: null,
    onset: '2026-11-01T00:00:00Z',
    notes:
      "auth's serving certificate auth/auth-tls expired at 2026-11-01T00:00:00Z. cert-manager had been failing to renew it for days (Route 53 AccessDenied on the DNS01 challenge, logged every 30 minutes and an expiry alert at info level since 10-25). From midnight the gateway rejects auth's certificate (SSLV3_ALERT_CERTIFICATE_EXPIRED), auth sees only failed handshakes, every route that needs auth returns 503 and 98% of logins fail. The gateway CORS change (23:36) and the accounts deploy (23:47) are innocent; the web banner and infra-3120 (IAM fix and manual renewal at 00:41, which ended the outage) came after the onset.",
  });
  return b;
}

// ---------------------------------------------------------------------------------------------
// 12. A gateway config change cuts the /api/recommendations route timeout from 2 s to 250 ms
//     to "fail fast". recommendations is as fast as ever, but a third of its responses take
//     longer than 250 ms, so the gateway returns 504 for them. A model refresh of
//     recommendations nine minutes earlier is innocent.

function gatewayTimeoutCut() {
  const b = new Bundle('gateway-timeout-cut', {
    start: '2026-12-03T09:00:00Z',
    end: '2026-12-03T11:00:00Z',
    step: 15 * SEC,
    onset: '2026-12-03T09:58:20Z',
    summary: 'A gateway config change cut the recommendations route timeout from 2 s to 250 ms; a third of requests now get 504 although recommendations itself is unchanged. A recommendations model refresh 9 minutes earlier is innocent.',
  });
  const cfgAt = ms('2026-12-03T09:58:00Z');
  const modelAt = ms('2026-12-03T09:49:00Z');
  const gwRps = (t) => 820 * diurnal(t, 19, 0.3) * (1 + 0.05 * drift('gw', t, 5 * MIN));
  const recsRps = (t) => gwRps(t) * 0.24;
  const recsP50 = (t) => 0.178 * (1 + 0.04 * ramp(t, modelAt, 3 * MIN)) * (1 + 0.03 * drift('rp', t, 6 * MIN));
  const recsSigma = 0.62;
  const routeTimeout = (t) => (t >= cfgAt + 20 * SEC ? 0.25 : 2);
  const tail = (t) => 1 - 0.5 * (1 + Math.tanh(0.8 * (Math.log(routeTimeout(t) / recsP50(t)) / recsSigma)));
  const recs504 = (t) => 0.0003 + tail(t);

  b.text(
    'incident.yaml',
    yamlDoc({
      title: 'Homepage: recommendation widget failing',
      service: 'web-frontend',
      severity: 'SEV3',
      started_at: ms('2026-12-03T10:06:00Z'),
      summary: '31% of homepage renders show the "Recommended for you" fallback; conversion from the homepage is down.',
      labels: { team: 'discovery', env: 'prod' },
    }),
  );

  const routes = [
    ['/api/recommendations', 0.24, recs504, (t) => Math.min(routeTimeout(t), quantileOf(recsP50(t), recsSigma, 0.99))],
    ['/api/search', 0.33, () => 0.0004, () => quantileOf(0.07, 0.5, 0.99)],
    ['/api/catalog', 0.43, () => 0.0003, () => quantileOf(0.03, 0.45, 0.99)],
  ];
  b.prom(
    'metrics/api-gateway.json',
    routes.flatMap(([route, share, err, p99]) => [
      series({ __name__: 'gateway_requests_per_second', service: 'api-gateway', route }, observed(b.rng(`r${route}`), (t) => gwRps(t) * share)),
      series({ __name__: 'gateway_504_ratio', service: 'api-gateway', route }, observed(b.rng(`e${route}`), err, { noise: 0.08, ceil: 1 })),
      series({ __name__: 'gateway_request_duration_p99_seconds', service: 'api-gateway', route }, observed(b.rng(`l${route}`), p99, { noise: 0.04 })),
    ]),
  );
  b.csv(
    'metrics/recommendations.csv',
    [
      ...['0.5', '0.95', '0.99'].map((q) =>
        csvSeries({ metric: 'recommendations_request_duration_seconds', service: 'recommendations', quantile: q }, observed(b.rng(`q${q}`), (t) => quantileOf(recsP50(t), recsSigma, Number(q)), { noise: 0.05 })),
      ),
      csvSeries({ metric: 'recommendations_requests_per_second', service: 'recommendations', quantile: '' }, observed(b.rng('rr'), recsRps)),
      csvSeries({ metric: 'recommendations_client_cancelled_per_second', service: 'recommendations', quantile: '' }, observed(b.rng('rc'), (t) => recsRps(t) * tail(t), { noise: 0.08 })),
      csvSeries({ metric: 'container_cpu_utilisation_ratio', service: 'recommendations', quantile: '' }, observed(b.rng('rcpu'), (t) => 0.41 + recsRps(t) * 0.0003, { noise: 0.03 })),
    ],
    { columns: ['timestamp', 'metric', 'service', 'quantile', 'value'], timeForm: 'iso', nanGaps: false },
  );
  b.prom('metrics/web-frontend.json', [
    series({ __name__: 'web_homepage_recs_fallback_ratio', service: 'web-frontend' }, observed(b.rng('wf'), (t) => 0.004 + recs504(t) * 0.98, { noise: 0.06, ceil: 1 })),
    series({ __name__: 'web_homepage_renders_per_second', service: 'web-frontend' }, observed(b.rng('wr'), (t) => recsRps(t) * 1.01)),
  ]);

  b.json(
    'changes.json',
    [
      {
        id: 'deploy-6620',
        service: 'recommendations',
        type: 'deploy',
        at: '2026-12-03T09:49:00Z',
        version: 'model-2026-12-02',
        author: 'ml-release-bot',
        summary: 'Nightly model refresh (two-tower, trained 2026-12-02)',
        diff: 'diffs/recommendations-model-2026-12-02.diff',
      },
      {
        id: 'cfg-8102',
        service: 'api-gateway',
        type: 'config',
        at: '2026-12-03T09:58:00Z',
        author: 'anika.sharma',
        commit: commitFor(b, 'cfg-8102'),
        summary: 'Fail fast on homepage widgets: recommendations route timeout',
      },
      { id: 'deploy-6623', service: 'search', type: 'deploy', at: '2026-12-03T10:20:00Z', version: '5.1.3', author: 'release-train', summary: 'Weekly search release' },
      { id: 'flag-web-homepage-v3', service: 'web-frontend', type: 'feature_flag', at: '2026-12-03T10:40:00Z', author: 'anika.sharma', summary: 'Homepage v3 layout 10% -> 20%', flag: 'web.homepage_v3' },
    ],
  );
  const routesBefore = `# Gateway routes for the storefront. Timeouts are per attempt; retries are off for POST.
routes:
  - name: recommendations
    match: { prefix: /api/recommendations }
    upstream: recommendations.discovery.svc.cluster.local:8080
    timeout: 2s
    retries: { attempts: 0 }

  - name: search
    match: { prefix: /api/search }
    upstream: search.discovery.svc.cluster.local:8080
    timeout: 3s
    retries: { attempts: 1, on: [connect-failure] }

  - name: catalog
    match: { prefix: /api/catalog }
    upstream: catalog.catalog.svc.cluster.local:8080
    timeout: 3s
    retries: { attempts: 1, on: [connect-failure] }
`;
  b.patch(
    'diffs/cfg-8102.patch',
    {
      sha: commitFor(b, 'cfg-8102'),
      author: 'Anika Sharma',
      email: 'anika.sharma@example.com',
      at: ms('2026-12-03T09:31:18Z'),
      offsetMin: 60,
      subject: 'gateway: fail fast on the recommendations widget',
      body: 'The homepage waits for the slowest widget. Recommendations is optional, so\ngive it 250 ms and render the fallback instead of holding the page.',
    },
    [{ path: 'gateway/routes/storefront.yaml', before: routesBefore, after: routesBefore.replace('    timeout: 2s\n    retries: { attempts: 0 }', '    timeout: 250ms\n    retries: { attempts: 0 }') }],
  );
  const modelBefore = `model:
  name: two-tower
  version: "2026-12-01"
  artifact: s3://ml-models/recommendations/two-tower/2026-12-01/model.onnx
  embedding_dim: 128
serving:
  candidates: 400
  top_k: 24
`;
  b.diff('diffs/recommendations-model-2026-12-02.diff', [
    { path: 'recommendations/model.yaml', before: modelBefore, after: modelBefore.replaceAll('2026-12-01', '2026-12-02') },
  ]);

  // Logs: the gateway (logfmt after the timestamp, node-local +01:00).
  const lg = b.rng('log-gw');
  const gwEvents = [
    ...routes.flatMap(([route, share, err]) => {
      const upstream = route.split('/')[2];
      const timeout = (t) => (route === '/api/recommendations' ? routeTimeout(t) : 3);
      return [
        ...poisson(lg, b.start, b.end, (t) => gwRps(t) * share * (1 - err(t)) * 0.0004, (t, r) => ({
          t,
          level: 'info',
          msg: 'request',
          fields: { route, status: 200, duration_ms: ms1(Math.min(timeout(t), latencyDraw(r, route === '/api/recommendations' ? recsP50(t) : 0.04, 0.55))), upstream },
        })),
        ...poisson(lg, b.start, b.end, (t) => gwRps(t) * share * err(t) * 0.003, (t) => ({
          t,
          level: 'warn',
          msg: 'upstream request timeout',
          fields: { route, status: 504, duration_ms: Math.round(timeout(t) * 1000), upstream },
        })),
      ];
    }),
    ...every(lg, b.start, b.end, 3 * MIN, 60 * SEC, (t, r) => ({ t, level: 'warn', msg: 'client sent invalid header, dropping', fields: { header: 'x-forwarded-for', client: `192.0.2.${r.int(2, 250)}` } })),
    { t: cfgAt + 12 * SEC, level: 'info', msg: 'route table updated', fields: { routes: 14, version: commitFor(b, 'cfg-8102').slice(0, 7) } },
  ];
  b.log('logs/api-gateway.log', gwEvents, { style: 'logfmt', time: 'iso+01', service: 'api-gateway' });

  // Logs: recommendations (JSON, severity names).
  const lr = b.rng('log-recs');
  const recsEvents = [
    ...poisson(lr, b.start, b.end, (t) => recsRps(t) * 0.0008, (t, r) => ({ t, level: 'info', msg: 'served', fields: { took_ms: ms1(latencyDraw(r, recsP50(t), recsSigma)), candidates: 400, model: t >= modelAt + 40 * SEC ? '2026-12-02' : '2026-12-01' } })),
    ...poisson(lr, b.start, b.end, (t) => recsRps(t) * tail(t) * 0.002, (t, r) => ({ t, level: 'warn', msg: 'request cancelled by client', fields: { took_ms: r.int(251, 1400), reason: 'context canceled' } })),
    ...every(lr, b.start, b.end, 8 * MIN, 3 * MIN, (t, r) => ({ t, level: 'warn', msg: 'feature store read slow', fields: { ms: r.int(80, 160), shard: r.int(0, 7) } })),
    { t: modelAt + 35 * SEC, level: 'info', msg: 'model loaded', fields: { model: 'two-tower', version: '2026-12-02', load_ms: 4120 } },
  ];
  b.jsonl('logs/recommendations.jsonl', recsEvents, { keys: { time: 'time', level: 'severity', msg: 'message', service: 'service' }, timeForm: 'iso', levelForm: 'upper', service: 'recommendations' });

  // Logs: web-frontend SSR (lines start with epoch milliseconds).
  const lw = b.rng('log-web');
  const webEvents = [
    ...poisson(lw, b.start, b.end, (t) => recsRps(t) * recs504(t) * 0.0025, (t) => ({ t, level: 'warn', msg: 'homepage: recommendations unavailable (504), rendering fallback' })),
    ...every(lw, b.start, b.end, 5 * MIN, 2 * MIN, (t) => ({ t, level: 'warn', msg: 'next/image: upstream image took longer than 7000ms, serving placeholder' })),
    ...every(lw, b.start, b.end, 60 * SEC, 10 * SEC, (t, r) => ({ t, level: 'info', msg: `ssr cache stats hits=${r.int(900, 1300)} misses=${r.int(40, 90)}` })),
  ];
  b.log('logs/web-frontend.log', webEvents, { style: 'plain', time: 'epoch_ms' });

  b.text(
    'runbooks/homepage.md',
    `# Homepage widgets

The homepage renders server-side and calls the gateway for each widget; a widget that errors
or times out renders its fallback. "Recommended for you" comes from \`recommendations\`
through the gateway route \`/api/recommendations\`.

- Fallback ratio up: is recommendations failing (its own error and latency metrics) or is the
  gateway giving up on it (gateway 504s, route timeout in \`gateway/routes/storefront.yaml\`)?
- recommendations p95 is normally 400-600 ms; it refreshes its model every night.
`,
  );

  b.truth({
    category: 'config',
    service: 'api-gateway',
    change_id: 'cfg-8102',
    onset: '2026-12-03T09:58:20Z',
    notes:
      'cfg-8102 (09:58) cut the gateway timeout of the /api/recommendations route from 2 s to 250 ms to fail fast. recommendations normally answers with p50 ~180 ms and p95 ~500 ms, so about a third of its responses now arrive after the gateway gave up: the gateway returns 504 for them, recommendations logs cancelled requests, and the homepage renders the fallback widget. recommendations itself is unchanged (its latency, errors and CPU are flat apart from a ~4% latency bump from the model refresh). The model refresh (deploy-6620, 09:49) is innocent; the search release and the homepage flag came after the onset.',
  });
  return b;
}

// =============================================================================================
// Writing.

const SCENARIOS = [checkoutCacheRemoved, ordersNPlusOne, paymentsPoolShrunk, searchRerankFlag, payflowProviderDegraded, catalogTrafficSurge, inventoryDbDiskFull, inventoryDnsCutover, cartRetryStorm, gatewayLatencyUnexplained, authCertExpired, gatewayTimeoutCut];

function usage() {
  return 'usage: node scripts/gen-fixtures.mjs [--out <dir>]\n  --out <dir>  where to write the bundles (default: fixtures/ in the repository)\n';
}

function parseArgs(argv) {
  const here = dirname(fileURLToPath(import.meta.url));
  const args = { out: resolve(here, '..', 'fixtures') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') {
      const dir = argv[++i];
      if (!dir) throw new UsageError('--out needs a directory');
      args.out = resolve(dir);
    } else if (a === '-h' || a === '--help') args.help = true;
    else throw new UsageError(`unknown argument: ${a}`);
  }
  return args;
}

class UsageError extends Error {}

function readme(bundles) {
  const rows = bundles.map((b) => {
    const t = b.truthData;
    const cause = t.change_id ? `${t.category}: \`${t.change_id}\` on ${t.service}` : `${t.category}${t.service ? `: ${t.service}` : ''}, no change`;
    return `| \`${b.name}\` | ${b.summary} | ${cause} | ${formatsOf(b).join('<br>')} |`;
  });
  return `# Fixtures: incident bundles

Each folder is an incident bundle as \`incident\` reads them: the page, metric exports, the
change feed, patches, logs and runbooks an on-call engineer would have in hand. Every bundle
is a multi-service incident told only through those artefacts, with what real weeks have
around an incident:

- innocent deploys, config changes and flags on other services shortly before the onset, and
  more changes (mitigations, rollbacks, unrelated releases) after it;
- periodic warnings that were there before the onset and are still there after it;
- daily traffic curves, measurement noise and scrape gaps in the metrics;
- pages that often land on a service other than the one where the cause lives.

\`truth.json\` at the root of each bundle records what happened: \`category\`, \`service\`,
\`change_id\` (or null), \`onset\` and \`notes\`, the fields of a diagnosis that matter. It is
for evaluation only: nothing that diagnoses a bundle may read it, so harnesses mount a bundle
without it.

| bundle | what happened | root cause | formats |
| --- | --- | --- | --- |
${rows.join('\n')}

## Regenerating

The bundles, this README and \`.gitignore\` (the repository ignores \`*.log\`; a bundle's logs
are part of it) are written by \`scripts/gen-fixtures.mjs\`, a deterministic generator: every
random draw comes from a PRNG seeded by bundle and stream name and no clock is read, so the
same script always writes the same bytes.

\`\`\`sh
npm run fixtures                                  # node scripts/gen-fixtures.mjs, writes fixtures/
node scripts/gen-fixtures.mjs --out /tmp/bundles  # anywhere else
\`\`\`

\`test/fixtures/\` checks that a fresh run is identical to the committed files and that every
bundle keeps its contract, so change the generator and regenerate rather than editing a bundle
by hand.
`;
}

/** Removes what an earlier run wrote (bundle folders, README, .gitignore), nothing else. */
function clearPrevious(out) {
  if (!existsSync(out)) return;
  for (const entry of readdirSync(out, { withFileTypes: true })) {
    const path = join(out, entry.name);
    if (entry.isDirectory() && existsSync(join(path, 'truth.json'))) rmSync(path, { recursive: true, force: true });
    else if (entry.isFile() && (entry.name === 'README.md' || entry.name === '.gitignore')) rmSync(path);
  }
}

function main(argv) {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(usage());
    return;
  }
  const bundles = SCENARIOS.map((make) => make());
  const names = new Set();
  for (const b of bundles) {
    if (names.has(b.name)) throw new Error(`two bundles are named ${b.name}`);
    names.add(b.name);
    if (!b.truthData) throw new Error(`${b.name} has no truth.json`);
  }
  clearPrevious(args.out);
  mkdirSync(args.out, { recursive: true });
  let bytes = 0;
  for (const b of bundles) {
    for (const [path, content] of [...b.files].sort(([x], [y]) => (x < y ? -1 : 1))) {
      const abs = join(args.out, b.name, path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
      bytes += content.length;
    }
  }
  writeFileSync(join(args.out, 'README.md'), readme(bundles));
  // The repository ignores *.log; the logs of a bundle are part of it.
  writeFileSync(join(args.out, '.gitignore'), '!*.log\n');
  process.stdout.write(`wrote ${bundles.length} bundles (${(bytes / 1e6).toFixed(1)} MB) to ${args.out}\n`);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`gen-fixtures: ${err.message}\n${usage()}`);
    process.exitCode = 2;
  } else throw err;
}
