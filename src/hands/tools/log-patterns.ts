// log_patterns: the kinds of messages in the logs (templates mined Drain-style) and how their
// rates moved around a pivot time: which appeared, vanished or spiked when things broke.
import { z } from 'zod';
import type { Bundle, BundleFile, LogLevel } from '../../bundle/index.js';
import { compareCounts, TemplateMiner, type CountShift } from '../../bundle/patterns/index.js';
import { round } from '../analysis/stats.js';
import { defineTool } from './define.js';
import { LEVELS, levelRank, selectLogFiles } from './log-files.js';
import { clip, fitList } from './output.js';
import { sameName } from './patterns.js';
import { inWindow, relativeToAlert, resolveTime, resolveWindow, timeArg, timeOrNull, windowText, type Window } from './time-args.js';

const input = z.object({
  file: z.string().optional().describe('only this log file (exact path, glob, /regex/ or substring)'),
  service: z.string().optional().describe('only events of this service'),
  level: z.enum(LEVELS as [LogLevel, ...LogLevel[]]).optional().describe('minimum level, e.g. "warn"'),
  from: timeArg('only events from this time (e.g. "-2h")'),
  to: timeArg('only events up to this time'),
  pivot: timeArg('compare before/after this time (default: the alert start); pass a detect_changes onset to centre on it'),
  spike_ratio: z.number().min(1).default(3).describe('rate ratio (after/before) at which a template counts as spiking'),
  assign: z.boolean().default(false).describe('instead of the template list, return each event with its template id, paged by offset/limit'),
  offset: z.number().int().min(0).default(0).describe('first template (or, with assign, first event) to show'),
  limit: z.number().int().min(1).max(500).default(30).describe('how many templates (or, with assign, events) to show'),
});
type Input = z.output<typeof input>;

const FLAG: Record<CountShift['kind'], string> = { new: 'new', gone: 'vanished', up: 'spiking', down: 'dropped', steady: 'steady' };

interface Tally {
  before: number;
  after: number;
  levels: Partial<Record<LogLevel, number>>;
  first: number | null;
  last: number | null;
  example: string;
}

interface Assigned {
  ref: string;
  t: number | null;
  level: LogLevel | null;
  raw: number;
  message: string;
}

interface Mined {
  miner: TemplateMiner;
  tallies: Map<number, Tally>;
  assigned: Assigned[];
  events: number;
  start: number | null;
  end: number | null;
}

function merge(into: Tally, from: Tally): void {
  into.before += from.before;
  into.after += from.after;
  for (const [level, n] of Object.entries(from.levels) as Array<[LogLevel, number]>) into.levels[level] = (into.levels[level] ?? 0) + n;
  if (from.first !== null && (into.first === null || from.first < into.first)) {
    into.first = from.first;
    into.example = from.example;
  }
  if (from.last !== null && (into.last === null || from.last > into.last)) into.last = from.last;
}

async function mine(bundle: Bundle, files: readonly BundleFile[], args: Input, window: Window, pivot: number | null, signal: AbortSignal): Promise<Mined> {
  const miner = new TemplateMiner();
  const tallies = new Map<number, Tally>();
  const assigned: Assigned[] = [];
  const minLevel = args.level === undefined ? -1 : levelRank(args.level);
  let events = 0;
  let start: number | null = null;
  let end: number | null = null;
  for (const file of files) {
    for await (const event of bundle.logEvents(file, { signal })) {
      if (!inWindow(event.t, window)) continue;
      if (minLevel >= 0 && levelRank(event.level) < minLevel) continue;
      if (args.service !== undefined && !sameName(event.service, args.service)) continue;
      const raw = miner.add(event.message);
      const ref = `${event.file}:${event.line}`;
      let tally = tallies.get(raw);
      if (!tally) {
        tally = { before: 0, after: 0, levels: {}, first: null, last: null, example: ref };
        tallies.set(raw, tally);
      }
      if (pivot !== null && event.t !== null && event.t < pivot) tally.before += 1;
      else tally.after += 1;
      if (event.level !== null) tally.levels[event.level] = (tally.levels[event.level] ?? 0) + 1;
      if (event.t !== null) {
        if (tally.first === null || event.t < tally.first) {
          tally.first = event.t;
          tally.example = ref;
        }
        if (tally.last === null || event.t > tally.last) tally.last = event.t;
        if (start === null || event.t < start) start = event.t;
        if (end === null || event.t > end) end = event.t;
      }
      if (args.assign && events >= args.offset && events < args.offset + args.limit) {
        assigned.push({ ref, t: event.t, level: event.level, raw, message: clip(event.message, 300) });
      }
      events += 1;
    }
  }
  miner.finalize();
  // Ids handed out while learning may have merged since: fold their tallies into the survivors.
  const resolved = new Map<number, Tally>();
  for (const [raw, tally] of tallies) {
    const id = miner.resolve(raw);
    const into = resolved.get(id);
    if (into) merge(into, tally);
    else resolved.set(id, { ...tally, levels: { ...tally.levels } });
  }
  return { miner, tallies: resolved, assigned, events, start, end };
}

function perMinute(count: number, spanMs: number): number | null {
  return spanMs > 0 ? round(count / (spanMs / 60_000), 3) : null;
}

