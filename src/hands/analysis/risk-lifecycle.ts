// An object-store lifecycle rule that deletes what it matches: S3's `expiration { days = 7 }`
// (Terraform), `"Expiration": {"Days": 7}` (the API's JSON), `Expiration: Days: 7`
// (CloudFormation). The provider runs lifecycle once a day (S3: after midnight UTC), so a
// rule added in the morning deletes nothing until then; from then every object older than its
// age under its filter is gone, and every read of one fails (NoSuchKey, 404, "blob unknown").
// Expiring only old versions (`noncurrent_version_expiration`), abandoned multipart uploads or
// delete markers removes nothing a reader asks for, and is not read here.
import type { Diff, DiffFile, DiffLine } from '../../bundle/index.js';
import { isComment, stripComment } from './code-words.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** An expiration of current objects: the block or key that opens it. */
const EXPIRATION = /^\s*["']?(?:expiration|Expiration)["']?\s*(?:\{|:|=\s*\{|=\s*\[)/;
/** Its age in days, on the same line or the lines after it. */
const DAYS = /["']?(?:days|Days)["']?\s*[:=]\s*["']?(\d+)/;
/** A filter's prefix, to say what the rule reaches. */
const PREFIX = /["']?(?:prefix|Prefix)["']?\s*[:=]\s*["']([^"']*)["']/;
/** The words that say a file or a block configures lifecycle rules. */
const LIFECYCLE = /lifecycle|LifecycleConfiguration|LifecycleRule/i;
/** How many lines after the expiration its age may come. */
const DAYS_WITHIN = 4;
/** How many lines before the expiration the rule's filter may come. */
const FILTER_WITHIN = 12;

/** The provider's daily lifecycle run, as a schedule: it acts from the next midnight UTC. */
const DAILY_RUN = '0 0 * * *';

/** Lifecycle rules a diff adds that delete current objects: one signal per rule. */
export function objectsExpired(diff: Diff, files: readonly DiffFile[]): RiskSignal[] {
  const out: RiskSignal[] = [];
  for (const file of files) {
    const path = file.newPath ?? file.oldPath ?? '';
    for (const hunk of file.hunks) {
      const lines = hunk.lines;
      const aboutLifecycle = LIFECYCLE.test(path) || lines.some((l) => LIFECYCLE.test(l.text));
      if (!aboutLifecycle) continue;
      lines.forEach((line, i) => {
        if (line.kind !== 'add' || isComment(line.text) || !EXPIRATION.test(stripComment(line.text))) return;
        const days = ageIn(lines.slice(i, i + 1 + DAYS_WITHIN));
        if (days === null) return;
        const prefix = prefixBefore(lines.slice(Math.max(0, i - FILTER_WITHIN), i));
        const reach = prefix === null ? 'every object the rule matches' : prefix === '' ? 'every object in the bucket' : `every object under ${prefix}`;
        out.push(
          makeSignal(diff, path, line, 'objects_expired', `a lifecycle rule now deletes ${reach} older than ${days} days: the provider runs it once a day (from midnight UTC), and from then every read of one of them fails`, {
            new: DAILY_RUN,
            identifiers: prefix === null || prefix === '' ? [] : [prefix],
          }),
        );
      });
    }
  }
  return out;
}

function ageIn(lines: readonly DiffLine[]): number | null {
  for (const line of lines) {
    if (line.kind === 'del') continue;
    const m = DAYS.exec(stripComment(line.text));
    if (m) return Number(m[1]);
  }
  return null;
}

function prefixBefore(lines: readonly DiffLine[]): string | null {
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i] as DiffLine;
    if (line.kind === 'del') continue;
    const m = PREFIX.exec(stripComment(line.text));
    if (m) return m[1] as string;
  }
  return null;
}
