// Entries that now all expire at the same wall-clock moment. A cache write that gave each entry
// a lifetime of its own (`psetex(key, ttl + jitter, …)`, `setex`, `expire(key, ttl)`) is replaced
// by one that expires it at an absolute time computed to a boundary (`pexpireat(key, next
// midnight UTC)`, `expire_at=start_of_next_hour`). Whatever is written from then on expires in
// the same second: at the boundary the cache empties at once and every lookup goes to the store
// behind it together (a stampede), hours after the release and again at every boundary. The
// signal carries the boundary as a cron expression (read in UTC) when the code says the zone.
import type { Diff, DiffFile, DiffLine } from '../../bundle/index.js';
import { isComment, stripComment } from './code-words.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** A write or call that expires an entry at an absolute time. */
const ABSOLUTE_EXPIRY = /\b(?:p?expireat|p?expire_at|ExpireAt|PExpireAt|expiresAt|expires_at|setExpiresAt|absoluteExpiration|AbsoluteExpiration|exat|pxat)\b/i;
/** A time computed to the start of a day (`atStartOfDay`, `truncatedTo(ChronoUnit.DAYS)`, `replace(hour=0, minute=0…)`, midnight). */
const DAY_BOUNDARY =
  /atStartOfDay|startOfDay|start_of_day|\bmidnight\b|truncatedTo\s*\(\s*(?:ChronoUnit\.)?DAYS|\.replace\s*\(\s*hour\s*=\s*0|startOf\s*\(\s*["']day|set(?:UTC)?Hours\s*\(\s*(?:0|24)\b|Truncate\s*\(\s*24\s*\*\s*time\.Hour|\/\/\s*86400|\bfloor\s*\([^)]*86400/i;
/** A time computed to the start of an hour. */
const HOUR_BOUNDARY = /truncatedTo\s*\(\s*(?:ChronoUnit\.)?HOURS|startOf\s*\(\s*["']hour|\.replace\s*\(\s*minute\s*=\s*0|Truncate\s*\(\s*time\.Hour|set(?:UTC)?Minutes\s*\(\s*60\b|\/\/\s*3600\b/i;
/** The code says the boundary is UTC's (or epoch arithmetic, which is). */
const UTC = /\bUTC\b|ZoneOffset\.UTC|timezone\.utc|time\.UTC|setUTC|Date\.UTC|\butc\b|\/\/\s*(?:86400|3600)\b/;
/** A lifetime of its own: a relative expiry, a TTL, a jitter. */
const RELATIVE = /\b(?:p?setex|expire|ttl|jitter|maxAge|max_age|expireAfterWrite|expire_after)\b/i;

const code = (lines: readonly DiffLine[]): string[] => lines.filter((l) => !isComment(l.text)).map((l) => stripComment(l.text));

/** Files whose writes now expire at a boundary where they had lifetimes of their own: one signal per file. */
export function expiriesAligned(diff: Diff, files: readonly DiffFile[]): RiskSignal[] {
  const out: RiskSignal[] = [];
  for (const file of files) {
    const lines = file.hunks.flatMap((h) => h.lines);
    const added = lines.filter((l) => l.kind === 'add');
    const removed = code(lines.filter((l) => l.kind === 'del'));
    const expiry = added.find((l) => !isComment(l.text) && ABSOLUTE_EXPIRY.test(stripComment(l.text)));
    if (expiry === undefined || !removed.some((text) => RELATIVE.test(text)) || removed.some((text) => ABSOLUTE_EXPIRY.test(text))) continue;
    const kept = code(lines.filter((l) => l.kind !== 'del'));
    const day = kept.some((text) => DAY_BOUNDARY.test(text));
    const hour = !day && kept.some((text) => HOUR_BOUNDARY.test(text));
    if (!day && !hour) continue;
    const utc = kept.some((text) => UTC.test(text));
    const boundary = day ? `the next midnight${utc ? ' UTC' : ''}` : 'the top of the next hour';
    const cron = day ? (utc ? '0 0 * * *' : null) : '0 * * * *';
    out.push(
      makeSignal(diff, file.newPath ?? file.oldPath ?? '', expiry, 'expiry_aligned', `entries now expire at ${boundary} instead of after a lifetime of their own: everything written since expires in the same second, and at that boundary every lookup goes to the store behind the cache at once`, {
        ...(cron === null ? {} : { new: cron }),
      }),
    );
  }
  return out;
}
