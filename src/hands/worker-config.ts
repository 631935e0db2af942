// The environment worker's configuration: what it mounts, how much a result may hold,
// which remediation actions and external MCP servers it offers, and the NAMES of the
// credentials it was given. It arrives as JSON (a file path or a string, never in argv
// for a string, since argv is visible to every user of the machine); credential VALUES
// arrive only in the worker's environment, under their declared names.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LiveConfigSchema } from '../live/config.js';

/** The environment variable that carries the configuration as a JSON string. */
export const CONFIG_ENV = 'INCIDENT_HANDS_CONFIG';
/** The environment variable that carries the path of a JSON configuration file. */
export const CONFIG_FILE_ENV = 'INCIDENT_HANDS_CONFIG_FILE';
/** Node's compile cache folder: the host sets it for this process alone, not for what it starts. */
export const COMPILE_CACHE_ENV = 'NODE_COMPILE_CACHE';

const NAME = /^[a-z0-9][a-z0-9_-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const ParameterConfigSchema = z.object({
  type: z.enum(['string', 'integer', 'number', 'boolean']),
  description: z.string().optional(),
  /** Defaults to true unless a default is given. */
  required: z.boolean().optional(),
  default: scalar.optional(),
  /** For strings: the whole value must match. */
  pattern: z.string().optional(),
  enum: z.array(scalar).min(1).optional(),
});

export const ActionConfigSchema = z.object({
  name: z.string().regex(NAME, 'an action name is lower-case letters, digits, "-" and "_"'),
  kind: z.string().default('other'),
  description: z.string().min(1),
  argv: z.array(z.string()).min(1),
  parameters: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), ParameterConfigSchema).default({}),
  timeoutMs: z.number().int().positive(),
  /** Names of declared credentials given to the process (as upper-cased environment variables). */
  credentials: z.array(z.string()).default([]),
});

export const McpServerConfigSchema = z.object({
  name: z.string().regex(NAME, 'a server name is lower-case letters, digits, "-" and "_"'),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string().regex(ENV_NAME), z.string()).default({}),
});

export const WorkerConfigSchema = z.object({
  /**
   * The mount root: the session's files laid out by bundle-relative path. Read-only. With
   * `bundleMap`, only the name the root is shown under.
   */
  bundleRoot: z.string().min(1),
  /** A JSON file listing the bundle's files and where their bytes are (MountMapSchema). */
  bundleMap: z.string().min(1).optional(),
  maxOutputChars: z.number().int().min(1_000),
  credentials: z
    .array(
      z.object({
        name: z.string().regex(ENV_NAME, 'a credential name must be usable as an environment variable name'),
        /** Where the host read it from; only used to say what to set when it is missing. */
        fromEnv: z.string().optional(),
      }),
    )
    .default([]),
  actions: z.array(ActionConfigSchema).default([]),
  mcpServers: z.array(McpServerConfigSchema).default([]),
  /** How long an external MCP server may take to start and list its tools. */
  serverStartTimeoutMs: z.number().int().positive().default(20_000),
  /** Live systems the SRE tools read as well as the mount (an environment's `sources`). */
  live: LiveConfigSchema.optional(),
});

/** A session's mount as a map: bundle path → the stored file that holds its bytes. */
export const MountMapSchema = z.object({
  files: z.array(z.object({ path: z.string().min(1), source: z.string().min(1), logIndex: z.string().min(1).optional() })),
});
export type MountMap = z.infer<typeof MountMapSchema>;

/**
 * Reads a mount map. The message of a failure names no path: the map lives in the runtime's
 * state folder, whose place is not the hands' to tell.
 */
