// Everything the tools returned in a session, searchable by exact reference. A ref is
// seen when a tool printed it as a whole token (`deploy-48` is not seen in
// `deploy-4821`), a `path:line` inside a `path:start-end` range a tool printed, or the
// id of a tool result event.
import type { SessionEvent } from '../protocol/events.js';
import { observationsOf, stringsOf, type Observation } from './observations.js';

export interface Seen {
  contains(ref: string): boolean;
  /** The tools whose results contain the ref (empty when none did). */
  toolsFor(ref: string): ReadonlySet<string>;
}

const BEFORE = /[A-Za-z0-9_\-/.]/;
const AFTER = /[A-Za-z0-9_\-/]/;
const WORD = /[A-Za-z0-9]/;

/** Whether `needle` occurs in `haystack` with nothing glued to either side. */
export function containsToken(haystack: string, needle: string): boolean {
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return false;
    const before = at > 0 ? haystack.charAt(at - 1) : '';
    const end = at + needle.length;
    const after = haystack.charAt(end);
    const glued =
      (before !== '' && BEFORE.test(before) && BEFORE.test(needle.charAt(0))) ||
      (after !== '' && AFTER.test(after) && AFTER.test(needle.charAt(needle.length - 1))) ||
      (after === '.' && WORD.test(haystack.charAt(end + 1)));
    if (!glued) return true;
    from = at + 1;
  }
}

const LINE_REF = /^(.+):(\d+)$/;
const RANGE = /([^\s"'`,;()[\]{}]+):(\d+)-(\d+)/g;

/** `logs/api.log:1240` is inside a printed `logs/api.log:1230-1250`. */
function inRange(text: string, ref: string): boolean {
  const match = LINE_REF.exec(ref);
  if (!match) return false;
  const [, path, lineText] = match;
  const line = Number(lineText);
  for (const range of text.matchAll(RANGE)) {
    if (range[1] === path && Number(range[2]) <= line && line <= Number(range[3])) return true;
  }
  return false;
}

function observed(observation: Observation, ref: string): boolean {
  if (observation.eventId === ref) return true;
  const texts = observation.json === null ? [observation.text] : stringsOf(observation.json);
  return texts.some((text) => text === ref || containsToken(text, ref) || inRange(text, ref));
}

export function seenIn(observations: readonly Observation[]): Seen {
  const cache = new Map<string, Set<string>>();
  const toolsFor = (ref: string): Set<string> => {
    const needle = ref.trim();
    const hit = cache.get(needle);
    if (hit) return hit;
    const tools = new Set<string>();
    if (needle !== '') for (const observation of observations) if (observed(observation, needle)) tools.add(observation.tool);
    cache.set(needle, tools);
    return tools;
  };
  return { contains: (ref) => toolsFor(ref).size > 0, toolsFor };
}

export function collectSeen(history: readonly SessionEvent[]): Seen {
  return seenIn(observationsOf(history));
}
