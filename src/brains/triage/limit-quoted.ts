// A limit the errors quote. A change set a limit (a message size, a body size, a timeout) to a
// number; the errors that began with the incident print that very number, in the unit the
// program counts in (`1MB` set, `message exceeds maximum size 1048576` logged). Whatever refuses
// the work refuses it at the change's limit: the change is on the path however quiet its own
// service looks, and however long before the onset it came, since only work over the limit
// fails and such work may come hours later (a monthly batch, a large upload).
import type { Case } from './case.js';
import { reportsProblem } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding, type Finding } from './model.js';
import type { PathLink } from './path.js';
import { templateText, type ChangeInfo, type TemplateInfo } from './read.js';
import type { RiskSignalInfo } from './read-diff.js';
import { escapeRegExp } from '../../regexp.js';

/** A number this long is one a program printed for a reason (a limit, a size), not a count that happens to match. */
const MIN_DIGITS = 4;
const MIN_UNIT_DIGITS = 2;
/** The quoting errors must begin by this long after the onset to have come with it. */
const AFTER_ONSET_MS = 15 * 60_000;
/** Lines seen from the start of the window read may have been there before it. */
const ABSENT_AT_START_MS = 10 * 60_000;

/** A bare number of four digits or more, or a size with its unit and two digits or more (`18G`): not a count that happens to match. */
export function distinctivePrinted(printed: string): boolean {
  const digits = printed.replace(/\D/g, '').length;
  return /^\d+$/.test(printed) ? digits >= MIN_DIGITS : digits >= MIN_UNIT_DIGITS;
}

export interface QuotedLimit {
  risk: RiskSignalInfo;
  /** The number as the errors print it. */
  printed: string;
  template: TemplateInfo;
}

/** The first warning or error that began after the change and by the onset, quoting a limit the change tightened. */
export function quotedLimit(c: Case, episode: Episode, change: ChangeInfo): QuotedLimit | null {
  const risks = (c.diffs.get(change.id)?.riskSignals ?? []).filter((r) => r.kind === 'limit_changed' && r.direction === 'tightened');
  for (const risk of risks) {
    for (const printed of risk.newPrinted.filter(distinctivePrinted)) {
      const quoted = new RegExp(`(?<![\\w.])${escapeRegExp(printed)}(?![\\w]|\\.\\d)`);
      // Errors that began after the change: first seen after it, and not at the very start of the
      // window read (which may only be where the reading began).
      const since = Math.max(change.at, (c.logWindow?.from ?? change.at) + ABSENT_AT_START_MS);
      const template = c.templates
        .filter((t) => reportsProblem(t) && t.firstSeen !== null && t.firstSeen >= since && t.firstSeen <= episode.onset + AFTER_ONSET_MS && quoted.test(templateText(t)))
        .sort((a, b) => (a.firstSeen as number) - (b.firstSeen as number))[0];
      if (template !== undefined) return { risk, printed, template };
    }
  }
  return null;
}

export function quotedLimitPath(quoted: QuotedLimit | null): PathLink | null {
  if (quoted === null) return null;
  return {
    reason: `the errors that came with the incident quote the limit it set, ${quoted.printed} (${quoted.risk.detail}): "${quoted.template.template}"`,
    movement: null,
    log: null,
  };
}

export function quotedLimitFinding(quoted: QuotedLimit | null, change: ChangeInfo): Finding | null {
  if (quoted === null) return null;
  const { risk, printed, template } = quoted;
  return finding(
    'limit_quoted',
    `the errors from ${iso(template.firstSeen as number)} on quote ${printed}, the limit ${change.id} set (${risk.detail}): work over it is refused, and only such work fails`,
    [
      { source: 'logs', ref: template.example, detail: `${template.flag} since ${iso(template.firstSeen as number)}: ${template.sample.slice(0, 200)}` },
      { source: 'diffs', ref: risk.patch, detail: `${risk.detail} at ${risk.code}` },
    ],
  );
}
