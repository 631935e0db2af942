// Names on the wire changed: a type's JSON now spells its fields another way (Jackson's
// `@JsonNaming(SnakeCaseStrategy)`, serde's `rename_all`, a naming policy, a field's
// `@JsonProperty`, `@SerializedName` or Go `json:"…"` tag renamed). The service itself stays
// healthy: it reads and writes its own spelling. Whatever reads that JSON by the old names (a
// strict parser that refuses unknown fields, a client that finds a required field missing)
// fails, in another service, from the first response the new build sends.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { meaningful } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** A naming strategy or policy put on a type or a serializer. */
const NAMING =
  /@JsonNaming\s*\(|\bPropertyNamingStrateg(?:y|ies)\.\w+|\bFieldNamingPolicy\.\w+|\bPropertyNamingPolicy\s*=|\bJsonNamingPolicy\.\w+|#\[serde\([^)\]]*\brename_all\s*=|\balias_generator\s*=/;
/** One field's name on the wire. */
const FIELD_NAME = /@JsonProperty\s*\(\s*(?:value\s*=\s*)?"([^"]{1,80})"|@SerialName\s*\(\s*"([^"]{1,80})"|@SerializedName\s*\(\s*"([^"]{1,80})"|\[JsonPropertyName\s*\(\s*"([^"]{1,80})"|#\[serde\([^)\]]*\brename\s*=\s*"([^"]{1,80})"|\bjson:"([^",]{1,80})/;
/** The type a naming annotation stands over (`data class VehicleSurcharge(`, `struct Quote {`, `public record Fare(`). */
const TYPE_DECLARATION = /\b(?:class|struct|record|interface|enum)\s+([A-Z]\w*)/;
/** A field of a data type: Kotlin `val lengthCm: Int`, Rust `pub length_cm: u32`, TypeScript `lengthCm: number`, Java `private int lengthCm;`. */
const FIELD = /^\s*(?:(?:val|var|pub(?:\(crate\))?|readonly|public|private|protected|final)\s+)*([a-z_]\w*)\s*:\s*[\w<[(]|^\s*(?:private|public|protected)\s+(?:final\s+)?[\w<>,[\]]+\s+([a-z_]\w*)\s*[;=]/;
/**
 * A field's own reader, put on it by an annotation: serde's `deserialize_with`/`with`, Jackson's
 * `@JsonDeserialize(using = …)`, Gson's `@JsonAdapter`, kotlinx's `@Serializable(with = …)`,
 * pydantic's `@field_validator`/`@validator` (one that runs before the type's own), .NET's
 * `[JsonConverter(…)]`. It is what lets the field take more than its plain type does (a
 * duration written `"PT30S"` as well as `30`).
 */
const FIELD_READER =
  /#\[serde\([^)\]]*\b(?:deserialize_with|with)\s*=|@JsonDeserialize\s*\(\s*(?:using|contentUsing)\s*=|@JsonAdapter\s*\(|@Serializable\s*\(\s*with\s*=|@(?:field_)?validator\s*\([^)]*\bmode\s*=\s*["']before["']|@validator\s*\([^)]*\bpre\s*=\s*True|\[JsonConverter\s*\(/;
/** Lines longer than this are not read: a declaration is short. */
const MAX_LINE = 2_000;
/** Fields named per signal, at most. */
const MAX_FIELDS = 8;

const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function wireName(text: string): string | null {
  if (text.length > MAX_LINE) return null;
  const m = FIELD_NAME.exec(text);
  return m === null ? null : (m.slice(1).find((x) => x !== undefined) ?? null);
}

/** The type declared at or after `from` in the hunk, and the fields it lists, in both spellings. */
function typeAfter(lines: readonly DiffLine[], from: number): { type: string | null; fields: string[] } {
  let type: string | null = null;
  const fields = new Set<string>();
  for (const line of lines.slice(from)) {
    if (line.kind === 'del' || line.text.length > MAX_LINE) continue;
    const declared = TYPE_DECLARATION.exec(line.text);
    if (declared && type !== null) break;
    if (declared) type = declared[1] as string;
    const field = FIELD.exec(line.text.replace(/^.*?\(\s*(?=(?:val|var)\s)/, ''));
    const name = field === null ? undefined : (field[1] ?? field[2]);
    if (type !== null && name !== undefined && name.length >= 3) for (const spelt of [name, snake(name), camel(name)]) fields.add(spelt);
    if (fields.size >= MAX_FIELDS * 2) break;
  }
  return { type, fields: [...fields] };
}

/** A Go struct field: `ReportTime time.Time`, with or without its tag. */
const GO_FIELD = /^\s*([A-Z]\w*)\s+[*[\]\w.]+\s*(?:`[^`]*`)?\s*(?:\/\/.*)?$/;
/** A name an entry is written with in a map or dict literal: Kotlin's `"crew_id" to`, PHP's and Ruby's `"crew_id" =>`, a dict's `"crew_id":`. */
const LITERAL_KEY = /["']([a-z][a-z0-9]*(?:_[a-z0-9]+)+)["']\s*(?:to\b|=>|:)/g;
/** A type needs this many fields given their wire names before one left without reads as an omission. */
const MIN_NAMED_FIELDS = 2;

/** The names the deleted lines wrote on the wire: annotated field names and literal map keys. */
function wireNamesBefore(lines: readonly DiffLine[]): Set<string> {
  const names = new Set<string>();
  for (const line of lines) {
    if (line.kind !== 'del' || line.text.length > MAX_LINE) continue;
    const named = wireName(line.text);
    if (named !== null) names.add(named);
    for (const m of line.text.matchAll(LITERAL_KEY)) names.add(m[1] as string);
  }
  return names;
}

/**
 * A type that names its fields on the wire one by one (`@SerialName`, `@JsonProperty`, a Go
 * `json:"…"` tag), with one field left without: that field goes on the wire under its own name.
 * Where the lines it replaces wrote the same value under another name (`report_time_utc`, now
 * `reportTimeUtc`), every reader that looks it up by the old name fails to find it.
 */
function wireNamesForgotten(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const before = wireNamesBefore(hunk.lines);
  if (before.size === 0) return [];
  const signals: RiskSignal[] = [];
  let named = 0;
  let pending = false;
  const bare: Array<{ line: DiffLine; name: string }> = [];
  for (const line of hunk.lines) {
    if (line.kind === 'del' || line.text.length > MAX_LINE) continue;
    const annotated = wireName(line.text) !== null;
    const field = FIELD.exec(line.text.replace(/^.*?\(\s*(?=(?:val|var)\s)/, '').replace(/^\s*@\w+(?:\([^)]*\))?\s*/, ''));
    const name = field?.[1] ?? field?.[2] ?? GO_FIELD.exec(line.text)?.[1];
    if (name === undefined) {
      pending = annotated && /^\s*@/.test(line.text);
      continue;
    }
    if (annotated || pending) named += 1;
    else if (line.kind === 'add') bare.push({ line, name });
    pending = false;
  }
  if (named < MIN_NAMED_FIELDS) return signals;
  for (const { line, name } of bare) {
    const old = [snake(name), name.toLowerCase()].find((spelt) => before.has(spelt) && spelt !== name);
    if (old === undefined) continue;
    signals.push(
      makeSignal(diff, path, line, 'wire_format_changed', `left the field ${name} without its name on the wire, where its neighbours keep theirs: it was written "${old}" and is now written "${name}", so whatever reads "${old}" fails to find it`, {
        direction: 'changed',
        old,
        new: name,
        identifiers: [old, name],
      }),
    );
  }
  return signals;
}

/**
 * A type written as its one value on the wire (Jackson's `@JsonValue`, serde's
 * `#[serde(transparent)]`, Jackson's `@JsonUnwrapped`) losing that: it is now written as an
 * object of its fields (`"12.50"` becomes `{"amount": "12.50", "currency": "EUR"}`), so every
 * reader that expects the plain value fails on the first record in the new shape.
 */
const SINGLE_VALUE = /@JsonValue\b|@JsonUnwrapped\b|#\[serde\([^)\]]*\btransparent\b/;

function singleValueDropped(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  // Read on every line: Rust's `#[serde(…)]` would pass for a comment.
  const gone = hunk.lines.find((l) => l.kind === 'del' && l.text.length <= MAX_LINE && SINGLE_VALUE.test(l.text));
  if (gone === undefined || hunk.lines.some((l) => l.kind === 'add' && SINGLE_VALUE.test(l.text))) return [];
  const type = [...hunk.lines].reverse().map((l) => TYPE_DECLARATION.exec(l.text)?.[1]).find((t) => t !== undefined) ?? /class\s+([A-Z]\w*)/.exec(hunk.header)?.[1] ?? null;
  return [
    makeSignal(diff, path, gone, 'wire_format_changed', `${type === null ? 'a type' : type} is no longer written as its single value (${gone.text.trim().slice(0, 40)} removed): its JSON becomes an object of its fields, and whatever reads the plain value fails on the first record in the new shape`, {
      direction: 'changed',
      identifiers: type === null ? [] : [type],
    }),
  ];
}

/** The wire names a hunk changes: a naming strategy added, or a field's name on the wire renamed. */
export function wireFormatChanges(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const signals: RiskSignal[] = [];
  const removedNaming = new Set(meaningful(hunk.lines, 'del').filter((l) => l.text.length <= MAX_LINE && NAMING.test(l.text)).map((l) => l.text.trim()));
  hunk.lines.forEach((line, index) => {
    if (line.kind !== 'add' || line.text.length > MAX_LINE || !NAMING.test(line.text) || removedNaming.has(line.text.trim())) return;
    const { type, fields } = typeAfter(hunk.lines, index);
    const named = type === null ? 'its JSON' : `${type}'s JSON`;
    const listed = fields.length === 0 ? '' : ` (${fields.slice(0, 6).join(', ')})`;
    signals.push(
      makeSignal(diff, path, line, 'wire_format_changed', `changed how ${named} spells its field names${listed} with a naming strategy: whatever reads it by the old names, a strict parser or a client, fails to read it`, {
        direction: 'changed',
        // The type's name, where there is one: its fields' names are printed all along by whatever
        // logs the values (a `length_cm` field), while a reader's error about the new spelling names the type.
        identifiers: type === null ? fields : [type],
      }),
    );
  });
  signals.push(...readersRemoved(diff, path, hunk));
  signals.push(...singleValueDropped(diff, path, hunk));
  signals.push(...wireNamesForgotten(diff, path, hunk));
  // A field's wire name renamed: the deleted and the added line at the same place name it differently.
  const dels = meaningful(hunk.lines, 'del');
  const adds = meaningful(hunk.lines, 'add');
  for (const [i, del] of dels.entries()) {
    const before = wireName(del.text);
    const add = adds[i];
    const after = add === undefined ? null : wireName(add.text);
    if (before === null || after === null || add === undefined || before === after) continue;
    signals.push(
      makeSignal(diff, path, add, 'wire_format_changed', `renamed a field on the wire, "${before}" → "${after}": whatever reads it by the old name fails to find it`, {
        direction: 'changed',
        old: before,
        new: after,
        identifiers: [before, after],
      }),
    );
  }
  return signals;
}

/** The field an annotation stands over: the first field declared on the lines after it, as the build after the edit has them. */
function fieldAfter(lines: readonly DiffLine[], from: number, kind: DiffLine['kind']): string | null {
  for (const line of lines.slice(from + 1, from + 4)) {
    if (line.kind !== kind && line.kind !== 'ctx') continue;
    if (line.text.length > MAX_LINE) return null;
    const field = FIELD.exec(line.text);
    const name = field === null ? undefined : (field[1] ?? field[2]);
    if (name !== undefined) return name;
  }
  return null;
}

/**
 * A field's own reader taken off (often by a rollback to a build from before it was added): the
 * field now takes only its plain type, and every message that writes it the way the reader
 * allowed is refused, from the first one the new build reads.
 */
function readersRemoved(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  // Not `meaningful`: a Rust attribute (`#[serde(…)]`) reads as a comment there.
  const added = new Set(hunk.lines.filter((l) => l.kind === 'add').map((l) => l.text.trim()));
  const signals: RiskSignal[] = [];
  hunk.lines.forEach((line, index) => {
    if (line.kind !== 'del' || line.text.length > MAX_LINE || !FIELD_READER.test(line.text) || added.has(line.text.trim())) return;
    const field = fieldAfter(hunk.lines, index, 'del');
    const named = field === null ? 'a field' : `the field "${field}"`;
    signals.push(
      makeSignal(diff, path, line, 'wire_format_changed', `took its own reader off ${named}: it now takes only its plain type, and whatever sends it the other way is refused`, {
        direction: 'changed',
        identifiers: field === null ? [] : [field],
      }),
    );
  });
  return signals;
}
