// Folding tool steps: a use opens a card, a confirmation answers an approval, a result
// closes the card. note_hypothesis uses and submit_diagnosis results also feed the
// hypothesis panel and the diagnosis.
import type { ActionCheck } from '../protocol/action-check.js';
import { HypothesisSchema } from '../protocol/diagnosis.js';
import { textOf } from '../protocol/events.js';
import { settle, toolKey, type Draft } from './draft.js';
import { isRecord, msBetween } from './format.js';
import { keyArguments } from './key-args.js';
import { parseAcceptedDiagnosis, summarizeResult } from './tool-result.js';
import type { ToolCallView, ToolKind } from './view.js';

export interface ToolUse {
  id: string;
  name: string;
  kind: ToolKind;
  input: Readonly<Record<string, unknown>>;
  permission: 'allow' | 'ask' | 'deny' | null;
  at: string | null;
  check: ActionCheck | null;
}

export interface ToolOutcome {
  toolUseId: string;
  content: ReadonlyArray<{ type: string; text?: string }> | undefined;
  isError: boolean;
  at: string | null;
}

export function startTool(draft: Draft, use: ToolUse): void {
  if (draft.tools.has(use.id)) return;
  const denied = use.permission === 'deny';
  const tool: ToolCallView = {
    id: use.id,
    name: use.name,
    kind: use.kind,
    input: use.input,
    keyArgs: keyArguments(use.name, use.input),
    permission: use.permission,
    state: denied ? 'denied' : use.permission === 'ask' ? 'awaiting_approval' : 'running',
    startedAt: use.at,
    finishedAt: denied ? use.at : null,
    durationMs: null,
    summary: denied ? 'denied by policy' : null,
    isError: false,
    resultText: null,
    confirmation: null,
    check: use.check,
  };
  draft.tools.set(use.id, tool);
  draft.toolOrder.push(use.id);
  draft.thinking = false;
  const item = { kind: 'tool', key: toolKey(use.id), toolUseId: use.id } as const;
  if (denied) draft.settled.push(item);
  else draft.live.push(item);
  if (tool.state === 'awaiting_approval') draft.pendingApprovals.push(use.id);
  if (use.name === 'note_hypothesis') noteHypothesis(draft, use);
}

function removePending(draft: Draft, toolUseId: string): void {
  const index = draft.pendingApprovals.indexOf(toolUseId);
  if (index !== -1) draft.pendingApprovals.splice(index, 1);
}

export function confirmTool(
  draft: Draft,
  confirmation: { toolUseId: string; result: 'allow' | 'deny'; denyMessage: string | null; at: string | null },
): void {
  removePending(draft, confirmation.toolUseId);
  const tool = draft.tools.get(confirmation.toolUseId);
  if (!tool || tool.state !== 'awaiting_approval') return;
  const answered = { result: confirmation.result, denyMessage: confirmation.denyMessage, at: confirmation.at };
  if (confirmation.result === 'allow') {
    draft.tools.set(tool.id, { ...tool, state: 'running', confirmation: answered });
    return;
  }
  draft.tools.set(tool.id, {
    ...tool,
    state: 'denied',
    confirmation: answered,
    finishedAt: confirmation.at,
    summary: confirmation.denyMessage ?? 'denied',
  });
  settle(draft, toolKey(tool.id));
}

