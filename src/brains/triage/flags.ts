// Feature flags as an on-call engineer reasons about them: code shipped behind a flag does
// nothing until the flag is turned on, and the change that turns it on is what brings the
// code to life. Flags are named differently in code (`lobby.presence_v2`), in a change
// record (`flag-lobby-presence-v2`) and in a stack trace (`PresenceV2Resolver`), so names
// are compared by their words, not their spelling.
import { flagKeyOf } from './identifiers.js';
import type { ChangeInfo } from './read.js';
import type { DiffInfo } from './read-diff.js';
import { escapeRegExp } from '../../regexp.js';

/** The words of a name: split at separators and at camelCase humps, lower-cased (`PresenceV2Resolver` → presence, v2, resolver). */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toLowerCase())
    .filter((w) => w !== '');
}

/** Every word of `key` appears among `words`, and the key is specific enough to count (two words, or one long one). */
export function carriesName(words: ReadonlySet<string>, key: string): boolean {
  const keyWords = nameWords(key);
  if (keyWords.length === 0) return false;
  if (keyWords.length === 1 && (keyWords[0] as string).length < 6) return false;
  return keyWords.every((w) => words.has(w));
}

/** Whether a flag change switches the flag `key`: its flag attribute, id or summary carries the key's words. */
export function switchesFlag(change: ChangeInfo, key: string): boolean {
  if (change.type !== 'feature_flag') return false;
  const own = flagKeyOf(change);
  if (own !== null && own === key) return true;
  const words = new Set([own ?? '', change.id, change.summary].flatMap(nameWords));
  return carriesName(words, key);
}

/** Words that say what kind of record a name is, not which flag. */
const RECORD_WORDS = new Set(['flag', 'flags', 'ff', 'feature', 'features', 'toggle', 'toggles', 'experiment', 'exp', 'rollout', 'enable', 'enabled', 'disable']);

/**
 * A pattern for a flag's name in any spelling (`presence[-_. ]?v2` finds presence_v2, presence-v2
 * and PresenceV2Resolver): its key (or id) without the words that only say it is a flag or
 * name its service. Null when what is left is too generic to search for.
 */
export function flagWordsPattern(change: ChangeInfo): { name: string; pattern: string } | null {
  const key = flagKeyOf(change) ?? change.id;
  const service = new Set(nameWords(change.service ?? ''));
  let words = nameWords(key).filter((w) => !RECORD_WORDS.has(w));
  const distinct = words.filter((w) => !service.has(w));
  if (distinct.length > 0) words = distinct;
  if (words.length === 0 || (words.length === 1 && (words[0] as string).length < 6)) return null;
  const body = words.map(escapeRegExp).join('[-_. ]?');
  return { name: key, pattern: body };
}

const OFF_VALUE = /^(off|false|0|0%|disabled?|none)$/i;
const TURNS_OFF = /\b(disabl\w*|turn(ed|s|ing)? (it )?off|switch(ed|es)? off|revert\w*|roll(ed)? ?back|0 ?%(?! ?->)|kill(ed)?)\b|-> ?0 ?%|→ ?0 ?%/i;

/** A flag change that turns its flag off (or rolls it back) rather than on. */
export function turnsFlagOff(change: ChangeInfo): boolean {
  if (change.type !== 'feature_flag') return false;
  const value = change.attributes['to'] ?? change.attributes['value'] ?? change.attributes['enabled'] ?? change.attributes['state'];
  if (value !== undefined && OFF_VALUE.test(String(value))) return true;
  return TURNS_OFF.test(change.summary);
}

/** `allowlist -> pro_all`, `10% → 50%`, `from a to b`: the value a flag change moved from and to. */
const TRANSITION = /(?:^|[\s:(])(?:from\s+)?([\w.%-]+)\s*(?:->|→|=>|\bto\b)\s*([\w.%-]+)\s*\)?\s*$/i;

/** The value a flag change moved its flag from and to, by its attributes or its summary's arrow. */
export function flagTransition(change: ChangeInfo): { from: string; to: string } | null {
  const from = change.attributes['from'];
  const to = change.attributes['to'];
  if (typeof from === 'string' && typeof to === 'string') return { from: from.toLowerCase(), to: to.toLowerCase() };
  const m = TRANSITION.exec(change.summary.replace(/\s*\([^()]*\)\s*$/, ''));
  return m ? { from: (m[1] as string).toLowerCase(), to: (m[2] as string).toLowerCase() } : null;
}

