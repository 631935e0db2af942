// The investigation is written as straight-line code that calls tools; the brain is
// stateless, so every step replays it from the top against the session's log. A call
// whose result is already in the log returns that result; the first call that is not
// ends the replay, and it (with what was said since the last answered call) is the
// step's output. Same log, same replay: the brain is deterministic and resumable.
import type { BrainOutput } from '../brain.js';
import type { SessionEvent } from '../../protocol/events.js';
import { textOf } from '../../protocol/events.js';

export interface ToolReply {
  name: string;
  input: Record<string, unknown>;
  text: string;
  isError: boolean;
  /** The result parsed as JSON, or null when it is not JSON. */
  json: unknown;
}

/** Thrown to end a replay at the first call that has no result yet. */
export class Pending {
  constructor(readonly outputs: BrainOutput[]) {}
}

/** Sorted-key JSON: the identity of a call's input, whatever order its keys were written in. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Each step replays the whole log: a result's text is read and parsed once per event, not once
 * per step. Keyed by the event object, which the log keeps for the life of the session.
 */
const readResults = new WeakMap<object, { text: string; json: unknown }>();

function readResult(event: object, content: Array<{ type: string; text?: string }> | undefined): { text: string; json: unknown } {
  const known = readResults.get(event);
  if (known !== undefined) return known;
  const text = textOf(content);
  const read = { text, json: parseJson(text) };
  readResults.set(event, read);
  return read;
}

function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return null;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return null;
  }
}

/**
 * The answered calls in a log, keyed by name and input; a call made twice keeps its latest
 * result. A call a person denied counts as answered (with an error) from the denial on,
 * even before its error result is logged. A tool's call that failed as its turn was being
 * interrupted (cancelled, or never run) has no answer: the investigation, asked to go on,
 * makes it again rather than reading the interruption as what the tool found.
 */
function answeredCalls(history: readonly SessionEvent[]): Map<string, ToolReply> {
  const uses = new Map<string, { name: string; input: Record<string, unknown> }>();
  const answered = new Map<string, ToolReply>();
  let interrupting = false;
  for (const event of history) {
    if (event.type === 'user.interrupt') interrupting = true;
    else if (event.type === 'session.status_idle' || event.type === 'user.message') interrupting = false;
    if (event.type === 'agent.tool_result' && interrupting && event.is_error === true) {
      const use = uses.get(event.tool_use_id);
      if (use && !use.name.startsWith('action_')) {
        answered.delete(`${use.name} ${canonical(use.input)}`);
        continue;
      }
    }
    if (event.type === 'agent.tool_use') {
      uses.set(event.id, { name: event.name, input: event.input ?? {} });
    } else if (event.type === 'user.tool_confirmation' && event.result === 'deny') {
      const use = uses.get(event.tool_use_id);
      if (use) {
        const text = `not run: ${event.deny_message ?? 'denied by the person at the terminal'}`;
        answered.set(`${use.name} ${canonical(use.input)}`, { ...use, text, isError: true, json: null });
      }
    } else if (event.type === 'agent.tool_result') {
      const use = uses.get(event.tool_use_id);
      if (!use) continue;
      const { text, json } = readResult(event, event.content as Array<{ type: string; text?: string }> | undefined);
      answered.set(`${use.name} ${canonical(use.input)}`, { ...use, text, isError: event.is_error === true, json });
    }
  }
  return answered;
}

/** Tool calls made since the last user message: what the turn's budget has already spent. */
export function callsThisTurn(history: readonly SessionEvent[]): number {
  let count = 0;
  for (const event of history) {
    if (event.type === 'user.message') count = 0;
    else if (event.type === 'agent.tool_use') count += 1;
  }
  return count;
}

export class Replay {
  private readonly answered: Map<string, ToolReply>;
  private said: string[] = [];
  private made = 0;

  constructor(
    history: readonly SessionEvent[],
    /** Tool calls the whole turn may make. */
    readonly budget: number,
  ) {
    this.answered = answeredCalls(history);
  }

  /** Calls the investigation has made so far in this replay. */
  get used(): number {
    return this.made;
  }

  get left(): number {
    return this.budget - this.made;
  }

  /** Something to tell the person watching; it goes out with the next call (or at the end). */
  say(text: string): void {
    this.said.push(text);
  }

  async call(name: string, input: Record<string, unknown>): Promise<ToolReply> {
    const [reply] = await this.calls([{ name, input }]);
    return reply as ToolReply;
  }

  /** Several independent calls in one step. */
  async calls(requests: ReadonlyArray<{ name: string; input: Record<string, unknown> }>): Promise<ToolReply[]> {
    const replies: ToolReply[] = [];
    const missing: BrainOutput[] = [];
    for (const request of requests) {
      this.made += 1;
      const reply = this.answered.get(`${request.name} ${canonical(request.input)}`);
      if (reply) replies.push(reply);
      else missing.push({ kind: 'tool_use', name: request.name, input: request.input });
    }
    if (missing.length > 0) {
      throw new Pending([...this.said.map((text): BrainOutput => ({ kind: 'message', text })), ...missing]);
    }
    this.said = [];
    return replies;
  }

  /** The outputs of a replay that ran to its end: what was said after the last call. */
  finish(): BrainOutput[] {
    return this.said.map((text): BrainOutput => ({ kind: 'message', text }));
  }
}
