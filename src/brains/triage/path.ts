// Whether a service sits on the incident's causal path: it is the paged service, or it
// degraded itself before the paged service did, or its calls flooded the paged service,
// or only the part of the paged service that depends on it degraded.
import type { Case, Movement } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import type { LogSymptom } from './log-symptoms.js';

export interface PathLink {
  /** Why the service is on the path, in words. */
  reason: string;
  /** The movement that shows it (absent for the paged service itself). */
  movement: Movement | null;
  /** Or the new errors in its own logs that show it. */
  log: LogSymptom | null;
}

/** A series of the same metric on the same service, naming a different peer. */
function siblings(c: Case, m: Movement, peer: string): Movement[] {
  return c.movements.filter((other) => other !== m && other.info.name === m.info.name && other.info.service === m.info.service && !other.peers.has(peer));
}

function siblingSeries(c: Case, m: Movement, peer: string): number {
  return c.series.filter((s) => s.id !== m.series && s.name === m.info.name && s.service === m.info.service && !c.topology.seriesPeers(s).has(peer)).length;
}

export function pathTo(c: Case, episode: Episode, service: string, since: number, slackMs: number): PathLink | null {
  if (c.paged !== null && service === c.paged) return { reason: `${service} is the paged service`, movement: null, log: null };
  const until = (episode.pagedOnset ?? episode.onset) + slackMs;
  // The service degraded on its own account (not merely its view of the paged service), before the page's symptoms.
  const own = episode.symptoms.find(
    (m) => m.info.service === service && m.onset >= since - slackMs && m.onset <= until && (c.paged === null || !m.peers.has(c.paged)),
  );
  if (own) return { reason: `${service} itself degraded (${own.display})`, movement: own, log: null };
  // Its own logs began to report new errors before the page's symptoms: errors of its own, not
  // its report of another service failing (those name the other service).
  const logged = episode.logSymptoms.find((s) => s.service === service && s.onset >= since - slackMs && s.onset <= until && s.peers.size === 0);
  if (logged) {
    return { reason: `${service}'s own logs report new errors from ${iso(logged.onset)} ("${logged.template.template}", ${logged.template.example})`, movement: null, log: logged };
  }
  if (c.paged === null) return null;
  // The paged service's traffic from this service rose while its traffic from others did not: a flood.
  const flood = c.movements.find(
    (m) =>
      m.info.service === c.paged &&
      m.kind === 'traffic' &&
      m.direction === 'up' &&
      m.peers.has(service) &&
      m.onset >= since - slackMs &&
      m.onset <= until &&
      !siblings(c, m, service).some((other) => other.kind === 'traffic' && other.direction === 'up'),
  );
  if (flood) {
    const ratio = flood.ratio === null ? '' : ` ${flood.ratio.toFixed(1)}-fold`;
    return { reason: `${service}'s calls to ${c.paged} rose${ratio} (${flood.display}) while other callers' did not`, movement: flood, log: null };
  }
  // Only the part of the paged service that goes through this service degraded.
  const specific = episode.symptoms.find(
    (m) =>
      m.info.service === c.paged &&
      m.peers.has(service) &&
      m.onset >= since - slackMs &&
      m.onset <= until &&
      !siblings(c, m, service).some((other) => other.symptom) &&
      (siblingSeries(c, m, service) > 0 || m.peers.size === 1),
  );
  if (specific) return { reason: `only ${c.paged}'s path through ${service} degraded (${specific.display})`, movement: specific, log: null };
  return null;
}
