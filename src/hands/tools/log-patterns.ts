// log_patterns: the kinds of messages in the logs (templates mined Drain-style) and how their
// rates moved around a pivot time: which appeared, vanished or spiked when things broke.
import { z } from 'zod';
import { formatTime, type LogLevel } from '../../bundle/index.js';
import { compareCounts, type CountShift } from '../../bundle/patterns/index.js';
import { LogPatternsResultSchema, type LogPatternsResult, type TemplateRow } from '../../protocol/results/index.js';
import { round } from '../analysis/stats.js';
import { defineTool } from './define.js';
import { LEVELS, levelRank, selectLogFiles } from './log-files.js';
import { assignedPage, fieldsAfter, mineWindow, type Mined, type Tally } from './log-mine.js';
import { clip, fitList, offsetPaging } from './output.js';
import { relativeToAlert, resolveTime, resolveWindow, timeArg, timeOrNull, windowText } from './time-args.js';

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
const FLAG: Record<CountShift['kind'], NonNullable<TemplateRow['flag']>> = { new: 'new', gone: 'vanished', up: 'spiking', down: 'dropped', steady: 'steady' };

/** How a sampled read is described in the result; absent when every event was mined. */
function sampledNote(mined: Mined): Pick<LogPatternsResult, 'sampled'> {
  const sampled = mined.sampled;
  if (sampled === null) return {};
  const files = sampled.files.map((f) => `${f.file} 1 in ${f.every}`).join(', ');
  return {
    sampled: {
      rate: round(sampled.eventsRead / Math.max(1, mined.events), 6),
      events_read: sampled.eventsRead,
      files: sampled.files.map((f) => ({ file: f.file, rate: round(1 / f.every, 6) })),
      note: `every event at warn and above was counted; below warn the window held too many, so some were read and scaled (${files}): those counts are estimates`,
    },
  };
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
    'it lists events instead, each with the id of its template (paged by offset/limit over events; a page lists the templates its events use; null for an event the sampling left out that no template fits).',
    'When the window holds very many events, WARN and above are still all counted but lower levels are sampled and',
    'their counts estimated (the result then has `sampled`); narrow the window or the level for exact counts.',
  ].join(' '),
  inputSchema: input,
  outputSchema: LogPatternsResultSchema,
  async run(args, context) {
    const { bundle, signal } = context;
    const alertAt = (await bundle.alert())?.startedAt ?? null;
    const window = resolveWindow(args.from, args.to, alertAt);
    const pivot = args.pivot === undefined ? alertAt : resolveTime(args.pivot, alertAt, 'pivot');
    const files = selectLogFiles(bundle, args.file);
    const request = {
      window,
      pivot,
      minLevel: args.level === undefined ? -1 : levelRank(args.level),
      service: args.service,
    };
    const mined = await mineWindow(bundle, files, request, signal);
    const templates = new Map(mined.miner.templates().map((t) => [t.id, t]));
    const maxChars = context.limits.maxOutputChars;
    const sized = context.limits.sizeOf ? { sizeOf: context.limits.sizeOf } : {};
    const scope = `${mined.events} events in ${files.length} log files${mined.sampled ? ` (below warn sampled: ${mined.sampled.eventsRead} read)` : ''}`;

    if (args.assign) {
      const page = await assignedPage(bundle, mined, request, { offset: args.offset, limit: args.limit }, signal);
      const items = page.map((a) => ({ ref: a.ref, t: timeOrNull(a.t), level: a.level, template: a.template, message: a.message }));
      const rest = Math.max(0, mined.events - args.offset - items.length);
      // A page carries the templates of the events it shows, and no others: the page stays
      // the same size wherever it is in the log, so paging by offset reaches the end.
      const templatesOf = (shown: readonly (typeof items)[number][]): Record<string, string> => {
        const used = new Map<number, string>();
        for (const item of shown) if (item.template !== null && !used.has(item.template)) used.set(item.template, clip(templates.get(item.template)?.text ?? '', 300));
        return Object.fromEntries(used);
      };
      return fitList({
        items,
        maxChars,
        ...sized,
        alreadyOmitted: rest,
        alreadyPageOn: { next_offset: args.offset + items.length, hint: `call log_patterns with assign: true, offset: ${args.offset + items.length}` },
        pageOn: (n) => ({ next_offset: args.offset + n, hint: `call log_patterns with assign: true, offset: ${args.offset + n}` }),
        build: (shown) => ({
          summary:
            shown.length === 0
              ? `${scope}; no events from offset ${args.offset}`
              : `${scope}; showing events ${args.offset}-${args.offset + shown.length - 1} with their template ids`,
          events: mined.events,
          offset: args.offset,
          templates: templatesOf(shown),
          assignments: shown,
          ...sampledNote(mined),
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

    const rows = ordered.map((shift): TemplateRow => {
      const tally = mined.tallies.get(shift.id) as Tally;
      const template = templates.get(shift.id);
      const after = comparable ? fieldsAfter(tally) : {};
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
        ...(Object.keys(tally.fields).length > 0 ? { fields: tally.fields } : {}),
        ...(Object.keys(after).length > 0 ? { fields_after: after } : {}),
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
      ...sized,
      alreadyOmitted: Math.max(0, rows.length - args.offset - page.length),
      alreadyPageOn: offsetPaging('log_patterns', args.offset)(page.length),
      pageOn: offsetPaging('log_patterns', args.offset),
      build: (shown) => ({
        summary: `${templates.size} templates from ${scope}; ${pivotText}${topText}`,
        events: mined.events,
        window: windowText(window),
        pivot: pivot === null ? null : { at: formatTime(pivot), relative: relativeToAlert(pivot, alertAt), before_minutes: round(beforeSpan / 60_000, 3), after_minutes: round(afterSpan / 60_000, 3) },
        templates_total: templates.size,
        offset: args.offset,
        templates: shown,
        ...sampledNote(mined),
      }),
    });
  },
});
