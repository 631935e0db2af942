// The remediation plan fitted to the cause, and the environment action (a tool named
// `action_<kind>`) that carries out its first step, with arguments filled from what the
// investigation knows. An action whose required arguments cannot be filled honestly is
// not proposed: a person should never approve a guess.
import type { RemediationStep } from '../../protocol/diagnosis.js';
import { ACTION_TOOL_PREFIX, type ToolSpec } from '../../protocol/tools.js';
import type { Conclusion } from './decide.js';
import { revertedBy } from './reverts.js';
import { isObject, iso } from './json.js';
import { flagKeyOf } from './identifiers.js';
import type { ChangeInfo } from './read.js';
import type { SignatureClass } from './signatures.js';

function forChange(change: ChangeInfo, changes: readonly ChangeInfo[]): RemediationStep[] {
  const service = change.service ?? 'the service';
  switch (change.type) {
    case 'config':
      return [{ action: 'revert_config', target: change.id, detail: `Revert ${change.id} on ${service} to the previous configuration.`, risk: 'low' }];
    case 'feature_flag':
      return [{ action: 'disable_flag', target: flagKeyOf(change) ?? change.id, detail: `Turn the flag of ${change.id} back off on ${service}.`, risk: 'low' }];
    case 'infra':
      return [{ action: 'rollback', target: change.id, detail: `Revert the infrastructure change ${change.id} (${service}).`, risk: 'medium' }];
    case 'rollback': {
      const reverted = revertedBy(change, changes);
      return [{ action: 'rollback', target: change.id, detail: `Undo ${change.id}${reverted ? ` and re-apply ${reverted.id}` : ''} on ${service}.`, risk: 'medium' }];
    }
    default:
      return [{ action: 'rollback', target: change.id, detail: `Roll ${service} back to the release before ${change.id}.`, risk: 'low' }];
  }
}

const INFRA_STEPS: Record<SignatureClass, Omit<RemediationStep, 'target'>> = {
  disk_full: { action: 'other', detail: 'Free disk space or grow the volume, fix what filled it, then restart the service.', risk: 'medium' },
  disk_slow: { action: 'failover', detail: 'Fail over to a replica on healthy storage (or move the workload off the degraded volume), then replace the volume.', risk: 'medium' },
  out_of_memory: { action: 'scale', detail: 'Give the service more memory or more replicas, then find what grew.', risk: 'medium' },
  certificate: { action: 'other', detail: 'Renew the certificate and roll it out, then fix the renewal that failed.', risk: 'low' },
  dns: { action: 'other', detail: 'Restore the DNS records the service resolves, then find what changed them.', risk: 'medium' },
  host: { action: 'failover', detail: 'Move the workload off the failing host or node.', risk: 'medium' },
  network: { action: 'failover', detail: 'Move the workload off the host whose network card is failing (fail over or drain it), then replace the instance.', risk: 'medium' },
  clock: { action: 'failover', detail: 'Move the workload off the host whose clock is wrong, then fix its time synchronisation.', risk: 'medium' },
  link: { action: 'failover', detail: 'Route around the failed link (a backup path with the capacity, or shed what can wait over it), and get the link repaired.', risk: 'medium' },
};

/** When the culprit was already undone, the plan says so instead of asking for it again. */
function alreadyUndone(change: ChangeInfo, undone: { by: ChangeInfo; eased: boolean | null }): RemediationStep[] {
  const outcome =
    undone.eased === true ? 'and the symptoms eased after it' : undone.eased === false ? 'but the symptoms did not ease after it' : 'and whether the symptoms eased after it could not be measured';
  const next =
    undone.eased === false
      ? `Keep ${change.id} undone and look for what else holds the symptoms up (data it left behind, caches, queues).`
      : `Nothing to roll back again: watch that the symptoms stay back to normal, and fix ${change.id} before shipping it again.`;
  return [{ action: 'other', target: change.id, detail: `Already done: ${undone.by.id} undid ${change.id} at ${iso(undone.by.at)}, ${outcome}. ${next}`, risk: 'low' }];
}

