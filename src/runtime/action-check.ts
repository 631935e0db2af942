// The check of a remediation action before a person is asked about it: a dry run in the
// session's own worker (the hands fill in the argv and look for the credentials exactly as
// a real call would, and run nothing), turned into the ActionCheck recorded on the tool
// use. The worker has the credentials or not; this side adds only where each one is read
// from, so the person is told what to set.
import type { ActionDefinition, EnvironmentDefinition } from '../definitions/index.js';
import type { ActionCheck } from '../protocol/action-check.js';
import { ACTION_TOOL_PREFIX } from '../protocol/tools.js';

export interface DryRun {
  text: string;
  isError: boolean;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function strings(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : null;
}

export function actionOf(definition: EnvironmentDefinition, toolName: string): ActionDefinition | null {
  if (!toolName.startsWith(ACTION_TOOL_PREFIX)) return null;
  return definition.actions.find((action) => action.name === toolName.slice(ACTION_TOOL_PREFIX.length)) ?? null;
}

/** The check of `action` from what its dry run answered. */
export function checkFromDryRun(definition: EnvironmentDefinition, action: ActionDefinition, dryRun: DryRun): ActionCheck {
  const base = { environment: definition.name, timeout_ms: action.timeout_ms, credentials: [...action.credentials] };
  const json = parseObject(dryRun.text);
  const summary = typeof json?.['summary'] === 'string' ? json['summary'] : null;
  if (dryRun.isError || json === null) {
    // The hands refused the call (an argument, the command): it cannot run as asked. Anything
    // else (the worker could not start, the check timed out) says nothing about the action.
    const refused = dryRun.isError && summary !== null;
    return {
      ...base,
      argv: strings(json?.['argv']),
      missing_credentials: [],
      can_run: refused ? false : null,
      problem: refused ? summary : `it could not be checked: ${dryRun.text.slice(0, 300)}`,
    };
  }
  const sources = new Map(definition.credentials.map((credential) => [credential.name, credential.from_env]));
  const missing = (strings(json['missing_credentials']) ?? []).map((name) => ({ name, from_env: sources.get(name) ?? null }));
  const names = missing.map((credential) => credential.name).join(', ');
  const variables = missing.flatMap((credential) => (credential.from_env === null ? [] : [credential.from_env])).join(', ');
  const problem =
    missing.length === 0
      ? null
      : `the credential${missing.length === 1 ? '' : 's'} ${names} ${missing.length === 1 ? 'is' : 'are'} not set where the runtime runs${variables === '' ? '' : ` (set ${variables})`}`;
  return { ...base, argv: strings(json['argv']), missing_credentials: missing, can_run: missing.length === 0, problem };
}
