// The environment definition (environments/*.yaml): where the hands run, what they may
// see, the remediation actions they can take and the credentials those actions get.
// One schema; the types come from it. Durations are parsed to milliseconds.
import { z } from 'zod';
import { REMEDIATION_ACTIONS } from '../protocol/diagnosis.js';
import { alertMatcher } from './alert-matchers.js';
import { durationMs, parseDuration } from './duration.js';
import { definitionName, envVarName, intBetween, nonEmptyText, snakeName } from './fields.js';
import { describeValue, topLevelError } from './issues.js';

export const PARAMETER_TYPES = ['string', 'integer', 'number', 'boolean'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

export const WORKER_STARTS = ['lazy', 'eager'] as const;

/**
 * Where the hands of a session on this environment run: `local`, the runtime's own
 * environment worker; `client`, the process that drives the session (its SRE tool calls
 * are `agent.custom_tool_use` events it answers); `worker`, `incident worker` processes
 * serving the environment's work queue (a self-hosted environment).
 */
export const HANDS_PLACES = ['local', 'client', 'worker'] as const;
export type HandsPlace = (typeof HANDS_PLACES)[number];
/** The metadata key under which a runtime reports where an environment's hands run, when not in the runtime. */
export const HANDS_METADATA_KEY = 'incident.hands';
export const DEFAULT_MOUNT_ROOT = '/mnt/session/uploads';
export const DEFAULT_ENV_ALLOW = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'] as const;

/** Names that carry secrets; those reach a process only through `credentials`. */
export const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)/i;

const SCALAR_ALLOWED = 'a string, a number, or true or false';
const scalar = z.union([z.string(), z.number(), z.boolean()], {
  error: (issue) => (issue.input === undefined ? `is required (${SCALAR_ALLOWED})` : `must be ${SCALAR_ALLOWED}, not ${describeValue(issue.input)}`),
});

// YAML reads `5` and `true` as numbers and booleans; in argv and env they mean text.
const text = z.preprocess((value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value), z.string());

const allowedEnvName = envVarName.superRefine((name, ctx) => {
  if (name === 'ANTHROPIC_API_KEY') {
    ctx.addIssue({ code: 'custom', message: 'ANTHROPIC_API_KEY must never reach the worker: only the brain uses the API key, and the hands never see it' });
  } else if (SECRET_NAME.test(name)) {
    ctx.addIssue({
      code: 'custom',
      message: `${name} looks like a secret, and the worker never inherits secrets; declare it under credentials (name and from_env) and list it on the actions that need it`,
    });
  }
});

const mountPath = z
  .string()
  .refine((path) => path.startsWith('/') && !path.split('/').includes('..'), 'must be an absolute path without .. (like /mnt/session/uploads)');

export const ActionParameterSchema = z
  .strictObject({
    type: z.enum(PARAMETER_TYPES).default('string'),
    description: z.string().optional(),
    required: z.boolean().optional(),
    default: scalar.optional(),
    pattern: z.string().optional(),
    enum: z.array(scalar).min(1).optional(),
  })
  .transform(({ required, ...rest }) => ({ ...rest, required: required ?? rest.default === undefined }));

export const ActionSchema = z
  .strictObject({
    name: snakeName('rollback'),
    kind: z.enum(REMEDIATION_ACTIONS),
    description: nonEmptyText,
    argv: z.array(text).min(1),
    parameters: z.record(snakeName('service'), ActionParameterSchema).default({}),
    timeout: durationMs({ min: 1_000, max: 3_600_000 }).default(60_000),
    credentials: z.array(snakeName('deploy_token')).default([]),
  })
  .transform(({ timeout, ...rest }) => ({ ...rest, timeout_ms: timeout }));

export const CredentialSchema = z.strictObject({
  name: snakeName('deploy_token'),
  from_env: envVarName,
});

export const McpServerSchema = z.strictObject({
  name: definitionName,
  command: nonEmptyText,
  args: z.array(text).default([]),
  env: z.record(envVarName, text).default({}),
});

