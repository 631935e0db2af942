// A rate limit added where there was none: nginx's `limit_req_zone … rate=10r/s`, a
// `rate_limit: 100` or `requests_per_second: 50` set for the first time. Requests beyond it
// are refused. The quiet hours never reach it, so nothing shows when it lands; the first busy
// hour does, and whatever sends through one key of the limit (one client address, one API
// key: a fleet behind a carrier's NAT, a partner's batch) is refused as a whole.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { meaningful } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';
import { parseValue, printedForms } from './risk-values.js';

/** The numbers a program prints for a size limit, where its value reads as one. */
function printedOf(x: { name: string; value: string }): { new_printed?: string[] } {
  const forms = printedForms(parseValue(x.value, { key: x.name.includes('size') ? x.name : `${x.name}_size` }));
  return forms.length > 0 ? { new_printed: forms } : {};
}

/** nginx's zone: `limit_req_zone $binary_remote_addr zone=meter_ingest:10m rate=10r/s;` */
const NGINX_ZONE = /\blimit_req_zone\b.*?\bzone=([A-Za-z0-9_.-]+)(?::\S+)?.*?\brate=(\d+(?:\.\d+)?r\/[sm])\b/;
/** A key that sets a rate of requests, and its number: `rate_limit: 100`, `requestsPerSecond = 50`, `max_rps: 20`. */
const RATE_KEY =
  /^\s*["']?([A-Za-z0-9_./-]*(?:rate[_-]?limit|ratelimit|requests[_-]?per[_-]?(?:second|minute|sec|min)|requestspersecond|requestsperminute|(?:max|limit)[_-]?(?:rps|qps|rpm))[A-Za-z0-9_.-]*)["']?\s*[:=]\s*["']?(\d+(?:\.\d+)?)(?:\s*(?:r\/s|r\/m|rps|rpm|\/s|\/m))?["']?\s*[,;]?\s*(?:#.*)?$/i;
/**
 * A key that caps how large a request may be, and its size: nginx's `client_max_body_size 8m;`,
 * ingress-nginx's `proxy-body-size: "8m"`, `max_body_size`, `maxRequestSize`, `max-upload-size`.
 * Set where none was, it replaces a default that may have been far larger (or none), and every
 * request above it is refused (413) from then on, while the small ones pass.
 */
const BODY_KEY =
  /^\s*["']?([A-Za-z0-9_./-]*(?:body[_-]?size|max[_-]?body|body[_-]?limit|max[_-]?(?:request|upload|content|payload)[_-]?(?:size|length|bytes)|max[_-]?inbound[_-]?message[_-]?size)[A-Za-z0-9_.-]*)["']?\s*[:=]?\s*["']?(\d+(?:\.\d+)?\s*(?:[kmgt]i?b?|bytes)?)["']?\s*[,;]?\s*(?:#.*)?$/i;

/** A declaration is short: longer lines are not read, so a hostile line costs one length check, not a quadratic scan. */
const MAX_LINE = 2_000;

interface Added {
  line: DiffLine;
  name: string;
  value: string;
  /** What the limit caps: a rate of requests, or the size of each. */
  caps: 'rate' | 'size';
}

function rateLimitOf(line: DiffLine): Added | null {
  if (line.text.length > MAX_LINE) return null;
  const zone = NGINX_ZONE.exec(line.text);
  if (zone) return { line, name: zone[1] as string, value: zone[2] as string, caps: 'rate' };
  const key = RATE_KEY.exec(line.text);
  if (key) return { line, name: key[1] as string, value: key[2] as string, caps: 'rate' };
  const body = BODY_KEY.exec(line.text);
  if (body) return { line, name: body[1] as string, value: (body[2] as string).replace(/\s+/g, ''), caps: 'size' };
  return null;
}

/** The rate and size limits a hunk adds, where none it removes set one (that is a limit changed, read with the settings). */
export function rateLimitsAdded(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  if (meaningful(hunk.lines, 'del').some((l) => rateLimitOf(l) !== null)) return [];
  return meaningful(hunk.lines, 'add')
    .map(rateLimitOf)
    .filter((x): x is Added => x !== null)
    .map((x) =>
      makeSignal(
        diff,
        path,
        x.line,
        'limit_changed',
        x.caps === 'rate'
          ? `a rate limit added where there was none (${x.name}: ${x.value}): requests beyond it are refused, which the quiet hours never reach`
          : `a request size limit added where there was none (${x.name}: ${x.value}): every request larger than it is refused from now on, while the small ones pass`,
        {
          direction: 'tightened',
          old: 'none',
          new: x.value,
          identifiers: [x.name],
          bounds: 'capacity',
          ...(x.caps === 'size' ? printedOf(x) : {}),
        },
      ),
    );
}
