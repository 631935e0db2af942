// Everything the investigation has learnt so far, in one place: the page, the series
// and how each moved around the onset, the changes, their diffs, the log templates and
// signatures. Built from tool results only.
import type { LoweredCeiling } from './ceiling.js';
import type { DrainedReserve } from './reserve.js';
import type { StoreFill } from './store-fill.js';
import type { IdentifierHit } from './identifiers.js';
import type { Finding } from './model.js';
import type { Departure } from './onset.js';
import type { ChangeInfo, ChangePointInfo, LogFileInfo, Page, SeriesInfo, SeriesValues, TemplateInfo } from './read.js';
import type { DiffInfo } from './read-diff.js';
import type { Measure } from '../../protocol/results/index.js';
import type { Placement } from './placement.js';
import type { SignatureHit } from './signatures.js';
import type { UndoJudgement } from './recovery.js';
import type { Topology } from './topology.js';

/** A series that left its normal band before the page, read as a signal. */
export interface Movement extends Departure {
  info: SeriesInfo;
  /** What the series measures, as the tools say. */
  kind: Measure;
  /** It moved in the direction in which its signal goes wrong. */
  symptom: boolean;
  /** Other services the series is about (named in its labels or name). */
  peers: Set<string>;
  /** How the series is named in prose (a counter is read as a rate: `rate(x)`). */
  display: string;
  /** Values are per-second rates of a counter. */
  rate: boolean;
}

export interface Case {
  page: Page | null;
  /** When the page fired (or the best stand-in for it). */
  alertAt: number;
  /** The paged service, when the page names one. */
  paged: string | null;
  topology: Topology;
  series: SeriesInfo[];
  changes: ChangeInfo[];
  movements: Movement[];
  /**
   * The own series of dependencies the symptoms name, read to see whether the dependency
   * itself degraded: series id to its movement near the page, or null when it held level.
   * Kept apart from `movements`, which date the incident.
   */
  peerSeries: Map<string, Movement | null>;
  /** Usages that reached the limit declared beside them (series id to the limit's id and level). */
  atLimit: Map<string, { limit: string; value: number }>;
  /** Change points across every series near the page (detect_changes), as read. */
  points: ChangePointInfo[];
  diffs: Map<string, DiffInfo>;
  templates: TemplateInfo[];
  /** Per example line (`logs/x.log:12`), the service that logged it, where its file has several. */
  templateOwners: Map<string, string>;
  /** The span the templates were mined over and the pivot they were compared around. */
  logWindow: { from: number; to: number; pivot: number } | null;
  signatures: SignatureHit[];
  /** Hosts that host-level failures (a clock, a node) point at, and what runs on each. */
  placements: Placement[];
  logFiles: LogFileInfo[];
  /** Per change id: the names its diff touches, found in new warnings and errors. */
  identifierHits: Map<string, IdentifierHit>;
  /** The values of every series read around the page, by series id (counters as summed rates, under the id of the group's reference member). */
  values: Map<string, SeriesValues>;
  /** Per change id: the slow cost its service shows since it: a leak (growth.ts), or the room it used up (headroom.ts). */
  growth: Map<string, Finding>;
  /** Shared stores that began to fill long before the onset and ran out of room at it (store-fill.ts). */
  fills: StoreFill[];
  /** Work that stopped flat at the onset below the peaks it reached before its service's changes, by service (ceiling.ts). */
  ceilings: Map<string, LoweredCeiling>;
  /** Lent capacity read on its own that ran dry at the onset, by service (reserve.ts). */
  reserves: Map<string, DrainedReserve>;
  /** Reserves that ran dry, read back from before their service's changes, by series id (refills.ts). */
  reserveHistory: Map<string, SeriesValues>;
  /** The parts of a service's work (partitions, shards) read around changes older than the metrics read first, by series id (reshape.ts). */
  partHistory: Map<string, SeriesValues[]>;
  /** Per change id: what undoing it after the onset did to the symptoms (recovery.ts). */
  undos: Map<string, UndoJudgement>;
  /** Per deploy id: what its service's symptom did on old pods against the ones it started (versions.ts). */
  versions: Map<string, Finding>;
  /** Files of the bundle that could not be read ("path: why"), as describe_bundle lists them under `skipped`. */
  unread?: string[];
}

/** Changes this long before the onset are history, not suspects. */
export const CHANGE_HORIZON_MS = 24 * 3600_000;

/** How precisely two onsets can be told apart (a couple of samples of a 30 to 60 s series). */
export const ONSET_PRECISION_MS = 2 * 60_000;

/** Names of work waiting: a queue, a backlog, requests pending or in flight. */
export const PILE_NAME = /(queue|backlog|pending|depth|waiting|inflight|in_flight)/i;

/**
 * A series that rose no more than its service's traffic did, within `withinMs` of it: more
 * of the same because more came in (with `arrivalsOnly`, only requests received count, not
 * work the service makes itself).
 */
export function grewWithTraffic(c: Case, m: Movement, withinMs: number, arrivalsOnly: boolean, leadMs: number = withinMs): boolean {
  const grew = m.ratio;
  if (grew === null) return false;
  return c.movements.some(
    (t) =>
      t.info.service === m.info.service &&
      t.kind === 'traffic' &&
      (!arrivalsOnly || t.info.meaning.arrivals) &&
      t.direction === 'up' &&
      t.ratio !== null &&
      t.ratio >= grew &&
      t.onset >= m.onset - leadMs &&
      t.onset <= m.onset + withinMs,
  );
}

/** The services of the log file a reference points into (`logs/x.log:12`). */
export function servicesOfRef(c: Case, ref: string): string[] {
  const file = ref.replace(/:\d+(-\d+)?$/, '');
  return c.logFiles.find((log) => log.file === file)?.services ?? [];
}

const PROBLEM_LEVELS = ['warn', 'error', 'fatal'];
const PROBLEM_WORDS = /\b(error|errors|exception|fail(ed|ure)?|timed? ?out|timeout|refused|reset|unavailable|panic|fatal|denied|rejected|shed(ding)?|full|exhausted|cancel(l)?ed)\b/i;

/** A log template that appeared or spiked with the incident and reports a problem (by level, or by its words when unlevelled). */
export function freshProblem(template: TemplateInfo): boolean {
  if (template.flag !== 'new' && template.flag !== 'spiking') return false;
  const levels = Object.keys(template.levels);
  return levels.some((level) => PROBLEM_LEVELS.includes(level)) || (levels.length === 0 && PROBLEM_WORDS.test(template.template));
}

/** A log template that reports a problem, by its level or, unlevelled, by its words. */
export function reportsProblem(template: TemplateInfo): boolean {
  const levels = Object.keys(template.levels);
  return levels.some((level) => PROBLEM_LEVELS.includes(level)) || (levels.length === 0 && PROBLEM_WORDS.test(template.template));
}

/** A log template that appeared or spiked with the incident and reports a problem, the first that `pick` accepts. */
export function freshTemplate(c: Case, pick: (t: TemplateInfo) => boolean): TemplateInfo | undefined {
  return c.templates.find((t) => freshProblem(t) && pick(t));
}
