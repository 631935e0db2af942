// The session metadata the alert intake records: which alert (and alert group) opened a
// session, and whether it has resolved. `incident sessions list` reads them back.

export const ALERT_KEYS = {
  name: 'incident.alert',
  group: 'incident.alert_group',
  status: 'incident.alert_status',
  startedAt: 'incident.alert_started_at',
  resolvedAt: 'incident.alert_resolved_at',
  route: 'incident.intake_route',
} as const;

export interface AlertOfSession {
  name: string;
  group: string | null;
  status: string;
  started_at: string | null;
  resolved_at: string | null;
}

/** The alert that opened a session, or null for a session nobody's alert opened. */
export function alertOfSession(metadata: Readonly<Record<string, string>> | null | undefined): AlertOfSession | null {
  const name = metadata?.[ALERT_KEYS.name];
  if (name === undefined) return null;
  return {
    name,
    group: metadata?.[ALERT_KEYS.group] ?? null,
    status: metadata?.[ALERT_KEYS.status] ?? 'firing',
    started_at: metadata?.[ALERT_KEYS.startedAt] ?? null,
    resolved_at: metadata?.[ALERT_KEYS.resolvedAt] ?? null,
  };
}
