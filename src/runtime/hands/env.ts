// The environment the worker process gets: the allow-listed variables of the parent and
// the declared credentials under their declared names, nothing else. The model's API key,
// the runtime's own key and a worker's environment key never cross, even when a
// definition lists them.
import { HANDS_CONFIG_ENV } from './config.js';

/** What an environment allows when it says nothing. */
export const DEFAULT_ENV_ALLOW: readonly string[] = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

/** Never passed to the worker, whatever the allow-list says. */
const NEVER: ReadonlySet<string> = new Set(['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'INCIDENT_RUNTIME_KEY', 'INCIDENT_ENVIRONMENT_KEY', HANDS_CONFIG_ENV]);

export interface CredentialSource {
  /** The name the worker sees the value under. */
  name: string;
  /** The parent variable the value is read from. */
  fromEnv: string;
}

/** An allow-list entry ending in `*` admits every variable with that prefix (`LC_*`). */
function allowed(key: string, allow: readonly string[]): boolean {
  return allow.some((entry) => (entry.endsWith('*') ? key.startsWith(entry.slice(0, -1)) : key === entry));
}

export function buildWorkerEnv(
  parentEnv: Readonly<Record<string, string | undefined>>,
  allow: readonly string[],
  credentials: readonly CredentialSource[],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parentEnv)) {
    if (value === undefined || NEVER.has(key) || !allowed(key, allow)) continue;
    env[key] = value;
  }
  for (const credential of credentials) {
    const value = parentEnv[credential.fromEnv];
    if (value === undefined || value === '' || NEVER.has(credential.fromEnv) || NEVER.has(credential.name)) continue;
    env[credential.name] = value;
  }
  return env;
}
