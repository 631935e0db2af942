// A credential no longer refreshed. A client that renewed its token before it expired (an OAuth2
// token source, a refresh call) is replaced by one that fetches the token once per process
// (`sync.Once`, a lazy value, a cache with no expiry, "fetch if none yet") and keeps it, or by a
// cache that keeps it for a lifetime of its own (24 hours) instead of the one the issuer gives
// (`expires_in`). Nothing fails when it lands: every process starts with a fresh token. One token
// lifetime after each process started, its token expires and every call it makes is refused,
// until it restarts.
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

/** A token's own expiry set from a constant: `expiresAt: now + TOKEN_TTL_MS`, `expiry = time.time() + 86400`. */
const EXPIRY_FROM_CONSTANT = /\b(?:expires_?at|expiresAt|expiry|expires|valid_?until|validUntil|refresh_?at|refreshAt)\b\s*[:=]\s*[\w.()]*\s*\+\s*(?:[A-Z][A-Z0-9_]*|\d[\d_]*(?:\s*\*\s*\d[\d_]*)*)\b/;
/** The lifetime the issuer gives, read from its answer. */
const ISSUER_LIFETIME = /\bexpires_?in\b|\bexpiresIn\b|\.Expiry\b|\bexpires_at\b\s*\]|\["exp"\]|\.exp\b/;
/** A line that logs: a value it only prints is not used. */
const LOGS = /\b(?:log|logger|console|slog)\s*\.\s*\w+\s*\(/;

/** A hunk that caches a token it fetches until an expiry of its own, not the issuer's. */
export function tokensOutlived(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const adds = meaningful(hunk.lines, 'add');
  const fetch = reads(adds, /\baccess_?token\b|\/oauth2?\/token\b/i) ?? reads(adds, FETCH_TOKEN);
  const expiry = reads(adds, EXPIRY_FROM_CONSTANT);
  if (fetch === undefined || expiry === undefined) return [];
  // The issuer's lifetime used for the expiry, on any added line that does more than log it.
  if (adds.some((l) => ISSUER_LIFETIME.test(l.text) && !LOGS.test(l.text))) return [];
  return [
    makeSignal(diff, path, expiry, 'refresh_removed', 'keeps the token it fetches until an expiry of its own, not the lifetime the issuer gives: once the token expires it is still used, and every call with it is refused', {
      direction: 'removed',
      identifiers: [],
    }),
  ];
}
