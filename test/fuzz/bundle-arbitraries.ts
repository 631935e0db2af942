// Bundle files as fast-check generators: each format near its real shape (the fields a
// reader looks for, times in every accepted form) with wrong values, missing parts and
// junk mixed in, then sometimes damaged as text (cut short, characters inserted, a slice
// dropped, a line repeated). Readers must take all of it without throwing.
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';

const START = Date.parse('2026-02-10T14:00:00Z');

/** An instant near the incident, or one far away. */
const instant = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: START - 86_400_000, max: START + 86_400_000 }) }, { weight: 1, arbitrary: fc.integer({ min: -8.64e15, max: 8.64e15 }) });

/** A time as a bundle may write it: RFC 3339 in its variants, epoch seconds or milliseconds, or junk. */
export const timeText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: instant.map((ms) => (Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms))) },
  { weight: 1, arbitrary: instant.map((ms) => (Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString().replace('Z', '+01:00').replace('T', ' ') : '')) },
  { weight: 1, arbitrary: instant.map((ms) => (Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString().replace(/\.\d+Z$/, ',5Z') : '')) },
  { weight: 1, arbitrary: instant.map((ms) => String(Math.floor(ms / 1000))) },
  { weight: 1, arbitrary: instant.map((ms) => (ms / 1000).toFixed(3)) },
  { weight: 1, arbitrary: instant.map((ms) => String(ms)) },
  { weight: 1, arbitrary: fc.constantFrom('2026-02-30T25:61:61Z', '2026-02-10', 'Tue, 10 Feb 2026 14:00:00 GMT', '9999999999999999999', '-1', '0', 'NaN', 'now', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 25 }) },
);

const anyJson = fc.jsonValue({ maxDepth: 2 });
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> => fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: anyJson });
const level = fc.constantFrom('TRACE', 'DEBUG', 'INFO', 'WARN', 'WARNING', 'ERROR', 'ERR', 'FATAL', 'CRITICAL', 'PANIC', 'info', 'error', 'Warn', 'LOUD', '30', '50', '');
const labels = fc.dictionary(fc.oneof(word, fc.constantFrom('service', 'job', 'app', '__name__', 'quantile')), maybe(word), { maxKeys: 4 });

/** Damages a text the way a bad export or a cut copy does, or leaves it whole. */
export function damaged(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: text },
    { weight: 1, arbitrary: text.chain((value) => fc.nat({ max: value.length }).map((cut) => value.slice(0, cut))) },
    {
      weight: 1,
      arbitrary: text.chain((value) =>
        fc.tuple(fc.nat({ max: value.length }), fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('\n', '\r', '\0', '"', '{', '[', ':', '\ufeff', '\t', '---\n')))
          .map(([at, insert]) => value.slice(0, at) + insert + value.slice(at)),
      ),
    },
    { weight: 1, arbitrary: text.chain((value) => fc.tuple(fc.nat({ max: value.length }), fc.nat({ max: 40 })).map(([at, drop]) => value.slice(0, at) + value.slice(at + drop))) },
    {
      weight: 1,
      arbitrary: text.chain((value) => {
        const lines = value.split('\n');
        return fc.nat({ max: Math.max(0, lines.length - 1) }).map((at) => [...lines.slice(0, at + 1), ...lines.slice(at)].join('\n'));
      }),
    },
  );
}

const asYamlOrJson = (value: unknown): fc.Arbitrary<string> => fc.constantFrom(stringify(value), JSON.stringify(value, null, 2));

export const incidentYaml: fc.Arbitrary<string> = damaged(
  fc
    .record(
      {
        title: maybe(fc.string({ maxLength: 40 })),
        service: maybe(word),
        severity: maybe(fc.constantFrom('SEV1', 'SEV2', 'P1', 'critical')),
        started_at: maybe(timeText),
        summary: maybe(fc.string({ maxLength: 40 })),
        labels: maybe(labels),
        links: maybe(fc.array(fc.constantFrom('https://grafana.example.com/d/checkout', 'runbook', ''), { maxLength: 2 })),
      },
      { requiredKeys: [] },
    )
    .map((value) => stringify(value)),
);

const alertmanagerAlert = fc.record(
  {
    labels: maybe(labels),
    annotations: maybe(fc.dictionary(fc.constantFrom('summary', 'description', 'title'), maybe(fc.string({ maxLength: 30 })), { maxKeys: 3 })),
    startsAt: maybe(timeText),
    endsAt: maybe(timeText),
    status: maybe(fc.constantFrom('firing', 'resolved', 'pending')),
  },
  { requiredKeys: [] },
);

