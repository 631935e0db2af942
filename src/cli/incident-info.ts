// What a session says about its incident (title, service, severity), read from the
// session alone: listings and replays need it without loading what opens an investigation.
import type { BetaManagedAgentsSession } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';

export interface IncidentInfo {
  title: string | null;
  service: string | null;
  severity: string | null;
}

export function infoOf(session: BetaManagedAgentsSession): IncidentInfo {
  return {
    title: session.title,
    service: session.metadata['incident.service'] ?? null,
    severity: session.metadata['incident.severity'] ?? null,
  };
}
