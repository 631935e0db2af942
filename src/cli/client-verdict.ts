// The runtime's own tools, answered on the client for a runtime that does not run them.
// The local runtime answers note_hypothesis and submit_diagnosis itself, because the
// verifier needs the session's history; Claude Managed Agents sees them as custom tools
// like the others, so the client answers them with the same code over the history it
// reads from the cloud: a diagnosis is accepted only when every claim checks out against
// what the tools returned in this session, whichever runtime ran the loop.
import type Anthropic from '@anthropic-ai/sdk';
import { listHistory } from '../client/follow.js';
import { runnableHands, type RunnableHandsTool } from '../hands/runnable-tools.js';
import { toolSpecs } from '../hands/tools/index.js';
import { RUNTIME_TOOL_NAMES } from '../protocol/tools.js';
import { brainHistory } from '../runtime/brain-view.js';
import { answerRuntimeTool } from '../runtime/runtime-tools.js';

export function clientVerdictTools(client: Anthropic, sessionId: string): RunnableHandsTool[] {
  const specs = toolSpecs().filter((spec) => (RUNTIME_TOOL_NAMES as readonly string[]).includes(spec.name));
  return runnableHands({
    specs,
    hands: async () => ({
      async call(name, input, { toolUseId }) {
        // Read at the call: everything the tools returned before it is in the log by now.
        const events = await listHistory(client, sessionId);
        const history = brainHistory(events.map((event, seq) => ({ seq, event: event as unknown as { id: string; type: string; processed_at: string } })));
        return answerRuntimeTool({ id: toolUseId, seq: events.length, name, input, permission: 'allow', kind: 'custom' }, history);
      },
    }),
    // The answer is made of what the log already holds (redacted where it was written).
    redact: (text) => text,
  });
}
