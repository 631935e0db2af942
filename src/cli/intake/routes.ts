// Which intake route takes an alert, and the collection plan it makes of it. Routes come
// from the `intake:` sections of the environment definitions the operator loaded into
// `incident serve`; the first route (in file order) whose matchers all hold takes it.
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { collectLimits, type CollectPlan, type WebhookPayload } from '../../collect/index.js';
import { matchesAll, type EnvironmentDefinition, type IntakeRoute } from '../../definitions/index.js';

export interface IntakeTarget {
  /** The environment file the route is in: its sessions use that environment. */
  file: string;
  definition: EnvironmentDefinition;
  route: IntakeRoute;
  /** `file#routes[i]` or the route's own name, for the log. */
  label: string;
}

export function intakeTargets(served: ReadonlyArray<{ file: string; definition: EnvironmentDefinition }>): IntakeTarget[] {
  return served.flatMap(({ file, definition }) =>
    (definition.intake?.routes ?? []).map((route, index) => ({ file, definition, route, label: route.name ?? `${definition.name} route ${index + 1}` })),
  );
}

/** The labels a route is matched against: the group's common labels with each alert's own. */
export function matchRoute(targets: readonly IntakeTarget[], payload: WebhookPayload): IntakeTarget | null {
  const candidates = payload.alerts.filter((alert) => payload.status !== 'firing' || alert.status === 'firing');
  const labelSets = (candidates.length > 0 ? candidates : payload.alerts).map((alert) => ({ ...payload.commonLabels, ...alert.labels }));
  if (labelSets.length === 0) labelSets.push(payload.commonLabels);
  return targets.find((target) => labelSets.some((labels) => matchesAll(target.route.matchers, labels))) ?? null;
}

/** The API's metadata values hold 512 characters; a longer group key is kept as its hash. */
export function groupValue(groupKey: string): string {
  return groupKey.length <= 512 ? groupKey : `sha256:${createHash('sha256').update(groupKey).digest('hex')}`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)}s`;
}

/**
 * The plan for one alert group's episode. Its folder is named by the group and the page's
 * start, so a notification that comes again after serve stopped half-way continues the
 * same collection; a new episode of the group (it fired again after resolving) gets its own.
 */
export function planFor(target: IntakeTarget, payload: WebhookPayload, home: string): CollectPlan {
  const { route } = target;
  const base = dirname(resolve(target.file));
  const local = (path: string): string => (isAbsolute(path) ? path : resolve(base, path));
  const page = payload.alerts.find((alert) => alert.status === 'firing') ?? payload.alerts[0];
  const episode = (page?.startsAt ?? '').replace(/[^0-9TZ]/g, '').slice(0, 16) || 'now';
  const group = createHash('sha256').update(payload.groupKey).digest('hex').slice(0, 16);
  const limits = route.limits;
  return {
    out: join(home, 'intake', `${group}-${episode}`),
    alert: { kind: 'payload', payload, ...(route.alertmanager !== undefined ? { alertmanager: route.alertmanager } : {}) },
    since: `alert-${seconds(route.window.before_ms)}`,
    until: `alert+${seconds(route.window.after_ms)}`,
    ...(route.prometheus !== undefined ? { prometheus: route.prometheus } : {}),
    ...(route.git.length > 0 ? { git: { repos: route.git.map(local), ...(route.git_ref !== undefined ? { ref: route.git_ref } : {}), services: route.git_services } } : {}),
    ...(route.changes.length > 0 ? { changes: route.changes.map(local) } : {}),
    logs: route.logs.map((spec) => ({ spec })),
    cwd: base,
    timeoutMs: route.timeout_ms,
    limits: collectLimits({ ...limits, logBytes: limits.log_bytes, patchBytes: limits.patch_bytes }),
  };
}