const WorkerSchema = z
  .strictObject({
    start: z.enum(WORKER_STARTS).default('lazy'),
    call_timeout: durationMs({ min: 100, max: 3_600_000 }).default(30_000),
    // A worker holds tens of megabytes: one left running per idle session adds up on a shared runtime.
    idle_timeout: durationMs({ min: 100, max: 86_400_000 }).default(300_000),
    max_output_chars: intBetween(1_000, 1_000_000).default(16_000),
    max_upload_bytes: intBetween(1, 2 ** 40).default(2 ** 31),
  })
  .transform(({ call_timeout, idle_timeout, ...rest }) => ({ ...rest, call_timeout_ms: call_timeout, idle_timeout_ms: idle_timeout }));

const httpUrl = z.string().refine((text) => {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an http(s) URL (like http://prometheus:9090)');

/** What `incident collect` would be told, per route: bounds on what one alert's bundle may hold. */
const IntakeLimitsSchema = z.strictObject({
  points: intBetween(2, 11_000).optional(),
  queries: intBetween(1, 1_000).optional(),
  series: intBetween(1, 1_000).optional(),
  services: intBetween(1, 50).optional(),
  log_bytes: intBetween(1024, 2 ** 34).optional(),
  patch_bytes: intBetween(1024, 2 ** 30).optional(),
  changes: intBetween(1, 10_000).optional(),
});

/**
 * One route of the alert intake: the alerts it takes (matchers on their labels, all of
 * which must hold) and how to collect the bundle for them. The window runs from `before`
 * the alert's start to `after` it (never past the moment the alert arrives).
 */
export const IntakeRouteSchema = z
  .strictObject({
    name: z.string().optional(),
    matchers: z.array(alertMatcher).min(1, 'needs at least one matcher (like alertname="HighLatency")'),
    prometheus: httpUrl.optional(),
    alertmanager: httpUrl.optional(),
    git: z.array(nonEmptyText).default([]),
    git_ref: nonEmptyText.optional(),
    git_services: z.record(z.string(), nonEmptyText).default({}),
    changes: z.array(nonEmptyText).default([]),
    logs: z.array(nonEmptyText).default([]),
    credentials: z.array(snakeName('kubeconfig')).default([]),
    window: z
      .strictObject({
        before: durationMs({ min: 60_000, max: 7 * 86_400_000 }).default(3_600_000),
        after: durationMs({ min: 0, max: 86_400_000 }).default(3_600_000),
      })
      .prefault({}),
    timeout: durationMs({ min: 100, max: 600_000 }).default(30_000),
    limits: IntakeLimitsSchema.prefault({}),
  })
  .transform(({ timeout, window, ...rest }) => ({ ...rest, timeout_ms: timeout, window: { before_ms: window.before, after_ms: window.after } }));

/** A time of a live window as people say it: `3h` (ago), `now`, `now-30m`, `alert-1h`, `alert+15m`, or an RFC 3339 time. */
const windowTime = z.string().refine((value) => {
  const text = value.trim();
  const relative = /^(now|alert)\s*(?:[+-]\s*(.+))?$/i.exec(text);
  if (relative) return relative[2] === undefined || parseDuration(relative[2].trim()) !== undefined;
  return parseDuration(text) !== undefined || !Number.isNaN(Date.parse(text));
}, 'must be a duration ago (3h), now, now-30m, alert-1h, alert+15m or an RFC 3339 time');

const absolutePath = nonEmptyText.refine((path) => path.startsWith('/'), 'must be an absolute path (the hands may run in another folder, or on another machine)');

/**
 * Live systems the SRE tools read instead of (or beside) the session's files: metrics from
 * Prometheus, changes from git, logs from commands, over a window around the page. The
 * page comes from the session's files, else from Alertmanager, else from `service`.
 */
export const SourcesSchema = z
  .strictObject({
    prometheus: httpUrl.optional(),
    alertmanager: httpUrl.optional(),
    /** The alert to take as the page from Alertmanager (default: the newest firing one). */
    alert: nonEmptyText.optional(),
    /** The paged service when neither the session's files nor Alertmanager name one. */
    service: nonEmptyText.optional(),
    git: z.array(absolutePath).default([]),
    git_ref: nonEmptyText.optional(),
    git_services: z.record(z.string(), nonEmptyText).default({}),
    logs: z.array(nonEmptyText).default([]),
    credentials: z.array(snakeName('kubeconfig')).default([]),
    window: z.strictObject({ since: windowTime.default('3h'), until: windowTime.default('now') }).prefault({}),
    timeout: durationMs({ min: 100, max: 600_000 }).default(30_000),
    limits: IntakeLimitsSchema.prefault({}),
  })
  .transform(({ timeout, ...rest }) => ({ ...rest, timeout_ms: timeout }));

export const IntakeSchema = z.strictObject({
  routes: z.array(IntakeRouteSchema).min(1, 'needs at least one route'),
});

export const EnvironmentDefinitionSchema = z.strictObject(
  {
    name: definitionName,
    description: z.string().default(''),
    // `local` is read as absent, so a definition that says it hashes as one that does not (and
    // definitions written before the field keep their hash).
    hands: z
      .enum(HANDS_PLACES)
      .optional()
      .transform((place) => (place === 'local' ? undefined : place)),
    // prefault (not default): an omitted section is parsed as `{}`, so its own defaults apply.
    mounts: z.strictObject({ root: mountPath.default(DEFAULT_MOUNT_ROOT) }).prefault({}),
    worker: WorkerSchema.prefault({}),
    env: z.strictObject({ allow: z.array(allowedEnvName).default([...DEFAULT_ENV_ALLOW]) }).prefault({}),
    credentials: z.array(CredentialSchema).default([]),
    actions: z.array(ActionSchema).default([]),
    mcp_servers: z.array(McpServerSchema).default([]),
    // Optional, without a default: a definition without it parses (and hashes) as before.
    intake: IntakeSchema.optional(),
    // Optional, without a default, for the same reason.
    sources: SourcesSchema.optional(),
  },
  { error: topLevelError('an environment definition', ['name']) },
);

/**
 * An environment as parsed from YAML, defaults applied and durations in milliseconds:
 * `{ name, description, hands?: 'client' | 'worker' (absent: local), mounts: { root }, worker: { start, call_timeout_ms, idle_timeout_ms,
 *    max_output_chars, max_upload_bytes }, env: { allow }, credentials: [{ name, from_env }],
 *    actions: ActionDefinition[], mcp_servers: McpServerDefinition[] }`.
 * (`worker.call_timeout: 30s` in the file is `worker.call_timeout_ms: 30000` here.)
 */
export type EnvironmentDefinition = z.output<typeof EnvironmentDefinitionSchema>;
/** Where a definition's hands run (absent: local). */
export function handsPlaceOf(definition: Pick<EnvironmentDefinition, 'hands'> | null): HandsPlace {
  return definition?.hands ?? 'local';
}
/** The worker's limits: `{ start: 'lazy' | 'eager', call_timeout_ms, idle_timeout_ms, max_output_chars, max_upload_bytes }`. */
export type WorkerSettings = EnvironmentDefinition['worker'];
/**
 * A remediation action, exposed as the tool `action_<name>`:
 * `{ name, kind, description, argv, parameters, timeout_ms (default 60000), credentials }`.
 * Each credential reaches the process as an env var named by its upper-cased name.
 */
export type ActionDefinition = z.output<typeof ActionSchema>;
/**
 * One action parameter: `{ type, required, description?, default?, pattern?, enum? }`.
 * `required` is resolved: true unless the file says otherwise or gives a default.
 */
export type ActionParameter = z.output<typeof ActionParameterSchema>;
/** A declared credential: its name on actions and the parent variable its value comes from. */
export type CredentialDefinition = z.output<typeof CredentialSchema>;
/**
 * A route of the alert intake (`incident serve --alertmanager`): `{ name?, matchers: [{label, op, value}],
 * prometheus?, alertmanager?, git, git_ref?, git_services, changes, logs, credentials,
 * window: { before_ms, after_ms }, timeout_ms, limits }`.
 */
export type IntakeRoute = z.output<typeof IntakeRouteSchema>;
/**
 * The live sources of the SRE tools: `{ prometheus?, alertmanager?, alert?, service?, git, git_ref?,
 * git_services, logs, credentials, window: { since, until }, timeout_ms, limits }`.
 */
export type SourcesDefinition = z.output<typeof SourcesSchema>;
/** Another MCP server whose tools join the toolset: `{ name, command, args, env }`. */
export type McpServerDefinition = z.output<typeof McpServerSchema>;
