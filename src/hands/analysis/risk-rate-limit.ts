// A rate limit added where there was none: nginx's `limit_req_zone … rate=10r/s`, a
// `rate_limit: 100` or `requests_per_second: 50` set for the first time. Requests beyond it
// are refused. The quiet hours never reach it, so nothing shows when it lands; the first busy
// hour does, and whatever sends through one key of the limit (one client address, one API
// key: a fleet behind a carrier's NAT, a partner's batch) is refused as a whole.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { meaningful } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** nginx's zone: `limit_req_zone $binary_remote_addr zone=meter_ingest:10m rate=10r/s;` */
const NGINX_ZONE = /\blimit_req_zone\b.*?\bzone=([A-Za-z0-9_.-]+)(?::\S+)?.*?\brate=(\d+(?:\.\d+)?r\/[sm])\b/;
/** A key that sets a rate of requests, and its number: `rate_limit: 100`, `requestsPerSecond = 50`, `max_rps: 20`. */
const RATE_KEY =
  /^\s*["']?([A-Za-z0-9_.-]*(?:rate[_-]?limit|ratelimit|requests[_-]?per[_-]?(?:second|minute|sec|min)|requestspersecond|requestsperminute|max[_-]?(?:rps|qps|rpm))[A-Za-z0-9_.-]*)["']?\s*[:=]\s*["']?(\d+(?:\.\d+)?)(?:\s*(?:r\/s|r\/m|rps|rpm|\/s|\/m))?["']?\s*[,;]?\s*(?:#.*)?$/i;

/** A declaration is short: longer lines are not read, so a hostile line costs one length check, not a quadratic scan. */
const MAX_LINE = 2_000;

interface Added {
  line: DiffLine;
  name: string;
  value: string;
}

function rateLimitOf(line: DiffLine): Added | null {
  if (line.text.length > MAX_LINE) return null;
  const zone = NGINX_ZONE.exec(line.text);
  if (zone) return { line, name: zone[1] as string, value: zone[2] as string };
  const key = RATE_KEY.exec(line.text);
  if (key) return { line, name: key[1] as string, value: key[2] as string };
  return null;
}

/** The rate limits a hunk adds, where none it removes set a rate (that is a limit changed, read with the settings). */
export function rateLimitsAdded(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  if (meaningful(hunk.lines, 'del').some((l) => rateLimitOf(l) !== null)) return [];
  return meaningful(hunk.lines, 'add')
    .map(rateLimitOf)
    .filter((x): x is Added => x !== null)
    .map((x) =>
      makeSignal(diff, path, x.line, 'limit_changed', `a rate limit added where there was none (${x.name}: ${x.value}): requests beyond it are refused, which the quiet hours never reach`, {
        direction: 'tightened',
        old: 'none',
        new: x.value,
        identifiers: [x.name],
        bounds: 'capacity',
      }),
    );
}
