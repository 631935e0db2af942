// A party that stopped sending. A service takes in the same kind of work from several parties
// (positions from a satellite provider and from its own antenna, orders from two marketplaces),
// counted apart by a label that names each party. When the count from one of them fell to a
// fraction while the others held, that party stopped sending: nothing the receiver did would
// spare the others. Read as a symptom naming that party, it can make the party a dependency
// that failed, as calls to it failing would.
import type { Case, Movement } from './case.js';

/** The inflow from one party fell to this share of its level or less... */
const FELL_TO = 0.2;
/** ...while a sibling's (the same count, from another party) held above this share of its own. */
const SIBLING_HELD = 0.7;

/** Counts of work coming in from one named party that fell while the same count from another held. */
export function stoppedInflows(c: Case): Movement[] {
  return c.movements.filter((m) => {
    if (m.kind !== 'traffic' || m.direction !== 'down' || m.ratio === null || m.ratio > FELL_TO || m.info.service === null) return false;
    const peers = c.topology.labelPeers(m.info);
    if (peers.length !== 1) return false;
    const key = Object.keys(m.info.labels).find((k) => m.info.labels[k] !== undefined && c.topology.labelPeers({ ...m.info, labels: { [k]: m.info.labels[k] as string } }).length === 1);
    if (key === undefined) return false;
    return c.series.some((s) => {
      if (s.id === m.info.id || s.service !== m.info.service || s.name !== m.info.name || s.labels[key] === undefined || s.labels[key] === m.info.labels[key]) return false;
      if (!c.values.has(s.id)) return false;
      const moved = c.movements.find((o) => o.info.id === s.id);
      return moved === undefined || moved.direction === 'up' || (moved.ratio !== null && moved.ratio >= SIBLING_HELD);
    });
  });
}
