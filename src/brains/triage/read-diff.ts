// get_diff's result as the record the investigation reasons about: the risky edits the
// tool found (with their direction, how far a number moved, and the names they touch), the
// harmless setting edits it kept apart, and the added and removed lines of the hunks it returned.
import { changedLineOf, type ChangedLine, type GetDiffResult, type RiskSignal } from '../../protocol/results/index.js';

export type { ChangedLine };

export interface RiskSignalInfo {
  kind: RiskSignal['kind'];
  detail: string;
  patch: string;
  code: string;
  /** Which way a setting moved, when the tool says (`tightened`, `loosened`). */
  direction: RiskSignal['direction'];
  /** How far a number moved (at least 1, either way), when one did. */
  factor: number | null;
  /** Names the edit touches (settings, constants, flags), when the tool lists them. */
  identifiers: string[];
  /** For a flag guard: the flag the new code waits on, when the tool names it. */
  flag: string | null;
  /** For another edit: the flag whose check covers it, when the tool says. */
  guardedBy: string | null;
  /** The value before and after the edit (a setting, a schedule), when the tool reads them. */
  oldValue: string | null;
  newValue: string | null;
  /** For a limit: whether it bounds room for work or time, when the tool says. */
  bounds: RiskSignal['bounds'] | null;
  /** For a limit set to a number: the whole numbers a program prints for its new value. */
  newPrinted: string[];
}

export interface DiffInfo {
  changeId: string | null;
  path: string;
  subject: string;
  /** The commit message, as far as the tool shows it. */
  message: string;
  riskSignals: RiskSignalInfo[];
  files: string[];
  /** The files it creates: code that did not exist before it. */
  added: string[];
  /** The added and removed lines of the hunks the tool returned. */
  changed: ChangedLine[];
  /** Setting edits the tool judged harmless or unclear (a limit loosened, a TTL lengthened), for context. */
  otherEdits: RiskSignalInfo[];
  /** The schedules of the jobs the diff edits (cron expressions, as they stand after it). */
  schedules: Array<{ cron: string; code: string; patch: string }>;
}

const nonEmpty = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value);

function signalInfo(signal: RiskSignal): RiskSignalInfo {
  return {
    kind: signal.kind,
    detail: signal.detail === '' ? signal.kind : signal.detail,
    patch: signal.patch,
    code: signal.code,
    direction: signal.direction,
    factor: signal.factor,
    identifiers: signal.identifiers.filter((name) => name !== ''),
    flag: nonEmpty(signal.flag),
    guardedBy: nonEmpty(signal.guarded_by),
    oldValue: nonEmpty(signal.old),
    newValue: nonEmpty(signal.new),
    bounds: signal.bounds ?? null,
    newPrinted: signal.new_printed ?? [],
  };
}

/** One diff read with get_diff; null for the listing of all diffs (no `diff` path). */
export function readDiff(result: GetDiffResult): DiffInfo | null {
  if (result.diff === undefined || result.diff === '') return null;
  return {
    changeId: nonEmpty(result.change_id ?? undefined),
    path: result.diff,
    subject: result.subject ?? '',
    message: result.message ?? '',
    riskSignals: (result.risk_signals ?? []).map(signalInfo),
    files: (result.files ?? []).map((file) => file.file).filter((file) => file !== ''),
    added: (result.files ?? []).filter((file) => file.status === 'added' && file.file !== '').map((file) => file.file),
    changed: (result.hunks ?? []).flatMap((hunk) => hunk.lines.flatMap((line) => changedLineOf(line) ?? [])),
    otherEdits: (result.other_edits ?? []).map(signalInfo),
    schedules: (result.schedules ?? []).filter((schedule) => schedule.cron !== ''),
  };
}