export const logPatterns = defineTool({
  name: 'log_patterns',
  description: [
    'Groups log messages into templates (variables shown as <*>) and compares each template before and after a pivot',
    'time (default: the alert start; pass the onset from detect_changes to centre on when metrics moved). Flags templates',
    'that are new (absent before), vanished, spiking (rate ratio >= spike_ratio) or dropped, with counts and rates per',
    'minute on each side, the level mix, first/last seen and an example line reference (logs/x.log:123). Most surprising',
    'first. Narrow with file, service, level (minimum) and from/to; pages templates with offset/limit. With assign: true',
    'it lists events instead, each with the id of its template (paged by offset/limit over events).',
    'Reads every event in range, so on very large logs narrow the window first.',
  ].join(' '),
  inputSchema: input,
  async run(args, context) {
    const { bundle, signal } = context;
    const alertAt = (await bundle.alert())?.startedAt ?? null;
    const window = resolveWindow(args.from, args.to, alertAt);
    const pivot = args.pivot === undefined ? alertAt : resolveTime(args.pivot, alertAt, 'pivot');
    const files = selectLogFiles(bundle, args.file);
    const mined = await mine(bundle, files, args, window, pivot, signal);
    const templates = new Map(mined.miner.templates().map((t) => [t.id, t]));
    const maxChars = context.limits.maxOutputChars;
    const scope = `${mined.events} events in ${files.length} log files`;

    if (args.assign) {
      const ids = new Set<number>();
      const items = mined.assigned.map((a) => {
        const id = mined.miner.resolve(a.raw);
        ids.add(id);
        return { ref: a.ref, t: timeOrNull(a.t), level: a.level, template: id, message: a.message };
      });
      const rest = Math.max(0, mined.events - args.offset - items.length);
      return fitList({
        items,
        maxChars,
        alreadyOmitted: rest,
        alreadyHint: `call log_patterns with assign: true, offset: ${args.offset + items.length}`,
        hint: (n) => `call log_patterns with assign: true, offset: ${args.offset + n}`,
        build: (shown) => ({
          summary: `${scope}; showing events ${args.offset}-${args.offset + shown.length - 1} with their template ids`,
          events: mined.events,
          offset: args.offset,
          templates: Object.fromEntries([...ids].map((id) => [id, clip(templates.get(id)?.text ?? '', 300)])),
          assignments: shown,
        }),
      });
    }

    const beforeSpan = pivot !== null && mined.start !== null && mined.start < pivot ? pivot - Math.max(mined.start, window.from ?? mined.start) : 0;
    const afterSpan = pivot !== null && mined.end !== null && mined.end >= pivot ? Math.min(mined.end, window.to ?? mined.end) - pivot : 0;
    const comparable = beforeSpan > 0 && afterSpan > 0;
    const before = new Map([...mined.tallies].map(([id, t]) => [id, t.before]));
    const after = new Map([...mined.tallies].map(([id, t]) => [id, t.after]));
    const shifts = compareCounts(before, after, {
      beforeSpan: Math.max(beforeSpan, 1),
      afterSpan: Math.max(afterSpan, 1),
      minRatio: args.spike_ratio,
    });
    const ordered = comparable ? shifts : [...shifts].sort((a, b) => b.before + b.after - (a.before + a.after));

    const rows = ordered.map((shift) => {
      const tally = mined.tallies.get(shift.id) as Tally;
      const template = templates.get(shift.id);
      return {
        id: shift.id,
        template: clip(template?.text ?? '', 300),
        count: shift.before + shift.after,
        ...(comparable
          ? {
              flag: FLAG[shift.kind],
              before: shift.before,
              after: shift.after,
              rate_before_per_min: perMinute(shift.before, beforeSpan),
              rate_after_per_min: perMinute(shift.after, afterSpan),
              ratio: Number.isFinite(shift.ratio) ? round(shift.ratio, 3) : null,
              score: round(shift.score, 3),
            }
          : {}),
        levels: tally.levels,
        first_seen: timeOrNull(tally.first),
        last_seen: timeOrNull(tally.last),
        example: tally.example,
        sample: clip(template?.sample ?? '', 300),
      };
    });
    const flagged = comparable ? shifts.filter((s) => s.kind !== 'steady') : [];
    const tally = (kind: CountShift['kind']): number => flagged.filter((s) => s.kind === kind).length;
    const top = flagged[0];
    const pivotText =
      pivot === null
        ? 'no pivot (the bundle has no alert time: pass pivot)'
        : comparable
          ? `pivot ${timeOrNull(pivot)}: ${tally('new')} new, ${tally('up')} spiking, ${tally('gone')} vanished, ${tally('down')} dropped`
          : `pivot ${timeOrNull(pivot)} is outside the events' time span, so nothing is compared`;
    const topText = top ? `; most surprising: "${clip(templates.get(top.id)?.text ?? '', 80)}" ${FLAG[top.kind]}` : '';
    const page = rows.slice(args.offset, args.offset + args.limit);
    return fitList({
      items: page,
      maxChars,
      alreadyOmitted: Math.max(0, rows.length - args.offset - page.length),
      alreadyHint: `call log_patterns again with offset: ${args.offset + page.length}`,
      hint: (n) => `call log_patterns again with offset: ${args.offset + n}`,
      build: (shown) => ({
        summary: `${templates.size} templates from ${scope}; ${pivotText}${topText}`,
        events: mined.events,
        window: windowText(window),
        pivot: pivot === null ? null : { at: timeOrNull(pivot), relative: relativeToAlert(pivot, alertAt), before_minutes: round(beforeSpan / 60_000, 3), after_minutes: round(afterSpan / 60_000, 3) },
        templates_total: templates.size,
        offset: args.offset,
        templates: shown,
      }),
    });
  },
});
