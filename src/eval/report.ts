// The evaluation's output: per folder of bundles, a summary (outcomes, per-field
// accuracy, onset error, time per bundle, calibration by confidence band) and one table
// row per bundle; or the same as JSON for scripts.
import { summarize, type Outcome, type Scored, type Summary } from './score.js';

export interface FolderResult {
  /** The folder as given. */
  folder: string;
  rows: Scored[];
}

const pct = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)}s`;

const OUTCOME_LABEL: Record<Outcome, string> = {
  correct: 'correct',
  wrong_blame: 'wrong blame',
  abstained: 'abstained',
  wrong_category: 'wrong category',
  partly_right: 'partly right',
  no_diagnosis: 'no diagnosis',
};

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((cells) => (cells[i] ?? '').length)));
  const format = (cells: readonly string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...rows.map(format)];
}

function summaryLines(summary: Summary): string[] {
  const n = summary.bundles;
  const line = (label: string, value: string): string => `${`${label}:`.padEnd(19)}${value}`;
  return [
    line('bundles', String(n)),
    ...(Object.entries(summary.outcomes) as Array<[Outcome, number]>).map(([outcome, count]) => line(OUTCOME_LABEL[outcome], `${count} (${pct(count, n)})`)),
    line('category right', `${summary.categoryRight} (${pct(summary.categoryRight, n)})`),
    line('change right', `${summary.changeRight} (${pct(summary.changeRight, n)})`),
    line('service right', `${summary.serviceRight} (${pct(summary.serviceRight, n)})`),
    line('mean onset error', summary.meanOnsetErrorSeconds === null ? 'n/a' : `${summary.meanOnsetErrorSeconds.toFixed(1)}s over ${summary.onsetsCompared} bundles`),
    line('time per bundle', `mean ${seconds(summary.meanMs)}, max ${seconds(summary.maxMs)}`),
  ];
}

function calibrationLines(summary: Summary): string[] {
  return table(
    ['confidence', 'diagnoses', 'right'],
    summary.calibration.map((band) => [band.band, String(band.diagnoses), band.diagnoses === 0 ? '-' : `${band.right} (${pct(band.right, band.diagnoses)})`]),
  );
}

function bundleLines(rows: readonly Scored[]): string[] {
  const mark = (ok: boolean): string => (ok ? 'ok' : 'MISS');
  return table(
    ['bundle', 'truth', 'diagnosis', 'conf', 'outcome', 'cat', 'chg', 'svc', 'onset err', 'calls', 'time'],
    rows.map((row) => {
      const d = row.diagnosis?.root_cause;
      return [
        row.bundle,
        `${row.truth.category} ${row.truth.service ?? '-'} ${row.truth.change_id ?? '-'}`,
        d ? `${d.category} ${d.service ?? '-'} ${d.change_id ?? '-'}` : 'no diagnosis',
        row.diagnosis ? row.diagnosis.confidence.toFixed(2) : '-',
        OUTCOME_LABEL[row.outcome],
        mark(row.category),
        mark(row.change),
        mark(row.service),
        row.onsetErrorSeconds === null ? '-' : `${row.onsetErrorSeconds.toFixed(0)}s`,
        String(row.toolCalls),
        seconds(row.elapsedMs),
      ];
    }),
  );
}

export function renderText(results: readonly FolderResult[]): string {
  const sections = results.map((result) => {
    const summary = summarize(result.rows);
    return [`== ${result.folder}`, '', ...summaryLines(summary), '', ...calibrationLines(summary), '', ...bundleLines(result.rows)].join('\n');
  });
  return `${sections.join('\n\n')}\n`;
}

export function renderJson(results: readonly FolderResult[]): string {
  const folders = results.map((result) => {
    const summary = summarize(result.rows);
    return {
      folder: result.folder,
      summary: {
        bundles: summary.bundles,
        outcomes: summary.outcomes,
        category_right: summary.categoryRight,
        change_right: summary.changeRight,
        service_right: summary.serviceRight,
        mean_onset_error_seconds: summary.meanOnsetErrorSeconds,
        onsets_compared: summary.onsetsCompared,
        mean_ms: Math.round(summary.meanMs),
        max_ms: Math.round(summary.maxMs),
        calibration: summary.calibration,
      },
      bundles: result.rows.map((row) => ({
        bundle: row.bundle,
        truth: row.truth,
        diagnosis: row.diagnosis
          ? {
              category: row.diagnosis.root_cause.category,
              service: row.diagnosis.root_cause.service,
              change_id: row.diagnosis.root_cause.change_id,
              confidence: row.diagnosis.confidence,
            }
          : null,
        outcome: row.outcome,
        category_right: row.category,
        change_right: row.change,
        service_right: row.service,
        onset_error_seconds: row.onsetErrorSeconds,
        tool_calls: row.toolCalls,
        elapsed_ms: Math.round(row.elapsedMs),
      })),
    };
  });
  return `${JSON.stringify({ folders }, null, 2)}\n`;
}