export const alertJson: fc.Arbitrary<string> = damaged(
  fc
    .record({ version: maybe(fc.constant('4')), status: maybe(fc.constantFrom('firing', 'resolved')), alerts: maybe(fc.array(maybe(alertmanagerAlert), { maxLength: 3 })) }, { requiredKeys: [] })
    .map((value) => JSON.stringify(value)),
);

export const CHANGE_IDS = ['deploy-4821', 'cfg-77', 'flag-search-v2', 'infra-9'] as const;

const change = fc.record(
  {
    id: maybe(fc.oneof(fc.constantFrom(...CHANGE_IDS), word)),
    service: maybe(word),
    type: maybe(fc.constantFrom('deploy', 'config', 'feature_flag', 'infra', 'rollback', 'other')),
    at: maybe(timeText),
    started_at: maybe(timeText),
    finished_at: maybe(timeText),
    version: maybe(word),
    author: maybe(word),
    summary: maybe(fc.string({ maxLength: 30 })),
    diff: maybe(fc.constantFrom('diffs/deploy-4821.patch', 'diffs/missing.patch', '../outside.patch', '/etc/passwd', '')),
  },
  { requiredKeys: [] },
);

export const changesText: fc.Arbitrary<string> = damaged(
  fc.oneof(fc.array(maybe(change), { maxLength: 4 }), fc.record({ changes: maybe(fc.array(maybe(change), { maxLength: 4 })) }), anyJson).chain(asYamlOrJson),
);

const diffBodyLine = fc.oneof(
  fc.string({ maxLength: 30 }).map((text) => `+${text}`),
  fc.string({ maxLength: 30 }).map((text) => `-${text}`),
  fc.string({ maxLength: 30 }).map((text) => ` ${text}`),
  fc.constantFrom('\\ No newline at end of file', '', 'Binary files a/x and b/x differ', 'diff --git a/z b/z', '--- /dev/null', '+++ b/new.txt'),
);

const hunk = fc
  .record({ a: fc.nat({ max: 300 }), b: fc.nat({ max: 20 }), c: fc.nat({ max: 300 }), d: fc.nat({ max: 20 }), lines: fc.array(diffBodyLine, { maxLength: 8 }) })
  .map(({ a, b, c, d, lines }) => [`@@ -${a},${b} +${c},${d} @@ context`, ...lines].join('\n'));

const diffFile = fc
  .record({ path: fc.oneof(fc.constantFrom('src/main/Price.java', 'a b/with space.py', '"quoted\\tname.c"'), word), hunks: fc.array(hunk, { maxLength: 3 }) })
  .map(({ path, hunks }) => [`diff --git a/${path} b/${path}`, 'index 1234567..89abcde 100644', `--- a/${path}`, `+++ b/${path}`, ...hunks].join('\n'));

export const diffText: fc.Arbitrary<string> = damaged(
  fc
    .record({
      header: fc.array(fc.constantFrom('From 1234 Mon Sep 17 00:00:00 2001', 'From: Dev <dev@example.com>', 'Date: Tue, 10 Feb 2026 14:00:00 +0000', 'Subject: [PATCH] Remove the cache', 'commit abcdef'), { maxLength: 4 }),
      files: fc.array(diffFile, { maxLength: 3 }),
    })
    .map(({ header, files }) => [...header, '', ...files, ''].join('\n')),
);

const sampleValue = fc.oneof(fc.double({ noNaN: false }).map(String), fc.constantFrom('NaN', '+Inf', '-Inf', '1e309', '', 'abc'), anyJson);

