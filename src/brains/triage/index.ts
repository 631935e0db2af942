// The offline triage brain: a deterministic SRE investigation made only of tool calls,
// the same calls a model would make. It is stateless: each step replays the
// investigation against the session's log and returns the first call not yet answered
// (with what it has to say since the last one), so the same bundle always yields the
// same events and a resumed session continues where it stopped. Once a diagnosis stands,
// a new message is a follow-up question, answered with the calls it needs.
import type { Brain, BrainContext, BrainStep } from '../brain.js';
import { ZERO_USAGE } from '../brain.js';
import type { SessionEvent } from '../../protocol/events.js';
import { textOf } from '../../protocol/events.js';
import { answerFollowUp } from './followup.js';
import { investigate, type Investigation } from './investigate.js';
import { callsThisTurn, Pending, Replay } from './replay.js';

/** Where the first turn ended with a diagnosis: the index of the next user message, which starts the follow-ups. */
function followUpsStart(history: readonly SessionEvent[]): number | null {
  const diagnosisCalls = new Set<string>();
  let diagnosed = false;
  for (const [index, event] of history.entries()) {
    if (event.type === 'agent.tool_use' && event.name === 'submit_diagnosis') diagnosisCalls.add(event.id);
    else if (event.type === 'agent.tool_result' && diagnosisCalls.has(event.tool_use_id) && event.is_error !== true) diagnosed = true;
    else if (event.type === 'user.message' && diagnosed) return index;
  }
  return null;
}

/** The text of the last message a person sent. */
function lastQuestion(history: readonly SessionEvent[]): string {
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const event = history[i];
    if (event?.type === 'user.message') return textOf(event.content as Array<{ type: string; text?: string }>);
  }
  return '';
}

/** The investigation of the first turn, replayed from its answers (null if it cannot be replayed). */
async function firstInvestigation(history: readonly SessionEvent[], budget: number, context: BrainContext): Promise<Investigation | null> {
  try {
    return await investigate(new Replay(history, budget), context.tools);
  } catch (error) {
    if (error instanceof Pending) return null;
    throw error;
  }
}

export function createTriageBrain(): Brain {
  return {
    provider: 'triage',
    async step(context: BrainContext): Promise<BrainStep> {
      const budget = Math.max(0, context.stepsLeft) + callsThisTurn(context.history);
      const start = followUpsStart(context.history);
      const replay = new Replay(context.history, budget);
      try {
        if (start === null) await investigate(replay, context.tools);
        else await answerFollowUp(replay, lastQuestion(context.history), await firstInvestigation(context.history.slice(0, start), budget, context));
      } catch (error) {
        if (error instanceof Pending) return { outputs: error.outputs, usage: ZERO_USAGE };
        throw error;
      }
      return { outputs: replay.finish(), usage: ZERO_USAGE };
    },
  };
}