export function readMountMap(file: string): MountMap {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new WorkerConfigError(`the session's file map cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WorkerConfigError("the session's file map is not valid JSON");
  }
  const parsed = MountMapSchema.safeParse(json);
  if (!parsed.success) throw new WorkerConfigError(`the session's file map is invalid: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export type ParameterConfig = z.infer<typeof ParameterConfigSchema>;
export type ActionConfig = z.infer<typeof ActionConfigSchema>;
export type McpServerConfig = z.infer<typeof McpServerConfigSchema>;
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;
/** The configuration as written, before defaults are filled in. */
export type WorkerConfigInput = z.input<typeof WorkerConfigSchema>;

/** The environment variable an action sees a credential under: `deploy_token` → `DEPLOY_TOKEN`. */
export function credentialEnvName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
}

/**
 * The keys a credential's value may arrive under in the worker's environment: its declared
 * name, and (from hosts that pass it the way actions see it) its upper-cased form. Both are
 * taken out of the environment that actions and external servers inherit.
 */
export function credentialKeys(name: string): string[] {
  const upper = credentialEnvName(name);
  return upper === name ? [name] : [name, upper];
}

export class WorkerConfigError extends Error {
  override readonly name = 'WorkerConfigError';
}

/** Validates a parsed configuration and checks what the schema cannot (argv placeholders, credential names). */
export function parseWorkerConfig(value: unknown): WorkerConfig {
  const parsed = WorkerConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new WorkerConfigError(`invalid worker configuration at ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const config = parsed.data;
  const credentialNames = new Set(config.credentials.map((credential) => credential.name));
  const seen = new Set<string>();
  for (const action of config.actions) {
    if (seen.has(action.name)) throw new WorkerConfigError(`action "${action.name}" is declared twice`);
    seen.add(action.name);
    if (/\{[A-Za-z_][A-Za-z0-9_]*\}/.test(action.argv[0] ?? '')) {
      throw new WorkerConfigError(`action "${action.name}": the command (argv[0]) must be fixed, not a parameter`);
    }
    for (const element of action.argv) {
      for (const [, name] of element.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
        if (name !== undefined && !(name in action.parameters)) {
          throw new WorkerConfigError(`action "${action.name}": argv uses {${name}}, which is not a declared parameter`);
        }
      }
    }
    for (const credential of action.credentials) {
      if (!credentialNames.has(credential)) {
        throw new WorkerConfigError(`action "${action.name}" names credential "${credential}", which is not declared`);
      }
    }
    for (const [name, parameter] of Object.entries(action.parameters)) {
      if (parameter.pattern !== undefined) {
        try {
          new RegExp(parameter.pattern, 'u');
        } catch {
          throw new WorkerConfigError(`action "${action.name}": parameter "${name}" has an invalid pattern`);
        }
      }
    }
  }
  for (const credential of config.live?.credentials ?? []) {
    if (!credentialNames.has(credential)) throw new WorkerConfigError(`the live sources name credential "${credential}", which is not declared`);
  }
  const servers = new Set<string>();
  for (const server of config.mcpServers) {
    if (servers.has(server.name)) throw new WorkerConfigError(`MCP server "${server.name}" is declared twice`);
    servers.add(server.name);
  }
  return config;
}

/**
 * Reads the configuration from `--config <file>` in argv, else from CONFIG_ENV (a JSON
 * string), else from CONFIG_FILE_ENV (a path).
 */
export function readWorkerConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): WorkerConfig {
  const flag = argv.indexOf('--config');
  const file = flag >= 0 ? argv[flag + 1] : env[CONFIG_FILE_ENV];
  const inline = flag >= 0 ? undefined : env[CONFIG_ENV];
  let text: string;
  if (inline !== undefined && inline !== '') {
    text = inline;
  } else if (file !== undefined && file !== '') {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new WorkerConfigError(`cannot read the worker configuration ${file}: ${(error as Error).message}`);
    }
  } else {
    throw new WorkerConfigError(`no worker configuration: pass --config <file>, or set ${CONFIG_ENV} to its JSON`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WorkerConfigError(`the worker configuration is not JSON: ${(error as Error).message}`);
  }
  return parseWorkerConfig(json);
}
