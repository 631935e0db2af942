// get_diff: a change's patch as hunks with line numbers and references, plus the lines
// whose edits look risky by the general shape of code.
import { z } from 'zod';
import type { Diff, DiffFile, DiffHunk, DiffLine } from '../../bundle/index.js';
import { InputError } from '../../errors.js';
import { GetDiffResultSchema, type GetDiffResult } from '../../protocol/results/index.js';
import { assessDiff } from '../analysis/risk-signals.js';
import { jobSchedules } from '../analysis/risk-schedule.js';
import { defineTool } from './define.js';
import { clip, fitList, offsetPaging } from './output.js';
import { compileNamePattern, type NameMatcher } from './patterns.js';

const input = z.object({
  change_id: z.string().optional().describe('the change whose patch to read (e.g. "deploy-4821")'),
  path: z.string().optional().describe('or the patch by bundle path (e.g. "diffs/deploy-4821.patch")'),
  file: z.string().optional().describe('only files whose path matches: glob, /regex/ or substring (e.g. "*.go", "config")'),
  hunk: z.string().optional().describe('only hunks whose text contains this substring, or matches /regex/'),
  offset: z.number().int().min(0).default(0).describe('index of the first hunk to show (after filtering)'),
  limit: z.number().int().min(1).max(200).default(30).describe('how many hunks to show'),
});

/** Per-file stats listed in a result; narrow with `file` to see others. */
const MAX_FILE_STATS = 100;

function filePath(file: DiffFile): string {
  return file.newPath ?? file.oldPath ?? '(unknown)';
}

function status(file: DiffFile): 'binary' | 'added' | 'deleted' | 'renamed' | 'modified' {
  if (file.binary) return 'binary';
  if (file.oldPath === null) return 'added';
  if (file.newPath === null) return 'deleted';
  if (file.oldPath !== file.newPath) return 'renamed';
  return 'modified';
}

function renderLine(diff: Diff, path: string, line: DiffLine): string {
  const text = clip(line.text, 300);
  if (line.kind === 'ctx') return `  ${line.newLine ?? ''}| ${text}`;
  const codeLine = line.kind === 'add' ? line.newLine : line.oldLine;
  return `${line.kind === 'add' ? '+' : '-'} ${path}:${codeLine ?? '?'} ${diff.path}:${line.patchLine} | ${text}`;
}

function span(first: number | null | undefined, last: number | null | undefined): string {
  return first === last || last === undefined || last === null ? `${first ?? '?'}` : `${first ?? '?'}-${last}`;
}

function renderHunk(diff: Diff, file: DiffFile, hunk: DiffHunk): NonNullable<GetDiffResult['hunks']>[number] {
  const path = filePath(file);
  const lines = hunk.lines;
  const newLines = lines.filter((l) => l.newLine !== null).map((l) => l.newLine as number);
  const oldLines = lines.filter((l) => l.oldLine !== null).map((l) => l.oldLine as number);
  const codeRange = newLines.length > 0 ? span(newLines[0], newLines[newLines.length - 1]) : span(oldLines[0], oldLines[oldLines.length - 1]);
  return {
    file: path,
    header: hunk.header,
    patch: `${diff.path}:${span(lines[0]?.patchLine, lines[lines.length - 1]?.patchLine)}`,
    code: `${path}:${codeRange}`,
    added: lines.filter((l) => l.kind === 'add').length,
    removed: lines.filter((l) => l.kind === 'del').length,
    lines: lines.map((l) => renderLine(diff, path, l)),
  };
}

function hunkMatcher(pattern: string | undefined): ((text: string) => boolean) | null {
  if (pattern === undefined) return null;
  if (/^\/.+\/[a-z]*$/s.test(pattern)) return compileNamePattern(pattern, 'hunk');
  return (text) => text.includes(pattern);
}

function listDiffs(diffs: readonly Diff[], maxChars: number): GetDiffResult {
  return fitList({
    items: diffs.map((d) => ({ path: d.path, change_id: d.changeId, subject: d.header.Subject ?? null, files: d.files.map(filePath) })),
    maxChars,
    build: (shown) => ({
      summary: `${diffs.length} diffs in the bundle; pass change_id or path to read one`,
      diffs: shown,
    }),
    pageOn: () => ({ next_offset: null, hint: 'pass change_id or path to read one diff; the list of all diffs is in describe_bundle section "diffs"' }),
  });
}

