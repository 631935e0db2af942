// The typed parameters of a remediation action: the JSON schema a caller sees, and the
// validation of a call's input against the declaration. Values are checked here, before
// anything runs, so a bad value is an error that names the parameter and what it allows.
import type { ActionConfig, ParameterConfig } from '../worker-config.js';

export type ParameterValue = string | number | boolean;

export type Validated =
  | { ok: true; values: Record<string, ParameterValue> }
  | { ok: false; error: string };

export function isRequired(parameter: ParameterConfig): boolean {
  return parameter.required ?? parameter.default === undefined;
}

/** The JSON schema of an action's input, as MCP and the Messages API expect it. */
export function parametersSchema(action: ActionConfig): {
  type: 'object';
  properties: Record<string, object>;
  required: string[];
  additionalProperties: false;
} {
  const properties: Record<string, object> = {};
  const required: string[] = [];
  for (const [name, parameter] of Object.entries(action.parameters)) {
    properties[name] = {
      type: parameter.type,
      ...(parameter.description === undefined ? {} : { description: parameter.description }),
      ...(parameter.pattern === undefined ? {} : { pattern: parameter.pattern }),
      ...(parameter.enum === undefined ? {} : { enum: parameter.enum }),
      ...(parameter.default === undefined ? {} : { default: parameter.default }),
    };
    if (isRequired(parameter)) required.push(name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

/** Coerces one value to the declared type; numerals and "true"/"false" strings are accepted. */
function coerce(name: string, parameter: ParameterConfig, value: unknown): { ok: true; value: ParameterValue } | { ok: false; error: string } {
  const fail = (expected: string): { ok: false; error: string } => ({
    ok: false,
    error: `parameter "${name}" must be ${expected}, got ${JSON.stringify(value)}`,
  });
  switch (parameter.type) {
    case 'string': {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return fail('a string');
      const text = String(value);
      // NUL cannot travel in argv; other control characters only hide what runs.
      if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(text)) return fail('a string without control characters');
      return { ok: true, value: text };
    }
    case 'integer': {
      const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isSafeInteger(number)) return fail('an integer');
      return { ok: true, value: number };
    }
    case 'number': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isFinite(number)) return fail('a number');
      return { ok: true, value: number };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value };
      if (value === 'true' || value === 'false') return { ok: true, value: value === 'true' };
      return fail('true or false');
    }
  }
}

export function validateParameters(action: ActionConfig, input: Record<string, unknown>): Validated {
  const declared = action.parameters;
  const unknown = Object.keys(input).filter((key) => !(key in declared));
  if (unknown.length > 0) {
    const names = Object.keys(declared);
    return {
      ok: false,
      error: `unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => `"${key}"`).join(', ')}; ${
        names.length === 0 ? `action_${action.name} takes none` : `declared: ${names.join(', ')}`
      }`,
    };
  }
  const values: Record<string, ParameterValue> = {};
  for (const [name, parameter] of Object.entries(declared)) {
    const given = input[name];
    if (given === undefined || given === null) {
      if (parameter.default !== undefined) values[name] = parameter.default;
      else if (isRequired(parameter)) return { ok: false, error: `parameter "${name}" is required${describe(parameter)}` };
      continue;
    }
    const coerced = coerce(name, parameter, given);
    if (!coerced.ok) return coerced;
    const value = coerced.value;
    if (parameter.enum !== undefined && !parameter.enum.some((allowed) => allowed === value)) {
      return { ok: false, error: `parameter "${name}" must be one of ${parameter.enum.map((v) => JSON.stringify(v)).join(', ')}` };
    }
    if (parameter.pattern !== undefined && typeof value === 'string' && !new RegExp(parameter.pattern, 'u').test(value)) {
      return { ok: false, error: `parameter "${name}" does not match the pattern ${parameter.pattern}: ${JSON.stringify(value)}` };
    }
    values[name] = value;
  }
  return { ok: true, values };
}

function describe(parameter: ParameterConfig): string {
  const parts: string[] = [parameter.type];
  if (parameter.description !== undefined) parts.push(parameter.description);
  return ` (${parts.join(': ')})`;
}
