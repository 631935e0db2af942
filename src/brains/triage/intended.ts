// What a setting does by design. A filter tightened (`max_accuracy_m: 100 → 80`) drops more
// of what it filters, and the count of those drops (`pings_dropped{reason="low_accuracy"}`)
// steps up as the change takes effect: the setting doing what it says, not harm it did. Such
// a count names what the edit sets, in its name or its labels.
import type { RiskSignalInfo } from './read-diff.js';
import type { SeriesInfo } from './read.js';

/** Words too common in settings and series to tie one to the other. */
const GENERIC = new Set([
  'max', 'min', 'maximum', 'minimum', 'limit', 'limits', 'size', 'count', 'total', 'rate', 'timeout', 'time', 'seconds', 'second', 'millis',
  'enabled', 'enable', 'disabled', 'value', 'default', 'number', 'config', 'settings', 'setting', 'per', 'requests', 'request', 'errors', 'error',
  'http', 'server', 'client', 'service', 'pool', 'queue', 'cache', 'retry', 'retries', 'batch', 'workers', 'threads', 'connections',
]);

function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 4 && !GENERIC.has(w));
}

/** Whether the series counts what one of the edits sets: a word of its setting in the series' name or labels. */
export function countsWhatItSets(risks: readonly RiskSignalInfo[], info: SeriesInfo): boolean {
  const set = new Set(risks.filter((r) => r.kind === 'limit_changed').flatMap((r) => r.identifiers.flatMap(wordsOf)));
  if (set.size === 0) return false;
  const named = [info.name, ...Object.values(info.labels)].flatMap(wordsOf);
  return named.some((w) => set.has(w));
}

/** Kinds of edit that set how much of something each unit holds: a limit, a batch's size. */
const SIZE_KINDS = new Set(['limit_changed', 'batch_grown', 'batch_shrunk']);

/**
 * Whether the series measures the very thing one of the edits sizes: every word of a setting's
 * last part in the series' name (`max-poll-records` and `records_per_poll_max`). Each unit of
 * work holding more of it is that setting at work, whoever else changed then.
 */
export function sizedBy(risks: readonly RiskSignalInfo[], info: SeriesInfo): boolean {
  const named = new Set([info.name, ...Object.values(info.labels)].flatMap(wordsOf));
  return risks
    .filter((r) => SIZE_KINDS.has(r.kind))
    .flatMap((r) => r.identifiers)
    .some((id) => {
      const tail = wordsOf(id.split('.').pop() ?? id);
      return tail.length > 0 && tail.every((w) => named.has(w));
    });
}
