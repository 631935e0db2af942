// Lines of a diff whose edits look risky by what they do, in any language or config format,
// judged with their direction: a limit, pool, timeout or replica count tightened (old → new);
// a limit or timeout removed; retries added or increased, backoff shortened or removed; a
// cache removed or its TTL shortened; a feature flag turned on or rolled out wider; a safety
// or behaviour switch flipped; a query or HTTP call inside a loop; a regular expression that
// backtracks exponentially; null or default handling
// removed; an enum value or constant removed while something still uses it; a new throw on a
// path every call takes. Setting edits in the harmless direction (a limit loosened, a TTL made
// longer, a flag turned off) are kept apart as context. Tests are skipped (their edits do not
// run in production), and so are comments. These are leads for a reader, not findings.
import type { Diff, DiffFile, DiffHunk, DiffLine } from '../../bundle/index.js';
import { escapeRegExp } from '../../regexp.js';
import { refreshesRemoved, tokensOutlived } from './risk-refresh.js';
import { compressionRemoved } from './risk-compression.js';
import { codeWords, stripComment, wordsIn } from './code-words.js';
import { backoffRemoved, cacheRemoved, eagerLoadRemoved, flagGuards, meaningful, retryAdded, type FileLines } from './risk-code.js';
import { callsInLoops, remoteMethods, type Call } from './risk-loops.js';
import { clientsPerCall } from './risk-clients.js';
import { lockingMigrations } from './risk-migrations.js';
import { indexesBypassed, indexesDropped } from './risk-sql-index.js';
import { keyspaceScans } from './risk-keyspace-scan.js';
import { accessNarrowed } from './risk-allowlist.js';
import { schemaLocks } from './risk-schema-lock.js';
import { expiriesAligned } from './risk-expiry-aligned.js';
import { objectsExpired } from './risk-lifecycle.js';
import { scalingSignalsReplaced } from './risk-scaler.js';
import { idleTimeoutsAdded } from './risk-idle-timeout.js';
import { lifetimeDeclaredUnused } from './risk-lifetime-unused.js';
import { evictionPolicyDropped } from './risk-eviction-dropped.js';
import { bareDurations } from './risk-bare-duration.js';
import { factorsSlipped } from './risk-factors.js';
import { rateLimitsAdded } from './risk-rate-limit.js';
import { wireFormatChanges } from './risk-wire-format.js';
import { messageKeysChanged } from './risk-message-key.js';
import { cleanupsMadeConditional } from './risk-cleanup.js';
import { releasesSkipped } from './risk-release.js';
import { locksHeldAcrossCalls, rowLocksAdded } from './risk-locks.js';
import { awaitsBlocked } from './risk-blocking.js';
import { workMadeSynchronous } from './risk-inline.js';
import { cacheKeysWidened } from './risk-cache-key.js';
import { unitMismatches } from './risk-units.js';
import { conversionsDropped } from './risk-conversion.js';
import { backtrackingPatterns } from './risk-regex.js';
import { unboundedGrowth } from './risk-growth.js';
import { expiryDropped, lifetimeOnOnePath } from './risk-expiry.js';
import { schedulesChanged } from './risk-schedule.js';
import { markGuarded } from './risk-guarded.js';
import { defaultsRemoved, throwsAdded } from './risk-guards.js';
import { valuesRemoved } from './risk-removed.js';
import { judgeAddedSwitch, judgeEdit, type Judgement } from './risk-rules.js';
import { constantsOf, hunkSettings, settingsOnLine, type Constants } from './risk-settings.js';
import { lineText, makeSignal, propertyOf, unique, type RiskSignal } from './risk-types.js';
import { parseValue, printedForms, type SettingValue } from './risk-values.js';

export type { RiskKind, RiskSignal } from './risk-types.js';

export interface RiskOptions {
  includeTests?: boolean;
  /** Other diffs of the bundle, where a value this diff removes may still be used. */
  related?: readonly Diff[];
}

export interface DiffAssessment {
  /** Edits that look risky. */
  risks: RiskSignal[];
  /** Setting edits in a harmless or unclear direction (a limit loosened, a TTL lengthened, a flag turned off). */
  benign: RiskSignal[];
}

