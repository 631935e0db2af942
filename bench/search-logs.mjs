#!/usr/bin/env node
// search_logs against ripgrep and GNU grep on the same gigabyte of text log.
//
//   node bench/search-logs.mjs [bytes]
//
// The log (1 GB by default) is generated from a seeded generator into
// os.tmpdir()/incident-bench/search-logs/ and reused by later runs. The tool is bundled with
// esbuild into a temp directory and each measurement runs in its own process, so its peak
// RSS is the tool's alone; its time is the tool call inside that process (a worker pays the
// start-up once, not per call). rg runs as `rg --no-mmap -n` and grep as `grep -n`, both
// piped through `| cat > /dev/null` (GNU grep stops at the first match when it writes to
// /dev/null itself). Each timing is the median of three runs after a warm-up, so all three
// read from the page cache. Prints one JSON line, then lines for people.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, random } from './_util.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const targetBytes = Number(process.argv[2] ?? 1_000_000_000);
const GENERATOR = 'v1';
const RUNS = 3;

const CASES = [
  { name: 'literal', tool: { pattern: 'connection reset by peer' }, rg: ['-F', 'connection reset by peer'], grep: ['-F', 'connection reset by peer'] },
  {
    name: 'regex',
    tool: { pattern: 'timeout after \\d+ms', regex: true },
    rg: ['timeout after \\d+ms'],
    grep: ['-E', 'timeout after [0-9]+ms'],
  },
];


