// The error a definition file with problems raises: every issue as one
// `file:line:col path: message` line, the first as the message, the rest counted in
// the hint so the one line the CLI prints still says what to do next.
import { DefinitionError } from '../errors.js';

export type DefinitionKind = 'agent' | 'environment';

/** How many issue lines a report shows before counting the rest. */
export const MAX_REPORTED_ISSUES = 5;

/** The command that lists a definition's issues, with the file quoted for a shell when it needs to be. */
export function validateCommand(kind: DefinitionKind, file: string): string {
  const shown = /^[A-Za-z0-9_./@:+-]+$/.test(file) ? file : `'${file.replaceAll("'", "'\\''")}'`;
  return `incident ${kind}s validate ${shown}`;
}

export class InvalidDefinitionError extends DefinitionError {
  readonly file: string;
  readonly kind: DefinitionKind;
  /** Every issue found, in file order, one line each. */
  readonly issues: readonly string[];

  constructor(kind: DefinitionKind, file: string, issues: readonly string[]) {
    const more = issues.length - 1;
    const hint =
      more > 0
        ? `${more} more issue${more === 1 ? '' : 's'}; run \`${validateCommand(kind, file)}\` to list them`
        : `fix it, then check with \`${validateCommand(kind, file)}\``;
    super(issues[0] ?? `${file}: invalid ${kind} definition`, { hint });
    this.file = file;
    this.kind = kind;
    this.issues = issues;
  }

  /** Up to `limit` issue lines, then one line counting those left out. */
  report(limit = MAX_REPORTED_ISSUES): string[] {
    const shown = this.issues.slice(0, limit);
    const rest = this.issues.length - shown.length;
    return rest > 0 ? [...shown, `… and ${rest} more issue${rest === 1 ? '' : 's'}`] : [...shown];
  }
}
