// A schedule moved: a cron expression edited (a Kubernetes CronJob, a crontab line, a
// scheduler's setting). The work it starts now runs at another time, which may be the busiest
// hour of a shared database: the change acts when the schedule next fires, not when it ships.
import type { Diff, DiffHunk } from '../../bundle/index.js';
import { stripComment } from './code-words.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

const FIELD = String.raw`(?:\*|\?|[0-9A-Za-z]+(?:[-/][0-9A-Za-z]+)*(?:,[0-9A-Za-z]+(?:[-/][0-9A-Za-z]+)*)*)(?:\/\d+)?`;
/** Five to seven cron fields, or a macro. */
const CRON = new RegExp(String.raw`^(?:@(?:yearly|annually|monthly|weekly|daily|midnight|hourly)|${FIELD}(?:\s+${FIELD}){4,6})$`);
const SCHEDULE_KEY = /(schedule|cron|crontab|cron_?expression|schedule_?expression|trigger)/i;

/** The cron expression a line sets (`schedule: "0 14 * * *"`, `cron = '0/5 * * * *'`), or a crontab entry's timing fields. */
export function cronOf(line: string): string | null {
  const code = stripComment(line).trim();
  const setting = /^[-\s]*["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*["'`]([^"'`]+)["'`]/.exec(code);
  if (setting && SCHEDULE_KEY.test(setting[1] as string)) {
    const value = (setting[2] as string).trim();
    return CRON.test(value) ? value : null;
  }
  const crontab = /^((?:\S+\s+){4}\S+)\s+(?:\S+\s+)?\S*\//.exec(code);
  if (crontab && CRON.test((crontab[1] as string).trim())) return (crontab[1] as string).trim();
  return null;
}

/** Schedules a hunk changes: a removed line's cron expression replaced by an added one. */
export function schedulesChanged(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const removed = hunk.lines.filter((l) => l.kind === 'del').map((l) => ({ l, cron: cronOf(l.text) })).filter((x) => x.cron !== null);
  const added = hunk.lines.filter((l) => l.kind === 'add').map((l) => ({ l, cron: cronOf(l.text) })).filter((x) => x.cron !== null);
  const out: RiskSignal[] = [];
  added.forEach((a, i) => {
    const old = removed[i]?.cron ?? null;
    if (old === a.cron) return;
    out.push(
      makeSignal(diff, path, a.l, 'schedule_changed', old === null ? `a new schedule: ${a.cron}` : `schedule moved from "${old}" to "${a.cron}": its work now runs at another time`, {
        ...(old === null ? {} : { old }),
        new: a.cron as string,
        direction: 'changed',
        identifiers: [],
      }),
    );
  });
  return out;
}

/** A schedule the jobs a diff edits run on: what `get_diff` reports as `schedules`. */
export interface JobSchedule {
  cron: string;
  /** `k8s/x/cronjob.yaml:9` */
  code: string;
  /** `diffs/x.patch:21` */
  patch: string;
}

/**
 * The schedules of the jobs a diff edits, as they stand after it (unchanged context or new
 * lines): an edit to a scheduled job acts when the job next runs, not when it ships.
 */
export function jobSchedules(diff: Diff): JobSchedule[] {
  const out: JobSchedule[] = [];
  for (const file of diff.files) {
    const path = file.newPath ?? file.oldPath ?? '(unknown)';
    for (const hunk of file.hunks) {
      if (!hunk.lines.some((l) => l.kind !== 'ctx')) continue;
      for (const line of hunk.lines) {
        if (line.kind === 'del') continue;
        const cron = cronOf(line.text);
        if (cron !== null && !out.some((s) => s.cron === cron && s.code.startsWith(`${path}:`))) {
          out.push({ cron, code: `${path}:${line.newLine ?? '?'}`, patch: `${diff.path}:${line.patchLine}` });
        }
      }
    }
  }
  return out;
}