export function finishTool(draft: Draft, outcome: ToolOutcome): void {
  removePending(draft, outcome.toolUseId);
  delete draft.toolOutput[outcome.toolUseId];
  const text = textOf(outcome.content);
  const known = draft.tools.get(outcome.toolUseId);
  // A result whose use is not in the history still gets a card.
  const tool: ToolCallView = known ?? {
    id: outcome.toolUseId,
    name: 'unknown tool',
    kind: 'tool',
    input: {},
    keyArgs: '',
    permission: null,
    state: 'running',
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    summary: null,
    isError: false,
    resultText: null,
    confirmation: null,
    check: null,
  };
  const ranFrom = tool.confirmation?.result === 'allow' ? tool.confirmation.at : tool.startedAt;
  const finished: ToolCallView = {
    ...tool,
    state: outcome.isError ? 'failed' : 'done',
    finishedAt: outcome.at,
    durationMs: msBetween(ranFrom, outcome.at),
    summary: summarizeResult(text),
    isError: outcome.isError,
    resultText: text,
  };
  draft.tools.set(tool.id, finished);
  if (known) {
    settle(draft, toolKey(tool.id));
  } else {
    draft.toolOrder.push(tool.id);
    draft.settled.push({ kind: 'tool', key: toolKey(tool.id), toolUseId: tool.id });
  }
  if (tool.name === 'submit_diagnosis') recordDiagnosis(draft, finished, text);
}

function recordDiagnosis(draft: Draft, tool: ToolCallView, text: string): void {
  const diagnosis = tool.isError ? null : parseAcceptedDiagnosis(text);
  if (diagnosis) {
    draft.diagnosis = { toolUseId: tool.id, value: diagnosis, at: tool.finishedAt };
    return;
  }
  draft.rejectedDiagnoses.push({
    toolUseId: tool.id,
    reason: tool.summary || 'the diagnosis was not accepted',
    at: tool.finishedAt,
  });
}

function noteHypothesis(draft: Draft, use: ToolUse): void {
  const parsed = HypothesisSchema.safeParse(use.input);
  if (!parsed.success) return;
  const hypothesis = parsed.data;
  const earlier = draft.hypotheses[hypothesis.id];
  if (!earlier) draft.hypothesisOrder.push(hypothesis.id);
  draft.hypotheses[hypothesis.id] = {
    ...earlier,
    ...hypothesis,
    // An update that leaves out evidence keeps what was noted before, and says when that was.
    evidence: hypothesis.evidence.length > 0 ? hypothesis.evidence : (earlier?.evidence ?? []),
    evidenceStatus: hypothesis.evidence.length > 0 ? hypothesis.status : (earlier?.evidenceStatus ?? null),
    toolUseId: use.id,
    firstAt: earlier?.firstAt ?? use.at,
    updatedAt: use.at,
    statuses: earlier ? [...earlier.statuses, hypothesis.status] : [hypothesis.status],
  };
}

/** The session stopped: tools still running will not report, except those it waits on. */
export function stopRunningTools(draft: Draft, waitingOn: ReadonlySet<string>, at: string | null): void {
  for (const item of draft.live.slice()) {
    if (item.kind !== 'tool') continue;
    const tool = draft.tools.get(item.toolUseId);
    if (!tool || tool.state !== 'running' || waitingOn.has(tool.id)) continue;
    draft.tools.set(tool.id, { ...tool, state: 'stopped', finishedAt: at, summary: 'no result: the session stopped first' });
    delete draft.toolOutput[tool.id];
    settle(draft, item.key);
  }
}

/** Streamed output kept per running tool: enough for the last lines, never the whole log. */
const MAX_TOOL_OUTPUT_CHARS = 4000;

/**
 * A runtime's stream-only `agent.tool_output` frame (what a running tool printed so far).
 * It is not part of the API's event union, so it is recognised by shape.
 */
export function toolOutputFrame(event: unknown): { toolUseId: string; text: string } | null {
  if (!isRecord(event) || event['type'] !== 'agent.tool_output') return null;
  const toolUseId = event['tool_use_id'];
  const text = event['text'];
  return typeof toolUseId === 'string' && typeof text === 'string' ? { toolUseId, text } : null;
}

/** Output of a tool still running; chunks that arrive after its result are dropped. */
export function appendToolOutput(draft: Draft, toolUseId: string, text: string): void {
  if (draft.tools.get(toolUseId)?.state !== 'running') return;
  const joined = (draft.toolOutput[toolUseId] ?? '') + text;
  draft.toolOutput[toolUseId] = joined.length > MAX_TOOL_OUTPUT_CHARS ? joined.slice(-MAX_TOOL_OUTPUT_CHARS) : joined;
}
