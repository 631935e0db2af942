// read_file: any file inside the mounted bundle, by line range, numbered, bounded; paths are
// confined to the mounts (no `..`, no absolute path outside them, no symlink that leads out).
import { z } from 'zod';
import { isGzipFile, openByteStream } from '../../bundle/index.js';
import { InputError } from '../../errors.js';
import { ReadFileResultSchema, type ReadFileResult } from '../../protocol/results/index.js';
import { resolveBundleFile } from '../confine.js';
import { lineChunks } from '../analysis/log-chunks.js';
import { defineTool } from './define.js';
import { clip } from './output.js';

const DEFAULT_LINES = 200;
const MAX_LINES = 2000;
const NEWLINE = 10;

const input = z.object({
  path: z.string().min(1).describe('bundle-relative path, e.g. "runbooks/checkout.md" or "logs/api.log"'),
  start: z.number().int().min(1).default(1).describe('first line to show (1-based)'),
  end: z.number().int().min(1).optional().describe(`last line to show (default start + ${DEFAULT_LINES - 1}; at most ${MAX_LINES} lines per call)`),
});

interface Slice {
  lines: string[];
  total: number;
  binary: boolean;
  /** The line at which output stopped because of the character budget, if it did. */
  stoppedAt: number | null;
}

async function readRange(absPath: string, start: number, end: number, budget: number, signal: AbortSignal): Promise<Slice> {
  const gzip = isGzipFile(absPath);
  const lines: string[] = [];
  let used = 0;
  let lineNo = 1;
  let stoppedAt: number | null = null;
  let first = true;
  let endsWithNewline = true;
  let sawBytes = false;
  for await (let chunk of lineChunks(absPath, { gzip, signal, openGzip: (p) => openByteStream(p, { gzip: true, signal }) })) {
    if (first) {
      first = false;
      if (chunk.subarray(0, Math.min(chunk.length, 8192)).includes(0)) return { lines: [], total: 0, binary: true, stoppedAt: null };
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    if (chunk.length > 0) sawBytes = true;
    endsWithNewline = chunk[chunk.length - 1] === NEWLINE;
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, pos);
      const lineEnd = nl < 0 ? chunk.length : nl;
      if (lineNo >= start && lineNo <= end && stoppedAt === null) {
        let text = chunk.toString('utf8', pos, lineEnd);
        if (text.endsWith('\r')) text = text.slice(0, -1);
        const rendered = `${lineNo}| ${clip(text, 2000)}`;
        const cost = JSON.stringify(rendered).length + 1;
        if (used + cost > budget && lines.length > 0) stoppedAt = lineNo;
        else {
          lines.push(rendered);
          used += cost;
        }
      }
      if (nl < 0) break;
      lineNo += 1;
      pos = nl + 1;
    }
  }
  // lineNo counts the line after the last newline; a final newline does not start another line.
  const total = !sawBytes ? 0 : endsWithNewline ? lineNo - 1 : lineNo;
  return { lines, total, binary: false, stoppedAt };
}

export const readFile = defineTool({
  name: 'read_file',
  description: [
    'Reads any file of the bundle by its bundle-relative path (runbooks, unknown files, configs, a stretch of a log or',
    'patch), as numbered lines "N| text" from start to end (default the first 200 lines, at most 2000 per call).',
    'Returns the total line count and, when more follows, the exact start to pass to read on. The ref it prints',
    '(path:start-end) can be cited as evidence. Paths outside the bundle are refused. For searching large logs use',
    'search_logs instead.',
  ].join(' '),
  inputSchema: input,
  outputSchema: ReadFileResultSchema,
  async run(args, context) {
    const confined = await resolveBundleFile(context.bundle, context.roots, args.path);
    if (!confined.ok) throw new InputError(confined.error, { hint: confined.hint });
    const end = Math.min(args.end ?? args.start + DEFAULT_LINES - 1, args.start + MAX_LINES - 1);
    if (end < args.start) throw new InputError(`end (${end}) is before start (${args.start})`, { hint: 'pass end >= start' });
    const budget = Math.max(1000, context.limits.maxOutputChars - 600);
    const slice = await readRange(confined.absPath, args.start, end, budget, context.signal);
    const path = confined.relPath;
    if (slice.binary) throw new InputError(`${path} is a binary file`, { hint: 'read text files only (logs, patches, runbooks, configs)' });
    if (args.start > slice.total) {
      throw new InputError(`${path} has ${slice.total} lines; start ${args.start} is past the end`, { hint: `pass a start between 1 and ${Math.max(1, slice.total)}` });
    }
    const lastShown = args.start + slice.lines.length - 1;
    const payload: ReadFileResult = {
      summary: `${path}: lines ${args.start}-${lastShown} of ${slice.total}`,
      path,
      ref: `${path}:${args.start}-${lastShown}`,
      total_lines: slice.total,
      lines: slice.lines,
    };
    if (lastShown < slice.total) {
      // read_file pages by line: next_offset is the `start` to pass.
      payload.truncated = {
        omitted: slice.total - lastShown,
        next_offset: lastShown + 1,
        hint: `call read_file with path: "${path}", start: ${lastShown + 1}`,
      };
    }
    return payload;
  },
});