export const prometheusJson: fc.Arbitrary<string> = damaged(
  fc
    .record(
      {
        status: maybe(fc.constantFrom('success', 'error')),
        data: maybe(
          fc.record(
            {
              resultType: maybe(fc.constantFrom('matrix', 'vector', 'scalar')),
              result: maybe(fc.array(fc.record({ metric: maybe(labels), values: maybe(fc.array(maybe(fc.tuple(fc.oneof(instant.map((ms) => ms / 1000), anyJson), sampleValue)), { maxLength: 6 })) }, { requiredKeys: [] }), { maxLength: 3 })),
            },
            { requiredKeys: [] },
          ),
        ),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
);

const csvCell = fc.oneof(word, fc.constantFrom('', '"quoted, cell"', '"unclosed', 'NaN', '1.5', '-3'), fc.string({ maxLength: 8 }));

export const metricsCsv: fc.Arbitrary<string> = damaged(
  fc
    .record({
      header: fc.shuffledSubarray(['timestamp', 'metric', 'value', 'service', 'job', 'region', 'quantile'], { minLength: 0 }),
      rows: fc.array(fc.tuple(timeText, fc.oneof(word, fc.constant('latency_p99_seconds')), sampleValue.map(String), fc.array(csvCell, { maxLength: 5 })), { maxLength: 8 }),
    })
    .map(({ header, rows }) =>
      [
        header.join(','),
        ...rows.map(([time, metric, value, rest]) =>
          header.map((column, i) => (column === 'timestamp' ? time : column === 'metric' ? metric : column === 'value' ? value : (rest[i] ?? ''))).join(','),
        ),
      ].join('\n'),
    ),
);

const message = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('request done in 12ms', 'timeout talking to db', 'user=42 path=/checkout', 'password=hunter2'));

/** One line of a text log: every layout the spec names, continuation lines, and junk. */
export const logTextLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(timeText, level, message).map(([t, l, m]) => `${t} ${l} ${m}`) },
  { weight: 1, arbitrary: fc.tuple(timeText, level, word, message).map(([t, l, logger, m]) => `${t} ${l} [main] com.example.${logger} - ${m}`) },
  { weight: 1, arbitrary: fc.tuple(timeText, word, level, message).map(([t, s, l, m]) => `${t} [${s}] ${l} ${m}`) },
  { weight: 1, arbitrary: fc.tuple(timeText, level, word, message).map(([t, l, s, m]) => `${t} level=${l} service=${s} msg=${JSON.stringify(m)}`) },
  { weight: 1, arbitrary: fc.tuple(timeText, level, message).map(([t, l, m]) => `time=${t} level=${l} msg="${m}`) },
  { weight: 1, arbitrary: fc.constantFrom('\tat com.example.Pay.call(Pay.java:1)', '    at process (node:internal)', '', '   ', 'Caused by: java.io.IOException') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
);

/** One line of a JSON-lines log. */
export const logJsonLine: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record(
        {
          time: maybe(timeText),
          ts: maybe(fc.oneof(instant, instant.map((ms) => ms / 1000))),
          '@timestamp': maybe(timeText),
          level: maybe(fc.oneof(level, fc.integer({ min: 0, max: 70 }))),
          severity: maybe(level),
          msg: maybe(message),
          message: maybe(message),
          service: maybe(word),
          app: maybe(word),
          extra: anyJson,
        },
        { requiredKeys: [] },
      )
      .map((value) => JSON.stringify(value)),
  },
  { weight: 1, arbitrary: fc.oneof(anyJson.map((value) => JSON.stringify(value)), fc.string({ maxLength: 40 }), fc.constantFrom('', '{', '{"time": 1}{"time": 2}')) },
);

export const logText: fc.Arbitrary<string> = damaged(fc.array(logTextLine, { maxLength: 25 }).map((lines) => lines.join('\n')));
export const logJsonl: fc.Arbitrary<string> = damaged(fc.array(logJsonLine, { maxLength: 20 }).map((lines) => lines.join('\n')));
export const logCrlf: fc.Arbitrary<string> = fc.array(logTextLine, { maxLength: 10 }).map((lines) => lines.join('\r\n'));

/** A whole bundle: some of every kind of file, at the paths a bundle uses, and some junk. */
export const bundleFiles: fc.Arbitrary<Record<string, string | Uint8Array>> = fc
  .record(
    {
      'incident.yaml': incidentYaml,
      'alert.json': alertJson,
      'changes.yaml': changesText,
      'changes.json': changesText,
      'diffs/deploy-4821.patch': diffText,
      'diffs/cfg-77.diff': diffText,
      'metrics/checkout/p99.json': prometheusJson,
      'metrics/errors.json': prometheusJson,
      'metrics/all.csv': metricsCsv,
      'logs/checkout.log': logText,
      'logs/gateway.log': logCrlf,
      'logs/api.jsonl': logJsonl,
      'logs/old.log.gz': fc.tuple(logText, fc.nat({ max: 400 })).map(([text, cut]) => Uint8Array.from(gzipSync(text)).subarray(0, cut < 200 ? undefined : cut)),
      'runbooks/cache.md': fc.string({ maxLength: 60 }),
      'notes/unknown.bin': fc.uint8Array({ maxLength: 64 }),
    },
    { requiredKeys: [] },
  )
  .filter((files) => Object.keys(files).length > 0);