/** A service's day of logs: mostly request lines, some warnings, rare errors with stack traces. */
function generate(file, bytes) {
  const rand = random(42);
  const int = (n) => Math.floor(rand() * n);
  const pick = (list) => list[int(list.length)];
  const hex = () => int(0xffffffff).toString(16).padStart(8, '0');
  const services = ['checkout', 'cart', 'payments', 'search', 'catalog'];
  const paths = ['/api/cart', '/api/checkout', '/api/search?q=shoes', '/api/items/123', '/healthz'];
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w');
  let t = Date.parse('2026-11-20T00:00:00Z');
  let written = 0;
  try {
    while (written < bytes) {
      const lines = [];
      for (let i = 0; i < 20_000; i++) {
        t += int(12);
        const ts = new Date(t).toISOString();
        const service = pick(services);
        const r = rand();
        if (r < 0.0004) lines.push(`${ts} ERROR [${service}] upstream call failed: timeout after ${1000 + int(4000)}ms calling payments-gateway trace_id=${hex()}${hex()}`);
        else if (r < 0.0006) lines.push(`${ts} ERROR [${service}] read failed: connection reset by peer remote=10.0.${int(256)}.${int(256)}:5432`);
        else if (r < 0.0021) lines.push(`${ts} WARN [${service}] slow query took ${int(5000)}ms table=orders rows=${int(900)} trace_id=${hex()}${hex()}`);
        else if (r < 0.0023) lines.push(`${ts} ERROR [${service}] unhandled exception trace_id=${hex()}`, 'java.lang.IllegalStateException: pool exhausted', '\tat com.shop.db.Pool.acquire(Pool.java:88)');
        else lines.push(`${ts} INFO [${service}] request completed method=GET path=${pick(paths)} status=200 duration_ms=${int(400)} trace_id=${hex()}${hex()}`);
      }
      written += writeSync(fd, `${lines.join('\n')}\n`);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
}

function ensureLog() {
  const bundleDir = join(tmpdir(), 'incident-bench', 'search-logs');
  const file = join(bundleDir, 'logs', 'app.log');
  const marker = join(bundleDir, 'generated.json');
  const wanted = JSON.stringify({ generator: GENERATOR, bytes: targetBytes });
  if (existsSync(file) && existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return { bundleDir, file, generated: false };
  mkdirSync(dirname(file), { recursive: true });
  process.stdout.write(`generating ${(targetBytes / 1e9).toFixed(2)} GB of log into ${file} (reused by later runs)…\n`);
  generate(file, targetBytes);
  writeFileSync(marker, wanted);
  return { bundleDir, file, generated: true };
}

const RUNNER = `
import { openBundle } from ${JSON.stringify(join(root, 'src/bundle/index.ts'))};
import { searchLogs } from ${JSON.stringify(join(root, 'src/hands/tools/search-logs.ts'))};
const [dir, args] = process.argv.slice(2);
const bundle = await openBundle(dir);
const context = { bundle, roots: [dir], signal: new AbortController().signal, limits: { maxOutputChars: 16000 } };
const start = performance.now();
const result = await searchLogs.run(JSON.parse(args), context);
const ms = performance.now() - start;
const parsed = JSON.parse(result.text);
process.stdout.write(JSON.stringify({ ms, matches: parsed.total_matches, error: parsed.error ?? null, rss_kb: process.resourceUsage().maxRSS }));
`;

function runTool(runner, bundleDir, args) {
  const run = spawnSync(process.execPath, [runner, bundleDir, JSON.stringify(args)], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (run.status !== 0) throw new Error(`search_logs runner failed: ${run.stderr}`);
  const out = JSON.parse(run.stdout);
  if (out.error) throw new Error(`search_logs returned an error: ${out.error}`);
  return out;
}

function timeShell(command) {
  const start = process.hrtime.bigint();
  const run = spawnSync('bash', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0 && run.status !== 1) throw new Error(`${command} exited with ${run.status}: ${run.stderr}`);
  return ms;
}

function countShell(command) {
  const run = spawnSync('bash', ['-c', command], { encoding: 'utf8' });
  return Number(run.stdout.trim() || 0);
}

const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
const hasRg = spawnSync('rg', ['--version'], { stdio: 'ignore' }).status === 0;

const { bundleDir, file } = ensureLog();
const bytes = statSync(file).size;
const out = mkdtempSync(join(tmpdir(), 'bench-search-logs-'));
try {
  const runner = join(out, 'runner.mjs');
  const entry = join(out, 'runner-entry.ts');
  writeFileSync(entry, RUNNER);
  await build({
    entryPoints: [entry],
    outfile: runner,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    logLevel: 'warning',
    // yaml is CommonJS and requires node built-ins: give the ESM bundle a require.
    banner: { js: "import { createRequire as __incidentRequire } from 'node:module'; const require = __incidentRequire(import.meta.url);" },
  });

  const results = {};
  let peakKb = 0;
  for (const c of CASES) {
    const rgCommand = `rg --no-mmap -n ${c.rg.map(quote).join(' ')} ${quote(file)} | cat > /dev/null`;
    const grepCommand = `LC_ALL=C grep -n ${c.grep.map(quote).join(' ')} ${quote(file)} | cat > /dev/null`;
    runTool(runner, bundleDir, c.tool);
    if (hasRg) timeShell(rgCommand);
    timeShell(grepCommand);
    const tool = [];
    const rg = [];
    const grep = [];
    let matches = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = runTool(runner, bundleDir, c.tool);
      tool.push(r.ms);
      matches = r.matches;
      peakKb = Math.max(peakKb, r.rss_kb);
      if (hasRg) rg.push(timeShell(rgCommand));
      grep.push(timeShell(grepCommand));
    }
    const expected = countShell(`LC_ALL=C grep -c ${c.grep.map(quote).join(' ')} ${quote(file)}`);
    const toolMs = median(tool);
    const rgMs = hasRg ? median(rg) : null;
    const grepMs = median(grep);
    results[c.name] = {
      pattern: c.tool.pattern,
      matches,
      matches_agree_with_grep: matches === expected,
      tool_ms: Math.round(toolMs),
      rg_ms: rgMs === null ? null : Math.round(rgMs),
      grep_ms: Math.round(grepMs),
      ratio_vs_rg: rgMs === null ? null : Number((toolMs / rgMs).toFixed(2)),
      ratio_vs_grep: Number((toolMs / grepMs).toFixed(2)),
    };
  }
  const peakMb = Math.round(peakKb / 1024);
  const goals = { literal_vs_rg: 2, regex_vs_rg: 3, peak_rss_mb: 200 };
  const met =
    peakMb < goals.peak_rss_mb &&
    (!hasRg || (results.literal.ratio_vs_rg <= goals.literal_vs_rg && results.regex.ratio_vs_rg <= goals.regex_vs_rg)) &&
    results.literal.matches_agree_with_grep &&
    results.regex.matches_agree_with_grep;
  const summary = { bench: 'search_logs', bytes, rg: hasRg, ...results, peak_rss_mb: peakMb, goals, goals_met: met };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (!hasRg) process.stdout.write('rg (ripgrep) is not installed: skipped the ripgrep comparison (apt-get install ripgrep to include it)\n');
  for (const c of CASES) {
    const r = results[c.name];
    const vsRg = r.rg_ms === null ? '' : `, rg ${r.rg_ms} ms (${r.ratio_vs_rg}×)`;
    process.stdout.write(`search_logs ${c.name} "${r.pattern}" on ${(bytes / 1e9).toFixed(2)} GB: ${r.tool_ms} ms${vsRg}, grep ${r.grep_ms} ms (${r.ratio_vs_grep}×); ${r.matches} matches${r.matches_agree_with_grep ? '' : ' (grep -c disagrees!)'}\n`);
  }
  process.stdout.write(`peak RSS of the tool process: ${peakMb} MB; goals (≤2× rg literal, ≤3× rg regex, <200 MB): ${met ? 'met' : 'NOT met'}\n`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