export function remediationFor(conclusion: Conclusion, changes: readonly ChangeInfo[], paged: string | null): RemediationStep[] {
  if (conclusion.kind === 'change') {
    const { undone } = conclusion.suspect;
    return undone ? alreadyUndone(conclusion.suspect.change, undone) : forChange(conclusion.suspect.change, changes);
  }
  if (conclusion.kind === 'unknown') {
    return [{ action: 'other', target: paged ?? 'the paged service', detail: 'No change to roll back: mitigate the symptoms and keep investigating what the bundle does not show.', risk: 'low' }];
  }
  const { cause } = conclusion;
  const target = cause.service ?? paged ?? 'the affected service';
  if (cause.category === 'capacity') {
    return [{ action: 'scale', target, detail: `Scale ${target} out (raise its replica count or autoscaler limit) until it keeps up.`, risk: 'low' }];
  }
  if (cause.category === 'dependency') {
    return [
      { action: 'failover', target, detail: `Fail over to another provider or region if ${target} has one.`, risk: 'medium' },
      { action: 'other', target, detail: `Otherwise wait ${target} out: fail fast and degrade gracefully instead of queueing on it.`, risk: 'low' },
    ];
  }
  const step = cause.signature ? INFRA_STEPS[cause.signature] : { action: 'other' as const, detail: 'Repair the failed infrastructure.', risk: 'medium' as const };
  return [{ ...step, ...(cause.host ? { detail: `${step.detail} The host: ${cause.host}.` } : {}), target }];
}

/** The action kind an environment tool carries out, from its name or its description. */
function kindOf(tool: ToolSpec): string {
  const described = /Remediation action \((\w+)\)/.exec(tool.description)?.[1];
  return described ?? tool.name.slice(ACTION_TOOL_PREFIX.length);
}

interface PropertySchema {
  type?: unknown;
  pattern?: unknown;
  enum?: unknown;
}

/** The value the investigation knows for an action parameter, by the parameter's name. */
function valueFor(name: string, step: RemediationStep, conclusion: Conclusion): string | null {
  const change = conclusion.kind === 'change' ? conclusion.suspect.change : null;
  const key = name.toLowerCase();
  if (/^(change|change_id|changeid)$/.test(key)) return change?.id ?? null;
  if (/^(flag|flag_key|flagkey|key)$/.test(key)) return step.action === 'disable_flag' ? step.target : null;
  if (/^(service|deployment|release|app|application|workload|name|target)$/.test(key)) {
    if (change) return change.service;
    return conclusion.kind === 'cause' ? conclusion.cause.service : null;
  }
  return null;
}

function fits(value: string, schema: PropertySchema): boolean {
  if (schema.type !== undefined && schema.type !== 'string') return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false;
  if (typeof schema.pattern === 'string') {
    try {
      if (!new RegExp(schema.pattern).test(value)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** The action call for the plan's first step, or null when no declared action fits it exactly. */
export function actionCall(tools: readonly ToolSpec[], step: RemediationStep, conclusion: Conclusion): { name: string; input: Record<string, unknown> } | null {
  const tool = [...tools]
    .filter((t) => t.name.startsWith(ACTION_TOOL_PREFIX) && kindOf(t) === step.action)
    .sort((a, b) => (a.name < b.name ? -1 : 1))[0];
  if (!tool) return null;
  const properties = isObject(tool.input_schema.properties) ? tool.input_schema.properties : {};
  const required = new Set(Array.isArray(tool.input_schema.required) ? tool.input_schema.required : []);
  const input: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(properties).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const schema = (isObject(raw) ? raw : {}) as PropertySchema;
    const value = valueFor(name, step, conclusion);
    if (value !== null && fits(value, schema)) input[name] = value;
    else if (required.has(name)) return null;
  }
  return { name: tool.name, input };
}
