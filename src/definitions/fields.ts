// Field schemas shared by the agent and environment definitions, each with a message
// that says what is allowed.
import { z } from 'zod';
import { describeValue } from './issues.js';

/** Names of definitions: `sre`, `db-oncall`. */
export const definitionName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes, starting with a letter or digit (like sre or db-oncall)');

/** Names that become part of a tool name or an environment variable: `rollback`, `deploy_token`. */
export const snakeName = (example: string): z.ZodString =>
  z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, `must be lowercase letters, digits and underscores, starting with a letter (like ${example})`);

/** A POSIX environment variable name. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const envVarName = z.string().regex(ENV_NAME, 'must be an environment variable name (letters, digits and underscores, not starting with a digit)');

export const nonEmptyText = z.string().refine((text) => text.trim().length > 0, 'must not be empty');

/** A whole number in a closed range, with one message for every way to miss it. */
export function intBetween(min: number, max: number): z.ZodNumber {
  const allowed = `a whole number from ${min} to ${max}`;
  const message = `must be ${allowed}`;
  return z
    .number({ error: (issue) => (issue.input === undefined ? `is required (${allowed})` : `${message}, not ${describeValue(issue.input)}`) })
    .int(message)
    .min(min, message)
    .max(max, message);
}
