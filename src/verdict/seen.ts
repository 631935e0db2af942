// Everything the tools returned in a session, searchable by exact reference.
import type { SessionEvent } from '../protocol/events.js';
import { textOf } from '../protocol/events.js';

export interface Seen {
  contains(ref: string): boolean;
}

export function collectSeen(history: readonly SessionEvent[]): Seen {
  const texts: string[] = [];
  for (const event of history) {
    if (event.type === 'agent.tool_result' && event.is_error !== true) {
      texts.push(textOf(event.content as Array<{ type: string; text?: string }> | undefined));
    }
  }
  const corpus = texts.join('\n');
  return {
    contains(ref: string): boolean {
      const needle = ref.trim();
      if (needle === '') return false;
      // Refs appear inside JSON strings, where quotes are escaped.
      return corpus.includes(needle) || corpus.includes(JSON.stringify(needle).slice(1, -1));
    },
  };
}
