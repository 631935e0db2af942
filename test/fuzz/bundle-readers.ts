// Every bundle reader under generated input: the alert (incident.yaml, alert.json),
// changes, diffs, metrics (Prometheus JSON, CSV), logs (text, JSON lines, logfmt) and
// time. None may throw for what a file holds; each problem names its file (and line) and
// says what is wrong; what comes out is well formed (finite times, known levels, unique
// ids). Whole bundles are opened too, and the byte-level log walk must see exactly the
// events the line reader sees.
import fc from 'fast-check';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { parseAlertmanagerContext, parseAlertmanagerJson, parseIncidentYaml } from '../../src/bundle/alert.js';
import { parseChanges } from '../../src/bundle/changes.js';
import { parseCsv } from '../../src/bundle/csv.js';
import { parseDiff } from '../../src/bundle/diff.js';
import { formatTime, openBundle, parseDuration, parseJsonLogLine, parseLogfmt, parseLogLine, parseTime, scanTime } from '../../src/bundle/index.js';
import { parseMetricsCsv } from '../../src/bundle/metrics-csv.js';
import { EARLIEST_TIME, isPlausibleTime, LATEST_TIME } from '../../src/bundle/time.js';
import { parsePrometheusJson } from '../../src/bundle/metrics-prometheus.js';
import type { SeriesDraft } from '../../src/bundle/series.js';
import type { Alert, Bundle, BundleProblem, LogEvent, ParsedLogLine, WalkedEvent } from '../../src/bundle/types.js';
import {
  alertJson,
  bundleFiles,
  CHANGE_IDS,
  changesText,
  diffText,
  incidentYaml,
  logJsonLine,
  logTextLine,
  metricsCsv,
  prometheusJson,
  timeText,
} from './bundle-arbitraries.js';
import { fcParameters, scratchDir, type FuzzSize } from './seed.js';

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const MAX_MS = 8.64e15;

/** A problem sink that checks each problem as it arrives. */
class CheckedProblems {
  readonly list: BundleProblem[] = [];
  constructor(private readonly path: string | null) {}
  add(problem: BundleProblem): void {
    if (this.path !== null) expect(problem.path).toBe(this.path);
    expectProblem(problem);
    this.list.push(problem);
  }
}

function expectProblem(problem: BundleProblem): void {
  expect(typeof problem.path).toBe('string');
  expect(typeof problem.message).toBe('string');
  expect(problem.message.trim().length, JSON.stringify(problem)).toBeGreaterThan(0);
  expect(problem.message).not.toMatch(/\n\s+at /);
  if (problem.line !== undefined) expect(Number.isInteger(problem.line) && problem.line >= 1, JSON.stringify(problem)).toBe(true);
}

function expectTime(t: number | null, what: string): void {
  if (t === null) return;
  expect(Number.isFinite(t) && Math.abs(t) <= MAX_MS, `${what}: ${t}`).toBe(true);
}

function expectAlert(alert: Alert | null): void {
  if (alert === null) return;
  expect(typeof alert.title).toBe('string');
  expectTime(alert.startedAt, 'alert.startedAt');
  for (const value of Object.values(alert.labels)) expect(typeof value).toBe('string');
  for (const link of alert.links) expect(typeof link).toBe('string');
  for (const other of alert.others) expectTime(other.startedAt, 'other alert startedAt');
}

function expectSeries(drafts: readonly SeriesDraft[]): void {
  for (const draft of drafts) {
    expect(typeof draft.name).toBe('string');
    expect(draft.name.length).toBeGreaterThan(0);
    for (const value of Object.values(draft.labels)) expect(typeof value).toBe('string');
    for (const sample of draft.samples) {
      expectTime(sample.t, `sample of ${draft.name}`);
      expect(sample.v === null || Number.isFinite(sample.v), `value of ${draft.name}: ${sample.v}`).toBe(true);
    }
  }
}

function expectLogLine(parsed: ParsedLogLine | null): void {
  if (parsed === null) return;
  expectTime(parsed.t, 'log time');
  expect(parsed.level === null || LEVELS.has(parsed.level), String(parsed.level)).toBe(true);
  expect(typeof parsed.service).toBe('string');
  expect(parsed.service.length).toBeGreaterThan(0);
  expect(typeof parsed.message).toBe('string');
}

