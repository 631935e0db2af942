// The user's settings that outlive one command: $XDG_CONFIG_HOME/incident/config.yaml
// (else ~/.config/incident/config.yaml). Today it holds the runtime every command uses
// unless told otherwise (`runtime: cloud`), so a team on Claude Managed Agents says it
// once. Read only when a command needs it; a file that is not there is no setting.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { InputError } from '../errors.js';

export interface UserConfig {
  /** `local`, `cloud` or the URL of an `incident serve`, as --runtime takes it; unchecked here. */
  runtime?: string;
}

export function configPath(env: NodeJS.ProcessEnv): string {
  const xdg = env['XDG_CONFIG_HOME'];
  return join(xdg ? xdg : join(homedir(), '.config'), 'incident', 'config.yaml');
}

const KNOWN_KEYS = ['runtime'] as const;

/** The settings in the config file, or none when there is no file. A file that says something else is refused in one line. */
export async function readUserConfig(env: NodeJS.ProcessEnv): Promise<{ path: string; config: UserConfig }> {
  const path = configPath(env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, config: {} };
    throw new InputError(`${path} cannot be read: ${(error as Error).message}`, { hint: 'fix its permissions, or remove it' });
  }
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new InputError(`${path} is not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`, { hint: 'it holds settings like `runtime: cloud`' });
  }
  if (parsed === null || parsed === undefined) return { path, config: {} };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new InputError(`${path} must hold settings, one per line`, { hint: 'like `runtime: cloud`' });
  const record = parsed as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !(KNOWN_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) throw new InputError(`${path}: unknown setting ${unknown.join(', ')}`, { hint: `the settings are: ${KNOWN_KEYS.join(', ')}` });
  const runtime = record['runtime'];
  if (runtime !== undefined && typeof runtime !== 'string') throw new InputError(`${path}: runtime must be local, cloud or a URL`, { hint: 'like `runtime: cloud`' });
  return { path, config: runtime === undefined ? {} : { runtime } };
}
