// Turns schema failures into issues a person can act on: the path of the field, a
// message that says what is allowed, and which YAML node to point at. Every message
// is phrased here (or beside the field in the schema), never left to zod's defaults.
import { z } from 'zod';

export type PathSegment = string | number;

export interface DefinitionIssue {
  path: PathSegment[];
  message: string;
  /** Point at the key of the last path segment (an unknown or badly named key) instead of its value. */
  at?: 'key';
}

/** `a, b or c` (or `a, b and c`). */
export function oneOf(values: readonly unknown[], conjunction: 'or' | 'and' = 'or'): string {
  const shown = values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} ${conjunction} ${shown[shown.length - 1]}`;
}

/** `tools[2].permission`, `actions[0].parameters["odd key"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  record: 'a map',
};

/** How a YAML value reads to its author: `a list`, `empty`, `"abc"`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

function numberRange(issue: { minimum?: number | bigint; maximum?: number | bigint; inclusive?: boolean }): string {
  if (issue.minimum !== undefined) return issue.inclusive === false ? `greater than ${issue.minimum}` : `at least ${issue.minimum}`;
  return issue.inclusive === false ? `less than ${issue.maximum}` : `at most ${issue.maximum}`;
}

/**
 * The error map passed to every parse. Schema-level messages win over it; this covers
 * the built-in checks so each says what is allowed rather than what zod expected.
 */
export const explainIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? `a ${issue.expected}`;
      return issue.input === undefined ? `is required (${expected})` : `must be ${expected}, not ${describeValue(issue.input)}`;
    }
    case 'invalid_value':
      return issue.input === undefined ? `is required (${oneOf(issue.values)})` : `must be ${oneOf(issue.values)}`;
    case 'too_small':
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `must list at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      return `must be ${numberRange(issue)}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must list at most ${issue.maximum} items`;
      return `must be ${numberRange({ maximum: issue.maximum, inclusive: issue.inclusive })}`;
    case 'invalid_format':
      return issue.pattern ? `must match ${issue.pattern}` : `must be a valid ${issue.format}`;
    case 'unrecognized_keys': {
      const allowed = issue.inst instanceof z.ZodObject ? Object.keys(issue.inst.shape) : [];
      return allowed.length > 0 ? `unknown key (allowed here: ${allowed.join(', ')})` : 'unknown key';
    }
    default:
      return undefined;
  }
};

/**
 * The error option for a definition's top-level map, so an empty file or a list says
 * what the file should hold. Other issues fall through to explainIssue.
 */
export function topLevelError(what: string, keys: readonly string[]): z.core.$ZodErrorMap {
  return (issue) =>
    issue.code === 'invalid_type' ? `${what} must be a YAML map with at least ${oneOf(keys, 'and')}, not ${describeValue(issue.input)}` : undefined;
}

/** One issue per problem, each aimed at the node that holds it. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[]): DefinitionIssue[] {
  const result: DefinitionIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) result.push({ path: [...path, key], message: issue.message, at: 'key' });
    } else if (issue.code === 'invalid_key') {
      result.push({ path, message: issue.issues[0]?.message ?? 'is not an allowed key', at: 'key' });
    } else {
      result.push({ path, message: issue.message });
    }
  }
  return result;
}
