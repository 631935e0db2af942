// `npm run eval`: the offline triage brain over every bundle that carries a truth.json
// (fixtures/, plus any folder given as the first argument), scored against the truth.
// Wrong blame (naming the wrong change, or a cause when the truth is unknown) is
// reported apart from abstention (unknown when there was a cause), because a wrong
// rollback during an incident costs more than an honest "unknown".
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTriageBrain } from '../brains/triage/index.js';
import type { Diagnosis } from '../protocol/diagnosis.js';
import { runBrainOnBundle } from './eval-harness.js';

interface Truth {
  category: string;
  service: string | null;
  change_id: string | null;
  onset: string | null;
}

export interface Scored {
  bundle: string;
  truth: Truth;
  diagnosis: Diagnosis | null;
  category: boolean;
  change: boolean;
  service: boolean;
  wrongBlame: boolean;
  abstained: boolean;
  /** |claimed onset − true onset| in seconds, when both are known. */
  onsetErrorSeconds: number | null;
  toolCalls: number;
}

function bundlesIn(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .map((name) => join(folder, name))
    .filter((path) => statSync(path).isDirectory() && existsSync(join(path, 'truth.json')))
    .sort();
}

function claimedOnset(diagnosis: Diagnosis | null): number | null {
  const entry = diagnosis?.timeline.find((e) => /\bonset\b/i.test(e.event));
  const at = entry ? Date.parse(entry.at) : Number.NaN;
  return Number.isNaN(at) ? null : at;
}

export function score(bundle: string, truth: Truth, diagnosis: Diagnosis | null, toolCalls: number): Scored {
  const category = diagnosis?.root_cause.category ?? 'unknown';
  const changeId = diagnosis?.root_cause.change_id ?? null;
  const service = diagnosis?.root_cause.service ?? null;
  const claimed = claimedOnset(diagnosis);
  const trueOnset = truth.onset ? Date.parse(truth.onset) : Number.NaN;
  return {
    bundle,
    truth,
    diagnosis,
    category: category === truth.category,
    change: changeId === truth.change_id,
    service: service === truth.service,
    wrongBlame: (changeId !== null && changeId !== truth.change_id) || (truth.category === 'unknown' && category !== 'unknown'),
    abstained: category === 'unknown' && truth.category !== 'unknown',
    onsetErrorSeconds: claimed === null || Number.isNaN(trueOnset) ? null : Math.abs(claimed - trueOnset) / 1000,
    toolCalls,
  };
}

const pct = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`);

export function report(rows: readonly Scored[]): string {
  const n = rows.length;
  const count = (pick: (row: Scored) => boolean): number => rows.filter(pick).length;
  const errors = rows.map((row) => row.onsetErrorSeconds).filter((e): e is number => e !== null);
  const lines = [
    `bundles: ${n}`,
    `category accuracy (top-1): ${pct(count((r) => r.category), n)}`,
    `change-id accuracy:        ${pct(count((r) => r.change), n)}`,
    `service accuracy:          ${pct(count((r) => r.service), n)}`,
    `wrong-blame rate:          ${pct(count((r) => r.wrongBlame), n)}`,
    `abstention rate:           ${pct(count((r) => r.abstained), n)}`,
    `mean onset error:          ${errors.length === 0 ? 'n/a' : `${(errors.reduce((a, b) => a + b, 0) / errors.length).toFixed(1)}s over ${errors.length} bundles`}`,
    '',
  ];
  const header = ['bundle', 'truth', 'diagnosis', 'conf', 'cat', 'chg', 'svc', 'onset err', 'calls'];
  const table = rows.map((row) => {
    const d = row.diagnosis?.root_cause;
    const said = d ? `${d.category} ${d.service ?? '-'} ${d.change_id ?? '-'}` : 'no diagnosis';
    const mark = (ok: boolean): string => (ok ? 'ok' : 'MISS');
    return [
      row.bundle,
      `${row.truth.category} ${row.truth.service ?? '-'} ${row.truth.change_id ?? '-'}`,
      said + (row.wrongBlame ? ' (wrong blame)' : ''),
      row.diagnosis ? row.diagnosis.confidence.toFixed(2) : '-',
      mark(row.category),
      mark(row.change),
      mark(row.service),
      row.onsetErrorSeconds === null ? '-' : `${row.onsetErrorSeconds.toFixed(0)}s`,
      String(row.toolCalls),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((cells) => (cells[i] ?? '').length)));
  const format = (cells: readonly string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  lines.push(format(header), format(widths.map((w) => '-'.repeat(w))), ...table.map(format));
  return `${lines.join('\n')}\n`;
}

export async function evaluate(folders: readonly string[]): Promise<Scored[]> {
  const rows: Scored[] = [];
  for (const bundle of [...new Set(folders.flatMap(bundlesIn))]) {
    const truth = JSON.parse(readFileSync(join(bundle, 'truth.json'), 'utf8')) as Truth;
    const run = await runBrainOnBundle(createTriageBrain(), bundle);
    rows.push(score(bundle.split(/[\\/]/).pop() ?? bundle, truth, run.diagnosis, run.toolCalls.length));
  }
  return rows;
}

async function main(): Promise<void> {
  const fixtures = fileURLToPath(new URL('../fixtures', import.meta.url));
  const folders = [fixtures, ...process.argv.slice(2).map((arg) => resolve(arg))];
  const rows = await evaluate(folders);
  if (rows.length === 0) {
    process.stderr.write(`eval: no bundles with a truth.json in ${folders.join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  process.stdout.write(report(rows));
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main().catch((error: unknown) => {
    process.stderr.write(`eval: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
