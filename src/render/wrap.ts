// Lines fitted to a terminal's width with a hanging indent: what follows the first line of
// an entry starts under its text, not under its time. Only where the output is a terminal:
// piped output keeps one line per entry for grep and awk.
import { createRequire } from 'node:module';
import type wrapAnsiFunction from 'wrap-ansi';

/**
 * wrap-ansi, loaded the first time a line is wrapped: only output to a terminal wraps, and
 * loading it (its width tables, and an Intl.Segmenter made as it loads) cost every command
 * that renders events, piped or not, about 20 ms of CPU. Required synchronously (Node loads
 * an ES module that way), so `hang` stays a plain function.
 */
let wrapAnsi: typeof wrapAnsiFunction | undefined;
function wrapper(): typeof wrapAnsiFunction {
  wrapAnsi ??= (createRequire(import.meta.url)('wrap-ansi') as { default: typeof wrapAnsiFunction }).default;
  return wrapAnsi;
}

/** Narrower than this, wrapping would make the text harder to read, not easier. */
const MIN_TEXT_COLUMNS = 20;

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** Columns a prefix takes (it holds only one-column characters and colour codes). */
function columnsOf(text: string): number {
  return Array.from(text.replace(ANSI, '')).length;
}

/**
 * `prefix` then `body`, the body wrapped to `width` columns with every further line
 * indented as far as the prefix reaches; unchanged when `width` is null.
 */
export function hang(prefix: string, body: string, width: number | null | undefined): string {
  if (!width) return `${prefix}${body}`;
  const indent = columnsOf(prefix);
  const room = width - indent;
  if (room < MIN_TEXT_COLUMNS) return `${prefix}${body}`;
  const lines = wrapper()(body, room, { hard: true }).split('\n');
  return `${prefix}${lines.join(`\n${' '.repeat(indent)}`)}`;
}
