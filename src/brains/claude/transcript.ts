// Turns a session's event log into a Messages API conversation. The log is the only
// memory: tool_use ids are the event ids, so a resumed session rebuilds the same
// transcript. Old tool results are compacted when the transcript grows too large.
import type { SessionEvent } from '../../protocol/events.js';
import { textOf } from '../../protocol/events.js';
import { THINKING_FIELD } from '../brain.js';

export type Block =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: string; is_error?: boolean }
  /** A thinking block handed back as the model gave it (opaque: a signature, maybe text). */
  | { type: 'thinking' | 'redacted_thinking'; [field: string]: unknown };

export interface Turn {
  role: 'user' | 'assistant';
  content: Block[];
}

function push(turns: Turn[], role: Turn['role'], block: Block): void {
  const last = turns.at(-1);
  if (last && last.role === role) last.content.push(block);
  else turns.push({ role, content: [block] });
}

export function buildTranscript(history: readonly SessionEvent[]): Turn[] {
  const turns: Turn[] = [];
  for (const event of history) {
    switch (event.type) {
      case 'user.message': {
        const text = textOf(event.content as Array<{ type: string; text?: string }>);
        if (text) push(turns, 'user', { type: 'text', text });
        break;
      }
      case 'agent.message': {
        const text = textOf(event.content as Array<{ type: string; text?: string }>);
        if (text) push(turns, 'assistant', { type: 'text', text });
        break;
      }
      case 'agent.thinking': {
        // Tool use with thinking needs the turn's thinking blocks back, first in its assistant turn.
        const blocks = (event as unknown as Record<string, unknown>)[THINKING_FIELD];
        if (!Array.isArray(blocks)) break;
        for (const block of blocks as Array<Record<string, unknown>>) {
          if (block['type'] === 'thinking' || block['type'] === 'redacted_thinking') push(turns, 'assistant', block as Block);
        }
        break;
      }
      case 'agent.tool_use':
        push(turns, 'assistant', { type: 'tool_use', id: event.id, name: event.name, input: event.input });
        break;
      case 'agent.tool_result':
        push(turns, 'user', {
          type: 'tool_result',
          tool_use_id: event.tool_use_id,
          content: textOf(event.content as Array<{ type: string; text?: string }> | undefined) || '(no output)',
          ...(event.is_error ? { is_error: true } : {}),
        });
        break;
      default:
        break;
    }
  }
  // The API needs the conversation to start with the user.
  if (turns[0]?.role !== 'user') turns.unshift({ role: 'user', content: [{ type: 'text', text: 'Investigate this incident.' }] });
  return turns;
}

/** Rough size in characters; ~4 characters a token. */
function sizeOf(turns: readonly Turn[]): number {
  let size = 0;
  for (const turn of turns) for (const block of turn.content) size += JSON.stringify(block).length;
  return size;
}

/**
 * Keeps the transcript under a budget by eliding the oldest tool results first (the
 * model keeps its own notes of them in the messages and hypotheses it wrote).
 */
export function compact(turns: Turn[], maxChars: number): { turns: Turn[]; elided: number } {
  let elided = 0;
  let size = sizeOf(turns);
  for (const turn of turns.slice(0, -2)) {
    if (size <= maxChars) break;
    for (const [index, block] of turn.content.entries()) {
      if (block.type !== 'tool_result' || block.content.length < 400) continue;
      const replacement = `[older result elided to save context: ${block.content.length} characters; call the tool again if you need it]`;
      size -= block.content.length - replacement.length;
      turn.content[index] = { ...block, content: replacement };
      elided += 1;
      if (size <= maxChars) break;
    }
  }
  return { turns, elided };
}
