// Options several commands share, each checked where it is parsed: a value outside what
// the option takes is refused in one line naming what it does take, before any work.
// Kept free of heavy imports: commands register these at start-up.
import { Option, type Command } from 'commander';
import { InputError } from '../errors.js';
import { didYouMean } from './suggest.js';

/** `local`, `cloud` (Claude Managed Agents), or the http(s) URL of an `incident serve`. `said` names where the value came from. */
export function parseRuntime(value: string, said = `--runtime ${value}`): string {
  const hint = 'use local, cloud (Claude Managed Agents), or the URL an `incident serve` printed, like http://127.0.0.1:4646';
  if (value === 'local' || value === 'cloud') return value;
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new InputError(`${said} is neither local, cloud nor the http(s) URL of a runtime${didYouMean(value, ['local', 'cloud'])}`, { hint });
  }
  return value;
}

/** The --runtime options whose default the environment and the config file may set. */
const CONFIGURABLE = new WeakSet<Option>();

export function runtimeOption(description: string): Option {
  const option = new Option('--runtime <local|cloud|url>', `${description} (default: $INCIDENT_RUNTIME, else runtime: in the config file, else local)`)
    .default('local')
    .argParser((value: string) => parseRuntime(value));
  CONFIGURABLE.add(option);
  return option;
}

/**
 * Before a command runs: a --runtime left to its default takes INCIDENT_RUNTIME, else
 * `runtime:` of the config file ($XDG_CONFIG_HOME/incident/config.yaml), else stays local.
 * The command line always wins.
 */
export async function applyConfiguredRuntime(command: Command, env: NodeJS.ProcessEnv): Promise<void> {
  const option = command.options.find((candidate) => CONFIGURABLE.has(candidate));
  if (!option || command.getOptionValueSource(option.attributeName()) !== 'default') return;
  const fromEnv = env['INCIDENT_RUNTIME'];
  if (fromEnv !== undefined && fromEnv !== '') {
    command.setOptionValueWithSource(option.attributeName(), parseRuntime(fromEnv, `INCIDENT_RUNTIME=${fromEnv}`), 'env');
    return;
  }
  const { readUserConfig } = await import('./config.js');
  const { path, config } = await readUserConfig(env);
  if (config.runtime !== undefined) command.setOptionValueWithSource(option.attributeName(), parseRuntime(config.runtime, `runtime: ${config.runtime} in ${path}`), 'config');
}

/** Longer than any investigation, and well inside what a timer can hold. */
const MAX_TIMEOUT_MS = 24 * 3_600_000;

/** `--timeout`: a duration (`90s`, `10m`, `1h30m`, `500ms`) or a number of seconds, from 1s to 24h. */
export async function parseTimeout(value: string | undefined): Promise<number | null> {
  if (value === undefined) return null;
  const { parseDuration } = await import('../definitions/duration.js');
  const text = value.trim();
  const ms = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) * 1000 : parseDuration(text);
  if (ms === undefined || ms < 1000 || ms > MAX_TIMEOUT_MS) {
    throw new InputError(`--timeout ${value} is not a duration from 1s to 24h`, { hint: 'e.g. --timeout 90s, 10m, 1h30m, or 600 for seconds' });
  }
  return ms;
}

/** `--max-cost 2.50`: US dollars, to the cent. */
export function parseMaxCost(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const usd = Number(raw.trim().replace(/^\$/, ''));
  if (!Number.isFinite(usd) || Math.round(usd * 100) < 1) {
    throw new InputError(`--max-cost ${raw} is not an amount of US dollars`, { hint: 'give a positive amount such as 2 or 0.50' });
  }
  return Math.round(usd * 100) / 100;
}

/** `--max-turns 20`: model requests the session may make. */
export function parseMaxTurns(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const turns = Number(raw.trim());
  if (!Number.isInteger(turns) || turns < 1 || turns > 10_000) {
    throw new InputError(`--max-turns ${raw} is not a number of model requests`, { hint: 'give a whole number from 1 to 10000' });
  }
  return turns;
}
