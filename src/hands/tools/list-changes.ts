// list_changes: deploys, config changes, flags and infra changes, in time order, each placed
// against the page.
import { z } from 'zod';
import type { Change } from '../../bundle/index.js';
import { ListChangesResultSchema, type ChangeRecord } from '../../protocol/results/index.js';
import { defineTool } from './define.js';
import { clip, fitList, offsetPaging } from './output.js';
import { sameName } from './patterns.js';
import { inWindow, relativeToAlert, resolveWindow, timeArg, timeOrNull, windowText } from './time-args.js';

const input = z.object({
  from: timeArg('only changes at or after this time (e.g. "-2h")'),
  to: timeArg('only changes at or before this time'),
  service: z.string().optional().describe('only changes to this service'),
  type: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('only these types: deploy, config, feature_flag, infra, rollback'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});

function attributesOf(change: Change): Record<string, unknown> | undefined {
  const entries = Object.entries(change.attributes);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'string' ? clip(v, 200) : v]));
}

export const listChanges = defineTool({
  name: 'list_changes',
  description: [
    'Lists the changes from changes.yaml/json (deploys, config changes, feature flags, infra changes, rollbacks) sorted by',
    'time, each with id, service, type, at, finished_at, version, author, commit, summary, its diff path (read it with',
    'get_diff) and where it sits against the page ("42m before the page"). Filter by from/to (offsets from the alert such',
    'as "-3h" work), service and type. A change is a suspect only if it took effect before the metrics moved: compare with',
    'detect_changes onsets. Pages by offset/limit.',
  ].join(' '),
  inputSchema: input,
  outputSchema: ListChangesResultSchema,
  async run(args, context) {
    const { bundle } = context;
    const alertAt = (await bundle.alert())?.startedAt ?? null;
    const all = await bundle.changes();
    const window = resolveWindow(args.from, args.to, alertAt);
    const types = args.type === undefined ? null : new Set((Array.isArray(args.type) ? args.type : [args.type]).map((t) => t.toLowerCase()));
    const chosen = all.filter(
      (c) =>
        (window.from === null && window.to === null ? true : inWindow(c.at, window)) &&
        (args.service === undefined || sameName(c.service, args.service)) &&
        (types === null || types.has(c.type.toLowerCase())),
    );
    const lastBefore = alertAt === null ? null : [...chosen].reverse().find((c) => c.at !== null && c.at <= alertAt);
    const page = chosen.slice(args.offset, args.offset + args.limit).map((c): ChangeRecord => ({
      id: c.id,
      service: c.service,
      type: c.type,
      at: timeOrNull(c.at),
      relative: relativeToAlert(c.at, alertAt),
      finished_at: timeOrNull(c.finishedAt),
      version: c.version,
      author: c.author,
      commit: c.commit,
      summary: c.summary === null ? null : clip(c.summary, 500),
      diff: c.diff,
      ...(attributesOf(c) === undefined ? {} : { attributes: attributesOf(c) }),
    }));
    const counts: Record<string, number> = {};
    for (const c of chosen) counts[c.type] = (counts[c.type] ?? 0) + 1;
    const countText = Object.entries(counts)
      .map(([type, n]) => `${n} ${type}`)
      .join(', ');
    const nearest = lastBefore ? `; latest before the page: ${lastBefore.id} (${lastBefore.service ?? 'no service'}) ${relativeToAlert(lastBefore.at, alertAt)}` : '';
    const rest = Math.max(0, chosen.length - args.offset - page.length);
    return fitList({
      items: page,
      maxChars: context.limits.maxOutputChars,
      alreadyOmitted: rest,
      alreadyPageOn: offsetPaging('list_changes', args.offset)(page.length),
      pageOn: offsetPaging('list_changes', args.offset),
      build: (shown) => ({
        summary:
          all.length === 0
            ? 'The bundle has no changes (changes.yaml or changes.json)'
            : `${chosen.length} of ${all.length} changes${countText ? ` (${countText})` : ''}${nearest}`,
        total: all.length,
        matched: chosen.length,
        window: windowText(window),
        offset: args.offset,
        changes: shown,
      }),
    });
  },
});
