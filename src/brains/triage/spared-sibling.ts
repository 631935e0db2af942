// The same code, spared elsewhere. When the paged service's first symptom is its calls to one
// party (`partner="brightwave"`) while the same calls to its other parties held their level, a
// change of that service's own code cannot be what failed: its new code serves every party
// alike. What differs is the party. Unless the change names that party (a handler written for
// it alone), the change is answered.
import type { Case } from './case.js';
import type { Episode } from './episode.js';
import { identifiersOf } from './identifiers.js';
import { finding, type Finding } from './model.js';
import type { Suspect } from './suspects.js';

/** Label keys that name the party a call goes to (topology.ts reads the generic ones; these are a business's). */
const PARTY = /^(partner|provider|vendor|carrier|exchange|bank|psp|acquirer|issuer|idp|upstream|peer|target|supplier|network)$/i;

/** The one party a series' labels name, as the key and its value. */
function partyOf(c: Case, s: { labels: Readonly<Record<string, string>> }): [string, string] | null {
  const keys = Object.keys(s.labels).filter((k) => PARTY.test(k));
  return keys.length === 1 ? [keys[0] as string, s.labels[keys[0] as string] as string] : null;
}

export function sparedSibling(c: Case, episode: Episode, suspect: Suspect): Finding | null {
  const { change } = suspect;
  const first = episode.first;
  if (change.service === null || first === null || first.info.service !== change.service) return null;
  const own = partyOf(c, first.info);
  if (own === null) return null;
  const [key, party] = own;
  // The same series but for the party: every other label alike.
  const siblings = c.series.filter(
    (s) =>
      s.id !== first.series &&
      s.name === first.info.name &&
      s.service === first.info.service &&
      s.labels[key] !== undefined &&
      s.labels[key] !== party &&
      Object.entries(first.info.labels).every(([k, v]) => k === key || s.labels[k] === v),
  );
  if (siblings.length === 0) return null;
  // Held: read, and no move the wrong way near the incident.
  const read = siblings.filter((s) => c.values.has(s.id));
  if (read.length === 0 || c.movements.some((m) => m.symptom && read.some((s) => s.id === m.series))) return null;
  const diff = c.diffs.get(change.id);
  const named = identifiersOf(change, diff).some((name) => name.toLowerCase().includes(party.toLowerCase())) || (diff?.changed ?? []).some((line) => line.text.toLowerCase().includes(party.toLowerCase()));
  if (named) return null;
  const other = (read[0] as (typeof read)[number]).labels[key] ?? 'its other parties';
  return finding(
    'sibling_spared',
    `only its calls to ${party} failed (${first.display}); the same calls to ${other} held, and its new code serves both alike`,
    [{ source: 'metrics', ref: (read[0] as (typeof read)[number]).id, detail: `held level while ${first.display} moved at ${new Date(first.onset).toISOString()}` }],
  );
}
