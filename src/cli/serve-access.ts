// Who may use an `incident serve`: the key it requires (the operator's
// INCIDENT_RUNTIME_KEY, else one generated into the state folder) and the warning for
// a bind that reaches beyond this machine. The guard that checks the key, Host and
// Origin of every request is runtime/http-guard.ts.
import { InputError } from '../errors.js';
import { isLoopback } from '../runtime/http-guard.js';
import { ensureRuntimeKey, UnsafeRuntimeKey } from '../store/runtime-key.js';

/** Shorter than this, a key can be guessed by a patient client. */
const MIN_KEY_LENGTH = 16;

export interface ServeKey {
  key: string;
  /** Where clients find it, said for the operator (never the key itself). */
  where: string;
}

export function serveKey(env: NodeJS.ProcessEnv, home: string): ServeKey {
  const given = env['INCIDENT_RUNTIME_KEY'];
  if (given !== undefined && given !== '') {
    if (given.length < MIN_KEY_LENGTH || /[\s\u0000-\u001f\u007f]/.test(given)) {
      throw new InputError(`INCIDENT_RUNTIME_KEY is not usable as this runtime's key: it needs ${MIN_KEY_LENGTH} or more characters and no spaces`, {
        hint: 'unset it to have a key generated, or set a long random one (openssl rand -base64 32)',
      });
    }
    return { key: given, where: 'from INCIDENT_RUNTIME_KEY (clients send the same value in INCIDENT_RUNTIME_KEY)' };
  }
  try {
    const { key, path } = ensureRuntimeKey(home);
    return { key, where: `${path} (clients on this machine read it; give it to others as INCIDENT_RUNTIME_KEY)` };
  } catch (error) {
    if (error instanceof UnsafeRuntimeKey) {
      throw new InputError(`the runtime key is not safe to use: ${error.message}`, {
        hint: 'delete the key file (a new one is generated), make the state folder yours and private (chmod 700), or set INCIDENT_RUNTIME_KEY',
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`cannot keep the runtime key in ${home}: ${reason}`, { hint: 'point INCIDENT_HOME at a folder you own, or set INCIDENT_RUNTIME_KEY' });
  }
}

/** Null for a loopback bind; otherwise what it exposes, said plainly. */
export function exposureWarning(host: string, port: number): string | null {
  if (isLoopback(host)) return null;
  return [
    `WARNING: incident serve listens on ${host}:${port}, reachable from other machines.`,
    'Anyone who can reach this port and has the runtime key can read incident data (logs, metrics, diffs, diagnoses)',
    "and approve remediation actions, which run with this machine's credentials.",
    'Every request must carry the key; share it only with the people who may do that.',
    'To keep the runtime on this machine, use --host 127.0.0.1 (and an SSH tunnel for others).',
  ].join('\n');
}
