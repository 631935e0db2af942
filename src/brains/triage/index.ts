// The offline triage brain: a deterministic SRE investigation made only of tool calls,
// the same calls a model would make. It is stateless: each step replays the
// investigation against the session's log and returns the first call not yet answered
// (with what it has to say since the last one), so the same bundle always yields the
// same events and a resumed session continues where it stopped.
import type { Brain, BrainContext, BrainStep } from '../brain.js';
import { ZERO_USAGE } from '../brain.js';
import { investigate } from './investigate.js';
import { callsThisTurn, Pending, Replay } from './replay.js';

export function createTriageBrain(): Brain {
  return {
    provider: 'triage',
    async step(context: BrainContext): Promise<BrainStep> {
      const budget = Math.max(0, context.stepsLeft) + callsThisTurn(context.history);
      const replay = new Replay(context.history, budget);
      try {
        await investigate(replay, context.tools);
      } catch (error) {
        if (error instanceof Pending) return { outputs: error.outputs, usage: ZERO_USAGE };
        throw error;
      }
      return { outputs: replay.finish(), usage: ZERO_USAGE };
    },
  };
}
