// What a scripted run answers when the agent asks to run a remediation action:
// `never` (the default: nobody is there to ask), `all`, or a list of action names. An
// action its environment says it cannot run (a credential missing, an argument refused)
// is denied with that reason whatever the policy: approving it would only run it to failure.
import { InputError } from '../errors.js';
import type { ActionCheck } from '../protocol/action-check.js';
import { ACTION_TOOL_PREFIX } from '../protocol/tools.js';
import { cannotRun } from '../render/index.js';
import { didYouMean } from './suggest.js';

export type ApprovePolicy = { kind: 'never' } | { kind: 'all' } | { kind: 'some'; actions: ReadonlySet<string> };

export function parseApprove(values: readonly string[] | undefined): ApprovePolicy {
  const items = (values ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  if (items.length === 0 || (items.length === 1 && items[0] === 'never')) return { kind: 'never' };
  if (items.length === 1 && items[0] === 'all') return { kind: 'all' };
  if (items.includes('never') || items.includes('all')) {
    throw new InputError('--approve takes never, all, or action names, not a mix', { hint: 'e.g. --approve rollback' });
  }
  return { kind: 'some', actions: new Set(items.map((item) => item.replace(new RegExp(`^${ACTION_TOOL_PREFIX}`), ''))) };
}

/** The policy as `--approve` would spell it (what a session records and a resume reads back). */
export function formatPolicy(policy: ApprovePolicy): string {
  return policy.kind === 'some' ? [...policy.actions].join(',') : policy.kind;
}

/**
 * Refuses action names the environment does not declare, before anything runs: a typo in
 * `--approve rolback` would otherwise deny the very action it meant to allow.
 */
export function checkApprove(policy: ApprovePolicy, actions: readonly string[], environment: string): void {
  if (policy.kind !== 'some') return;
  const allowed = `allowed: never, all${actions.length > 0 ? `, or the actions ${actions.join(', ')}` : ' (the environment declares no actions)'}`;
  for (const name of policy.actions) {
    if (actions.includes(name)) continue;
    throw new InputError(`--approve ${name} is not an action of ${environment}${didYouMean(name, [...actions, 'never', 'all'])}`, { hint: allowed });
  }
}

/**
 * The answer to one approval and the reason it is given (recorded as the deny message);
 * `by` names what approved it ("--approve rollback"), null for a denial.
 */
export function decide(policy: ApprovePolicy, toolName: string, check: ActionCheck | null = null): { allow: boolean; reason: string; by: string | null } {
  const action = toolName.startsWith(ACTION_TOOL_PREFIX) ? toolName.slice(ACTION_TOOL_PREFIX.length) : toolName;
  const blocked = cannotRun(check);
  if (blocked !== null) return { allow: false, reason: `it cannot run in environment ${check?.environment ?? 'its environment'}: ${blocked}`, by: null };
  if (policy.kind === 'all') return { allow: true, reason: 'approved by --approve all', by: '--approve all' };
  if (policy.kind === 'some' && policy.actions.has(action)) return { allow: true, reason: `approved by --approve ${action}`, by: `--approve ${action}` };
  return {
    allow: false,
    by: null,
    reason:
      policy.kind === 'never'
        ? `this scripted run approves no actions (rerun with --approve ${action}, or approve it in the TUI)`
        : `${action} is not in --approve`,
  };
}
