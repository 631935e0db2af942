// What every tool result shares: the error result, the note on a result cut to fit, times,
// and what a metric series measures. One schema each; the hands validate against them and
// the brains parse with them, so both sides read the same fields.
import { z } from 'zod';

/** A time as tools print it: RFC 3339 UTC. */
export const TimeSchema = z.string().min(1);

/** Where a time sits against the page: "42m before the page"; null without an alert time. */
export const RelativeSchema = z.string().nullable();

/** A window of time a tool read over; an open end is null. */
export const WindowSchema = z.strictObject({ from: TimeSchema.nullable(), to: TimeSchema.nullable() });

/**
 * Items left out of a result that was cut to fit the output limit. `next_offset` is the
 * `offset` argument that pages on (null when paging cannot help: narrow the request instead);
 * `hint` says the same for a reader.
 */
export const TruncationSchema = z.strictObject({
  omitted: z.number().int().min(0),
  next_offset: z.number().int().min(0).nullable(),
  hint: z.string(),
});
export type Truncation = z.infer<typeof TruncationSchema>;

/** The result of a call a tool could not serve (isError): what went wrong and what to do. */
export const ErrorResultSchema = z.strictObject({
  summary: z.string(),
  error: z.string(),
  hint: z.string().nullable(),
});
export type ErrorResult = z.infer<typeof ErrorResultSchema>;

export function errorPayload(message: string, hint: string | null = null): ErrorResult {
  return { summary: `error: ${message}`, error: message, hint };
}

/** The golden signals (and `other`): what a metric series measures. */
export const MEASURES = ['latency', 'errors', 'saturation', 'traffic', 'availability', 'other'] as const;
export type Measure = (typeof MEASURES)[number];

export const MOVES = ['up', 'down'] as const;
export type Move = (typeof MOVES)[number];

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/**
 * What a series measures, read from its name and labels by the hands: the signal, the
 * direction that is bad news (null when either way is context, as for traffic), and the
 * refinements a reader needs, each present (true) only when it holds.
 */
export const SeriesMeaningShape = {
  measures: z.enum(MEASURES),
  worse_when: z.enum(MOVES).nullable(),
  /** Work done per unit of demand (`*_per_request`): flat under a load surge, moved by what each request does. */
  per_unit: z.literal(true).optional(),
  /** A resource held in use that a leak fills: memory, file descriptors, connections, clients, threads. */
  can_leak: z.literal(true).optional(),
  /** Work waiting to be done (consumer lag, queue depth, the age of what is waiting): it drains only as fast as it is worked off. */
  backlog: z.literal(true).optional(),
  /** Demand arriving at the service (requests received, messages enqueued), not work it sends on. */
  arrivals: z.literal(true).optional(),
  /** The share of requests a cache answered itself (a hit ratio): when it falls, each request sends more work behind the cache. */
  hit_share: z.literal(true).optional(),
  miss_share: z.literal(true).optional(),
  /** A signed distance from a reference (a clock offset, a skew, a drift): moving away from zero either way is bad news. */
  deviation: z.literal(true).optional(),
};
export const SeriesMeaningSchema = z.strictObject(SeriesMeaningShape);
export type SeriesMeaningFields = z.infer<typeof SeriesMeaningSchema>;

/** What a series measures, as code on either side holds it (the wire form is SeriesMeaningFields). */
export interface SeriesMeaning {
  measures: Measure;
  /** The direction that is bad news; null when either way is context (traffic) or the name does not tell. */
  worseWhen: Move | null;
  /** Work done per unit of demand (per request, per call...): a load surge leaves it flat, a change in what each request does moves it. */
  perUnit: boolean;
  /** A resource in use that a leak fills: memory, file descriptors, connections, clients, threads (not the limit on it). */
  canLeak: boolean;
  /** Work waiting to be done (consumer lag, queue depth, the age of what waits): it drains only as fast as it is worked off. */
  backlog: boolean;
  /** Demand arriving at the service (requests received, messages enqueued), not work it sends on. */
  arrivals: boolean;
  /** The share of requests a cache answered itself (a hit ratio): when it falls, each request sends more work behind the cache. */
  hitShare: boolean;
  /** A cache's miss share (`cache_miss_ratio`): the complement of a hit share. */
  missShare: boolean;
  /** A signed distance from a reference (clock offset, skew, drift): away from zero either way is worse. */
  deviation: boolean;
}
