// Traffic that rose but is not more demand: retries of calls that began to fail, clients
// coming back after a service cut them off, work nobody sent before. Load beyond capacity is
// read only from demand; these are the failure's effects, or new work a change started.
import { ONSET_PRECISION_MS, type Case, type Movement } from './case.js';
import { pointsIn } from './values.js';

/**
 * Calls to a peer that rose no earlier than the calls to that peer began to fail: retries
 * of failing calls, the effect of the failure, not demand.
 */
export function retriesOfFailing(c: Case, m: Movement): boolean {
  const peers = c.topology.labelPeers(m.info);
  if (peers.length === 0) return false;
  return c.movements.some(
    (o) =>
      o.symptom &&
      (o.kind === 'errors' || o.kind === 'latency') &&
      o.info.service === m.info.service &&
      o.onset <= m.onset &&
      c.topology.labelPeers(o.info).some((p) => peers.includes(p)),
  );
}

/** Words of a series that counts work asked for again: users pressing resend, clients retrying, messages redelivered. */
const REPEATS = new Set(['resend', 'resends', 'resent', 'retry', 'retries', 'retried', 'reattempt', 'reattempts', 'redeliver', 'redelivered', 'redeliveries', 'redelivery', 'requeue', 'requeued', 'resubmit', 'resubmitted', 'resubmits', 'replay', 'replays', 'reconnect', 'reconnects']);

const repeats = (m: Movement): boolean => m.info.name.toLowerCase().split(/[^a-z0-9]+/).some((w) => REPEATS.has(w));

/**
 * Work asked for again, by its name (`otp_resend_requests_per_second`), and the same service's
 * traffic that rose with it in the same minutes (codes sent, resends included): people and
 * clients repeating what did not work, the failure's effect, not more demand.
 */
export function repeatsOfFailing(c: Case, m: Movement): boolean {
  if (repeats(m)) return true;
  return c.movements.some((o) => o !== m && o.kind === 'traffic' && o.direction === 'up' && repeats(o) && o.info.service === m.info.service && Math.abs(o.onset - m.onset) <= ONSET_PRECISION_MS);
}

/** Words of a series that counts clients being cut off, or the clients still connected. */
const CUT_OFF = new Set(['disconnect', 'disconnects', 'disconnected', 'disconnections', 'drops', 'dropped', 'evicted', 'kicked']);
const CONNECTED = new Set(['connected', 'connections', 'sessions', 'online']);
/** How soon after clients were cut off at one service their return reaches the services behind it. */
const RECONNECT_WAVE_MS = 5 * 60_000;

/**
 * Traffic of a service that rose no earlier than it began cutting its clients off (its
 * disconnects rose, or the clients connected to it fell): the clients coming back (booting,
 * registering, logging in again), the effect of the cut, not demand.
 */
export function reconnectsOfDropped(c: Case, m: Movement): boolean {
  return c.movements.some((o) => {
    if (o === m) return false;
    const words = o.info.name.toLowerCase().split(/[^a-z0-9]+/);
    const cut = (o.direction === 'up' && words.some((w) => CUT_OFF.has(w))) || (o.direction === 'down' && words.some((w) => CONNECTED.has(w)));
    if (!cut) return false;
    if (o.info.service === m.info.service) return o.onset <= m.onset + ONSET_PRECISION_MS;
    // Clients cut off at another service come back through it, and what they ask for on
    // coming back (a snapshot, a login, a resubscription) reaches the services behind it in
    // the same minutes: load there that rose no earlier than the cut is the cut's wave.
    return o.onset <= m.onset && m.onset - o.onset <= RECONNECT_WAVE_MS;
  });
}

/** A series whose level before was at most this share of its level after rose from nothing... */
const NEW_WORK_SHARE = 0.02;
/** ...when it also stood at zero for at least this share of its readings before: steady traffic fifty times smaller is a crowd's baseline, not nothing. */
const NOTHING_SHARE = 0.5;

/** A series at most this share of its level after stood at nothing before, whatever its readings. */
const NOTHING_LEVEL = 0.001;

/**
 * The series rose from nothing: work nobody sent before, not more of the same demand. Its
 * readings before are weighed back to `lookBackMs` before the onset (all of them by default:
 * work that did not exist for most of the bundle is no crowd's baseline, however it grew).
 */
export function fromNothing(c: Case, m: Movement, lookBackMs = Infinity): boolean {
  if (m.direction !== 'up' || m.after <= 0) return false;
  if (m.before < 0 || m.before > NEW_WORK_SHARE * m.after) return false;
  if (m.before <= NOTHING_LEVEL * m.after) return true;
  const values = c.values.get(m.series);
  if (values === undefined) return true;
  const before = pointsIn(values, Math.max(values.start, m.onset - lookBackMs), m.onset);
  return before.length === 0 || before.filter((p) => p.v === 0).length >= NOTHING_SHARE * before.length;
}

/**
 * How far back a change's new work must have stood at nothing. A series that left zero half an
 * hour before and then jumped a hundredfold as the change landed was already running: the jump
 * is growth of work already begun, and the series rose from nothing once, when it left zero.
 */
const STARTED_LOOKBACK_MS = 15 * 60_000;

/** The series rose from nothing at this onset: it stood at nothing just before, not only long ago. */
export function startedFromNothing(c: Case, m: Movement): boolean {
  return fromNothing(c, m, STARTED_LOOKBACK_MS);
}


/** Traffic that rose as the failure's effect or as new work, not as more of the same demand. */
export function notDemand(c: Case, m: Movement): boolean {
  return retriesOfFailing(c, m) || repeatsOfFailing(c, m) || reconnectsOfDropped(c, m) || fromNothing(c, m);
}
