// What an autoscaler scales on, replaced: a HorizontalPodAutoscaler moved from CPU utilisation
// to requests per pod, a KEDA trigger moved from queue length to lag. Its new target is a
// guess about the new signal that no quiet hour tests: while the new signal stays under its
// target the scaler adds no replica, however busy the pods are, and the first peak finds the
// service at its floor. (A target raised on the same signal is read as a number edited, in
// risk-rules.ts.)
import type { Diff, DiffFile, DiffLine } from '../../bundle/index.js';
import { codeWords, isComment, stripComment } from './code-words.js';
import { settingsOnLine } from './risk-settings.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** The words that say a file or a hunk configures an autoscaler. */
const SCALER = /autoscal|\bhpa\b|hpa\.ya?ml|horizontalpodautoscaler|scaledobject|\bkeda\b/i;
/** The words of a key that sets a scaler's target: what it keeps the signal at. */
const TARGET_WORDS = new Set(['target', 'threshold', 'utilization', 'average', 'value']);
/** Whole keys that set a target though none of their words says so (KEDA's RabbitMQ `queueLength`). */
const TARGET_KEYS = new Set(['queuelength', 'messagecount', 'pendingcount']);
/** The key that names the signal itself (`name: cpu`, `metricName: queue_depth`, `type: cpu`). */
const SIGNAL_KEY = /^(name|metricname|metric_name|metric|type)$/i;
/** What a target key is set to: a number, quoted or not, with a unit or a percent sign. */
const AMOUNT = /^["']?\d+(?:\.\d+)?\s*[a-z%]*["']?$/i;

interface Setting {
  key: string;
  value: string;
  line: DiffLine;
}

function settingsOf(lines: readonly DiffLine[], kind: 'add' | 'del'): Setting[] {
  return lines
    .filter((l) => l.kind === kind && !isComment(l.text))
    .flatMap((line) => settingsOnLine(stripComment(line.text)).map(({ key, raw }) => ({ key, value: raw.trim().replace(/^["']|["']$/g, ''), line })));
}

const norm = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');
const targetOf = (s: Setting): boolean => (codeWords(s.key).some((w) => TARGET_WORDS.has(w.toLowerCase())) || TARGET_KEYS.has(norm(s.key))) && AMOUNT.test(s.value);

/** The signal a side of the hunk names: the last `name:`-like value that is not itself a target kind. */
function signalOf(settings: readonly Setting[]): string | null {
  const names = settings.filter((s) => SIGNAL_KEY.test(s.key) && /^[A-Za-z][\w.:/-]*$/.test(s.value) && !/^(Utilization|AverageValue|Value|Resource|Pods|Object|External)$/i.test(s.value));
  return names[0]?.value ?? null;
}

/** Autoscaler hunks whose target now reads another signal, or is another kind of target. */
export function scalingSignalsReplaced(diff: Diff, files: readonly DiffFile[]): RiskSignal[] {
  const out: RiskSignal[] = [];
  for (const file of files) {
    const path = file.newPath ?? file.oldPath ?? '';
    for (const hunk of file.hunks) {
      if (!SCALER.test(path) && !SCALER.test(hunk.header) && !hunk.lines.some((l) => SCALER.test(l.text))) continue;
      const removed = settingsOf(hunk.lines, 'del');
      const added = settingsOf(hunk.lines, 'add');
      const oldTargets = removed.filter(targetOf);
      const newTargets = added.filter(targetOf);
      const before = oldTargets[0];
      const after = newTargets[0];
      if (before === undefined || after === undefined) continue;
      // The same target key set to another number is a number edited, read elsewhere.
      const oldKeys = new Set(oldTargets.map((s) => norm(s.key)));
      if (newTargets.every((s) => oldKeys.has(norm(s.key)))) continue;
      const oldSignal = signalOf(removed);
      const newSignal = signalOf(added);
      const was = `${oldSignal === null ? '' : `${oldSignal} `}${before.key} ${before.value}`;
      const now = `${newSignal === null ? '' : `${newSignal} `}${after.key} ${after.value}`;
      out.push(
        makeSignal(
          diff,
          path,
          after.line,
          'scaling_delayed',
          `the autoscaler now scales on ${now} instead of ${was}: while the new signal stays under its target no replica is added, however busy the pods are, which only a peak shows`,
          {
            old: was,
            new: now,
            direction: 'changed',
            identifiers: [...new Set([after.key, ...(newSignal === null ? [] : [newSignal]), ...(oldSignal === null ? [] : [oldSignal])])],
          },
        ),
      );
    }
  }
  return out;
}
