// Every SRE tool's result, over every shipped fixture bundle, matches the output schema the
// tool declares (src/protocol/results): the contract holds on real bundles, not only on the
// small one the unit tests write. Each bundle is asked the calls an investigation makes
// (the overview and each of its sections, metrics, change points, changes, every diff,
// logs, templates, files), so every branch of each result shape is exercised.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_SECTIONS, TOOL_RESULT_SCHEMAS } from '../../../src/protocol/results/index.js';
import type { SreToolName } from '../../../src/protocol/tools.js';
import { toolByName } from '../../../src/hands/tools/index.js';
import type { ToolContext } from '../../../src/hands/tool.js';
import { contextFor } from './helpers/bundle.js';

const FIXTURES = resolve('fixtures');
const bundles = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((name) => existsSync(join(FIXTURES, name, 'truth.json'))).sort() : [];

/** Calls `name` and checks its result against the tool's schema, as text and as fields; returns the fields. */
async function checked(name: SreToolName, args: Record<string, unknown>, context: ToolContext): Promise<Record<string, unknown>> {
  const result = await toolByName(name)!.run(args, context);
  const json = JSON.parse(result.text) as Record<string, unknown>;
  expect({ name, args, isError: result.isError === true, error: json['error'] }).toEqual({ name, args, isError: false, error: undefined });
  const parsed = TOOL_RESULT_SCHEMAS[name].safeParse(json);
  expect(parsed.success ? [] : parsed.error.issues.slice(0, 3), `${name} ${JSON.stringify(args)}`).toEqual([]);
  expect(result.structured).toEqual(json);
  return json;
}

describe('the tools\' results over the shipped bundles', () => {
  it('found the fixtures', () => {
    expect(bundles.length).toBeGreaterThan(0);
  });

  it.each(bundles)('%s: every tool\'s result matches its output schema', async (name) => {
    const context = await contextFor(join(FIXTURES, name));
    const overview = (await checked('describe_bundle', {}, context)) as {
      page?: { started_at: string | null } | null;
      series?: Array<{ id: string }>;
      changes?: Array<{ id: string; diff: string | null }>;
      runbooks?: string[];
    };
    for (const section of BUNDLE_SECTIONS) await checked('describe_bundle', { section, limit: 5 }, context);
    const ids = (overview.series ?? []).slice(0, 4).map((s) => s.id);
    if (ids.length > 0) {
      await checked('query_metrics', { series: ids, max_points: 30 }, context);
      await checked('query_metrics', { series: ids, stats_only: true, ...(overview.page?.started_at ? { pivot: overview.page.started_at } : {}) }, context);
    }
    await checked('detect_changes', {}, context);
    await checked('list_changes', {}, context);
    await checked('get_diff', {}, context);
    for (const change of (overview.changes ?? []).filter((c) => c.diff !== null)) await checked('get_diff', { change_id: change.id, limit: 5 }, context);
    await checked('search_logs', { pattern: 'error|timeout|fail', regex: true, ignore_case: true, max_matches: 10, context: 1 }, context);
    await checked('log_patterns', { limit: 20 }, context);
    await checked('log_patterns', { assign: true, limit: 10 }, context);
    const file = overview.runbooks?.[0] ?? (overview.changes ?? []).find((c) => c.diff !== null)?.diff;
    if (file) await checked('read_file', { path: file, end: 20 }, context);
  });
});
