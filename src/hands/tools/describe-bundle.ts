// describe_bundle: what the bundle holds, from the bundle's one-pass index.
import { z } from 'zod';
import type { BundleIndex } from '../../bundle/index.js';
import {
  BUNDLE_SECTIONS as SECTIONS,
  DescribeBundleResultSchema,
  parseSeriesId,
  type BundleSection as Section,
  type SECTION_ITEMS,
} from '../../protocol/results/index.js';
import { meaningFields, seriesMeaning } from '../analysis/series-meaning.js';
import { defineTool } from './define.js';
import { clip, fitList } from './output.js';
import { relativeToAlert, timeOrNull } from './time-args.js';

type SectionItems = { [S in Section]: z.input<(typeof SECTION_ITEMS)[S]> };

/** How many items of each list the overview shows; the rest is paged with `section`. */
const OVERVIEW_CAPS: Record<Section, number> = { series: 32, changes: 25, diffs: 20, logs: 20, runbooks: 20, unknown: 20, skipped: 20, problems: 10 };

const input = z.object({
  section: z
    .enum(SECTIONS)
    .optional()
    .describe('list only this section, paged with offset (default: an overview of everything)'),
  offset: z.number().int().min(0).default(0).describe('with section: index of the first item to show'),
});

function sectionItems<S extends Section>(index: BundleIndex, section: S): SectionItems[S];
function sectionItems(index: BundleIndex, section: Section): SectionItems[Section] {
  const alertAt = index.alert?.startedAt ?? null;
  switch (section) {
    case 'series':
      return index.series.map((s) => ({
        id: s.id,
        service: s.service,
        samples: s.samples,
        gaps: s.gaps,
        start: timeOrNull(s.start),
        end: timeOrNull(s.end),
        file: s.file,
        ...meaningFields(seriesMeaning(s.name, parseSeriesId(s.id).labels)),
      }));
    case 'changes':
      return index.changes.map((c) => ({ id: c.id, service: c.service, type: c.type, at: timeOrNull(c.at), relative: relativeToAlert(c.at, alertAt), diff: c.diff }));
    case 'diffs':
      return index.diffs.map((d) => ({ path: d.path, change_id: d.changeId, files: d.files }));
    case 'logs':
      return index.logs.map((l) => ({
        file: l.file,
        format: l.format,
        gzip: l.gzip,
        bytes: l.bytes,
        events: l.events,
        services: l.services,
        levels: l.levels,
        start: timeOrNull(l.start),
        end: timeOrNull(l.end),
        malformed_lines: l.malformed,
      }));
    case 'runbooks':
      return index.runbooks;
    case 'unknown':
      return index.unknown;
    case 'skipped':
      return index.skipped.map((s) => `${s.path}: ${s.reason}`);
    case 'problems':
      return index.problems.map((p) => (p.line === undefined ? `${p.path}: ${p.message}` : `${p.path}:${p.line}: ${p.message}`));
  }
}

function missing(index: BundleIndex): string[] {
  const notes: string[] = [];
  if (index.alert === null) notes.push('no alert (incident.yaml or alert.json): times cannot be given relative to the page');
  else if (index.alert.startedAt === null) notes.push('the alert has no start time');
  if (index.series.length === 0) notes.push('no metrics (metrics/*.json or metrics/*.csv)');
  if (index.changes.length === 0) notes.push('no changes (changes.yaml or changes.json)');
  if (index.logs.length === 0) notes.push('no logs (logs/*.log or logs/*.jsonl)');
  return notes;
}

function summaryLine(index: BundleIndex): string {
  const alert = index.alert;
  const page = alert
    ? `Page "${alert.title}" (${[alert.service, alert.severity].filter(Boolean).join(', ') || 'no service'})${alert.startedAt === null ? '' : ` started ${timeOrNull(alert.startedAt)}`}`
    : 'No alert';
  const events = index.logs.reduce((n, l) => n + l.events, 0);
  const malformed = index.logs.reduce((n, l) => n + l.malformed, 0);
  const parts = [
    `${index.services.length} services`,
    `${index.series.length} series`,
    `${index.changes.length} changes`,
    `${index.logs.length} log files (${events} events${malformed > 0 ? `, ${malformed} malformed lines` : ''})`,
    `${index.runbooks.length} runbooks`,
  ];
  // Right after the page: a one-line reader (the terminal, plain output) cuts the end of a long line.
  const skipped = skippedText(index);
  if (skipped !== '') parts.unshift(skipped);
  const others = index.problems.length - problemsOfSkipped(index);
  if (others > 0) parts.push(`${others} ${others === 1 ? 'problem' : 'problems'} while reading (section: "problems")`);
  return `${page}; ${parts.join('; ')}`;
}

