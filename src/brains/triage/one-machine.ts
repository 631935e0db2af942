// Trouble on one machine, read from the metrics alone: a series of one instance of a service
// went wrong while the same series of its sibling instances held. Load and shared causes reach
// every instance; a failing disk or a clock gone wrong reaches one.
import type { Case, Movement } from './case.js';

/** Label keys that name one machine or instance of a service. */
const INSTANCE_KEY = /^(instance|host|hostname|node|nodename|machine|server|replica)$/i;

/** The machine a movement is of, when the same series of its other machines did not move with it; null otherwise. */
export function aloneAmongMachines(c: Case, m: Movement): { key: string; one: string } | null {
  const key = Object.keys(m.info.labels).find((k) => INSTANCE_KEY.test(k));
  if (key === undefined) return null;
  const one = m.info.labels[key] as string;
  const sibling = (s: { name: string; service: string | null; labels: Record<string, string> }): boolean =>
    s.name === m.info.name && s.service === m.info.service && key in s.labels && s.labels[key] !== one;
  if (!c.series.some(sibling) || c.movements.some((o) => o.symptom && sibling(o.info))) return null;
  return { key, one };
}
