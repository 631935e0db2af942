// What a risky edit is, read from its kind and direction: whether it can add load (and by
// how much at most), whether it harms by nature or by its stated direction, and which of a
// change's edits to lead with when saying what it did.
import type { RiskSignalInfo } from './read-diff.js';

/** Risky edits that add work or calls: they can explain more load, not only less headroom. */
export const LOAD_KINDS = new Set(['batch_shrunk', 'work_more_often', 'retry_added', 'retry_increased', 'backoff_reduced', 'call_in_loop', 'regex_backtracking', 'eager_load_removed', 'client_per_call', 'compiled_per_call', 'compression_removed', 'index_bypassed', 'cache_key_widened', 'cache_removed', 'cache_ttl_shortened', 'flag_guard', 'flag_enabled', 'expiry_aligned']);

/** Load-adding edits of a setting whose factor bounds the load they add: a TTL a quarter shorter refreshes at most a quarter more often. */
export const BOUNDED_LOAD_KINDS = new Set(['cache_ttl_shortened', 'retry_increased', 'backoff_reduced']);

/** Edits that harm though their direction would otherwise give room: a cache switched off, a piece cut smaller. */
const HARMFUL_ANY_WAY = new Set(['cache_removed', 'batch_shrunk']);

/** Directions in which an edited setting gives a service more room, not less. */
const HARMLESS_DIRECTIONS = new Set(['loosened', 'lengthened', 'disabled', 'decreased']);

/**
 * Whether a risky edit makes things worse by its nature or its stated direction. A number
 * changed with no stated direction is not known to: it may as well have been relaxed.
 */
export function harmfulSignal(signal: RiskSignalInfo): boolean {
  if (signal.direction !== null && HARMLESS_DIRECTIONS.has(signal.direction) && !HARMFUL_ANY_WAY.has(signal.kind)) return false;
  if (signal.kind === 'limit_changed') return signal.direction === 'tightened';
  return true;
}

/** How far a changed number moved (1 when none did). */
function factor(signal: RiskSignalInfo): number {
  return signal.factor ?? 1;
}

/**
 * A risky edit in words, with where it is: its direction added when its detail does not say it
 * already, and not when all it says is that something changed.
 */
export function riskInWords(risk: RiskSignalInfo): string {
  const direction = risk.direction && risk.direction !== 'changed' && !risk.detail.includes(risk.direction) ? ` (${risk.direction})` : '';
  return `${risk.detail}${direction} (${risk.code})`;
}

/** The risky edit to lead with: one that harms, then the biggest change of a number. */
export function leadingRisk(risks: readonly RiskSignalInfo[]): RiskSignalInfo | null {
  return [...risks].sort((a, b) => Number(harmfulSignal(b)) - Number(harmfulSignal(a)) || factor(b) - factor(a))[0] ?? null;
}
