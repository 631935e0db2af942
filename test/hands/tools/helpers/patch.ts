// Small git diffs written inline for the risk-signal tests.
import { expect } from 'vitest';
import { parseDiff, ProblemLog, type Diff } from '../../../../src/bundle/index.js';
import { assessDiff, type DiffAssessment } from '../../../../src/hands/analysis/risk-signals.js';

/** A one-hunk git diff of `file`; the hunk header is computed from the prefixed lines. `file` may be new (`newFile`). */
export function patch(file: string, start: number, lines: string[], options: { header?: string; newFile?: boolean } = {}): string {
  // A line without a +, - or space prefix is context.
  const body = lines.map((l) => (/^[-+ ]/.test(l) ? l : ` ${l}`));
  const oldCount = body.filter((l) => !l.startsWith('+')).length;
  const newCount = body.filter((l) => !l.startsWith('-')).length;
  const from = options.newFile ? '/dev/null' : `a/${file}`;
  const hunk = `@@ -${options.newFile ? 0 : start},${oldCount} +${start},${newCount} @@${options.header ? ` ${options.header}` : ''}`;
  return [`diff --git a/${file} b/${file}`, ...(options.newFile ? ['new file mode 100644'] : []), `--- ${from}`, `+++ b/${file}`, hunk, ...body].join('\n');
}

export function diffOf(path: string, ...patches: string[]): Diff {
  const problems = new ProblemLog();
  const diff = parseDiff(`${patches.join('\n')}\n`, path, problems);
  expect(problems.list()).toEqual([]);
  return diff;
}

export function assess(...patches: string[]): DiffAssessment {
  return assessDiff(diffOf('diffs/change.patch', ...patches));
}

/** Kind and detail of each risk, for compact assertions. */
export function risksOf(...patches: string[]): Array<[string, string]> {
  return assess(...patches).risks.map((s) => [s.kind, s.detail]);
}

/** Where each risk of one kind was found and the line it was found on, for compact assertions. */
export function placesOf(kind: string, ...patches: string[]): Array<[string, string]> {
  return assess(...patches)
    .risks.filter((s) => s.kind === kind)
    .map((s) => [s.code, s.text]);
}
