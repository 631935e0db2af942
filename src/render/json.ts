// Machine output: the --json result (the diagnosis plus what a script needs to trust
// it) and --ndjson lines (every event, exactly as the log holds it).
import type { Diagnosis } from '../protocol/diagnosis.js';
import type { StreamEvent } from '../protocol/events.js';
import { elapsedMs } from './fold.js';
import { outcomeOf, type Outcome } from './outcome.js';
import type { SessionInfo, SessionView } from './view.js';

export interface DiagnosisJson {
  session_id: string | null;
  title: string | null;
  status: SessionView['status'];
  outcome: Outcome;
  diagnosis: Diagnosis | null;
  rejected: Array<{ tool_use_id: string; reason: string }>;
  hypotheses: Array<{ id: string; statement: string; status: string; evidence: Diagnosis['evidence'] }>;
  pending_approvals: Array<{ tool_use_id: string; name: string; input: Readonly<Record<string, unknown>> }>;
  errors: Array<{ type: string; message: string; retry_status: string | null }>;
  usage: {
    requests: number;
    input_tokens: number;
    output_tokens: number;
    cache_read_input_tokens: number;
    cache_creation_input_tokens: number;
    model: string | null;
    cost_usd: number | null;
  };
  tool_calls: number;
  elapsed_ms: number | null;
}

/** The final result as a JSON-ready object (the CLI stringifies it). */
export function diagnosisToJson(view: SessionView, info?: Pick<SessionInfo, 'id' | 'title' | 'createdAt'>): DiagnosisJson {
  return {
    session_id: info?.id ?? null,
    title: view.title ?? info?.title ?? null,
    status: view.status,
    outcome: outcomeOf(view),
    diagnosis: view.diagnosis?.value ?? null,
    rejected: view.rejectedDiagnoses.map((rejection) => ({ tool_use_id: rejection.toolUseId, reason: rejection.reason })),
    hypotheses: view.hypothesisOrder.flatMap((id) => {
      const hypothesis = view.hypotheses[id];
      return hypothesis ? [{ id, statement: hypothesis.statement, status: hypothesis.status, evidence: hypothesis.evidence }] : [];
    }),
    pending_approvals: view.pendingApprovals.flatMap((id) => {
      const tool = view.tools.get(id);
      return tool ? [{ tool_use_id: id, name: tool.name, input: tool.input }] : [];
    }),
    errors: view.errors.map((error) => ({ type: error.type, message: error.message, retry_status: error.retryStatus })),
    usage: {
      requests: view.usage.requests,
      input_tokens: view.usage.inputTokens,
      output_tokens: view.usage.outputTokens,
      cache_read_input_tokens: view.usage.cacheReadInputTokens,
      cache_creation_input_tokens: view.usage.cacheCreationInputTokens,
      model: view.usage.model,
      cost_usd: view.usage.costUsd,
    },
    tool_calls: view.toolOrder.length,
    // A finished session's elapsed time does not depend on the clock.
    elapsed_ms: elapsedMs(view, Date.now(), info?.createdAt),
  };
}

/** One event as one NDJSON line (no trailing newline; JSON escapes any inside). */
export function toNdjsonLine(event: StreamEvent): string {
  return JSON.stringify(event);
}
