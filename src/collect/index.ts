// Collecting an incident bundle from live systems (Prometheus, Alertmanager, git, logs):
// `incident collect` and the alert intake of `incident serve` both go through collect().
export { collect, type CollectOptions, type CollectResult } from './collect.js';
export { collectLimits, DEFAULT_LIMITS, planKey, type AlertSource, type CollectLimits, type CollectPlan, type GitOptions, type LogSpec, type WebhookAlert, type WebhookPayload } from './plan.js';
export { describeProblem, silentProgress, type CollectProblem, type Progress } from './problems.js';
export { checkTimeSpec, DEFAULT_SINCE, DEFAULT_UNTIL, type TimeSpec, type Window } from './window.js';
export { baseUrl } from './http.js';
export { pageOf, serviceOfLabels } from './alert.js';
export { readManifest } from './manifest.js';
