// The values a tool analyses for a series: a gauge as it is, a counter as its per-second rate
// (unless the raw values are asked for), with what the series measures and which way is worse.
import type { Series } from '../../bundle/index.js';
import { counterRate, rateWindow, seriesKind, type RatePoint, type SeriesKind } from './counters.js';
import { isDerivedQuantile } from './histograms.js';
import { seriesMeaning, type SeriesMeaning } from './series-meaning.js';

export interface SeriesView {
  kind: SeriesKind;
  /** Why it was read as a counter: its name, or values that only climb. */
  countedBy: 'name' | 'values' | null;
  /** 'rate' when the samples are a counter's per-second rate; null when they are the values as exported. */
  transform: 'rate' | null;
  /** The span each rate is taken over (ms), like the range of a PromQL rate(); null for values as exported. */
  rateWindowMs: number | null;
  samples: RatePoint[];
  meaning: SeriesMeaning;
}

/** The series as it should be read; `raw` keeps a counter's cumulative values. */
export function seriesView(series: Series, options: { raw?: boolean } = {}): SeriesView {
  // A quantile derived from a histogram is already a level, however it happens to climb.
  const { kind, because } = isDerivedQuantile(series.name) ? { kind: 'gauge' as const, because: null } : seriesKind(series.name, series.samples);
  const meaning = seriesMeaning(series.name, series.labels);
  if (kind === 'counter' && !options.raw) {
    const windowMs = rateWindow(series.samples);
    return { kind, countedBy: because, transform: 'rate', rateWindowMs: windowMs, samples: counterRate(series.samples, windowMs), meaning };
  }
  return { kind, countedBy: because, transform: null, rateWindowMs: null, samples: series.samples, meaning };
}