/** A later change of the same flag that puts it back where the earlier one found it (`pro_all -> allowlist` after `allowlist -> pro_all`). */
export function restoresFlag(change: ChangeInfo, later: ChangeInfo): boolean {
  if (change.type !== 'feature_flag' || later.type !== 'feature_flag') return false;
  const key = flagKeyOf(change) ?? change.id;
  if (!switchesFlag(later, key)) return false;
  const went = flagTransition(change);
  const back = flagTransition(later);
  return went !== null && back !== null && went.from !== went.to && back.from === went.to && back.to === went.from;
}

/** A change record that says its new code ships switched off. */
const DECLARED_DARK =
  /\b(flag(ged)?[- ]off|behind (an? |the )?(feature[- ])?flags?|dark[- ]launch(ed)?|ships? dark|shipped dark|disabled by default|defaults? (to )?(off|false|disabled))\b|\(\s*(feature[- ])?flag\b[^()]{0,80}\b(off|disabled)\s*\)/i;

/** What a release says of itself: its record's summary, and its commit's subject and message. */
function selfDescription(change: ChangeInfo, diff: DiffInfo | undefined): string {
  return [change.summary, diff?.subject ?? '', diff?.message ?? ''].join('\n');
}

export function declaredDark(change: ChangeInfo, diff?: DiffInfo): boolean {
  return DECLARED_DARK.test(selfDescription(change, diff));
}

/**
 * The flags a release's new code waits on, when all of it does: every risky edit is a flag
 * check or inside one, or the release says it ships dark and names the flag its diff checks
 * ("behind challenges.weekly_snapshot_v2"). Null when some of it may run on its own.
 */
export function waitsOnFlags(change: ChangeInfo, diff: DiffInfo | undefined): string[] | null {
  if (change.type === 'feature_flag' || diff === undefined) return null;
  const risks = diff.riskSignals;
  const keys = [...new Set(risks.flatMap((r) => [r.flag, r.guardedBy]).filter((k): k is string => k !== null))];
  if (keys.length === 0) return null;
  if (risks.every((r) => (r.kind === 'flag_guard' && r.flag !== null) || r.guardedBy !== null)) return keys;
  const said = selfDescription(change, diff);
  const named = keys.filter((key) => new RegExp(`\\bbehind\\s+(?:the\\s+)?(?:flag\\s+)?[\`"']?${escapeRegExp(key)}\\b`, 'i').test(said));
  return named.length > 0 || DECLARED_DARK.test(said) ? keys : null;
}

/**
 * The flag change that put a release's dark code to work: all the release shipped waits on
 * flags, and a later change turned one of them on before `cutoff`. That flag change, not the
 * release, is what changed production then.
 */
export function wokenBy(change: ChangeInfo, diff: DiffInfo | undefined, changes: readonly ChangeInfo[], cutoff: number): ChangeInfo | null {
  const keys = waitsOnFlags(change, diff);
  if (keys === null) return null;
  return (
    changes
      .filter((x) => x.at > change.at && x.at <= cutoff && !turnsFlagOff(x) && keys.some((key) => switchesFlag(x, key)))
      .sort((a, b) => a.at - b.at)[0] ?? null
  );
}

/**
 * Why a release cannot have acted, when everything it shipped waits on flags that no change
 * turned on before `cutoff`: code behind a flag that is off does not run. Null when it may
 * have acted (an edit outside a flag, a flag turned on in time, or nothing to tell).
 */
export function darkRelease(change: ChangeInfo, diff: DiffInfo | undefined, changes: readonly ChangeInfo[], cutoff: number): string | null {
  if (change.type === 'feature_flag') return null;
  const turnedOn = (key: string): ChangeInfo | undefined => changes.find((x) => x.at <= cutoff && switchesFlag(x, key) && !turnsFlagOff(x));
  const keys = waitsOnFlags(change, diff);
  if (keys !== null) {
    if (keys.some((key) => turnedOn(key) !== undefined)) return null;
    const named = `the flag${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`;
    return `its new code waits on ${named}, and no change turned ${keys.length > 1 ? 'them' : 'it'} on before the onset: code behind a flag that is off cannot have acted`;
  }
  if ((diff?.riskSignals.length ?? 0) > 0 || !declaredDark(change, diff)) return null;
  // Its record says the code ships dark and its diff shows nothing else: only a flag change on its service can have woken it.
  const woke = changes.find((x) => x.type === 'feature_flag' && x.service === change.service && x.at >= change.at && x.at <= cutoff && !turnsFlagOff(x));
  if (woke) return null;
  return `its record says the new code ships switched off ("${change.summary}"), and no flag of ${change.service ?? 'its service'} was turned on before the onset`;
}
