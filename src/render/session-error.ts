// A session error as a person reads it: what went wrong in words, the endpoint's own message
// when it adds something, and what happens next or what to do. A model endpoint's failure
// often arrives as the SDK's text of the HTTP response (`529 {"type":"error",...}`); that is
// taken apart here instead of being shown raw.
import { isRecord, oneLine, truncate } from './format.js';

export interface ErrorFacts {
  type: string;
  message: string;
  retryStatus: string | null;
  /** How long until the runtime tries again, when it says. */
  retryInMs: number | null;
}

export interface ExplainedError {
  /** A few words for a status line: "model overloaded". */
  short: string;
  /** One sentence or two: what happened, the detail, what next. */
  sentence: string;
}

interface Kind {
  short: string;
  long: string;
  /** What to do once retrying is over. */
  todo: string;
}

const ASK_AGAIN = 'the turn stopped; send a message to try again';

/** By the error's type: the session's own types and the HTTP error types of the Messages API. */
const KINDS: Readonly<Record<string, Kind>> = {
  model_overloaded_error: { short: 'model overloaded', long: 'The model is overloaded', todo: `${ASK_AGAIN} in a few minutes` },
  overloaded_error: { short: 'model overloaded', long: 'The model is overloaded', todo: `${ASK_AGAIN} in a few minutes` },
  model_rate_limited_error: { short: 'model rate-limited', long: "The model's rate limit was reached", todo: `${ASK_AGAIN} in a minute` },
  rate_limit_error: { short: 'model rate-limited', long: "The model's rate limit was reached", todo: `${ASK_AGAIN} in a minute` },
  authentication_error: { short: 'API key refused', long: 'The model API refused the API key', todo: 'check ANTHROPIC_API_KEY, then send a message to try again' },
  permission_error: { short: 'model not allowed', long: 'The API key may not use this model', todo: "check the agent's model and the key's permissions" },
  not_found_error: { short: 'model not found', long: 'The model API does not know this model or endpoint', todo: "check the agent's model and ANTHROPIC_BASE_URL" },
  billing_error: { short: 'billing problem', long: 'The account cannot make model requests (credits or spend limit)', todo: "resolve the account's billing, then send a message" },
  request_too_large: { short: 'request too large', long: 'The request to the model was too large', todo: 'start a new session with a smaller question' },
  invalid_request_error: { short: 'request refused', long: 'The model API refused the request', todo: ASK_AGAIN },
  api_error: { short: 'model API error', long: 'The model API failed', todo: ASK_AGAIN },
  timeout_error: { short: 'model timed out', long: 'The request to the model timed out', todo: ASK_AGAIN },
  model_request_failed_error: { short: 'model request failed', long: 'A request to the model failed', todo: ASK_AGAIN },
  mcp_connection_failed_error: { short: 'MCP server unreachable', long: 'An MCP server of the environment could not be reached', todo: "check the environment's mcp_servers" },
  mcp_authentication_failed_error: { short: 'MCP server refused', long: 'An MCP server of the environment refused its credentials', todo: "check the environment's credentials" },
  credential_host_unreachable_error: { short: 'credential host unreachable', long: "A credential's host is not reachable from the environment", todo: "check the environment's network policy" },
  tool_use_limit_reached_error: { short: 'tool-use limit reached', long: 'The session reached its limit of tool calls', todo: 'start a new session, or ask a narrower question' },
  compaction_limit_reached_error: { short: 'context full', long: 'The conversation could not be shortened enough to go on', todo: 'start a new session' },
  unknown_error: { short: 'runtime error', long: 'The runtime failed', todo: `${ASK_AGAIN}; if it keeps failing, check the runtime` },
};

function words(type: string): string {
  const text = type.replace(/_error$/, '').replace(/_/g, ' ').trim();
  return text === '' ? 'error' : text;
}

function kindOf(type: string): Kind {
  const known = KINDS[type];
  if (known) return known;
  const text = words(type);
  return { short: text, long: `${text.charAt(0).toUpperCase()}${text.slice(1)}`, todo: ASK_AGAIN };
}

/** The HTTP status and the API error inside an SDK error text (`529 {"type":"error","error":{...}}`). */
function parseApiText(message: string): { status: number | null; type: string | null; message: string } {
  const match = /^\s*(\d{3})\b\s*(.*)$/s.exec(message);
  const status = match ? Number(match[1]) : null;
  const rest = match ? (match[2] ?? '') : message;
  const start = rest.indexOf('{');
  if (start !== -1) {
    try {
      const body: unknown = JSON.parse(rest.slice(start));
      const inner = isRecord(body) && isRecord(body['error']) ? body['error'] : isRecord(body) ? body : null;
      if (inner) {
        const type = typeof inner['type'] === 'string' && inner['type'] !== 'error' ? inner['type'] : null;
        const text = typeof inner['message'] === 'string' ? inner['message'] : '';
        return { status, type, message: text };
      }
    } catch {
      // Not JSON after all: the text is the message.
    }
  }
  return { status, type: null, message: rest };
}

/** Seconds, as a person says them. */
function inSeconds(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/**
 * `remainingMs`: time left until the retry (a live display counts down); defaults to the
 * delay the event gave.
 */
export function explainError(error: ErrorFacts, remainingMs: number | null = error.retryInMs): ExplainedError {
  const api = parseApiText(error.message);
  // The endpoint's own type says more than the session's wrapper ("request failed").
  const kind = kindOf(api.type ?? error.type);
  const detailText = oneLine(api.message);
  // "Overloaded" after "The model is overloaded" says nothing new.
  const said = new Set(`${kind.long} ${kind.short}`.toLowerCase().match(/[a-z]+/g) ?? []);
  const same = (detailText.toLowerCase().match(/[a-z]+/g) ?? []).every((word) => said.has(word));
  const detail = [api.status !== null ? `HTTP ${api.status}` : null, detailText !== '' && !same ? truncate(detailText, 300) : null].filter(
    (part): part is string => part !== null,
  );
  const what = `${kind.long}${detail.length > 0 ? ` (${detail.join(': ')})` : ''}`;
  let next: string;
  let short = kind.short;
  switch (error.retryStatus) {
    case 'retrying':
      next = remainingMs === null ? 'Retrying.' : `Retrying in ${inSeconds(remainingMs)}.`;
      short = `${kind.short}, retrying${remainingMs === null ? '' : ` in ${inSeconds(remainingMs)}`}`;
      break;
    case 'terminal':
      next = 'The session ended; start a new one.';
      break;
    default:
      next = `${kind.todo.charAt(0).toUpperCase()}${kind.todo.slice(1)}.`;
  }
  return { short, sentence: `${what}. ${next}` };
}

/** The retry delay a runtime may give with a retrying error (`retry_status.retry_in_ms`). */
export function retryDelayOf(error: unknown): number | null {
  if (!isRecord(error)) return null;
  const status = error['retry_status'];
  const value = isRecord(status) ? status['retry_in_ms'] : undefined;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}
