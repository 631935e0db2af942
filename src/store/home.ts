// Where local state lives: $INCIDENT_HOME, else $XDG_STATE_HOME/incident, else ~/.local/state/incident.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function stateHome(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['INCIDENT_HOME'];
  if (explicit) return explicit;
  const xdg = env['XDG_STATE_HOME'];
  if (xdg) return join(xdg, 'incident');
  return join(homedir(), '.local', 'state', 'incident');
}
