// Logs from files, globs or a command, each written under logs/ as the bundle reads logs:
// one event per line, text (`logs/<name>.log`) or JSON lines (`logs/<name>.jsonl`).
//
// A spec is a file or a glob when it names one (`/var/log/app/*.log`), else a command line
// (`kubectl logs deploy/checkout --since=3h`, `journalctl -u checkout`), split into argv
// without a shell. `name=` in front names the log (`checkout=/var/log/app.log`); otherwise
// a file keeps its own name and a command is named after what it reads (deploy/checkout →
// checkout, -u checkout.service → checkout): the bundle takes a log's service from its name.
//
// Times come from the source or not at all. Commands that can print their own timestamps
// are asked to (kubectl and docker `--timestamps`, journalctl `--output=short-iso-precise`)
// and to keep to the window when they were not told a range; lines without timestamps are
// kept as they came, and the source is reported.
import { createReadStream, createWriteStream } from 'node:fs';
import { glob, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { shellWords } from './argv.js';
import { failureLine, streamCommand, type CommandOptions } from './command.js';
import { LineSplitter, LogLineWriter, type LogWriteSummary } from './log-lines.js';
import { keepTail } from './log-tail.js';
import type { BundleOutput } from './output.js';
import { safeName } from './output.js';
import type { CollectProblem } from './problems.js';
import { reasonOf, SourceError } from './problems.js';
import type { Window } from './window.js';

export type LogSource = { kind: 'files'; name: string | null; pattern: string } | { kind: 'command'; name: string | null; argv: string[] };

const NAMED = /^([A-Za-z0-9][A-Za-z0-9._-]*)=(.+)$/s;
const GLOB = /[*?[\]{}]/;

/** What a `--logs` spec means; a SourceError when it cannot mean anything. */
export async function parseLogSpec(spec: string, cwd: string): Promise<LogSource> {
  const named = NAMED.exec(spec.trim());
  const name = named?.[1] ?? null;
  const body = (named?.[2] ?? spec).trim();
  if (body === '') throw new SourceError('the log source is empty');
  const path = resolve(cwd, body.replace(/^~(?=\/)/, process.env['HOME'] ?? '~'));
  const exists = (await stat(path).catch(() => null)) !== null;
  const looksLikePath = !/\s/.test(body) && (GLOB.test(body) || /^(\/|\.\.?\/|~\/)/.test(body));
  if (exists || looksLikePath) return { kind: 'files', name, pattern: path };
  let argv: string[];
  try {
    argv = shellWords(body);
  } catch (error) {
    throw new SourceError(reasonOf(error));
  }
  return { kind: 'command', name, argv };
}

function hasFlag(argv: readonly string[], ...flags: string[]): boolean {
  return argv.some((arg) => flags.some((flag) => arg === flag || arg.startsWith(`${flag}=`)));
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The command, asked for its own timestamps and the window where it takes them. */
export function withSourceTimes(argv: readonly string[], window: Window): string[] {
  const [command, sub] = argv;
  const name = basename(command ?? '');
  const out = [...argv];
  if ((name === 'kubectl' || name === 'oc') && sub === 'logs') {
    if (!hasFlag(out, '--timestamps')) out.push('--timestamps');
    if (!hasFlag(out, '--since', '--since-time')) out.push(`--since-time=${iso(window.since)}`);
  } else if ((name === 'docker' || name === 'podman') && sub === 'logs') {
    if (!hasFlag(out, '--timestamps', '-t')) out.push('--timestamps');
    if (!hasFlag(out, '--since')) out.push(`--since=${iso(window.since)}`);
    if (!hasFlag(out, '--until')) out.push(`--until=${iso(window.until)}`);
  } else if (name === 'journalctl') {
    if (!hasFlag(out, '--output', '-o')) out.push('--output=short-iso-precise');
    if (!hasFlag(out, '--since', '-S')) out.push(`--since=@${Math.floor(window.since / 1000)}`);
    if (!hasFlag(out, '--until', '-U')) out.push(`--until=@${Math.ceil(window.until / 1000)}`);
    if (!hasFlag(out, '--no-pager')) out.push('--no-pager');
  }
  return out;
}

/** Options of `kubectl logs` / `docker logs` that take a value: their value names no workload. */
const VALUE_FLAGS = new Set(['-n', '--namespace', '-c', '--container', '-l', '--selector', '--since', '--since-time', '--tail', '--context', '--kubeconfig', '--cluster', '--user', '--limit-bytes', '--max-log-requests', '--pod-running-timeout', '--until', '-u', '--unit']);

/** The name a command's log gets: what it reads, else the program. */
export function commandLogName(argv: readonly string[]): string {
  const [command, sub, ...rest] = argv;
  const program = basename(command ?? 'command');
  let subject: string | undefined;
  if (program === 'journalctl') {
    const unit = argv.findIndex((arg) => arg === '-u' || arg === '--unit');
    subject = unit >= 0 ? argv[unit + 1] : argv.find((arg) => arg.startsWith('--unit='))?.slice('--unit='.length);
    subject = subject?.replace(/\.service$/, '');
  } else if (sub === 'logs') {
    const positional: string[] = [];
    let selector: string | undefined;
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i] as string;
      if (VALUE_FLAGS.has(arg)) {
        if (arg === '-l' || arg === '--selector') selector = rest[i + 1];
        i += 1;
      } else if (arg.startsWith('--selector=')) selector = arg.slice('--selector='.length);
      else if (!arg.startsWith('-')) positional.push(arg);
    }
    // A workload (deploy/checkout) names the service best, then a pod or container, then a selector's value (app=checkout).
    subject = positional.find((arg) => arg.includes('/')) ?? positional[0] ?? selector?.split(',')[0]?.split('=').pop();
  }
  const last = subject?.split('/').pop();
  return safeName(last || program, 'command');
}

