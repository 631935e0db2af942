// The names a change touches, looked up in the logs. When an enum constant, a setting or a
// flag that a diff edits, absent from the logs before the change, shows up word for word in
// the warnings and errors after it (in a message or in a stack trace's "Caused by" line),
// the logs name the change's own edit: that ties it to the symptoms better than timing can. Names in
// logging statements and string literals are left out: a change that only rewords a log
// line would otherwise be "found" in the errors it merely reports.
import type { Case } from './case.js';
import { iso } from './json.js';
import { countsAround, readMatches, resultOf, type ChangeInfo } from './read.js';
import type { ChangedLine, DiffInfo } from './read-diff.js';
import type { Replay } from './replay.js';
import { flagWordsPattern } from './flags.js';
import { escapeRegExp } from '../../regexp.js';
import { distinctivePrinted } from './limit-quoted.js';
import { RESERVE } from './gather.js';
import type { Episode } from './episode.js';
import { pathTo, type PathLink } from './path.js';
import { revertedBy } from './reverts.js';

export interface IdentifierHit {
  identifier: string;
  /** The first warning or error after the change that names it. */
  ref: string;
  t: number | null;
  /** Its level: `warn`, `error`... */
  level: string;
  text: string;
  /** Lines (any level) that name one of the change's identifiers, after and before it. */
  after: number;
  before: number;
  /**
   * A file the change created (`SittingProgressRepository.kt`) or a function it defined
   * (`expireIfStale`), named in the warnings and errors after it: a stack frame of the failing
   * requests sits in its new code. Null when none is.
   */
  newCode: string | null;
  /** The service whose logs printed that first line, when they say. */
  service: string | null;
  /** The name is a value the change set (`zstd` for `compression.type: lz4 → zstd`), not a name it touches. */
  setValue: boolean;
}

const MAX_IDENTIFIERS = 12;
/** Lines needed after the change: one line is an anecdote. */
const MIN_AFTER = 3;
/** How much busier than before the names must be after the change (per minute). */
const NEW_RATIO = 5;
/** How far before the change the logs are read for the same names. */
const BEFORE_MS = 60 * 60_000;
/** How long after the onset a first mention still belongs to the incident. */
const LATE_MS = 15 * 60_000;

const PROBLEM_LEVEL = /^(warn|warning|error|err|fatal|critical|crit|panic)$/i;
export const FAILURE_LEVEL = /^(error|err|fatal|critical|crit|panic)$/i;
const COMMENT = /^\s*(\/\/|#|\*|\/\*|--|;|<!--)/;
const LOGGING = /\b(log|logger|LOG|LOGGER|Log|Logger|console|slog|logging|logrus|zap|klog)\s*\.\s*\w+\s*\(|\b(print|println|printf|eprintln|puts|fmt\.\w*Print\w*)\s*!?\(/;
/** A quoted text that is not a key (`"name":` keeps its name). */
const LITERAL = /"(?:[^"\\\n]|\\.)*"(?!\s*:)|'(?:[^'\\\n]|\\.)*'(?!\s*:)|`[^`]*`/g;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;
/** Names so common in any program's errors that finding one says nothing about a change. */
const COMMON = new Set(
  [
    'request_id', 'trace_id', 'span_id', 'user_id', 'tenant_id', 'account_id', 'order_id', 'session_id', 'status_code', 'error_code',
    'http_status', 'timeout_ms', 'duration_ms', 'latency_ms', 'elapsed_ms', 'created_at', 'updated_at', 'getOrDefault', 'toString',
    'valueOf', 'hashCode', 'isEmpty', 'getMessage', 'RuntimeException', 'IOException', 'NullPointerException', 'IllegalArgumentException',
    'IllegalStateException', 'TimeoutException', 'Exception', 'HashMap', 'ArrayList', 'BigDecimal', 'Optional', 'String', 'Integer',
    'context', 'ctx_err', 'err_msg', 'error_message', 'max_retries', 'retry_count', 'null_value', 'NOT_FOUND', 'INTERNAL_ERROR',
  ].map((w) => w.toLowerCase()),
);

/**
 * A name specific enough to search for: snake_case, UPPER_SNAKE, camelCase or a dotted key
 * (`routes.timeout`), not a common one. A plain word (`timeout`) is in every incident's errors.
 */
export function distinctive(word: string): boolean {
  if (word.length < 6 || COMMON.has(word.toLowerCase())) return false;
  const snake = /[A-Za-z0-9]_[A-Za-z0-9]/.test(word);
  const camel = /[a-z][A-Z]/.test(word) && /[A-Z]/.test(word.slice(1));
  const dotted = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+$/.test(word);
  // A setting's key in kebab case (`max-poll-records`), of three words or more: two-word ones
  // are as often a service's name, which every line of its logs prints.
  const kebab = /^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+){2,}$/.test(word);
  return snake || camel || dotted || kebab;
}

