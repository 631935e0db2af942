// A credential no longer refreshed. A client that renewed its token before it expired (an OAuth2
// token source, a refresh call) is replaced by one that fetches the token once per process
// (`sync.Once`, a lazy value, a cache with no expiry, "fetch if none yet") and keeps it. Nothing
// fails when it lands: every process starts with a fresh token. One token lifetime after each
// process started, its token expires and every call it makes is refused, until it restarts.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { meaningful } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** A client or call that renews a token itself: an OAuth2 config's own client (`cc.Client(ctx)`), token sources, refresh calls and settings. */
const REFRESHING = /\b\w*(?:cc|conf|config|cfg|creds|credentials)\.Client\(\s*ctx\b|\.TokenSource\(|\bReuseTokenSource\b|\brefresh_?token\b|\brefreshToken\b|\.refresh\(|\bauto_?refresh\b|\bOAuth2Session\b|\bTokenRefresh\w*|\brenew(?:Token|_token)\b/i;
/** A value fetched once per process and kept. */
const ONCE = /\bsync\.Once\b|\bonce\.Do\(|\bby lazy\b|\bLazy<|\b@(?:functools\.)?(?:cache|lru_cache)\b|\bOnceCell\b|\bonce_cell\b|\bcomputeIfAbsent\(/;
/** Getting a token or credential. */
const FETCH_TOKEN = /\.Token\(|\b(?:get|fetch|request|obtain|acquire)_?(?:access_?)?token\b|\bgetAccessToken\(|\bacquireToken\w*\(/i;
const MAX_LINE = 1_000;

const reads = (lines: readonly DiffLine[], pattern: RegExp): DiffLine | undefined => lines.find((l) => l.text.length <= MAX_LINE && pattern.test(l.text));

/** A hunk that takes out a refreshing client and fetches the token once instead. */
export function refreshesRemoved(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const removed = reads(meaningful(hunk.lines, 'del'), REFRESHING);
  if (removed === undefined) return [];
  const adds = meaningful(hunk.lines, 'add');
  if (reads(adds, REFRESHING) !== undefined) return [];
  const once = reads(adds, ONCE);
  const fetch = reads(adds, FETCH_TOKEN);
  if (once === undefined || fetch === undefined) return [];
  return [
    makeSignal(diff, path, fetch, 'refresh_removed', 'fetches its token once per process and no longer refreshes it: each process is cut off when that token expires, one token lifetime after it started', {
      direction: 'removed',
      identifiers: [],
    }),
  ];
}
