// Where readers report malformed input. A gigabyte of garbage must not become a gigabyte of
// problems, and a file read twice (tools stream the same log again and again) must not report twice,
// so problems are deduplicated and each file lists at most a fixed number; its counters stay exact.

import type { BundleProblem } from './types.js';

export interface ProblemSink {
  add(problem: BundleProblem): void;
}

const DEFAULT_PER_FILE = 50;

export class ProblemLog implements ProblemSink {
  readonly #list: BundleProblem[] = [];
  readonly #seen = new Set<string>();
  readonly #perFile = new Map<string, number>();
  readonly #limit: number;

  constructor(perFileLimit = DEFAULT_PER_FILE) {
    this.#limit = perFileLimit;
  }

  add(problem: BundleProblem): void {
    const key = `${problem.path}\u0000${problem.line ?? ''}\u0000${problem.message}`;
    if (this.#seen.has(key)) return;
    const listed = this.#perFile.get(problem.path) ?? 0;
    if (listed > this.#limit) return;
    this.#seen.add(key);
    this.#perFile.set(problem.path, listed + 1);
    if (listed === this.#limit) {
      this.#list.push({ path: problem.path, message: `more problems in this file are not listed (first ${this.#limit} shown)` });
      return;
    }
    this.#list.push(problem.line === undefined ? { path: problem.path, message: problem.message } : { ...problem });
  }

  list(): readonly BundleProblem[] {
    return this.#list;
  }
}

/** The message of anything thrown, for a problem record. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
