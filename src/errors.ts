// The error hierarchy. An IncidentError is a failure the user can act on: it prints
// one line (message, then what to do) and exits with its own code. Anything else that
// reaches the one exit point in bin/ is a bug and is printed with its stack.

/** Exit codes: distinct per failure class and documented in the README. */
export const EXIT = {
  ok: 0,
  bug: 1,
  badInput: 2,
  inconclusive: 3,
  runtime: 4,
  timeout: 5,
  budget: 6,
  cancelled: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class IncidentError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(message: string, options: { hint?: string; exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT.bug;
  }

  /** The single line shown to the user. */
  oneLine(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}

/** The user gave something we cannot use: a flag, a path, a file's content. */
export class InputError extends IncidentError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: EXIT.badInput });
  }
}

/** A definition file (agent or environment YAML) is invalid. */
export class DefinitionError extends InputError {}

/** The runtime failed or could not be reached. */
export class RuntimeFailure extends IncidentError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: EXIT.runtime });
  }
}

export class TimeoutFailure extends IncidentError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: EXIT.timeout });
  }
}

export class Cancelled extends IncidentError {
  constructor(message = 'cancelled') {
    super(message, { exitCode: EXIT.cancelled });
  }
}

export function isIncidentError(error: unknown): error is IncidentError {
  return error instanceof IncidentError;
}
