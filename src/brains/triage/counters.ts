// Cumulative counters read as an SRE reads them: as rates, summed over the instances of a
// service. A raw `_total` climbs steadily whatever happens, so its level says nothing;
// its slope does. Pods that restart (or a new release's pods) start again from zero, so
// one instance's series is short and resets: the sum of the rates of every instance is the
// signal (`sum(rate(x[1m])) by (service, ...)`).
import type { SeriesInfo, SeriesValues } from './read.js';

/** Names Prometheus gives cumulative counters and the count/sum parts of summaries and histograms. */
const COUNTER_NAME = /(_total|_count|_sum|_seconds_total|_bytes_total)$/;
/** Labels that name one instance of a service rather than a part of its work. */
const INSTANCE_LABEL = /^(instance|pod|pod_name|kubernetes_pod_name|container|container_id|host|hostname|node|nodename|ip|replica|version|revision|image|build|release|controller_revision_hash|pod_template_hash)$/i;
/** Share of steps that may go down (a reset) in a series still read as cumulative. */
const MAX_DOWN_SHARE = 0.1;

export interface RateSeries {
  /** A member series (its id is a reference the tools printed). */
  ref: string;
  /** How the rate is described in prose: `rate(x)` or `sum(rate(x)) over 3 series`. */
  display: string;
  info: SeriesInfo;
  values: SeriesValues;
}

/** Whether a tool already returned a series as a rate (`transform: "rate"`), or says it is a counter. */
export interface CounterHints {
  transformed: boolean;
  counter: boolean;
}

function cumulative(values: ReadonlyArray<number | null>): boolean {
  const xs = values.filter((v): v is number => v !== null);
  if (xs.length < 4) return false;
  let down = 0;
  for (let i = 1; i < xs.length; i++) if ((xs[i] as number) < (xs[i - 1] as number)) down += 1;
  const first = xs[0] as number;
  const last = xs[xs.length - 1] as number;
  return down / (xs.length - 1) <= MAX_DOWN_SHARE && last > first && first >= 0;
}

/** Whether a series is a cumulative counter whose values still need to be turned into a rate. */
export function needsRate(info: Pick<SeriesInfo, 'name'>, values: ReadonlyArray<number | null>, hints: CounterHints): boolean {
  if (hints.transformed) return false;
  if (!hints.counter && !COUNTER_NAME.test(info.name)) return false;
  return cumulative(values);
}

/** Per-second rate of a cumulative series on its grid; a reset (the value went down) leaves a gap. */
export function rateOf(series: SeriesValues): SeriesValues {
  const out: Array<number | null> = series.values.map(() => null);
  let prev: { i: number; v: number } | null = null;
  series.values.forEach((v, i) => {
    if (v === null) return;
    if (prev !== null && v >= prev.v) out[i] = (v - prev.v) / (((i - prev.i) * series.stepMs) / 1000);
    prev = { i, v };
  });
  return { ...series, values: out };
}

/** The labels that identify what a counter counts, without the instance that counted it. */
export function groupLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([key]) => !INSTANCE_LABEL.test(key)));
}

function groupKey(info: SeriesInfo): string {
  const labels = groupLabels(info.labels);
  return `${info.name}|${info.service ?? ''}|${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',')}`;
}

function groupName(info: SeriesInfo): string {
  const labels = groupLabels(info.labels);
  const inner = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`)
    .join(',');
  return inner === '' ? info.name : `${info.name}{${inner}}`;
}

/**
 * Rates summed per group of instances. Members are aligned by time (batches of a query may
 * start at different points); a bucket where no member has a rate is a gap.
 */
export function sumRates(members: ReadonlyArray<{ info: SeriesInfo; rate: SeriesValues }>): RateSeries[] {
  const groups = new Map<string, Array<{ info: SeriesInfo; rate: SeriesValues }>>();
  for (const m of members) groups.set(groupKey(m.info), [...(groups.get(groupKey(m.info)) ?? []), m]);
  const out: RateSeries[] = [];
  for (const group of [...groups.values()]) {
    const sorted = [...group].sort((a, b) => (a.info.id < b.info.id ? -1 : 1));
    const head = sorted[0] as { info: SeriesInfo; rate: SeriesValues };
    const stepMs = Math.min(...sorted.map((m) => m.rate.stepMs));
    const start = Math.min(...sorted.map((m) => m.rate.start));
    const end = Math.max(...sorted.map((m) => m.rate.start + (m.rate.values.length - 1) * m.rate.stepMs));
    const n = Math.round((end - start) / stepMs) + 1;
    const sums: Array<number | null> = Array.from({ length: n }, () => null);
    for (const m of sorted) {
      m.rate.values.forEach((v, i) => {
        if (v === null) return;
        const k = Math.round((m.rate.start + i * m.rate.stepMs - start) / stepMs);
        if (k >= 0 && k < n) sums[k] = (sums[k] ?? 0) + v;
      });
    }
    // The member that moved most stands for the group when a reference is needed.
    const ref = [...sorted].sort((a, b) => spread(b.rate.values) - spread(a.rate.values) || (a.info.id < b.info.id ? -1 : 1))[0]?.info.id ?? head.info.id;
    const name = groupName(head.info);
    out.push({
      ref,
      display: sorted.length === 1 ? `rate(${head.info.id})` : `sum(rate(${name})) over ${sorted.length} instances`,
      info: { ...head.info, id: ref, labels: groupLabels(head.info.labels) },
      values: { id: ref, service: head.info.service, start, stepMs, values: sums },
    });
  }
  return out.sort((a, b) => (a.ref < b.ref ? -1 : 1));
}

function spread(values: ReadonlyArray<number | null>): number {
  const xs = values.filter((v): v is number => v !== null);
  return xs.length === 0 ? 0 : Math.max(...xs) - Math.min(...xs);
}
