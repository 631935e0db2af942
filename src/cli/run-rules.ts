// The rules a scripted run answers by (which remediation actions it approves, how long
// it may take), recorded with its session as metadata: every runtime keeps it, and the
// local runtime logs the change as a `session.updated` event, so the rules are part of
// the history. A resume after a crash reads them back and answers the same way instead
// of waiting for a person nobody asked to be there.
import { formatPolicy, parseApprove, type ApprovePolicy } from './approvals.js';

const APPROVE_KEY = 'incident.approve';
const TIMEOUT_KEY = 'incident.timeout_ms';

export interface RunRules {
  approve: ApprovePolicy;
  /** How long the run may take; null: no limit. */
  timeoutMs: number | null;
}

export function rulesToMetadata(rules: RunRules): Record<string, string> {
  return {
    [APPROVE_KEY]: formatPolicy(rules.approve),
    ...(rules.timeoutMs !== null ? { [TIMEOUT_KEY]: String(Math.round(rules.timeoutMs)) } : {}),
  };
}

/** The rules a session was started with, or null for a session no scripted run started (the TUI's). */
export function rulesFromMetadata(metadata: Readonly<Record<string, string>> | null | undefined): RunRules | null {
  const approve = metadata?.[APPROVE_KEY];
  if (approve === undefined) return null;
  let policy: ApprovePolicy;
  try {
    policy = parseApprove([approve]);
  } catch {
    // Written by hand or by another tool: nobody decided, so nothing is answered for them.
    return null;
  }
  const timeout = Number(metadata?.[TIMEOUT_KEY]);
  return { approve: policy, timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : null };
}
