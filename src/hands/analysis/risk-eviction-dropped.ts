// An eviction policy that let a store drop any entry (`maxmemory-policy allkeys-lru`), deleted
// with nothing setting another: a parameter group removed for the provider's default, a line
// taken out of `redis.conf`. The store falls back to its default, which evicts only entries
// with an expiry (ElastiCache's `volatile-lru`) or nothing (Redis's `noeviction`). Entries
// written without one, which the old policy cleaned up, now stay until memory is full. The same
// when the diff sets one of those policies in its place: `noeviction` refuses writes once full.
import type { Diff, DiffFile, DiffLine } from '../../bundle/index.js';
import { isComment, stripComment } from './code-words.js';
import { evictionPolicy } from './risk-rules.js';
import { settingsOnLine } from './risk-settings.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** A policy that may evict any entry. */
const ANY_ENTRY = /^allkeys[-_][a-z]+$/i;
/** `name = "maxmemory-policy"`, `"name": "maxmemory-policy"`, `- name: maxmemory-policy`: the name half of a parameter pair. */
const PAIR_NAME = /^\s*-?\s*["']?(?:name|parameter_name|ParameterName)["']?\s*[:=]\s*["']?([\w.-]+)["']?/;
/** How many lines after the name its value may come. */
const VALUE_WITHIN = 3;

function lines(files: readonly DiffFile[], kind: 'add' | 'del'): Array<{ line: DiffLine; path: string }> {
  return files.flatMap((file) =>
    file.hunks.flatMap((h) => h.lines.filter((l) => l.kind === kind && !isComment(l.text)).map((line) => ({ line, path: file.newPath ?? file.oldPath ?? '(unknown)' }))),
  );
}

type Line = { line: DiffLine; path: string };

const unquoted = (raw: string): string => raw.trim().replace(/^["']|["']$/g, '');

/**
 * The first of these lines that sets an eviction policy whose value `accept` takes: directly
 * (`maxmemory-policy: x`), as redis.conf writes it (`maxmemory-policy x`), or as the value of a
 * name/value pair (`name = "maxmemory-policy"`, then `value = "x"` within a few lines).
 */
function policyOn(from: readonly Line[], accept: (value: string) => boolean): (Line & { value: string }) | null {
  for (const [i, d] of from.entries()) {
    const code = stripComment(d.line.text);
    for (const { key, raw } of settingsOnLine(code)) if (evictionPolicy(key) && accept(unquoted(raw))) return { ...d, value: unquoted(raw) };
    const bare = /^\s*([\w.-]+)\s+([a-z]+(?:[-_][a-z]+)?)\s*$/i.exec(code);
    if (bare && evictionPolicy(bare[1] as string) && accept(bare[2] as string)) return { ...d, value: bare[2] as string };
    const name = PAIR_NAME.exec(code);
    if (!name || !evictionPolicy(name[1] as string)) continue;
    for (const next of from.slice(i + 1, i + 1 + VALUE_WITHIN)) {
      const value = settingsOnLine(stripComment(next.line.text)).find(({ key }) => /^value$/i.test(key));
      if (value && accept(unquoted(value.raw))) return { ...next, value: unquoted(value.raw) };
    }
  }
  return null;
}

/** Policies that never evict an entry written without an expiry. */
const KEEPS_UNEXPIRING = /^(noeviction|volatile[-_][a-z]+)$/i;

/** The policy the added lines set: its value, '' when a line names a policy key but no value is read, null when none does. */
function policySet(added: readonly Line[]): string | null {
  const set = policyOn(added, () => true);
  if (set !== null) return set.value;
  return /maxmemory[-_]policy|eviction[-_]?policy/i.test(added.map((a) => a.line.text).join('\n')) ? '' : null;
}

/** An any-entry eviction policy deleted, with no added line setting a policy anywhere in the diff, or one set that keeps entries without an expiry. */
export function evictionPolicyDropped(diff: Diff, files: readonly DiffFile[]): RiskSignal[] {
  const dropped = policyOn(lines(files, 'del'), (value) => ANY_ENTRY.test(value));
  if (dropped === null) return [];
  const set = policySet(lines(files, 'add'));
  // Another policy set that may evict any entry (or one not read): what is kept is the same.
  if (set !== null && !KEEPS_UNEXPIRING.test(set)) return [];
  const detail =
    set === null
      ? `the eviction policy ${dropped.value} is deleted and nothing sets another: the store falls back to its default, which evicts only entries with an expiry, or none, so what is written without one stays until memory is full`
      : `the eviction policy ${dropped.value} is replaced by ${set}, which never evicts an entry written without an expiry: those stay until memory is full${/^noeviction$/i.test(set) ? ', and then every write is refused' : ''}`;
  return [
    makeSignal(diff, dropped.path, dropped.line, 'unbounded_growth', detail, {
      old: dropped.value,
      ...(set === null ? {} : { new: set }),
      direction: 'tightened',
      identifiers: ['maxmemory-policy', dropped.value, ...(set === null ? [] : [set])],
    }),
  ];
}
