// Choosing metric series by exact id, metric name, service or pattern: shared by
// query_metrics and detect_changes, so both read their arguments the same way.
import { z } from 'zod';
import type { Series } from '../../bundle/index.js';
import { InputError } from '../../errors.js';
import { withHistogramQuantiles } from '../analysis/histograms.js';
import { compileNamePattern, sameName } from './patterns.js';

export const seriesSelection = {
  series: z.array(z.string()).optional().describe('exact series ids, as describe_bundle lists them'),
  name: z.string().optional().describe('metric name, exact or a glob such as "http_*_p99*"'),
  service: z.string().optional().describe('only series of this service'),
  match: z
    .string()
    .optional()
    .describe('glob (e.g. "*latency*") or /regex/ matched against the series id; plain text matches as a substring'),
};

export interface SeriesSelection {
  series?: string[] | undefined;
  name?: string | undefined;
  service?: string | undefined;
  match?: string | undefined;
}

/**
 * The chosen series, among those of the bundle and the quantile series derived from its
 * histograms (`histogram_quantile(0.99, x_bucket){...}`).
 */
export function selectSeries(exported: readonly Series[], selection: SeriesSelection): Series[] {
  const all = withHistogramQuantiles(exported);
  if (all.length === 0) {
    throw new InputError('the bundle has no metric series', { hint: 'metrics live in metrics/*.json (Prometheus query_range) or metrics/*.csv' });
  }
  const ids = selection.series && selection.series.length > 0 ? new Set(selection.series) : null;
  const name = selection.name === undefined ? null : /[*?]/.test(selection.name) ? compileNamePattern(selection.name, 'name') : null;
  const match = selection.match === undefined ? null : compileNamePattern(selection.match, 'match');
  const chosen = all.filter((s) => {
    if (ids && !ids.has(s.id)) return false;
    if (selection.name !== undefined && !(name ? name(s.name) : s.name === selection.name)) return false;
    if (selection.service !== undefined && !sameName(s.service, selection.service)) return false;
    if (match && !match(s.id)) return false;
    return true;
  });
  if (chosen.length === 0) {
    const examples = all.slice(0, 8).map((s) => s.id);
    const services = [...new Set(all.map((s) => s.service).filter((s): s is string => s !== null))];
    throw new InputError(`no series matches ${JSON.stringify(selection)}`, {
      hint:
        `series ids look like ${examples.join(', ')}${all.length > 8 ? ` (${all.length} in all: describe_bundle section "series")` : ''}` +
        (selection.service !== undefined ? `; services with metrics: ${services.join(', ')}` : ''),
    });
  }
  return chosen;
}