function fileLogName(path: string): string {
  return safeName(basename(path).replace(/\.gz$/i, '').replace(/\.(log|jsonl|ndjson|txt)$/i, ''), 'log');
}

function describeSource(source: LogSource, spec: string): string {
  return `logs ${source.kind === 'command' ? source.argv.join(' ') : spec}`;
}

export interface LogsOptions {
  output: BundleOutput;
  window: Window;
  maxBytes: number;
  command: CommandOptions;
  /** Names already used by other sources (a second `checkout` becomes `checkout-2`). */
  taken: Set<string>;
  /** Where relative paths are read from. */
  cwd: string;
}

export interface LogResult {
  files: string[];
  problems: CollectProblem[];
  /** One line per file for the progress. */
  notes: string[];
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}-${n}`;
  taken.add(candidate);
  return candidate;
}

async function readFileLines(path: string, writer: LogLineWriter): Promise<void> {
  const raw = createReadStream(path);
  const input = /\.gz$/i.test(path) ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      writer.push(line);
      await writer.drained();
    }
  } finally {
    lines.close();
    raw.destroy();
  }
}

/** Writes one source's lines to its log file, cut to the cap; returns its bundle path or null when nothing was in the window. */
async function writeLog(
  name: string,
  options: LogsOptions,
  read: (writer: LogLineWriter) => Promise<void>,
  source: string,
  problems: CollectProblem[],
): Promise<{ path: string | null; summary: LogWriteSummary }> {
  const output = options.output;
  const writer = new LogLineWriter(options.window, { open: () => output.stream(), discard: (path) => output.discard(path) }, options.maxBytes);
  try {
    await read(writer);
  } catch (error) {
    const left = await writer.end().catch(() => null);
    for (const segment of left?.segments ?? []) await output.discard(segment);
    throw error;
  }
  const summary = await writer.end();
  const rel = `logs/${uniqueName(name, options.taken)}.${summary.format === 'jsonl' ? 'jsonl' : 'log'}`;
  if (summary.linesKept === 0) {
    for (const segment of summary.segments) await output.discard(segment);
    return { path: null, summary };
  }
  const whole = await joinSegments(output, summary.segments);
  const cutTo = output.scratch();
  const cut = await keepTail(whole, cutTo, options.maxBytes, summary.format === 'text' && summary.timestamped);
  if (cut !== null) {
    problems.push({ source, path: rel, message: `cut to its latest ${mib(cut.kept)} of ${mib(summary.bytes)} in the window (raise the log limit to keep more)` });
    await output.place(cutTo, rel);
    await output.discard(whole);
  } else {
    await output.place(whole, rel);
  }
  if (!summary.timestamped) {
    problems.push({ source, path: rel, message: 'its lines carry no timestamps: kept as they came, so their times are unknown (have the source print them)' });
  }
  return { path: rel, summary };
}

/** The segments a writer left (at most two), as one scratch file. */
async function joinSegments(output: BundleOutput, segments: readonly string[]): Promise<string> {
  const [first, ...rest] = segments;
  if (first === undefined) throw new Error('a log with lines has a segment');
  for (const segment of rest) {
    await pipeline(createReadStream(segment), createWriteStream(first, { flags: 'a' }));
    await output.discard(segment);
  }
  return first;
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.max(1, Math.round(bytes / 1024))} KiB`;
}

