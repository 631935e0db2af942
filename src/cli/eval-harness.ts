// A small in-process session for evaluation and tests: a brain runs against one bundle,
// its tool calls go straight to the SRE tools (no worker process), the runtime's own
// tools are answered as the runtime answers them, and every step is recorded as the
// events a real session would log. Event ids and times are counters, so two runs over
// the same bundle produce the same events.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Brain } from '../brains/brain.js';
import { openBundle } from '../bundle/index.js';
import { SRE_TOOLS, toolSpecs } from '../hands/tools/index.js';
import { DEFAULT_LIMITS, type ToolContext } from '../hands/tool.js';
import type { SessionEvent } from '../protocol/events.js';
import { ACTION_TOOL_PREFIX, RUNTIME_TOOL_NAMES, type ToolSpec } from '../protocol/tools.js';
import type { Diagnosis } from '../protocol/diagnosis.js';
import { answerRuntimeTool } from '../runtime/runtime-tools.js';

export interface ToolOutcome {
  text: string;
  isError: boolean;
}

export interface HarnessOptions {
  /** Extra tools offered to the brain (remediation actions, `action_*`). */
  extraTools?: readonly ToolSpec[];
  /** Answers an extra tool's call; by default every action is denied, as a person at the terminal might. */
  runExtra?: (name: string, input: Record<string, unknown>) => ToolOutcome;
  /** Answers a call in place of the tools and the verifier when it returns an outcome (to script a reply). */
  intercept?: (name: string, input: Record<string, unknown>, history: readonly SessionEvent[]) => ToolOutcome | null;
  /** Tool calls the turn may make (the runtime's default is 40). */
  maxSteps?: number;
  /** The first user message. */
  prompt?: string;
}

export interface HarnessRun {
  events: SessionEvent[];
  /** The accepted diagnosis, or null when none was accepted. */
  diagnosis: Diagnosis | null;
  toolCalls: Array<{ name: string; input: Record<string, unknown> }>;
}

const DENIED: ToolOutcome = { text: 'not run: denied by the person at the terminal', isError: true };

function acceptedDiagnosis(text: string): Diagnosis | null {
  try {
    const parsed = JSON.parse(text) as { accepted?: boolean; diagnosis?: Diagnosis };
    return parsed.accepted === true && parsed.diagnosis ? parsed.diagnosis : null;
  } catch {
    return null;
  }
}

/** Every file of a bundle but its answer key: an evaluated brain never sees truth.json. */
function filesWithoutAnswerKey(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !(entry.name === 'truth.json' && entry.parentPath === dir))
    .map((entry) => join(entry.parentPath, entry.name));
}

export async function runBrainOnBundle(brain: Brain, bundlePath: string, options: HarnessOptions = {}): Promise<HarnessRun> {
  const files = statSync(bundlePath).isDirectory() ? filesWithoutAnswerKey(bundlePath) : [];
  const bundle = await openBundle(files.length > 0 ? files : bundlePath);
  const controller = new AbortController();
  const context: ToolContext = { bundle, roots: [bundle.root], signal: controller.signal, limits: DEFAULT_LIMITS };
  const tools: ToolSpec[] = [...toolSpecs(), ...(options.extraTools ?? [])];
  const maxSteps = options.maxSteps ?? 40;
  const events: SessionEvent[] = [];
  const toolCalls: HarnessRun['toolCalls'] = [];
  let diagnosis: Diagnosis | null = null;
  let counter = 0;
  const append = (event: Record<string, unknown>): string => {
    counter += 1;
    const id = `sevt_${String(counter).padStart(6, '0')}`;
    events.push({ ...event, id, processed_at: new Date(Date.UTC(2000, 0, 1) + counter * 1000).toISOString() } as unknown as SessionEvent);
    return id;
  };
  append({ type: 'user.message', content: [{ type: 'text', text: options.prompt ?? 'Investigate the incident in the mounted bundle.' }] });

  let calls = 0;
  // A brain that keeps calling tools is stopped by the budget, as the runtime stops it.
  for (let guard = 0; guard <= maxSteps; guard++) {
    const step = await brain.step({
      sessionId: 'sesn_eval',
      model: brain.provider,
      system: '',
      tools,
      history: events,
      stepsLeft: maxSteps - calls,
      signal: controller.signal,
    });
    const uses: Array<{ id: string; name: string; input: Record<string, unknown> }> = [];
    for (const output of step.outputs) {
      if (output.kind === 'message') {
        append({ type: 'agent.message', content: [{ type: 'text', text: output.text }] });
      } else {
        const id = append({ type: 'agent.tool_use', name: output.name, input: output.input, evaluated_permission: output.name.startsWith(ACTION_TOOL_PREFIX) ? 'ask' : 'allow' });
        uses.push({ id, name: output.name, input: output.input });
      }
    }
    if (uses.length === 0) break;
    for (const use of uses) {
      calls += 1;
      toolCalls.push({ name: use.name, input: use.input });
      const outcome = await runTool(use, events, context, options);
      append({ type: 'agent.tool_result', tool_use_id: use.id, content: [{ type: 'text', text: outcome.text }], is_error: outcome.isError });
      if (use.name === 'submit_diagnosis' && !outcome.isError) diagnosis = acceptedDiagnosis(outcome.text) ?? diagnosis;
    }
    if (calls >= maxSteps) break;
  }
  return { events, diagnosis, toolCalls };
}

async function runTool(
  use: { id: string; name: string; input: Record<string, unknown> },
  history: readonly SessionEvent[],
  context: ToolContext,
  options: HarnessOptions,
): Promise<ToolOutcome> {
  const scripted = options.intercept?.(use.name, use.input, history);
  if (scripted) return scripted;
  if ((RUNTIME_TOOL_NAMES as readonly string[]).includes(use.name)) {
    return answerRuntimeTool({ id: use.id, seq: 0, name: use.name, input: use.input, permission: 'allow' }, history);
  }
  const tool = SRE_TOOLS.find((candidate) => candidate.name === use.name);
  if (tool) {
    const result = await tool.run(use.input, context);
    return { text: result.text, isError: result.isError === true };
  }
  if (options.extraTools?.some((spec) => spec.name === use.name)) return options.runExtra?.(use.name, use.input) ?? DENIED;
  return { text: `unknown tool ${use.name}`, isError: true };
}
