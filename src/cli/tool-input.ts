// The arguments of `incident tools run`: a JSON object and `--arg key=value` pairs, each
// read by the type the tool's input schema gives it; an argument the tool does not take
// is refused with the ones it does, rather than dropped without a word.
import { InputError } from '../errors.js';
import type { ToolSpec } from '../protocol/tools.js';
import { didYouMean } from './suggest.js';

/** The tools that read one log file given alone with `--file`. */
export const LOG_FILE_TOOLS = ['log_patterns', 'search_logs'];

/** What the command line gave besides the JSON object. */
export interface ToolArgs {
  arg: string[];
  file?: string;
  assign?: boolean;
}

/** Reads `--arg key=value` by the type the tool's schema gives the key. */
function coerceArg(raw: string, schema: Record<string, unknown> | undefined): unknown {
  const type = schema?.['type'];
  if ((type === 'integer' || type === 'number') && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  if (type === 'array') {
    if (raw.trim().startsWith('[')) return parseJson(raw, `--arg value ${raw}`);
    return raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  }
  if (type === 'object') return parseJson(raw, `--arg value ${raw}`);
  if (type === undefined && /^\s*[[{]/.test(raw)) return parseJson(raw, `--arg value ${raw}`);
  return raw;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what} is not valid JSON: ${(error as Error).message}`, { hint: "quote it for the shell, e.g. '{\"limit\": 20}'" });
  }
}

/**
 * Refuses an argument the tool does not take (its schema would drop it without a word).
 * A schema that names no properties, or allows more, is taken at its word.
 */
function checkArgumentName(spec: ToolSpec, key: string, known: readonly string[]): void {
  const extra = spec.input_schema['additionalProperties'];
  if (known.includes(key) || spec.input_schema.properties === undefined || (extra !== undefined && extra !== false)) return;
  throw new InputError(`${spec.name} has no argument "${key}"${didYouMean(key, known)}`, {
    hint: known.length > 0 ? `the arguments of ${spec.name}: ${known.join(', ')}` : `${spec.name} takes no arguments`,
  });
}

export function buildInput(spec: ToolSpec, json: string | undefined, options: ToolArgs): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const known = Object.keys(spec.input_schema.properties ?? {});
  if (json !== undefined) {
    const parsed = parseJson(json, 'the arguments');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new InputError('the arguments must be a JSON object', { hint: `for example: incident tools run ${spec.name} '{"key": "value"}'` });
    }
    for (const key of Object.keys(parsed)) checkArgumentName(spec, key, known);
    Object.assign(input, parsed);
  }
  const properties = (spec.input_schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const pair of options.arg) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InputError(`--arg ${pair} is not key=value`, { hint: `for example: --arg limit=20 (the keys of ${spec.name}: ${Object.keys(properties).join(', ') || 'none'})` });
    const key = pair.slice(0, eq);
    checkArgumentName(spec, key, known);
    input[key] = coerceArg(pair.slice(eq + 1), properties[key]);
  }
  for (const [flag, key, value] of [['--file', 'file', options.file], ['--assign', 'assign', options.assign]] as const) {
    if (value === undefined) continue;
    if (!(key in properties)) {
      throw new InputError(`${flag} is not an option of ${spec.name}`, { hint: flag === '--file' ? `--file is for ${LOG_FILE_TOOLS.join(' and ')}` : `${flag} is for log_patterns` });
    }
    input[key] = value;
  }
  return input;
}
