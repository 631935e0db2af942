// A scripted brain and in-memory hands for runtime tests: the brain plays a fixed
// list of steps, one per call, deterministic across restarts (it reads the log to
// know which step it is on).
import type { Brain, BrainContext, BrainStep } from '../../src/brains/brain.js';
import { ZERO_USAGE } from '../../src/brains/brain.js';
import type { Hands, RuntimeDeps } from '../../src/runtime/deps.js';

export type ScriptStep = BrainStep['outputs'];

export function scriptedBrain(steps: readonly ScriptStep[]): Brain {
  return {
    provider: 'scripted',
    async step(context: BrainContext): Promise<BrainStep> {
      const done = context.history.filter((event) => event.type === 'span.model_request_end').length;
      const outputs = steps[done] ?? [{ kind: 'message', text: 'done' }];
      return { outputs, usage: ZERO_USAGE };
    },
  };
}

export function echoHands(calls: string[] = [], delayMs = 0): Hands {
  return {
    async call(name, input, { signal }) {
      calls.push(name);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (signal.aborted) return { text: 'aborted', isError: true };
      return { text: JSON.stringify({ summary: `${name} ran`, input }), isError: false };
    },
    extraTools: () => [],
    async close() {},
  };
}

export function scriptedDeps(steps: readonly ScriptStep[], hands: Hands = echoHands()): RuntimeDeps {
  return { brainFor: () => scriptedBrain(steps), handsFor: () => hands };
}
