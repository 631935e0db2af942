// What a scripted run answers when the agent asks to run a remediation action:
// `never` (the default: nobody is there to ask), `all`, or a list of action names.
import { InputError } from '../errors.js';
import { ACTION_TOOL_PREFIX } from '../protocol/tools.js';
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

export function decide(policy: ApprovePolicy, toolName: string): { allow: boolean; reason: string } {
  const action = toolName.startsWith(ACTION_TOOL_PREFIX) ? toolName.slice(ACTION_TOOL_PREFIX.length) : toolName;
  if (policy.kind === 'all') return { allow: true, reason: 'approved by --approve all' };
  if (policy.kind === 'some' && policy.actions.has(action)) return { allow: true, reason: `approved by --approve ${action}` };
  return {
    allow: false,
    reason:
      policy.kind === 'never'
        ? `denied: this scripted run approves no actions (rerun with --approve ${action}, or approve it in the TUI)`
        : `denied: ${action} is not in --approve`,
  };
}
