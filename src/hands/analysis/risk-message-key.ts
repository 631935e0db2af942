// The key a producer sends its messages with, changed. A partitioned log (Kafka, Kinesis, Pulsar,
// Event Hubs) places each message by a hash of its key, so the key decides how the stream
// spreads over its partitions and which consumer gets which message. Keying by something with
// few values (a facility, a clinic, a region), or by one that is often empty, sends most of the
// stream to a few partitions: their consumers fall behind once the traffic grows, while the
// others idle. The producer itself stays healthy, which is why this is read from its diff.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { meaningful } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/**
 * Where a line gives a produced message its key, the key's expression is the capture:
 * Kafka's `ProducerRecord(topic, key, value)` (Java, Kotlin, Scala); a `key=` argument to
 * `produce(` or `send(` (confluent-kafka, kafka-python, aiokafka); sarama's and kafka-go's
 * `Key: sarama.StringEncoder(x)` / `Key: []byte(x)`; kafkajs' `{ key: x, value: … }`; Kinesis'
 * and Event Hubs' partition keys in any spelling.
 */
const KEY_SITES: readonly RegExp[] = [
  /\bProducerRecord\s*(?:<[^>]*>)?\s*\(\s*[^,()]+(?:\([^()]*\))?\s*,\s*([^,()]+(?:\([^()]*\))?)\s*,/,
  /\.(?:produce|send|send_and_wait|produce_async)\s*\([^)]*?\bkey\s*=\s*([^,)]+(?:\([^()]*\))?)/,
  /\bKey\s*:\s*((?:sarama\.\w+Encoder|\[\]byte)\s*\([^)]*\))/,
  /\{\s*key\s*:\s*([^,}]+),\s*value\s*:/,
  /\b(?:PartitionKey|partition_key|partitionKey|PARTITION_KEY)\s*[:=]\s*([^,)}\n]+)/,
];
/** Lines longer than this are not read: a send is short. */
const MAX_LINE = 1_000;

/** The key expression a line gives a message, without spaces; null when it gives none. */
export function messageKeyOf(text: string): string | null {
  if (text.length > MAX_LINE) return null;
  for (const site of KEY_SITES) {
    const m = site.exec(text);
    const key = m?.[1]?.replace(/\s+/g, '').replace(/[;,]+$/, '');
    if (key !== undefined && key !== '') return key;
  }
  return null;
}

/** A local that only names the key (`val key = r.clinicId ?: ""`): what it is set to, on the lines of the same kind. */
function resolved(key: string, lines: readonly DiffLine[]): string {
  if (!/^\w+$/.test(key)) return key;
  const assignment = new RegExp(`\\b${key}\\s*(?::[^=]+)?=\\s*([^;]+)`);
  for (const line of lines) {
    const m = assignment.exec(line.text);
    if (m?.[1] !== undefined && !messageKeyOf(line.text)) return m[1].replace(/\s+/g, '');
  }
  return key;
}

/**
 * What a key expression reads, spelling aside: its last name, lower case, without separators
 * and without a getter's `get` or a call's parentheses. `event["crew_id"].toString()`,
 * `event.crewId.toString()` and `ev.getCrewId()` all read `crewid`: a map's entry replaced by a
 * typed field keys the messages as before.
 */
function keyRead(key: string): string {
  const names = key
    .replace(/\.(?:toString|to_string|toByteArray|encode|getBytes|bytes|str)\(\)/g, '')
    .replace(/\[\s*["']([^"']+)["']\s*\]/g, '.$1')
    .match(/[A-Za-z_]\w*/g);
  const last = names?.at(-1) ?? key;
  return last.replace(/^get(?=[A-Z])/, '').replace(/_/g, '').toLowerCase();
}

/** A hunk that sends its messages with another key than before. */
export function messageKeysChanged(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const dels = meaningful(hunk.lines, 'del');
  const adds = meaningful(hunk.lines, 'add');
  const before = dels.map((l) => messageKeyOf(l.text)).filter((k): k is string => k !== null);
  if (before.length === 0) return [];
  const kept = new Set(before.map((k) => keyRead(resolved(k, dels))));
  for (const add of adds) {
    const key = messageKeyOf(add.text);
    if (key === null) continue;
    const after = resolved(key, adds);
    if (kept.has(keyRead(after))) continue;
    const old = resolved(before[0] as string, dels);
    return [
      makeSignal(
        diff,
        path,
        add,
        'message_key_changed',
        `changed the key its messages are sent with, ${old} → ${after}: the key decides which partition each message lands on, so the stream spreads over its partitions another way, and a key with few or empty values sends most of it to a few`,
        { direction: 'changed', old, new: after, identifiers: [] },
      ),
    ];
  }
  return [];
}