export const getDiff = defineTool({
  name: 'get_diff',
  description: [
    'Reads a change\'s patch (by change_id, or by path). Returns the commit subject and message, per-file stats, and hunks',
    'whose changed lines carry two references, the code location (src/x.go:120: new line for +, old line for -) and the',
    'patch location (diffs/x.patch:47), so evidence can cite either. Also `risk_signals`: edits that look risky by what',
    'they do, with direction: a pool/connection/concurrency/queue/rate/memory/CPU/replica limit or a timeout tightened',
    '(old → new), a limit or timeout removed, retries added or increased, backoff shortened or removed, caching removed or',
    'its TTL shortened, a feature flag turned on or rolled out wider, a safety switch flipped (require_*, enable*, strict,',
    'verify), a database or HTTP call inside a loop, a regular expression whose repeated group repeats again (exponential backtracking), eager loading of related rows removed (N+1 queries), a long-lived collection that only grows (a leak), a cron schedule moved (old → new), null/default handling removed, an enum value or constant removed',
    'while still referenced (here or in another diff), a new throw/panic on a common path. Each has its references and',
    '`identifiers` (keys, flags, constants, calls it touches) to look for in the logs. `other_edits` lists setting edits',
    'in a harmless or unclear direction (a limit loosened, a TTL lengthened, a flag turned off) for context. Signals are',
    'leads to read, not conclusions. Narrow with file (glob or substring on the',
    'file path) and hunk (substring or /regex/ over the hunk text); page hunks with offset/limit. With neither change_id',
    'nor path, lists the diffs in the bundle.',
  ].join(' '),
  inputSchema: input,
  outputSchema: GetDiffResultSchema,
  async run(args, context) {
    const { bundle } = context;
    const key = args.change_id ?? args.path;
    if (key === undefined) return listDiffs(await bundle.diffs(), context.limits.maxOutputChars);
    const diff = await bundle.diffFor(key);
    if (diff === null) {
      const change = (await bundle.changes()).find((c) => c.id === key);
      const known = (await bundle.diffs()).map((d) => d.path);
      throw new InputError(change ? `change ${key} has no diff in the bundle` : `no diff for "${key}"`, {
        hint: known.length > 0 ? `diffs in the bundle: ${known.slice(0, 10).join(', ')}` : 'the bundle has no diffs/*.patch or *.diff files',
      });
    }

    const fileFilter: NameMatcher | null = args.file === undefined ? null : compileNamePattern(args.file, 'file');
    const files = diff.files.filter((f) => fileFilter === null || fileFilter(filePath(f)) || (f.oldPath !== null && fileFilter(f.oldPath)));
    const matchHunk = hunkMatcher(args.hunk);
    const hunks = files.flatMap((f) => f.hunks.filter((h) => matchHunk === null || matchHunk(`${h.header}\n${h.lines.map((l) => l.text).join('\n')}`)).map((h) => ({ f, h })));
    // Other diffs show where a value this one removes is still used.
    const related = (await bundle.diffs()).filter((d) => d.path !== diff.path);
    const assessment = assessDiff({ ...diff, files }, { related });
    const signals = assessment.risks;
    // The jobs it edits run on these schedules: the edit acts when they next fire.
    const schedules = jobSchedules({ ...diff, files });
    const page = hunks.slice(args.offset, args.offset + args.limit).map(({ f, h }) => renderHunk(diff, f, h));
    const rest = Math.max(0, hunks.length - args.offset - page.length);
    const stats = files.map((f) => ({
      file: filePath(f),
      status: status(f),
      ...(f.oldPath !== null && f.newPath !== null && f.oldPath !== f.newPath ? { old_path: f.oldPath } : {}),
      additions: f.hunks.reduce((n, h) => n + h.lines.filter((l) => l.kind === 'add').length, 0),
      deletions: f.hunks.reduce((n, h) => n + h.lines.filter((l) => l.kind === 'del').length, 0),
      hunks: f.hunks.length,
    }));
    const subject = diff.header.Subject ?? diff.message.split('\n')[0] ?? '';

    return fitList({
      items: page,
      maxChars: context.limits.maxOutputChars,
      alreadyOmitted: rest,
      alreadyPageOn: offsetPaging('get_diff', args.offset)(page.length),
      pageOn: offsetPaging('get_diff', args.offset, ' (or narrow with file / hunk)'),
      build: (shown) => ({
        summary: `${diff.path}${diff.changeId ? ` (${diff.changeId})` : ''}: ${files.length} files, ${hunks.length} hunks${args.hunk === undefined && args.file === undefined ? '' : ' matching'}, ${signals.length} risk signals${signals.length > 0 ? ` (${[...new Set(signals.map((s) => s.kind))].join(', ')})` : ''}`,
        diff: diff.path,
        change_id: diff.changeId,
        subject: clip(subject, 300),
        message: clip(diff.message, 1500),
        header: Object.fromEntries(Object.entries(diff.header).filter(([k]) => /^(from|author|date|commit)$/i.test(k))),
        files: stats.slice(0, MAX_FILE_STATS),
        ...(stats.length > MAX_FILE_STATS ? { files_not_listed: stats.length - MAX_FILE_STATS } : {}),
        risk_signals: signals.slice(0, 40),
        ...(signals.length > 40 ? { risk_signals_not_listed: signals.length - 40 } : {}),
        other_edits: assessment.benign.slice(0, 20),
        schedules,
        matched_hunks: hunks.length,
        offset: args.offset,
        hunks: shown,
      }),
    });
  },
});
