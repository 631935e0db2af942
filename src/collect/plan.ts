// What a collection is asked to do: which live sources to read, over which window, within
// which bounds. `incident collect` builds one from its flags, the alert intake of `incident
// serve` from an environment's `intake` route; the collector itself reads nothing else.
import { createHash } from 'node:crypto';
import type { TimeSpec } from './window.js';

/** An Alertmanager webhook payload (`version: "4"`), as the bundle's alert.json holds it. */
export interface WebhookPayload {
  version: string;
  groupKey: string;
  status: string;
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
  truncatedAlerts?: number;
}

export interface WebhookAlert {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** Where the page comes from: Alertmanager's API, a webhook already received, or by hand. */
export type AlertSource =
  | { kind: 'alertmanager'; url: string; alertname?: string; fingerprint?: string }
  | { kind: 'payload'; payload: WebhookPayload; alertmanager?: string }
  | { kind: 'manual'; service: string; title?: string; severity?: string; startedAt?: string };

/** A log source as given: a file, a glob, or a command line (`name=` in front names the log). */
export interface LogSpec {
  spec: string;
}

export interface CollectLimits {
  /** Points per series a query_range may return; the step is chosen to stay under it. */
  points: number;
  /** query_range calls in all (the signals are ranked, the least telling dropped first). */
  queries: number;
  /** Series one query may keep; the rest are cut (and recorded). */
  seriesPerQuery: number;
  /** Services to collect metrics of: the paged one and its nearest neighbours. */
  services: number;
  /** Bytes one log source may write (its latest lines are kept). */
  logBytes: number;
  /** Bytes one patch may hold. */
  patchBytes: number;
  /** Changes one repository may contribute (the latest are kept). */
  changesPerRepo: number;
}

export const DEFAULT_LIMITS: CollectLimits = {
  points: 300,
  queries: 60,
  seriesPerQuery: 20,
  services: 6,
  logBytes: 16 * 1024 * 1024,
  patchBytes: 256 * 1024,
  changesPerRepo: 200,
};

/** The bounds a definition gives, in its own words (`series` per query, `changes` per repository), over the defaults. */
export interface GivenLimits {
  points?: number | undefined;
  queries?: number | undefined;
  series?: number | undefined;
  services?: number | undefined;
  logBytes?: number | undefined;
  patchBytes?: number | undefined;
  changes?: number | undefined;
}

export function collectLimits(given: GivenLimits): CollectLimits {
  return {
    points: given.points ?? DEFAULT_LIMITS.points,
    queries: given.queries ?? DEFAULT_LIMITS.queries,
    seriesPerQuery: given.series ?? DEFAULT_LIMITS.seriesPerQuery,
    services: given.services ?? DEFAULT_LIMITS.services,
    logBytes: given.logBytes ?? DEFAULT_LIMITS.logBytes,
    patchBytes: given.patchBytes ?? DEFAULT_LIMITS.patchBytes,
    changesPerRepo: given.changes ?? DEFAULT_LIMITS.changesPerRepo,
  };
}

export interface GitOptions {
  repos: readonly string[];
  /** The line of history that counts as deployed (default HEAD, followed by first parent). */
  ref?: string;
  /** `path prefix or repository name → service`, for monorepos and repositories not named after their service. */
  services?: Readonly<Record<string, string>>;
}

export interface CollectPlan {
  /** The bundle folder to write (created if missing; continued when it holds this plan's manifest). */
  out: string;
  alert: AlertSource | null;
  /** The paged service, when the alert does not say it (or to override it). */
  service?: string;
  since: TimeSpec;
  until: TimeSpec;
  prometheus?: string;
  git?: GitOptions;
  /** changes.yaml / changes.json files to merge in (what git does not know). */
  changes?: readonly string[];
  logs?: readonly LogSpec[];
  /** The folder relative log paths are read from (default: the current one). */
  cwd?: string;
  /** Per request to a source or per command, in milliseconds. */
  timeoutMs: number;
  limits: CollectLimits;
}

/**
 * The identity of a plan: what it asks for, never where it writes or when it ran. A
 * rerun of the same command has the same key and so continues the same folder.
 */
export function planKey(plan: CollectPlan): string {
  const { out: _out, alert, ...rest } = plan;
  // A webhook's payload changes with every notification; its group is what stays.
  const page = alert?.kind === 'payload' ? { kind: 'payload', group: alert.payload.groupKey, alertmanager: alert.alertmanager ?? null } : alert;
  return createHash('sha256').update(JSON.stringify({ ...rest, alert: page })).digest('hex').slice(0, 16);
}
