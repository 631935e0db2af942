// The arguments of a tool call that a person needs to follow the investigation, in one
// short line: `query_metrics` shows its selector and window, `search_logs` its query and
// service. Tools read bundles they have never seen, so every lookup tolerates a missing
// field and unknown tools fall back to their first few scalar arguments.
import { ACTION_TOOL_PREFIX } from '../protocol/tools.js';
import { isRecord, shortValue } from './format.js';

type Input = Readonly<Record<string, unknown>>;

/** The first present value among candidate names. */
function pick(input: Input, names: readonly string[]): string | null {
  for (const name of names) {
    const value = input[name];
    if (value === undefined || value === null || value === '') continue;
    return shortValue(value, 60);
  }
  return null;
}

/** A time window from whichever fields the tool used: window, start/end, since/until. */
function windowOf(input: Input): string | null {
  const window = input['window'] ?? input['range'];
  if (typeof window === 'string' && window !== '') return window;
  if (isRecord(window)) return windowOf(window);
  const from = pick(input, ['start', 'from', 'since', 'after', 'start_time']);
  const to = pick(input, ['end', 'to', 'until', 'before', 'end_time']);
  if (from === null && to === null) return pick(input, ['last', 'lookback', 'duration']);
  return `${from ?? '…'}..${to ?? 'now'}`;
}

function join(parts: ReadonlyArray<string | null>): string {
  return parts.filter((part): part is string => part !== null && part !== '').join(' ');
}

function labelled(label: string, value: string | null): string | null {
  return value === null ? null : `${label}=${value}`;
}

const SELECTOR_NAMES = ['selector', 'query', 'series', 'metric', 'name', 'expr'];

const SUMMARISERS: Readonly<Record<string, (input: Input) => string>> = {
  describe_bundle: () => '',
  query_metrics: (input) => join([pick(input, SELECTOR_NAMES), labelled('service', pick(input, ['service'])), bracket(windowOf(input))]),
  detect_changes: (input) => join([pick(input, SELECTOR_NAMES), labelled('service', pick(input, ['service'])), bracket(windowOf(input))]),
  list_changes: (input) =>
    join([labelled('service', pick(input, ['service'])), labelled('type', pick(input, ['type', 'types'])), bracket(windowOf(input))]),
  get_diff: (input) => join([pick(input, ['change_id', 'id', 'path', 'file']), labelled('file', pick(input, ['file_filter', 'glob']))]),
  search_logs: (input) =>
    join([
      quoted(pick(input, ['query', 'pattern', 'regex', 'text', 'contains'])),
      labelled('service', pick(input, ['service'])),
      labelled('level', pick(input, ['level', 'min_level'])),
      bracket(windowOf(input)),
    ]),
  log_patterns: (input) =>
    join([labelled('service', pick(input, ['service', 'file', 'path'])), labelled('level', pick(input, ['level', 'min_level'])), bracket(windowOf(input))]),
  read_file: (input) => join([pick(input, ['path', 'file']), labelled('offset', pick(input, ['offset', 'line', 'page', 'cursor']))]),
  note_hypothesis: (input) => join([pick(input, ['id']), pick(input, ['status']), quoted(pick(input, ['statement']))]),
  submit_diagnosis: (input) => {
    const rootCause = isRecord(input['root_cause']) ? input['root_cause'] : {};
    return join([
      pick(rootCause, ['category']),
      pick(rootCause, ['change_id']),
      pick(rootCause, ['service']),
      labelled('confidence', pick(input, ['confidence'])),
    ]);
  },
};

function bracket(value: string | null): string | null {
  return value === null ? null : `[${value}]`;
}

function quoted(value: string | null): string | null {
  return value === null ? null : `"${value}"`;
}

/** The first scalar arguments as key=value: for actions and tools this module does not know. */
function generic(input: Input, limit = 3): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (parts.length === limit) break;
    if (value === null || value === undefined || isRecord(value)) continue;
    parts.push(`${key}=${shortValue(value, 40)}`);
  }
  return parts.join(' ');
}

export function keyArguments(toolName: string, input: Input): string {
  const summarise = SUMMARISERS[toolName];
  if (summarise) return summarise(input);
  // An action's every argument matters to the person approving it.
  if (toolName.startsWith(ACTION_TOOL_PREFIX)) return generic(input, 5);
  return generic(input);
}
