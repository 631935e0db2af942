// What went wrong or was left out while collecting: each one is said on the terminal as it
// happens and written into the bundle's problems.json, so a missing source is never silent.

export interface CollectProblem {
  /** The source, as a person would name it: `prometheus http://…`, `git /srv/checkout`, `logs kubectl logs …`. */
  source: string;
  /** The part of the bundle affected (`metrics/`, `logs/checkout.log`), when there is one. */
  path?: string;
  message: string;
}

/** A source that could not be read: its one-line reason goes into the bundle's problems. */
export class SourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceError';
  }
}

/** Where progress and problems go as they happen (the CLI: stderr). */
export interface Progress {
  step(line: string): void;
  problem(problem: CollectProblem): void;
}

export const silentProgress: Progress = { step: () => undefined, problem: () => undefined };

export function describeProblem(problem: CollectProblem): string {
  return `${problem.source}: ${problem.message}${problem.path ? ` (${problem.path})` : ''}`;
}

export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
