// `metrics/*.csv`: long form, one sample per row. Required columns `timestamp`, `metric`, `value`;
// optional `service`; every other column is a label, and an empty cell means the label is absent.
// Rows of one series may come in any order and interleaved with other series.

import { parseCsv } from './csv.js';
import type { ProblemSink } from './problems.js';
import { folderService, parseSampleValue, seriesKey, serviceFromLabels, type SeriesDraft } from './series.js';
import { parseTime } from './time.js';

const TIME_COLUMNS = ['timestamp', 'time', 'ts'];
const METRIC_COLUMNS = ['metric', '__name__', 'name'];
const VALUE_COLUMNS = ['value'];

function findColumn(header: string[], names: readonly string[]): number {
  for (const name of names) {
    const index = header.indexOf(name);
    if (index >= 0) return index;
  }
  return -1;
}

export function parseMetricsCsv(source: string, path: string, rootName: string, problems: ProblemSink): SeriesDraft[] {
  const rows = parseCsv(source);
  const first = rows.next();
  if (first.done) return [];
  const header = first.value.cells.map((cell) => cell.trim());
  const lower = header.map((cell) => cell.toLowerCase());
  const timeCol = findColumn(lower, TIME_COLUMNS);
  const metricCol = findColumn(lower, METRIC_COLUMNS);
  const valueCol = findColumn(lower, VALUE_COLUMNS);
  const missing = [timeCol < 0 && 'timestamp', metricCol < 0 && 'metric', valueCol < 0 && 'value'].filter(Boolean);
  if (missing.length > 0) {
    problems.add({ path, line: first.value.line, message: `header lacks required column(s): ${missing.join(', ')}` });
    return [];
  }
  const labelCols = header.map((name, index) => ({ name: lower[index] === 'service' ? 'service' : name, index }))
    .filter(({ index }) => index !== timeCol && index !== metricCol && index !== valueCol);
  const drafts = new Map<string, SeriesDraft>();
  const folder = folderService(path, rootName);
  for (const row of rows) {
    const { cells, line } = row;
    if (cells.length > header.length) {
      problems.add({ path, line, message: `${cells.length} cells but the header has ${header.length}; row skipped` });
      continue;
    }
    const name = (cells[metricCol] ?? '').trim();
    const t = parseTime(cells[timeCol] ?? '');
    const value = parseSampleValue(cells[valueCol] ?? '');
    if (name === '' || t === null) {
      problems.add({ path, line, message: name === '' ? 'empty metric name; row skipped' : 'unreadable timestamp; row skipped' });
      continue;
    }
    if (!value.ok) problems.add({ path, line, message: `value ${JSON.stringify(cells[valueCol])} is not a number; read as a gap` });
    const labels: Record<string, string> = {};
    for (const { name: label, index } of labelCols) {
      const cell = (cells[index] ?? '').trim();
      if (cell !== '') labels[label] = cell;
    }
    const key = seriesKey(name, labels);
    let draft = drafts.get(key);
    if (!draft) {
      draft = { name, service: serviceFromLabels(labels) ?? folder, labels, file: path, samples: [] };
      drafts.set(key, draft);
    }
    draft.samples.push({ t, v: value.v });
  }
  return [...drafts.values()];
}
