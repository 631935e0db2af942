// Where readers report malformed input. A gigabyte of garbage must not become a gigabyte of
// problems, and a file read twice (tools stream the same log again and again) must not report twice,
// so problems are deduplicated and each file lists at most a fixed number; its counters stay exact.

import type { BundleProblem } from './types.js';

export interface ProblemSink {
  add(problem: BundleProblem): void;
}

const DEFAULT_PER_FILE = 50;

/** How the note that a file's problems stop being listed begins. */
const MORE_PROBLEMS = 'more problems in this file are not listed';

/** True for the note that ends a file's listed problems: it says nothing of the file itself. */
export function isMoreProblemsNote(problem: BundleProblem): boolean {
  return problem.line === undefined && problem.message.startsWith(MORE_PROBLEMS);
}

export class ProblemLog implements ProblemSink {
  readonly #list: BundleProblem[] = [];
  readonly #seen = new Set<string>();
  readonly #perFile = new Map<string, number>();
  readonly #limit: number;

  constructor(perFileLimit = DEFAULT_PER_FILE) {
    this.#limit = perFileLimit;
  }

  add(reported: BundleProblem): void {
    const problem = { ...reported, message: printable(reported.message) };
    const key = `${problem.path}\u0000${problem.line ?? ''}\u0000${problem.message}`;
    if (this.#seen.has(key)) return;
    const listed = this.#perFile.get(problem.path) ?? 0;
    if (listed > this.#limit) return;
    this.#seen.add(key);
    this.#perFile.set(problem.path, listed + 1);
    if (listed === this.#limit) {
      this.#list.push({ path: problem.path, message: `${MORE_PROBLEMS} (first ${this.#limit} shown)` });
      return;
    }
    this.#list.push(problem.line === undefined ? { path: problem.path, message: problem.message } : { ...problem });
  }

  list(): readonly BundleProblem[] {
    return this.#list;
  }
}

/** Longest message a problem keeps: a parser may quote a whole line of garbage. */
const MAX_MESSAGE = 300;

/**
 * A message as a person can read it on one line: control characters, unpaired surrogates and
 * undecodable bytes (a parser quoting binary content) become `?`, and a long one is cut.
 */
function printable(message: string): string {
  const clean = message.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '?');
  return clean.length <= MAX_MESSAGE ? clean : `${clean.slice(0, MAX_MESSAGE)}…`;
}

/**
 * The message of anything thrown, for a problem record. A file system error names its
 * code and call, not the path: the bytes may sit where the reader of the problem does not
 * need to know (a session's files are read from the runtime's store).
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code) && typeof syscall === 'string') return `${code} (${syscall})`;
  return error.message;
}
