// The configuration the host hands to the environment worker, as JSON. The worker, on the
// far side of a process boundary, validates the same shape with its own schema; the two
// are kept in step by a test. Nothing here is secret: credential values never travel in
// it, only their names.

export interface HandsParameterJson {
  type: 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  required?: boolean;
  default?: string | number | boolean;
  pattern?: string;
  enum?: Array<string | number | boolean>;
}

export interface HandsActionJson {
  name: string;
  kind?: string;
  description: string;
  argv: string[];
  parameters?: Record<string, HandsParameterJson>;
  timeoutMs: number;
  /** Names of declared credentials the action's process receives (as upper-cased variables). */
  credentials?: string[];
}

export interface HandsMcpServerJson {
  name: string;
  command: string;
  args?: string[];
  env?: Record<string, string>;
}

/**
 * A session's mount as a map: each file's bundle-relative path and the stored file that holds
 * its bytes. The worker reads these files and nothing else; nothing is copied to lay them out.
 */
export interface MountMapJson {
  /** `logIndex`: the log's index, built as it was uploaded, beside the stored bytes (store/blobs.ts). */
  files: Array<{ path: string; source: string; logIndex?: string }>;
}

/**
 * Live systems the SRE tools read (an environment's `sources`): the worker gathers from them
 * with the collector's readers and serves them as the bundle. Paths are absolute.
 */
export interface HandsLiveJson {
  prometheus?: string;
  alertmanager?: string;
  alert?: string;
  service?: string;
  git?: string[];
  gitRef?: string;
  gitServices?: Record<string, string>;
  logs?: string[];
  /** Names of declared credentials the log commands and git receive (as upper-cased variables). */
  credentials?: string[];
  since: string;
  until: string;
  timeoutMs: number;
  limits?: {
    points?: number;
    queries?: number;
    series?: number;
    services?: number;
    logBytes?: number;
    patchBytes?: number;
    changes?: number;
  };
}

export interface HandsConfigJson {
  /**
   * The mount root: a folder with the files laid out by bundle-relative path; with
   * `bundleMap`, only the name the root is shown under (/mnt/session/uploads).
   */
  bundleRoot: string;
  /** A JSON file holding a MountMapJson: the bundle is exactly the files it lists. */
  bundleMap?: string;
  maxOutputChars: number;
  /** Declared credentials by name; `fromEnv` only helps say what to set when one is missing. */
  credentials?: Array<{ name: string; fromEnv?: string }>;
  actions?: HandsActionJson[];
  mcpServers?: HandsMcpServerJson[];
  serverStartTimeoutMs?: number;
  /** Read these live systems as well as the mount. */
  live?: HandsLiveJson;
}

/** The worker reads its configuration (JSON) from this variable. */
export const HANDS_CONFIG_ENV = 'INCIDENT_HANDS_CONFIG';

/**
 * Node's compile cache folder, set for the worker process itself so its start reuses the
 * code the host's starts compiled; the worker withholds it from everything it starts.
 */
export const COMPILE_CACHE_ENV = 'NODE_COMPILE_CACHE';

/** The `_meta` key of a tools/call request that asks an action for a dry run. */
export const DRY_RUN_META = 'incident/dry_run';
