// get_diff's result as the record the investigation reasons about: the risky edits the
// tool found (with their direction and the names they touch), the harmless setting edits it
// kept apart, and the added and removed lines of the hunks it returned.
import { arr, obj, str } from './json.js';

export interface RiskSignalInfo {
  kind: string;
  detail: string;
  patch: string;
  code: string;
  /** Which way a limit moved, when the tool says (`tightened`, `loosened`). */
  direction: string | null;
  /** Names the edit touches (settings, constants, flags), when the tool lists them. */
  identifiers: string[];
  /** For a flag guard: the flag the new code waits on, when the tool names it. */
  flag: string | null;
  /** For another edit: the flag whose check covers it, when the tool says. */
  guardedBy: string | null;
  /** The value before and after the edit (a setting, a schedule), when the tool reads them. */
  oldValue: string | null;
  newValue: string | null;
}

/** A line the diff adds or removes, with its references. */
export interface ChangedLine {
  sign: '+' | '-';
  text: string;
  /** `diffs/x.patch:47` */
  patch: string;
  /** `src/x.go:120` */
  code: string;
}

export interface DiffInfo {
  changeId: string | null;
  path: string;
  subject: string;
  /** The commit message, as far as the tool shows it. */
  message: string;
  riskSignals: RiskSignalInfo[];
  files: string[];
  /** The added and removed lines of the hunks the tool returned. */
  changed: ChangedLine[];
  /** Setting edits the tool judged harmless or unclear (a limit loosened, a TTL lengthened), for context. */
  otherEdits: RiskSignalInfo[];
  /** The schedules of the jobs the diff edits (cron expressions, as they stand after it). */
  schedules: Array<{ cron: string; code: string; patch: string }>;
}

/** `+ src/x.go:120 diffs/x.patch:47 | text` as printed in a hunk's lines. */
const CHANGED_LINE = /^([+-]) (\S+) (\S+) \| (.*)$/s;

function changedLines(hunks: unknown): ChangedLine[] {
  return arr(hunks).flatMap((hunk) =>
    arr(obj(hunk)['lines']).flatMap((line) => {
      const match = typeof line === 'string' ? CHANGED_LINE.exec(line) : null;
      return match ? [{ sign: match[1] as '+' | '-', code: match[2] as string, patch: match[3] as string, text: match[4] as string }] : [];
    }),
  );
}

export function readDiff(json: unknown): DiffInfo | null {
  const root = obj(json);
  const path = str(root['diff']);
  if (path === null) return null;
  const riskSignals = readSignals(root['risk_signals']);
  const files = arr(root['files']).flatMap((item) => {
    const file = str(obj(item)['file']);
    return file === null ? [] : [file];
  });
  return {
    changeId: str(root['change_id']),
    path,
    subject: str(root['subject']) ?? '',
    message: str(root['message']) ?? '',
    riskSignals,
    files,
    changed: changedLines(root['hunks']),
    otherEdits: readSignals(root['other_edits']),
    schedules: arr(root['schedules']).flatMap((item) => {
      const node = obj(item);
      const cron = str(node['cron']);
      return cron === null ? [] : [{ cron, code: str(node['code']) ?? '', patch: str(node['patch']) ?? '' }];
    }),
  };
}

function readSignals(items: unknown): RiskSignalInfo[] {
  return arr(items).flatMap((item) => {
    const node = obj(item);
    const kind = str(node['kind']);
    const patch = str(node['patch']);
    if (kind === null || patch === null) return [];
    const identifiers = arr(node['identifiers']).map(str).filter((x): x is string => x !== null);
    return [{ kind, detail: str(node['detail']) ?? kind, patch, code: str(node['code']) ?? patch, direction: str(node['direction']), identifiers, flag: str(node['flag']), guardedBy: str(node['guarded_by']), oldValue: str(node['old']), newValue: str(node['new']) }];
  });
}