/** Declares the reader properties as tests, `size.runs` cases each. */
export function fuzzBundleReaders(size: FuzzSize): void {
  const run = async <T>(arbitrary: fc.Arbitrary<T>, name: string, check: (value: T) => void): Promise<void> => {
    fc.assert(fc.property(arbitrary, check), fcParameters(size, name));
  };

  it('reads any incident.yaml or alert.json without throwing, each problem naming the file', async () => {
    await run(incidentYaml, 'incident.yaml', (source) => {
      const problems = new CheckedProblems('incident.yaml');
      expectAlert(parseIncidentYaml(source, 'incident.yaml', problems));
    });
    await run(alertJson, 'alert.json', (source) => {
      const problems = new CheckedProblems('alert.json');
      expectAlert(parseAlertmanagerJson(source, 'alert.json', problems));
      for (const other of parseAlertmanagerContext(source, 'alert.json', problems)) expectTime(other.startedAt, 'context startedAt');
    });
  });

  it('reads any changes file: ids (a repeated one said), times or null, diffs only among the bundle diffs', async () => {
    const diffPaths = ['diffs/deploy-4821.patch', 'diffs/cfg-77.diff'];
    await run(changesText, 'changes', (source) => {
      const problems = new CheckedProblems('changes.yaml');
      const changes = parseChanges(source, { path: 'changes.yaml', filePaths: ['changes.yaml', ...diffPaths], diffPaths }, problems);
      // A repeated id is kept (both changes are real) but never silently.
      const ids = changes.map((change) => change.id);
      for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) {
        expect(problems.list.map((problem) => problem.message)).toContain(`change id ${id} appears more than once`);
      }
      for (const change of changes) {
        expect(typeof change.id).toBe('string');
        expect(change.id.length).toBeGreaterThan(0);
        expect(change.file).toBe('changes.yaml');
        expectTime(change.at, `${change.id}.at`);
        expectTime(change.finishedAt, `${change.id}.finishedAt`);
        if (change.diff !== null) expect(diffPaths).toContain(change.diff);
      }
    });
  });

  it('reads any patch: line kinds and numbers that point into the patch', async () => {
    await run(diffText, 'diff', (source) => {
      const problems = new CheckedProblems('diffs/x.patch');
      const diff = parseDiff(source, 'diffs/x.patch', problems);
      const patchLines = source.split('\n').length;
      for (const file of diff.files) {
        for (const hunk of file.hunks) {
          for (const line of hunk.lines) {
            expect(['add', 'del', 'ctx']).toContain(line.kind);
            expect(Number.isInteger(line.patchLine) && line.patchLine >= 1 && line.patchLine <= patchLines).toBe(true);
            for (const number of [line.oldLine, line.newLine]) expect(number === null || (Number.isInteger(number) && number >= 0)).toBe(true);
          }
        }
      }
    });
  });

  it('reads any metrics export, JSON or CSV: finite times, values or gaps', async () => {
    await run(prometheusJson, 'metrics json', (source) => {
      expectSeries(parsePrometheusJson(source, 'metrics/checkout/p99.json', 'bundle', new CheckedProblems('metrics/checkout/p99.json')));
    });
    await run(metricsCsv, 'metrics csv', (source) => {
      expectSeries(parseMetricsCsv(source, 'metrics/all.csv', 'bundle', new CheckedProblems('metrics/all.csv')));
      for (const row of parseCsv(source)) expect(row).toBeTypeOf('object');
    });
  });

  it('reads any log line, text, logfmt or JSON: a known level, a finite time, a service', async () => {
    await run(logTextLine, 'log text line', (line) => {
      expectLogLine(parseLogLine(line, 'checkout'));
      for (const [key, value] of parseLogfmt(line)) {
        expect(typeof key).toBe('string');
        expect(value === true || typeof value === 'string').toBe(true);
      }
    });
    await run(logJsonLine, 'log json line', (line) => expectLogLine(parseJsonLogLine(line, 'api')));
  });

  it('reads any time text to a finite instant or null, and reads back every instant it prints', async () => {
    await run(fc.oneof(timeText, fc.string(), fc.jsonValue()), 'time', (value) => {
      expectTime(parseTime(value), `parseTime(${JSON.stringify(value)})`);
      if (typeof value === 'string') {
        const scanned = scanTime(value);
        if (scanned !== null) {
          expectTime(scanned.t, `scanTime(${value})`);
          expect(scanned.end).toBeLessThanOrEqual(value.length);
        }
        const duration = parseDuration(value);
        expect(duration === null || (Number.isFinite(duration) && duration >= 0), `parseDuration(${value}) = ${duration}`).toBe(true);
      }
    });
    // Years 0 to 9999: what RFC 3339 can write. An instant an incident can carry (2000 to 2100)
    // reads back as itself; any other is read as no time, never as a wrong one.
    await run(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), 'time round trip', (ms) => {
      expect(parseTime(formatTime(ms))).toBe(isPlausibleTime(ms) ? ms : null);
    });
    await run(fc.integer({ min: EARLIEST_TIME, max: LATEST_TIME - 1 }), 'incident time round trip', (ms) => {
      expect(parseTime(formatTime(ms))).toBe(ms);
    });
  });
}