/** The flag key a change switches, when its record says. */
export function flagKeyOf(change: ChangeInfo): string | null {
  for (const key of ['flag', 'flag_key', 'key', 'name']) {
    const value = change.attributes[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/** The names a change touches: its flag, the names the tool lists, then those of its added and removed code lines. */
/**
 * A setting's full key and the tails a program prints of it: the client that reads
 * `spring.kafka.consumer.properties.max.poll.interval.ms` names `max.poll.interval.ms` in its
 * own messages, and `spring.kafka.consumer.max-poll-records` is `max-poll-records`.
 */
function withTails(name: string): string[] {
  const parts = name.split('.');
  if (parts.length < 3) return [name];
  const tails = [parts.slice(-4).join('.'), parts.slice(-3).join('.'), parts[parts.length - 1] as string].filter((tail) => tail !== name && distinctive(tail));
  return [name, ...new Set(tails)];
}

export function identifiersOf(change: ChangeInfo, diff: DiffInfo | undefined): string[] {
  const found: string[] = [];
  const flag = flagKeyOf(change);
  if (flag !== null) found.push(flag, ...(flag.match(WORD) ?? []).filter(distinctive));
  for (const signal of [...(diff?.riskSignals ?? []), ...(diff?.otherEdits ?? [])]) found.push(...signal.identifiers.filter(distinctive).flatMap(withTails));
  const fromCode: string[] = [];
  for (const line of diff?.changed ?? []) {
    if (COMMENT.test(line.text) || LOGGING.test(line.text)) continue;
    for (const word of line.text.replace(LITERAL, ' ').match(WORD) ?? []) if (distinctive(word)) fromCode.push(word);
  }
  // Longer names are rarer: they go first when there are too many.
  found.push(...[...new Set(fromCode)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)));
  return [...new Set(found)].slice(0, MAX_IDENTIFIERS);
}

/** A setting written `key: value`, `key = value` or `"key": "value"`, and its value. */
const SETTING_LINE = /^\s*-?\s*["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*["']?([^"'\s,;#]+)["']?\s*[,;]?\s*$/;
/** A value that is a word (a codec, a mode, a driver's name): not a number, a version or a path. */
const WORD_VALUE = /^[A-Za-z][A-Za-z0-9_-]{3,39}$/;
/** Values every program prints or takes for a switch: finding one in the logs says nothing about a change. */
const COMMON_VALUES = new Set(['true', 'false', 'none', 'null', 'default', 'auto', 'enabled', 'disabled', 'enable', 'disable', 'info', 'debug', 'warn', 'warning', 'error', 'trace', 'always', 'never', 'strict', 'latest']);

/**
 * The word values the change's added lines give a setting that none of its removed lines
 * held: a codec, a mode, a protocol or a driver it switched to. When a program cannot take
 * the new value, its errors print that value (`Libraries for zstd compression codec not
 * found`), though they never name the setting's key.
 */
export function newValues(diff: DiffInfo | undefined): string[] {
  const valuesOn = (sign: '+' | '-'): string[] =>
    (diff?.changed ?? [])
      .filter((l) => l.sign === sign && !COMMENT.test(l.text))
      .map((l) => {
        const m = SETTING_LINE.exec(l.text);
        // In source code an unquoted value is a variable (Go's `Code: code,`), not a value set.
        if (m === null || (SOURCE_FILE.test(l.code.replace(/:\d+(?:-\d+)?$/, '')) && !new RegExp(`["'\`]${escapeRegExp(m[2] as string)}["'\`]`).test(l.text))) return undefined;
        return m[2];
      })
      .filter((value): value is string => value !== undefined);
  const before = new Set(valuesOn('-').map((v) => v.toLowerCase()));
  return [...new Set(valuesOn('+'))].filter((v) => WORD_VALUE.test(v) && !COMMON_VALUES.has(v.toLowerCase()) && !before.has(v.toLowerCase())).slice(0, MAX_MESSAGES);
}

/**
 * The numbers a limit the change set is printed as (`1MB` as `1048576`): an error that quotes
 * one (`message exceeds maximum size 1048576`) is that limit being hit, though it never names
 * the setting's key.
 */
export function limitsPrinted(diff: DiffInfo | undefined): string[] {
  const forms = (diff?.riskSignals ?? []).filter((r) => r.kind === 'limit_changed').flatMap((r) => r.newPrinted);
  // Bare numbers only: the search matches whole words, and a size with its unit is read from the templates (limit-quoted.ts).
  return [...new Set(forms.filter((n) => /^\d+$/.test(n) && distinctivePrinted(n)))].slice(0, MAX_MESSAGES);
}

/** Source files a stack frame names by their file name (`(Repo.kt:31)`, `File "/app/repo.py"`, `repo.go:31`). */
const SOURCE_FILE = /\.(kt|java|scala|groovy|py|rb|go|rs|js|mjs|cjs|ts|tsx|cs|php|swift|ex|exs|erl|clj|c|cc|cpp|h)$/;

/** The file names of the source files a diff creates, distinctive enough to find in a stack trace. */
function newSourceFiles(diff: DiffInfo | undefined): string[] {
  return (diff?.added ?? [])
    .filter((path) => SOURCE_FILE.test(path))
    .map((path) => path.slice(path.lastIndexOf('/') + 1))
    .filter((name) => name.replace(SOURCE_FILE, '').length >= 6);
}

/** A function or method a line defines, in the common languages (`def x(`, `func (r) x(`, `fun x(`, `public Foo x(`, `fn x(`). */
const DEFINES =
  /^\s*(?:def\s+(\w+)\s*\(|func\s+(?:\([^)]*\)\s*)?(\w+)\s*\(|(?:(?:private|public|internal|protected|override|suspend|inline)\s+)*fun\s+(?:[\w.<>]+\.)?(\w+)\s*\(|(?:export\s+)?(?:async\s+)?function\s+(\w+)\s*\(|(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?fn\s+(\w+)|(?:(?:public|private|protected|static|final|synchronized|async|virtual|override)\s+)+[\w<>\[\],.? ]+\s+(\w+)\s*\([^;]*$)/;

/** Functions the diff defines that it did not define before: code that did not exist until the change. */
function newFunctions(diff: DiffInfo | undefined): string[] {
  const defined = (sign: '+' | '-'): Set<string> =>
    new Set(
      (diff?.changed ?? [])
        .filter((l) => l.sign === sign)
        .map((l) => DEFINES.exec(l.text)?.slice(1).find((g) => g !== undefined))
        .filter((name): name is string => name !== undefined),
    );
  const before = defined('-');
  return [...defined('+')].filter((name) => !before.has(name) && distinctive(name));
}

/** A stack frame (Java/Kotlin `at a.B.c(`, JavaScript `at c (`, Python `in c`, Go `pkg.c(...)` then `file.go:N`) naming `name`. */
function frameNames(text: string, name: string): boolean {
  const frame = /^\s*at\s|File "[^"]+", line \d+, in |\.go:\d+|\(\w[\w$]*\.\w+:\d+\)/.test(text);
  return frame && new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`).test(text);
}

/** How prose says what new code a name is: a file the change created, or a function it defined. */
export function newCodeWords(name: string): string {
  if (name.startsWith('"')) return 'a message it added';
  return SOURCE_FILE.test(name) ? 'a file it created' : 'a function it added';
}

/** A line that logs or raises a message: what it says is what the logs will print. */
const MESSAGE_LINE = new RegExp(`${LOGGING.source}|\\b(throw|raise|panic|Errorf|New|Error|Exception)\\b\\s*\\(?`);
/** Where a format string takes a value: `%d`, `%v`, `{}`, `{name}`, `${x}`, `%(name)s`. */
const PLACEHOLDER = /%\([^)]{0,40}\)[a-z]|%[-+ #0-9.]{0,10}[a-zA-Z]|\$\{[^}]{0,80}\}|\{[^}]{0,80}\}/;
/** A message's fixed text must be this long, and more than one word, to be its own and no other's. */
const MIN_MESSAGE = 12;
const MIN_MESSAGE_WORDS = 3;
const MAX_MESSAGES = 4;

/** A message's words, to tell a reworded statement from a new one. */
/** A field a format string prints: `candidatePair={}`, `user_id=%s`, `shard: {}`, `region=${region}`. */
const PRINTED_FIELD = new RegExp(`([A-Za-z_][A-Za-z0-9_.-]*)\\s*[=:]\\s*["']?(?:${PLACEHOLDER.source})`, 'g');

/**
 * A field a structured logging call prints beside its message: a dict's key (`extra={"zone": z}`),
 * a keyword argument (structlog's `zone=z`), a key of Go's slog or zap pairs (`"rows", n`,
 * `zap.Int("rows", n)`), logrus' `WithField("rows", n)`.
 */
const LOGGED_FIELD = /["']([A-Za-z_][\w.-]{0,60})["']\s*:|(?<![\w.])([a-z_]\w{0,60})\s*=(?!=)|,\s*"([A-Za-z_][\w.-]{0,60})"\s*,|\b(?:zap\.\w+|WithField|slog\.\w+)\(\s*"([A-Za-z_][\w.-]{0,60})"/g;

/** The fields the string literals of some lines print, and those their logging calls print beside the message. */
function printedFields(lines: readonly ChangedLine[]): Set<string> {
  const out = new Set<string>();
  // How deep inside a logging call's parentheses the lines are: a call spread over lines prints the fields of each.
  let depth = 0;
  for (const line of lines) {
    if (COMMENT.test(line.text)) continue;
    for (const literal of line.text.match(LITERAL) ?? []) for (const m of literal.matchAll(PRINTED_FIELD)) out.add((m[1] as string).toLowerCase());
    const call = LOGGING.exec(line.text);
    if (call === null && depth === 0) continue;
    const text = call === null ? line.text : line.text.slice(call.index);
    for (const m of text.matchAll(LOGGED_FIELD)) {
      const name = m[1] ?? m[2] ?? m[3] ?? m[4];
      if (name !== undefined) out.add(name.toLowerCase());
    }
    depth = Math.max(0, (call === null ? depth : 0) + (text.match(/[([{]/g)?.length ?? 0) - (text.match(/[)\]}]/g)?.length ?? 0));
  }
  return out;
}

/**
 * Names the change's added lines begin to print as a message's fields (`lastState={}
 * candidatePair={}` added to the line a dropped call logs), which no removed line printed:
 * the logs show them after the change because the change prints them, whatever fails. Their
 * being named more after it is the new print, not what they name acting.
 */
export function newlyPrinted(diff: DiffInfo | undefined): Set<string> {
  const changed = diff?.changed ?? [];
  const before = printedFields(changed.filter((l) => l.sign === '-'));
  return new Set([...printedFields(changed.filter((l) => l.sign === '+'))].filter((name) => !before.has(name)));
}

function messageWords(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * The longest fixed piece of each message the diff's added lines log or raise (three words at
 * least), that no removed line said in other punctuation: a statement reworded or moved says
 * what it said before, and is no new code.
 */
function newMessages(diff: DiffInfo | undefined): string[] {
  const pieces = (sign: '+' | '-'): string[] =>
    (diff?.changed ?? [])
      .filter((l) => l.sign === sign && !COMMENT.test(l.text) && MESSAGE_LINE.test(l.text))
      .flatMap((l) => (l.text.match(LITERAL) ?? []).map((literal) => literal.slice(1, -1)))
      .map((text) => text.split(PLACEHOLDER).map((piece) => piece.trim()).sort((a, b) => b.length - a.length)[0] ?? '')
      .filter((piece) => piece.length >= MIN_MESSAGE && piece.split(/\s+/).length >= MIN_MESSAGE_WORDS);
  const before = pieces('-').map(messageWords);
  const said = (piece: string): boolean => before.some((old) => old.includes(messageWords(piece)) || messageWords(piece).includes(old));
  return [...new Set(pieces('+'))].filter((piece) => !said(piece)).slice(0, MAX_MESSAGES);
}


/** A word matched whole, not inside a longer name. */
function wholeWord(word: string): string {
  return `\\b${escapeRegExp(word)}\\b`;
}

/**
 * A setting's name as the logs may spell it: `max-poll-records` in a YAML file is
 * `max.poll.records` in the client's own messages and `max_poll_records` in another's, so
 * the separators between its words match any of the three.
 */
function spellings(name: string): string {
  const parts = name.split(/[-._]/).filter((part) => part !== '');
  return parts.length >= 2 && /[-._]/.test(name) ? parts.map(escapeRegExp).join('[-._]') : escapeRegExp(name);
}

/**
 * Searches the warnings and errors around a change for the names it touches. A hit needs
 * lines after the change, far more of them than before it, and a first one that came
 * with the incident.
 */
/** A name the logs first print this close to the onset surfaced with the incident. */
const SURFACED_MS = 15 * 60_000;
/** ...and this long after the change, not with the change. */
const SURFACED_LATE_MS = 30 * 60_000;

/**
 * With no warning or error naming them, lines of any level that name the change's names for
 * the first time as the incident began, long after it, and never before it: a database's
 * slow-statement log quoting the new query, a client printing the new key. A name the logs
 * never printed until the onset is the edit meeting what it fails under, whatever the level.
 */
function surfacedAtOnset<M extends { t: number | null }>(matches: readonly M[], before: number, changeAt: number, onset: number): M | undefined {
  if (before > 0) return undefined;
  const first = matches.find((m) => m.t !== null && m.t >= changeAt);
  if (first?.t == null || Math.abs(first.t - onset) > SURFACED_MS || first.t - changeAt < SURFACED_LATE_MS) return undefined;
  return first;
}

/**
 * `offPath`: nothing else ties the change to the symptoms, so its errors are all there is to
 * find, and they are worth a second search when the first shows none of them.
 */
export async function traceIdentifiers(r: Replay, c: Case, change: ChangeInfo, onset: number, offPath = false): Promise<IdentifierHit | null> {
  const diff = c.diffs.get(change.id);
  // A rollback with no diff of its own touches what the release it undid touched, the other
  // way: its names are that release's (a column the release renamed is the one the old code
  // asks for again). What was new in that release is what the rollback removes, so only names.
  const undoes = change.type === 'rollback' || typeof change.attributes['reverts'] === 'string';
  const undone = diff === undefined && undoes ? revertedBy(change, c.changes) : null;
  const printed = newlyPrinted(diff);
  const names = identifiersOf(change, diff ?? (undone === null ? undefined : c.diffs.get(undone.id))).filter((name) => !printed.has(name.toLowerCase()));
  const files = newSourceFiles(diff);
  const functions = newFunctions(diff);
  const messages = newMessages(diff);
  const values = [...newValues(diff), ...limitsPrinted(diff)];
  // A flag is spelt differently in code and traces (`presence_v2`, `PresenceV2Resolver`): its words, in any spelling.
  const spelt = change.type === 'feature_flag' ? flagWordsPattern(change) : null;
  if (names.length === 0 && files.length === 0 && functions.length === 0 && messages.length === 0 && values.length === 0 && spelt === null) return null;
  const from = change.at - BEFORE_MS;
  const to = Math.max(onset, change.at) + 30 * 60_000;
  // Every level: a name the logs printed all along (a field, an id) is no trace of the change,
  // even if the errors after it print it too.
  // A value is matched as a whole word: `zstd`, not the inside of another name.
  const namesPattern = [...new Set([...names.map(spellings), ...[...files, ...functions].map(escapeRegExp), ...values.map(wholeWord)])].concat(spelt === null ? [] : [spelt.pattern]).join('|');
  const pattern = [namesPattern, ...new Set(messages.map(escapeRegExp))].filter((p) => p !== '').join('|');
  const result = resultOf('search_logs', await r.call('search_logs', { pattern, regex: true, ...(spelt === null ? {} : { ignore_case: true }), from: iso(from), to: iso(to), max_matches: 50 }));
  if (result === null) return null;
  let { matches } = readMatches(result);
  const { before, after } = countsAround(result, change.at);
  const perMinute = (n: number, span: number): number => n / Math.max(1, span / 60_000);
  if (after < MIN_AFTER || perMinute(before, change.at - from) * NEW_RATIO >= perMinute(after, to - change.at)) return null;
  // The lines shown are the first of many, and none of them a warning or an error: those are
  // asked for on their own (a consumer's crash can hide behind another service's chatter).
  // Only for a change nothing else ties to the symptoms: the others' budget goes to their probes.
  const problemAfter = (m: { t: number | null; level: string | null }): boolean => m.t !== null && m.t >= change.at && PROBLEM_LEVEL.test(m.level ?? '');
  if (offPath && !matches.some(problemAfter) && result.total_matches > matches.length && r.left > RESERVE + 1) {
    const problems = resultOf('search_logs', await r.call('search_logs', { pattern, regex: true, ...(spelt === null ? {} : { ignore_case: true }), level: 'warn', from: iso(change.at), to: iso(to), max_matches: 50 }));
    if (problems !== null) matches = [...matches, ...readMatches(problems).matches];
  }
  // A warning its own added lines log (a new "slow batch" report) is new because its code is:
  // it reports what it measures, not that its code failed. Only an error it raises names it.
  const byNames = namesPattern === '' ? null : new RegExp(namesPattern, spelt === null ? '' : 'i');
  const ownReport = (m: { level: string | null; text: string }): boolean => messages.length > 0 && !FAILURE_LEVEL.test(m.level ?? '') && (byNames === null || !byNames.test(m.text));
  matches = matches.filter((m) => !(PROBLEM_LEVEL.test(m.level ?? '') && ownReport(m)));
  const problem = matches.find((m) => m.t !== null && m.t >= change.at && PROBLEM_LEVEL.test(m.level ?? ''));
  const surfaced = problem === undefined ? surfacedAtOnset(matches, before, change.at, onset) : undefined;
  const first = problem ?? surfaced;
  if (!first || first.t === null || first.t > onset + LATE_MS) return null;
  // The errors' own stack frames in a file the change created: the failing code is its new code.
  const problems = matches.filter((m) => m.t !== null && m.t >= change.at && m.t <= onset + LATE_MS && PROBLEM_LEVEL.test(m.level ?? ''));
  const newCode =
    files.find((file) => problems.some((m) => m.text.includes(file))) ??
    functions.find((name) => problems.some((m) => frameNames(m.text, name))) ??
    // Or the errors print a message its added lines log or raise: they come from its new code.
    // Errors only: a new warning may be its new code reporting some other failure.
    messages.map((message) => `"${message}"`).find((quoted) => problems.some((m) => FAILURE_LEVEL.test(m.level ?? '') && m.text.includes(quoted.slice(1, -1)))) ??
    null;
  const namedValue = names.some((name) => new RegExp(spellings(name)).test(first.text)) ? undefined : values.find((value) => new RegExp(wholeWord(value)).test(first.text));
  const identifier = namedValue ?? names.find((name) => new RegExp(spellings(name)).test(first.text)) ?? (spelt !== null && new RegExp(spelt.pattern, 'i').test(first.text) ? spelt.name : (names[0] ?? spelt?.name ?? values[0] ?? change.id));
  // A name that surfaced when a later change touching the same name took effect (the flag its
  // code reads, turned on) was brought out by that change, not by the onset's conditions.
  if (surfaced !== undefined && c.changes.some((x) => x.id !== change.id && x.at > change.at && x.at <= (first.t as number) && identifiersOf(x, c.diffs.get(x.id)).some((name) => name.toLowerCase() === identifier.toLowerCase()))) return null;
  return { identifier, ref: first.ref, t: first.t, level: (first.level ?? 'error').toLowerCase(), text: first.text, after, before, newCode, service: first.service, setValue: namedValue !== undefined };
}

/** Failures naming what a change touched or set, this close to the onset, began with the incident. */
export const NAMED_AT_ONSET_MS = 15 * 60_000;


/**
 * A change no metric ties to the symptoms is on the path when the errors of a service that is
 * (the paged one, or one that degraded first) began with the incident and name what the change
 * set or touches: a consumer that crashes on the codec its producer switched to prints the
 * codec's name, however quiet the producer's own metrics stay.
 */
export function namedPath(c: Case, episode: Episode, change: ChangeInfo, slackMs: number): PathLink | null {
  const hit = c.identifierHits.get(change.id);
  if (hit === undefined || hit.t === null || hit.service === null || !FAILURE_LEVEL.test(hit.level)) return null;
  if (Math.abs(hit.t - episode.onset) > NAMED_AT_ONSET_MS) return null;
  const there = pathTo(c, episode, hit.service, change.at, slackMs);
  if (there === null) return null;
  return {
    reason: `the errors of ${hit.service} (${there.reason}) that began with the incident name ${hit.identifier}, which it ${hit.setValue ? 'set' : 'touches'} (${hit.ref})`,
    movement: there.movement,
    log: there.log,
  };
}