export async function collectLogs(spec: string, options: LogsOptions): Promise<LogResult> {
  const source = await parseLogSpec(spec, options.cwd);
  const label = describeSource(source, spec);
  const problems: CollectProblem[] = [];
  const files: string[] = [];
  const notes: string[] = [];
  const note = (path: string, summary: LogWriteSummary): void => {
    notes.push(`${path}: ${summary.linesKept} of ${summary.linesIn} lines${summary.timestamped ? ' in the window' : ''}`);
  };

  if (source.kind === 'files') {
    const matches: string[] = [];
    for await (const match of glob(source.pattern)) matches.push(String(match));
    const found = [];
    for (const path of matches.sort()) {
      if ((await stat(path).catch(() => null))?.isFile()) found.push(path);
    }
    if (found.length === 0) throw new SourceError(GLOB.test(spec) ? `no file matches ${spec}` : `${spec} does not exist or is not a file`);
    for (const path of found) {
      const name = source.name !== null && found.length === 1 ? source.name : fileLogName(path);
      try {
        const { path: rel, summary } = await writeLog(name, options, (writer) => readFileLines(path, writer), `logs ${path}`, problems);
        if (rel === null) problems.push({ source: `logs ${path}`, message: 'no lines in the window' });
        else {
          files.push(rel);
          note(rel, summary);
        }
      } catch (error) {
        problems.push({ source: `logs ${path}`, message: `cannot be read: ${reasonOf(error)}` });
      }
    }
    return { files, problems, notes };
  }

  const argv = withSourceTimes(source.argv, options.window);
  const command = { ...options.command, cwd: options.cwd };
  let failure: string | null = null;
  const { path: rel, summary } = await writeLog(
    source.name ?? commandLogName(source.argv),
    options,
    async (writer) => {
      const splitter = new LineSplitter((line) => writer.push(line));
      const end = await streamCommand(argv, command, (chunk) => {
        splitter.write(chunk);
        return true;
      });
      splitter.end();
      if (!end.stopped && (end.code !== 0 || end.timedOut)) failure = failureLine(end, argv[0] ?? 'the command', options.command.timeoutMs);
    },
    label,
    problems,
  );
  if (rel !== null) {
    files.push(rel);
    note(rel, summary);
  }
  if (failure !== null) {
    // What it printed before failing is kept; the failure is said either way.
    problems.push({ source: label, ...(rel !== null ? { path: rel } : {}), message: rel !== null ? `${failure}; kept what it printed` : failure });
  } else if (rel === null) {
    problems.push({ source: label, message: 'printed nothing in the window' });
  }
  return { files, problems, notes };
}