async function writeFiles(files: Record<string, string | Uint8Array>): Promise<string> {
  const root = await mkdtemp(join(scratchDir(), 'incident-fuzz-bundle-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

/** Every event of a log as the walk sees it and as the line reader does, in the same shape. */
async function bothReadings(bundle: Bundle, path: string): Promise<{ walked: object[]; read: object[] }> {
  const file = bundle.files.find((candidate) => candidate.path === path);
  if (!file) return { walked: [], read: [] };
  const walked: object[] = [];
  await bundle.walkLog(file, (event: WalkedEvent) => void walked.push({ ...event.parse(), t: event.t, level: event.level, service: event.service, line: event.line }));
  const read: object[] = [];
  for await (const { continuation: _lines, file: _file, ...event } of bundle.logEvents(file) as AsyncIterable<LogEvent>) read.push(event);
  return { walked, read };
}

/** Declares the whole-bundle property as a test: `size.runs` generated bundles, each read every way. */
export function fuzzBundles(size: FuzzSize): void {
  it('opens any bundle and reads every file of it every way, without throwing', async () => {
    let files = 0;
    await fc.assert(
      fc.asyncProperty(bundleFiles, async (generated) => {
        const root = await writeFiles(generated);
        try {
          files += Object.keys(generated).length;
          const bundle = await openBundle(root);
          expectAlert(await bundle.alert());
          const series = await bundle.series();
          expect(new Set(series.map((item) => item.id)).size).toBe(series.length);
          for (const item of series) for (let i = 1; i < item.samples.length; i++) expect(item.samples[i - 1]?.t ?? 0).toBeLessThanOrEqual(item.samples[i]?.t ?? 0);
          const changes = await bundle.changes();
          for (const id of [...changes.map((change) => change.id), ...CHANGE_IDS, 'diffs/cfg-77.diff', '../x']) await bundle.diffFor(id);
          await bundle.diffs();
          for (const file of bundle.files.filter((candidate) => candidate.kind === 'log_text' || candidate.kind === 'log_jsonl')) {
            const { walked, read } = await bothReadings(bundle, file.path);
            expect(walked, `${file.path}: the walk and the line reader disagree`).toEqual(read);
            const map = await bundle.logMap(file);
            expect(map.summary.events, `${file.path}: the map counts other events`).toBe(read.length);
            for (const event of read as LogEvent[]) expectLogLine(event);
          }
          const index = await bundle.index();
          expect(index.series).toHaveLength(series.length);
          expect(index.changes).toHaveLength(changes.length);
          if (index.timeSpan !== null) expect(index.timeSpan.start).toBeLessThanOrEqual(index.timeSpan.end);
          for (const problem of bundle.problems()) expectProblem(problem);
        } finally {
          await rm(root, { recursive: true, force: true });
        }
      }),
      fcParameters(size, 'bundles'),
    );
    console.info(`bundles: ${size.runs} bundles, ${files} files, 0 failures`);
  });
}
