#!/usr/bin/env node
// Grouping accuracy of the log template miner on labelled logs.
//
//   node scripts/eval-log-patterns.mjs <folder> [--verbose]
//
// <folder> holds *_structured.csv files (LogHub style) with at least a Content and an
// EventId column; the corrected Loghub-2k labels (logpai/logparser, data/loghub_2k_corrected)
// are read as they come, *_structured_corrected.csv, and preferred when both are there. Each file is mined with one default configuration, every message is
// assigned to its final template, and the grouping accuracy of Zhu et al. (2019) is
// printed per file and as a mean. src/bundle/patterns is bundled with esbuild into a temp
// directory first, so no build step is needed. --verbose lists the events split or merged
// wrongly in each file.
import { build } from 'esbuild';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const folder = args.find((a) => !a.startsWith('--'));
if (!folder) {
  process.stderr.write('usage: node scripts/eval-log-patterns.mjs <folder of *_structured.csv> [--verbose]\n');
  process.exit(2);
}

/** RFC 4180 rows: quoted fields may hold commas, doubled quotes and newlines. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const LABELLED = /_structured(?:_corrected)?\.csv$/;

const files = labelledFiles(folder);
if (files.length === 0) {
  process.stderr.write(`no *_structured.csv or *_structured_corrected.csv files in ${folder}\n`);
  process.exit(2);
}

const out = mkdtempSync(join(tmpdir(), 'eval-log-patterns-'));
try {
  await build({
    entryPoints: [join(root, 'src/bundle/patterns/index.ts')],
    outfile: join(out, 'patterns.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  const { TemplateMiner, groupingAccuracy } = await import(pathToFileURL(join(out, 'patterns.mjs')).href);
  const results = [];
  for (const file of files) {
    const [header, ...rows] = parseCsv(readFileSync(join(folder, file), 'utf8'));
    const content = header.indexOf('Content');
    const event = header.indexOf('EventId');
    if (content < 0 || event < 0) {
      process.stderr.write(`${file}: no Content or EventId column, skipped\n`);
      continue;
    }
    const messages = rows.map((r) => r[content] ?? '');
    const truth = rows.map((r) => r[event] ?? '');
    const miner = new TemplateMiner();
    const ids = messages.map((m) => miner.add(m));
    miner.finalize();
    const predicted = ids.map((id) => miner.resolve(id));
    const accuracy = groupingAccuracy(predicted, truth);
    const name = basename(file).replace(LABELLED, '');
    results.push({ name, accuracy, lines: messages.length, templates: miner.templates().length, events: new Set(truth).size });
    if (verbose) explain(name, messages, predicted, truth, miner);
  }
  const width = Math.max(...results.map((r) => r.name.length), 8);
  for (const r of results) {
    process.stdout.write(`${r.name.padEnd(width)}  ${r.accuracy.toFixed(4)}  (${r.lines} lines, ${r.templates} templates, ${r.events} events)\n`);
  }
  const mean = results.reduce((sum, r) => sum + r.accuracy, 0) / results.length;
  process.stdout.write(`${'mean'.padEnd(width)}  ${mean.toFixed(4)}  (${results.length} files)\n`);
} finally {
  rmSync(out, { recursive: true, force: true });
}

/** The labelled files of a folder, one per log: the corrected labels where both are present. */
function labelledFiles(dir) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    process.stderr.write(`cannot read the folder ${dir}: give a folder of *_structured.csv files\n`);
    process.exit(2);
  }
  const byLog = new Map();
  for (const name of names.filter((n) => LABELLED.test(n)).sort()) {
    const log = name.replace(LABELLED, '');
    if (!byLog.has(log) || name.endsWith('_corrected.csv')) byLog.set(log, name);
  }
  return [...byLog.values()].sort();
}

/** Prints each true event that is not exactly one predicted group, with what went wrong. */
function explain(name, messages, predicted, truth, miner) {
  const texts = new Map(miner.templates().map((t) => [t.id, t.text]));
  const byTruth = new Map();
  const bySize = new Map();
  predicted.forEach((p, i) => {
    const t = truth[i];
    if (!byTruth.has(t)) byTruth.set(t, new Map());
    byTruth.get(t).set(p, (byTruth.get(t).get(p) ?? 0) + 1);
    bySize.set(p, (bySize.get(p) ?? new Set()).add(t));
  });
  for (const [t, preds] of byTruth) {
    const split = preds.size > 1;
    const mixed = [...preds.keys()].some((p) => bySize.get(p).size > 1);
    if (!split && !mixed) continue;
    const example = messages[truth.indexOf(t)];
    process.stdout.write(`  ${name} ${t}${split ? ' split' : ''}${mixed ? ' merged' : ''}: ${example.slice(0, 140)}\n`);
    for (const [p, n] of preds) process.stdout.write(`      ${n}× → ${texts.get(p)?.slice(0, 140)}${bySize.get(p).size > 1 ? `  [shared with ${[...bySize.get(p)].filter((x) => x !== t).join(',')}]` : ''}\n`);
  }
}