const LIMIT_WORDS = new Set([
  'pool', 'conn', 'conns', 'connection', 'connections', 'limit', 'limits', 'max', 'min', 'timeout', 'timeouts', 'deadline', 'retry',
  'retries', 'backoff', 'size', 'capacity', 'concurrency', 'workers', 'worker', 'threads', 'ttl', 'queue', 'buffer', 'burst', 'idle',
  'lifetime', 'keepalive', 'attempts', 'parallelism', 'replicas', 'memory', 'cpu', 'delay', 'expiry', 'expire', 'expires',
  'expiration', 'quota', 'jitter', 'sleep', 'iops', 'throughput', 'bandwidth', 'tps',
]);
const REMOVABLE_LIMIT_WORDS = new Set(['timeout', 'deadline', 'limit', 'max', 'ratelimit', 'quota', 'breaker']);
const TEST_PATH = /(^|\/)(tests?|__tests__|spec|testdata|fixtures)\/|[._-](test|spec)\.[a-z]+$|_test\.go$|Test\.java$/i;
const UNIT = '(?:ms|us|µs|ns|s|sec|secs|seconds?|m|min|minutes?|h|hours?|d|days?|kb|mb|gb|ki|mi|gi|k|%)';
const NUMBER = new RegExp(`(?<![\\w.])(\\d+(?:\\.\\d+)?)(\\s*${UNIT})?(?![\\w.])`, 'gi');

function numbersOf(text: string): string[] {
  return [...stripComment(text).matchAll(NUMBER)].map((m) => `${m[1]}${(m[2] ?? '').trim()}`);
}

/** The line with its numbers blanked, for pairing an old line with its edited new version. */
function shapeOf(text: string): string {
  return stripComment(text).replace(NUMBER, '#').replace(/\s+/g, ' ');
}