/** How many of the problems are about files skipped whole (named already in the summary). */
function problemsOfSkipped(index: BundleIndex): number {
  const skipped = new Set(index.skipped.map((s) => s.path));
  return index.problems.filter((p) => skipped.has(p.path)).length;
}

const SKIPPED_NAMED = 3;

/** The files that gave nothing, by name and why (the first few; the rest counted): what the investigation did not see. */
function skippedText(index: BundleIndex): string {
  const { skipped } = index;
  if (skipped.length === 0) return '';
  const named = skipped.slice(0, SKIPPED_NAMED).map((s) => `${s.path} (${clip(s.reason, 60)})`);
  const more = skipped.length > SKIPPED_NAMED ? ` and ${skipped.length - SKIPPED_NAMED} more (section: "skipped")` : '';
  return `not read: ${named.join(', ')}${more}`;
}

export const describeBundle = defineTool({
  name: 'describe_bundle',
  description: [
    'Start here. Describes the incident bundle: the page (alert title, service, severity, start time), the services seen,',
    'the time span of the data, every metric series (id, service, sample count, gaps), the changes (deploys, config,',
    'flags) with their time relative to the page, the diffs, the log files (events, time span, level counts, malformed',
    'lines), runbooks, unrecognised files (readable with read_file), files that could not be read (skipped, with why) and',
    'problems found while reading.',
    'The overview shows the first items of each list; pass section ("series", "changes", "logs", ...) with offset to page through one list.',
    'The series ids it prints are the exact ids query_metrics and detect_changes accept.',
  ].join(' '),
  inputSchema: input,
  outputSchema: DescribeBundleResultSchema,
  async run(args, context) {
    const index = await context.bundle.index({ signal: context.signal });
    const maxChars = context.limits.maxOutputChars;
    if (args.section !== undefined) {
      const section = args.section;
      const all: readonly unknown[] = sectionItems(index, section);
      const items = all.slice(args.offset);
      return fitList({
        items,
        maxChars,
        ...(context.limits.sizeOf ? { sizeOf: context.limits.sizeOf } : {}),
        build: (shown) => ({
          summary: `${section}: ${all.length} in all, showing ${shown.length} from offset ${args.offset}`,
          section,
          total: all.length,
          offset: args.offset,
          // One section's items, of the type its name says.
          items: shown as z.input<typeof DescribeBundleResultSchema>['items'],
        }),
        pageOn: (shown) => ({ next_offset: args.offset + shown, hint: `call describe_bundle with section: "${section}", offset: ${args.offset + shown}` }),
      });
    }

    const alert = index.alert;
    const lists: Partial<SectionItems> = {};
    const cut: string[] = [];
    let omitted = 0;
    for (const section of SECTIONS) {
      const all = sectionItems(index, section);
      const cap = OVERVIEW_CAPS[section];
      (lists as Record<Section, unknown[]>)[section] = all.slice(0, cap);
      if (all.length > cap) {
        omitted += all.length - cap;
        cut.push(`section: "${section}", offset: ${cap}`);
      }
    }
    const payload: z.input<typeof DescribeBundleResultSchema> = {
      summary: summaryLine(index),
      page: alert && {
        title: alert.title,
        service: alert.service,
        severity: alert.severity,
        started_at: timeOrNull(alert.startedAt),
        summary: alert.summary,
        description: alert.description,
        labels: alert.labels,
        links: alert.links,
        source: alert.source,
        other_alerts: alert.others.map((o) => ({ title: o.title, service: o.service, started_at: timeOrNull(o.startedAt), status: o.status })),
      },
      services: index.services,
      time_span: index.timeSpan && { start: timeOrNull(index.timeSpan.start), end: timeOrNull(index.timeSpan.end) },
      counts: {
        series: index.series.length,
        changes: index.changes.length,
        diffs: index.diffs.length,
        logs: index.logs.length,
        runbooks: index.runbooks.length,
        unknown: index.unknown.length,
        skipped: index.skipped.length,
        problems: index.problems.length,
      },
      ...lists,
      missing: missing(index),
    };
    // Several lists may page on, each from its own offset: the hint names them.
    if (omitted > 0) payload.truncated = { omitted, next_offset: null, hint: `page on with describe_bundle ${cut.join(' | ')}` };
    if (JSON.stringify(payload).length <= maxChars) return payload;
    // Too large even capped (very long ids or messages): keep the page and counts, list sections to page through.
    const sections = SECTIONS.filter((s) => (lists[s]?.length ?? 0) > 0);
    const itemCount = sections.reduce((n, s) => n + (lists[s]?.length ?? 0), 0);
    for (const s of SECTIONS) delete payload[s];
    payload.truncated = {
      omitted: omitted + itemCount,
      next_offset: null,
      hint: `the lists are too long to show together: call describe_bundle with section: one of ${sections.map((s) => `"${s}"`).join(', ')}`,
    };
    return payload;
  },
});
