// What the approval of an action shows before anyone answers: the exact command line, where
// it runs and whether it can, read from the check the runtime recorded with the call.
import type { ActionCheck } from '../protocol/action-check.js';
import { formatDuration, stripControl } from './format.js';

/** Where the session's runtime is: this process (embedded) or a served runtime at a URL. */
export interface RuntimePlace {
  /** The URL of an `incident serve`; null for the runtime embedded in this process. */
  url: string | null;
  /** The machine whose hands run the action when they run on the client (the cloud runs none). */
  host?: string | null;
}

/** An argv as one line a person can read (and paste): elements with spaces or quotes are quoted. */
export function commandLine(argv: readonly string[]): string {
  return argv
    .map((element) => {
      const clean = stripControl(element, true);
      if (clean !== '' && /^[\w@%+=:,./{}-]+$/.test(clean)) return clean;
      return `'${clean.replace(/'/g, `'\\''`)}'`;
    })
    .join(' ');
}

/** "local worker · environment local · timeout 2m00s", or the runtime's URL for a served one. */
export function whereItRuns(check: ActionCheck, place: RuntimePlace): string {
  const host = place.host ? `worker on this machine (${stripControl(place.host, true)})` : place.url === null ? 'local worker' : `worker of the runtime at ${place.url}`;
  const timeout = check.timeout_ms === null ? null : `timeout ${formatDuration(check.timeout_ms)}`;
  return [host, `environment ${stripControl(check.environment, true)}`, timeout].filter((part): part is string => part !== null).join(' · ');
}

/** Why the action cannot run here, or null when it can (or nobody could tell). */
export function cannotRun(check: ActionCheck | null): string | null {
  if (check === null || check.can_run !== false) return null;
  return stripControl(check.problem ?? 'the environment refused it', true);
}