/** The setting a line assigns or calls (`maxOpenConns`, `SetMaxOpenConns`, `WithTimeout`), if it has one. */
function keyOf(text: string): string | null {
  const code = stripComment(text);
  const call = /([A-Za-z_]\w*)\s*\([^()]*\d[^()]*\)/.exec(code);
  const m = /^\s*[-"']?\s*([A-Za-z_][\w.-]*)["']?\s*(?::|=|:=)/.exec(code);
  const key = m?.[1] ?? call?.[1] ?? null;
  return key && wordsIn(key, LIMIT_WORDS).length > 0 ? key : (call?.[1] ?? key);
}

const plainText = (v: SettingValue): string => v.text.replace(/^(["'`])(.*)\1$/, '$2');

/** How a nested key reads: `thumbnailer.resources.limits.memory`. */
function labelOf(key: string, parents: readonly string[]): string {
  return [...parents.slice(-3), key].join('.');
}

/**
 * The words a reader can look for in logs: the key, its setter's property, its full path, the
 * outermost and innermost keys it sits under (a service, a flag, a block), and a constant
 * that gives its value.
 */
function settingIdentifiers(key: string, parents: readonly string[], values: ReadonlyArray<SettingValue | null> = []): string[] {
  const property = propertyOf(key);
  const dotted = parents.length > 0 ? [...parents, key].join('.') : '';
  const names = values.flatMap((v) => (v && /^[A-Za-z_]\w*(?: \(|$)/.test(v.text) && !/^(true|false)$/i.test(v.text) ? [v.text.split(' ')[0] as string] : []));
  return unique([key, ...(property ? [property] : []), dotted, ...parents.slice(0, 1), ...parents.slice(-1), ...names]).slice(0, 6);
}

function fromJudgement(diff: Diff, path: string, del: DiffLine | null, add: DiffLine, j: Judgement, ids: string[], o: SettingValue | null, n: SettingValue): RiskSignal {
  return makeSignal(diff, path, add, j.kind, j.detail, {
    ...(o ? { old: plainText(o) } : {}),
    new: plainText(n),
    direction: j.direction,
    factor: j.factor,
    identifiers: ids,
    ...(j.kind === 'limit_changed' && j.category === 'capacity' ? { bounds: 'capacity' as const } : {}),
    ...(j.kind === 'limit_changed' && j.category === 'time_limit' ? { bounds: 'time' as const } : {}),
    ...(j.kind === 'limit_changed' && printedForms(n).length > 0 ? { new_printed: printedForms(n) } : {}),
    ...(del ? { text: `${lineText(del)}  →  ${lineText(add)}` } : {}),
  });
}

interface Sink {
  risks: RiskSignal[];
  benign: RiskSignal[];
}

function push(sink: Sink, signal: RiskSignal, risky: boolean): void {
  (risky ? sink.risks : sink.benign).push(signal);
}

/** Settings the hunk edits, judged; returns the lines they explain. */
/** Whether `key` is set inside an annotation's arguments on the line (`@Column(nullable = false)`, `[Required(AllowEmpty = true)]`). */
function annotationArgument(text: string, key: string): boolean {
  return new RegExp(`(?:@|\\[)[A-Za-z_][\\w.]*\\s*\\([^()]*\\b${escapeRegExp(key)}\\s*=`).test(text);
}

function settingSignals(diff: Diff, file: DiffFile, path: string, hunk: DiffHunk, constants: Constants, sink: Sink): Set<DiffLine> {
  const found = hunkSettings(hunk, constants);
  // Lines whose setting kept its value changed something else; lines whose change this could not judge stay open for the line-shape reading.
  const unjudged = new Set<DiffLine>();
  const explained = new Set<DiffLine>();
  for (const edit of found.edits) {
    const j = judgeEdit(edit.key, edit.parents, edit.old, edit.new, path, labelOf(edit.key, edit.parents));
    if (j === null) {
      unjudged.add(edit.del);
      unjudged.add(edit.add);
      continue;
    }
    explained.add(edit.del);
    explained.add(edit.add);
    push(sink, fromJudgement(diff, path, edit.del, edit.add, j, settingIdentifiers(edit.key, edit.parents, [edit.old, edit.new]), edit.old, edit.new), j.risky);
  }
  // A safety switch or a flag default set where the old lines did not set it (an edited file only).
  if (file.oldPath !== null && hunk.lines.some((l) => l.kind !== 'add')) {
    // The same setting with the same value on a line the change left alone (`@RequestParam(required = false)`
    // on the parameters beside a new one) is a pattern the code already had, repeated, not a switch turned.
    const kept = found.added.length === 0 ? new Set<string>() : new Set(hunk.lines.filter((l) => l.kind === 'ctx').flatMap((l) => settingsOnLine(l.text).map(({ key, raw }) => `${normKey(key)}=${raw.trim()}`)));
    for (const setting of found.added) {
      if (kept.has(`${normKey(setting.key)}=${setting.value.text.trim()}`)) continue;
      // An annotation's argument on an added line (`@RequestParam(required = false) cursor: String?`)
      // describes the declaration it stands on, which is new: no switch of existing behaviour turned.
      if (annotationArgument(setting.line.text, setting.key)) continue;
      const j = judgeAddedSwitch(setting.key, setting.parents, setting.value, path, labelOf(setting.key, setting.parents));
      if (j === null) continue;
      explained.add(setting.line);
      push(sink, fromJudgement(diff, path, null, setting.line, j, settingIdentifiers(setting.key, setting.parents), null, setting.value), j.risky);
    }
  }
  for (const line of found.paired) if (!unjudged.has(line)) explained.add(line);
  return explained;
}

/** Numbers of limits on lines that kept their shape but not their numbers, which setting extraction did not read. */
function reshapedLimits(diff: Diff, path: string, hunk: DiffHunk, explained: Set<DiffLine>, sink: Sink): void {
  const dels = meaningful(hunk.lines, 'del').filter((l) => !explained.has(l));
  const adds = meaningful(hunk.lines, 'add').filter((l) => !explained.has(l));
  for (const del of dels) {
    if (wordsIn(del.text, LIMIT_WORDS).length === 0 || numbersOf(del.text).length === 0) continue;
    const shape = shapeOf(del.text);
    const partner = adds.find((add) => !explained.has(add) && shapeOf(add.text) === shape);
    if (!partner) continue;
    explained.add(del);
    explained.add(partner);
    const newNumbers = numbersOf(partner.text);
    const changed = numbersOf(del.text)
      .map((o, i) => [o, newNumbers[i]] as const)
      .find(([o, n]) => n !== undefined && o !== n);
    if (!changed) continue;
    const named = keyOf(del.text);
    const key = named ?? wordsIn(del.text, LIMIT_WORDS).join('_');
    const o = parseValue(changed[0], { key });
    const n = parseValue(changed[1] as string, { key });
    // Judged by the key the line names (`min_version` is no limit), else by the limit words of the whole line.
    const j = judgeEdit(key, [], o, n, path);
    if (j === null) continue;
    push(sink, fromJudgement(diff, path, del, partner, j, settingIdentifiers(key, [], [o, n]), o, n), j.risky);
  }
}

const normKey = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Keys set on added lines anywhere in the diff: a setting that moved to another file was not removed. */
function addedKeys(diff: Diff): Set<string> {
  const keys = new Set<string>();
  for (const file of diff.files) for (const hunk of file.hunks) for (const line of meaningful(hunk.lines, 'add')) for (const { key } of settingsOnLine(line.text)) keys.add(normKey(key));
  return keys;
}

interface AddedSetting {
  key: string;
  raw: string;
  line: DiffLine;
  path: string;
}

/**
 * A line that is one setting and nothing else, as configuration files write them
 * (`net.netfilter.nf_conntrack_max = 131072`, `pool.size: 40`): a keyword argument in code
 * (`max_workers=int(…)`) is read in its own file only, where its call gives it its meaning.
 */
const WHOLE_SETTING = /^\s*["']?[A-Za-z_][\w.-]*["']?\s*[:=]\s*["']?[^\s,;(){}"']+["']?\s*$/;

/** The settings added lines of configuration set, by key, with the file each is set in (the first place, for a key set twice). */
function addedSettings(diff: Diff): Map<string, AddedSetting> {
  const out = new Map<string, AddedSetting>();
  for (const file of diff.files) {
    const path = file.newPath ?? file.oldPath ?? '(unknown)';
    for (const hunk of file.hunks) {
      for (const line of meaningful(hunk.lines, 'add')) {
        if (!WHOLE_SETTING.test(line.text)) continue;
        for (const { key, raw } of settingsOnLine(line.text)) if (!out.has(normKey(key))) out.set(normKey(key), { key, raw, line, path });
      }
    }
  }
  return out;
}

/**
 * A setting deleted from one file and set again in another with a new value (a host's tuning
 * script replaced by a shared baseline: `nf_conntrack_max = 262144` gone from one, `= 131072`
 * in the other) is that setting edited, and judged as an edit of it in its new place.
 */
function settingsMoved(diff: Diff, path: string, hunk: DiffHunk, explained: Set<DiffLine>, added: ReadonlyMap<string, AddedSetting>, sink: Sink): void {
  for (const del of meaningful(hunk.lines, 'del')) {
    if (explained.has(del) || !WHOLE_SETTING.test(del.text)) continue;
    for (const setting of settingsOnLine(del.text)) {
      const there = added.get(normKey(setting.key));
      if (there === undefined || there.path === path) continue;
      const o = parseValue(setting.raw, { key: setting.key });
      const n = parseValue(there.raw, { key: there.key });
      if (plainText(o) === plainText(n)) continue;
      const j = judgeEdit(there.key, [], o, n, there.path);
      if (j === null) continue;
      explained.add(del);
      push(sink, fromJudgement(diff, there.path, del, there.line, j, settingIdentifiers(there.key, [], [o, n]), o, n), j.risky);
      break;
    }
  }
}

/** A timeout or limit setting deleted, set nowhere else in the diff, with nothing of the kind added in its hunk. */
function limitsRemoved(diff: Diff, path: string, hunk: DiffHunk, explained: Set<DiffLine>, stillSet: ReadonlySet<string>, sink: Sink): void {
  const adds = meaningful(hunk.lines, 'add');
  if (adds.some((add) => wordsIn(stripComment(add.text), REMOVABLE_LIMIT_WORDS).length > 0)) return;
  for (const del of meaningful(hunk.lines, 'del')) {
    if (explained.has(del)) continue;
    const setting = settingsOnLine(del.text).find(({ key }) => wordsIn(key, REMOVABLE_LIMIT_WORDS).length > 0 && !stillSet.has(normKey(key)));
    if (!setting) continue;
    explained.add(del);
    const words = wordsIn(setting.key, REMOVABLE_LIMIT_WORDS);
    sink.risks.push(
      makeSignal(diff, path, del, 'limit_removed', `removed the ${words.join('/')} setting ${setting.key} with no replacement`, {
        direction: 'removed',
        old: setting.raw.trim(),
        identifiers: settingIdentifiers(setting.key, []),
      }),
    );
  }
}

function fileSignals(
  diff: Diff,
  file: DiffFile,
  options: RiskOptions,
  context: { constants: Constants; stillSet: ReadonlySet<string>; moved: ReadonlyMap<string, AddedSetting>; remote: ReadonlyMap<string, Call>; deletedWords: ReadonlySet<string> },
  sink: Sink,
): void {
  const { constants, stillSet, moved, remote } = context;
  const path = file.newPath ?? file.oldPath ?? '(unknown)';
  const lines: FileLines = {
    path,
    added: file.hunks.flatMap((h) => meaningful(h.lines, 'add')),
    deleted: file.hunks.flatMap((h) => meaningful(h.lines, 'del')),
  };
  // Read over the whole diff: retries taken out of the code and put into a config file (the same
  // attempts and backoff, now settings) are moved, not added.
  const deletedWords = context.deletedWords;
  // Read over the whole file: the shared client and the one made per call may sit in different hunks.
  sink.risks.push(...clientsPerCall(diff, lines));
  sink.risks.push(...compressionRemoved(diff, lines));
  for (const hunk of file.hunks) {
    sink.risks.push(...schedulesChanged(diff, path, hunk));
    const explained = settingSignals(diff, file, path, hunk, constants, sink);
    reshapedLimits(diff, path, hunk, explained, sink);
    // A constant removed while still used is that, before it is a limit removed.
    sink.risks.push(...valuesRemoved(diff, path, hunk, options.related ?? [], explained));
    settingsMoved(diff, path, hunk, explained, moved, sink);
    limitsRemoved(diff, path, hunk, explained, stillSet, sink);
    const dels = meaningful(hunk.lines, 'del').filter((l) => !explained.has(l));
    const adds = meaningful(hunk.lines, 'add').filter((l) => !explained.has(l));
    const cache = cacheRemoved(diff, lines, dels);
    if (cache) sink.risks.push(cache);
    const eager = eagerLoadRemoved(diff, lines, dels);
    if (eager) sink.risks.push(eager);
    const retry = retryAdded(diff, lines, adds, deletedWords);
    if (retry) sink.risks.push(retry);
    const backoff = backoffRemoved(diff, lines, hunk, dels);
    if (backoff) sink.risks.push(backoff);
    sink.risks.push(...flagGuards(diff, path, adds));
    sink.risks.push(...callsInLoops(diff, path, hunk, remote));
    sink.risks.push(...backtrackingPatterns(diff, path, hunk));
    sink.risks.push(...lockingMigrations(diff, path, hunk));
    sink.risks.push(...indexesBypassed(diff, path, hunk), ...indexesDropped(diff, path, hunk), ...keyspaceScans(diff, path, hunk));
    sink.risks.push(...rateLimitsAdded(diff, path, hunk));
    sink.risks.push(...wireFormatChanges(diff, path, hunk));
    sink.risks.push(...messageKeysChanged(diff, path, hunk));
    sink.risks.push(...refreshesRemoved(diff, path, hunk), ...tokensOutlived(diff, path, hunk));
    sink.risks.push(...cleanupsMadeConditional(diff, path, hunk));
    sink.risks.push(...releasesSkipped(diff, path, hunk));
    const acrossCalls = locksHeldAcrossCalls(diff, path, hunk);
    sink.risks.push(...acrossCalls, ...rowLocksAdded(diff, path, hunk, acrossCalls));
    sink.risks.push(...awaitsBlocked(diff, path, hunk));
    sink.risks.push(...cacheKeysWidened(diff, path, hunk));
    sink.risks.push(...unitMismatches(diff, path, hunk), ...factorsSlipped(diff, path, hunk));
    sink.risks.push(...defaultsRemoved(diff, path, hunk, lines.added));
    if (file.oldPath !== null) sink.risks.push(...throwsAdded(diff, path, hunk, lines.deleted));
  }
}

/** The risky edits of a diff, and the setting edits judged harmless, in file order. */
export function assessDiff(diff: Diff, options: RiskOptions = {}): DiffAssessment {
  const sink: Sink = { risks: [], benign: [] };
  const deletedWords = new Set(diff.files.flatMap((f) => f.hunks.flatMap((h) => meaningful(h.lines, 'del').flatMap((l) => codeWords(l.text)))));
  const context = { constants: { old: constantsOf(diff, 'old'), new: constantsOf(diff, 'new') }, stillSet: addedKeys(diff), moved: addedSettings(diff), remote: remoteMethods(diff), deletedWords };
  const related = (options.related ?? []).filter((d) => d.path !== diff.path);
  const code = diff.files.filter((file) => !file.binary && (options.includeTests || !TEST_PATH.test(file.newPath ?? file.oldPath ?? '')));
  for (const file of code) fileSignals(diff, file, { ...options, related }, context, sink);
  sink.risks.push(...unboundedGrowth(diff, code));
  const dropped = expiryDropped(diff, code);
  sink.risks.push(...dropped);
  // Keys given a lifetime on one path only, in files where no lifetime was dropped outright.
  const readAlready = new Set(dropped.map((r) => r.code.slice(0, r.code.lastIndexOf(':'))));
  sink.risks.push(...lifetimeOnOnePath(diff, code.filter((file) => !readAlready.has(file.newPath ?? file.oldPath ?? ''))));
  // A lifetime declared and read nowhere, beside a write that gives none, where no dropped expiry was read already.
  if (!sink.risks.some((r) => r.kind === 'unbounded_growth')) sink.risks.push(...lifetimeDeclaredUnused(diff, code));
  sink.risks.push(...expiriesAligned(diff, code));
  // A policy narrowed as a key/value setting is read already, as that setting's edit.
  const eviction = evictionPolicyDropped(diff, code).filter((e) => !sink.risks.some((r) => r.kind === 'unbounded_growth' && r.code === e.code));
  // The eviction policy's line read as "a cache removed" says less than what replaced the policy does.
  if (eviction.length > 0) sink.risks = sink.risks.filter((r) => r.kind !== 'cache_removed' || !eviction.some((e) => e.code === r.code));
  sink.risks.push(...eviction);
  sink.risks.push(...objectsExpired(diff, code));
  sink.risks.push(...scalingSignalsReplaced(diff, code));
  sink.risks.push(...idleTimeoutsAdded(diff, code));
  sink.risks.push(...bareDurations(diff, code));
  sink.risks.push(...conversionsDropped(diff, code));
  sink.risks.push(...workMadeSynchronous(diff, code));
  sink.risks.push(...accessNarrowed(diff, code));
  // A schema edit already read as locking the table for its whole run is that, not a brief lock.
  if (!sink.risks.some((r) => r.kind === 'table_lock')) sink.risks.push(...schemaLocks(diff, code));
  for (const file of code) for (const hunk of file.hunks) markGuarded(hunk, sink.risks, diff.path);
  const line = (s: RiskSignal): number => Number(s.patch.slice(s.patch.lastIndexOf(':') + 1)) || 0;
  const byLine = (a: RiskSignal, b: RiskSignal): number => line(a) - line(b);
  // A moved schedule is that, not a number edited: its line says nothing else.
  const scheduled = new Set(sink.risks.filter((s) => s.kind === 'schedule_changed').map((s) => s.patch));
  const other = (s: RiskSignal): boolean => s.kind === 'schedule_changed' || !scheduled.has(s.patch);
  return { risks: sink.risks.filter(other).sort(byLine), benign: sink.benign.filter(other).sort(byLine) };
}

/** The risky edits of a diff, in file order. */
export function riskSignals(diff: Diff, options: RiskOptions = {}): RiskSignal[] {
  return assessDiff(diff, options).risks;
}
