// Settings a diff edits, in any config format or in code: `key: value` (YAML, JSON),
// `key = value` (properties, INI, TOML, env, HCL, assignments and constants),
// `name=value` arguments, and one-argument setter calls (`config.setMaximumPoolSize(40)`,
// `AbortSignal.timeout(2000)`). Each old value is paired with its new one by where it sits
// (the nesting of keys above it, as indentation shows) and its key, so that `requests.cpu`
// and `limits.cpu` in one hunk stay apart. A value given by a constant's name is looked up
// among the constants the diff defines.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { indentOf, isComment, stripComment } from './code-words.js';
import { parseValue, type SettingValue } from './risk-values.js';

export interface Setting {
  /** The key as written (`max_open_conns`, `setMaximumPoolSize`, `PAYFLOW_TIMEOUT`). */
  key: string;
  /** Keys it is nested under in the hunk, outermost first. */
  parents: string[];
  value: SettingValue;
  line: DiffLine;
}

export interface SettingEdit {
  key: string;
  parents: string[];
  old: SettingValue;
  new: SettingValue;
  del: DiffLine;
  add: DiffLine;
}

export interface HunkSettings {
  edits: SettingEdit[];
  /** Settings on deleted lines with no new value. */
  removed: Setting[];
  /** Settings on added lines with no old value. */
  added: Setting[];
  /** Lines whose settings were paired (explained), whether or not the value changed. */
  paired: Set<DiffLine>;
}

const DECLARATION_WORDS = /^(?:export|const|let|var|val|private|public|protected|internal|static|final|readonly|def|set|local|declare)$/;
/** One value token: a quoted string, or a word/number with units, dots, `*` products and one call. */
const VALUE = String.raw`"[^"]*"|'[^']*'|[\w.µ%+-]+(?:\s*\*\s*[\w.]+)*(?:\([^()]*\))?`;
const INLINE = new RegExp(String.raw`(?<![\w.])["']?([A-Za-z_][\w-]*)["']?\s*(?<![=!<>:])(?::=|=(?!=)|:(?![:=]))\s*(${VALUE})(?=\s*(?:[,;)}\]]|$))`, 'g');
const CALL = new RegExp(String.raw`(?:^|[^\w])([A-Za-z_]\w*)\(\s*(${VALUE})\s*\)`, 'g');
/** A call whose first argument is a context or client and whose second is the setting: `context.WithTimeout(ctx, 5*time.Second)`. */
const CALL_AFTER_CONTEXT = new RegExp(String.raw`(?:^|[^\w])([A-Za-z_]\w*)\(\s*[A-Za-z_][\w.]*\s*,\s*(${VALUE})\s*\)`, 'g');
/**
 * A setting read from configuration with a fallback: `warm_size=int(pool.get("warm_size", 40))`,
 * `limit = os.environ.get("LIMIT", "40")`, `n := cfg.GetInt("workers", 8)`, `getOrDefault("k", 5)`.
 * The fallback is the value wherever the configuration does not set the key, so it is read
 * as the setting's value: a new key with a new fallback is what production runs on until
 * someone sets it.
 */
const DEFAULTED = new RegExp(
  String.raw`(?<![\w.])([A-Za-z_]\w*)\s*(?::=|=(?!=)|:)\s*(?:[A-Za-z_][\w.]*\(\s*)?[A-Za-z_][\w.]*\.[gG]et\w*\(\s*["'][^"'\n]{1,120}["']\s*,\s*("[^"\n]{0,40}"|'[^'\n]{0,40}'|[\w.]{1,40})\s*\)`,
  'g',
);
const WHOLE = /^\s*(?:-\s+)?(["']?)([^"'=:]*?)\1\s*(:=|=|:)\s*(.*?)\s*[,;]?\s*$/;

/** The key of a left-hand side: its last word (`private static final Duration PRICE_TTL` → `PRICE_TTL`, `self.timeout` → `timeout`). */
function keyOfLeft(left: string): string | null {
  const trimmed = left.trim();
  if (trimmed === '') return null;
  // A config key may be dotted or hyphenated as a whole (spring.datasource.hikari.maximum-pool-size).
  if (/^[A-Za-z_][\w.-]*$/.test(trimmed) && !/^(self|this)\./.test(trimmed)) return trimmed;
  const words = trimmed.split(/\s+/);
  const last = words[words.length - 1] ?? '';
  if (!/^[A-Za-z_][\w.]*$/.test(last)) return null;
  // Everything before the key must read as declaration words or a type.
  if (!words.slice(0, -1).every((w) => DECLARATION_WORDS.test(w) || /^[A-Za-z_][\w.<>[\],?]*$/.test(w))) return null;
  const segments = last.split('.');
  return segments[segments.length - 1] ?? null;
}

/** The settings one line assigns. */
export function settingsOnLine(text: string): Array<{ key: string; raw: string }> {
  const code = stripComment(text);
  if (code === '' || isComment(text)) return [];
  const out: Array<{ key: string; raw: string }> = [];
  const whole = WHOLE.exec(code);
  const wholeKey = whole ? keyOfLeft(whole[2] ?? '') : null;
  let rest = code;
  if (whole && wholeKey && (whole[4] ?? '') !== '' && !/^[{[]$/.test((whole[4] ?? '').trim())) {
    out.push({ key: wholeKey, raw: whole[4] ?? '' });
    // Its value may itself pass settings: `pool = ThreadPoolExecutor(max_workers=16)`.
    rest = whole[4] ?? '';
  }
  for (const m of rest.matchAll(INLINE)) out.push({ key: m[1] ?? '', raw: m[2] ?? '' });
  for (const m of code.matchAll(DEFAULTED)) {
    // The fallback, not the call that reads it, is the setting's value.
    const key = m[1] ?? '';
    const raw = m[2] ?? '';
    const same = out.find((o) => o.key === key);
    if (same) same.raw = raw;
    else out.push({ key, raw });
  }
  // Setter calls, also inside a value: `signal: AbortSignal.timeout(2000)`.
  for (const m of code.matchAll(CALL)) out.push({ key: m[1] ?? '', raw: m[2] ?? '' });
  for (const m of code.matchAll(CALL_AFTER_CONTEXT)) out.push({ key: m[1] ?? '', raw: m[2] ?? '' });
  return out;
}

/** Statements that open a block in code (`try:`, `else {`), not keys. */
const BLOCK_KEYWORDS = new Set(['try', 'else', 'finally', 'except', 'do', 'default', 'loop', 'begin', 'then', 'ensure', 'rescue', 'defer', 'go', 'select', 'static', 'init', 'constructor', 'public', 'private', 'protected']);

/** `key:` alone on a line (a YAML mapping opens), or `"key": {` / `key {` (JSON, HCL). */
function opensBlock(text: string): string | null {
  const code = stripComment(text);
  const m = /^\s*(?:-\s+)?["']?([A-Za-z_][\w.\-/]*)["']?\s*(?::\s*\{?|=\s*\{|\{)\s*$/.exec(code);
  const key = m?.[1] ?? null;
  return key === null || BLOCK_KEYWORDS.has(key) ? null : key;
}

/** Parent keys of each line on one side of a hunk, from indentation. */
function parentsBySide(hunk: DiffHunk, side: 'old' | 'new'): Map<DiffLine, string[]> {
  const stack: Array<{ indent: number; key: string }> = [];
  // git names the enclosing top-level line in the hunk header (`@@ -15,9 +15,11 @@ database:`):
  // it holds the lines until the hunk reaches another top-level line (`parking:`).
  const enclosing = opensBlock(hunk.header.replace(/^@@[^@]*@@/, ''));
  if (enclosing !== null && !/^\s/.test(hunk.header.replace(/^@@[^@]*@@ ?/, ''))) stack.push({ indent: 0, key: enclosing });
  const out = new Map<DiffLine, string[]>();
  for (const line of hunk.lines) {
    if (line.kind === (side === 'old' ? 'add' : 'del')) continue;
    if (line.text.trim() === '' || isComment(line.text)) continue;
    const indent = indentOf(line.text);
    while (stack.length > 0 && (stack[stack.length - 1] as { indent: number }).indent >= indent) stack.pop();
    out.set(line, stack.map((s) => s.key));
    const opened = opensBlock(line.text);
    if (opened) stack.push({ indent, key: opened });
  }
  return out;
}

/** `- name: REINDEX_REQUESTS_PER_SECOND` (or `"name": "…"`, HCL's `name = "maxmemory-policy"`): the first half of a name/value pair. */
const PAIR_NAME = /^\s*-?\s*["']?(?:name|Name|ParameterName|parameter_name)["']?\s*[:=]\s*["']?([A-Za-z_][\w.-]*)["']?\s*,?\s*$/;
/** `value: "4000"` (or `"value": 4000`, `value = "allkeys-lru"`): its second half. */
const PAIR_VALUE = /^\s*["']?(?:value|Value|ParameterValue|parameter_value)["']?\s*[:=]\s*(.+?)\s*,?\s*$/;
/** How far above its value a pair's name may sit (a comment or two between them). */
const PAIR_REACH = 4;

/**
 * The names of pairs whose value line a side of the hunk holds, where the name is on an
 * unchanged line above it (a Kubernetes `env` entry whose value alone was edited, an HCL
 * `parameter` block), keyed by the value line.
 */
function pairNames(hunk: DiffHunk, side: 'old' | 'new'): Map<DiffLine, string> {
  const lines = hunk.lines.filter((l) => l.kind !== (side === 'old' ? 'add' : 'del') && l.text.trim() !== '' && !isComment(l.text));
  const out = new Map<DiffLine, string>();
  for (const [i, line] of lines.entries()) {
    if (!PAIR_VALUE.test(line.text)) continue;
    for (let j = i - 1; j >= Math.max(0, i - PAIR_REACH); j--) {
      const above = lines[j] as DiffLine;
      const name = PAIR_NAME.exec(above.text);
      if (name && indentOf(above.text) <= indentOf(line.text)) {
        out.set(line, name[1] as string);
        break;
      }
      // Another value, or a block's edge, ends the search: that name belongs to something else.
      if (PAIR_VALUE.test(above.text) || /[{}]\s*$/.test(above.text)) break;
    }
  }
  return out;
}

/**
 * The settings of a run of lines. Environment lists and similar (Kubernetes `env`, ECS task
 * definitions) give a setting as a name/value pair on two lines: read as the setting they name.
 */
function settingsOf(lines: readonly DiffLine[], parents: Map<DiffLine, string[]>, named: ReadonlyMap<DiffLine, string> = new Map()): Setting[] {
  const out: Setting[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as DiffLine;
    const pairKey = named.get(line);
    const pairValue = pairKey === undefined ? null : PAIR_VALUE.exec(line.text);
    if (pairKey !== undefined && pairValue) {
      out.push({ key: pairKey, parents: parents.get(line) ?? [], value: parseValue(pairValue[1] as string, { key: pairKey }), line });
      continue;
    }
    const name = PAIR_NAME.exec(line.text);
    const next = lines[i + 1];
    const value = name && next ? PAIR_VALUE.exec(next.text) : null;
    if (name && next && value) {
      const key = name[1] as string;
      out.push({ key, parents: parents.get(next) ?? [], value: parseValue(value[1] as string, { key }), line: next });
      i += 1;
      continue;
    }
    for (const { key, raw } of settingsOnLine(line.text)) out.push({ key, parents: parents.get(line) ?? [], value: parseValue(raw, { key }), line });
  }
  return out;
}

const norm = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');
const identity = (s: Setting): string => [...s.parents.slice(-2), s.key].map(norm).join('.');

/** Constants the diff defines, by name, on each side. */
export interface Constants {
  old: ReadonlyMap<string, SettingValue>;
  new: ReadonlyMap<string, SettingValue>;
}

/** Constants with a number or boolean value that the diff defines, on one side. */
export function constantsOf(diff: Diff, side: 'old' | 'new'): Map<string, SettingValue> {
  const out = new Map<string, SettingValue>();
  for (const file of diff.files) {
    for (const hunk of file.hunks) {
      for (const line of hunk.lines) {
        if (line.kind === (side === 'old' ? 'add' : 'del')) continue;
        for (const { key, raw } of settingsOnLine(line.text)) {
          const value = parseValue(raw, { key });
          if (value.type === 'number' || value.type === 'boolean') out.set(key, value);
        }
      }
    }
  }
  return out;
}

function resolve(value: SettingValue, constants: ReadonlyMap<string, SettingValue>): SettingValue {
  if (value.type !== 'name') return value;
  const last = value.name.split('.').pop() ?? value.name;
  // Constants are named as such (MAX_ATTEMPTS, DefaultTimeout); a local `timeout` is not looked up.
  if (!/^[A-Z]/.test(last)) return value;
  const found = constants.get(value.name) ?? constants.get(last);
  return found ? { ...found, text: `${value.name} (${found.text})` } : value;
}

function sameValue(a: SettingValue, b: SettingValue): boolean {
  if (a.type === 'number' && b.type === 'number') return a.value === b.value && a.dimension === b.dimension;
  if (a.type === 'boolean' && b.type === 'boolean') return a.value === b.value;
  return a.text === b.text;
}

/** The settings one hunk changes, removes and adds. */
export function hunkSettings(hunk: DiffHunk, constants: Constants): HunkSettings {
  const meaningful = (kind: DiffLine['kind']): DiffLine[] => hunk.lines.filter((l) => l.kind === kind && l.text.trim() !== '' && !isComment(l.text));
  const olds = settingsOf(meaningful('del'), parentsBySide(hunk, 'old'), pairNames(hunk, 'old')).map((s) => ({ ...s, value: resolve(s.value, constants.old) }));
  const news = settingsOf(meaningful('add'), parentsBySide(hunk, 'new'), pairNames(hunk, 'new')).map((s) => ({ ...s, value: resolve(s.value, constants.new) }));
  const edits: SettingEdit[] = [];
  const paired = new Set<DiffLine>();
  const usedOld = new Set<Setting>();
  const usedNew = new Set<Setting>();
  // Same place first, then the same key anywhere in the hunk (a block that moved or was re-nested).
  for (const match of [identity, (s: Setting) => norm(s.key)]) {
    for (const o of olds) {
      if (usedOld.has(o)) continue;
      const n = news.find((x) => !usedNew.has(x) && match(x) === match(o));
      if (!n) continue;
      usedOld.add(o);
      usedNew.add(n);
      paired.add(o.line);
      paired.add(n.line);
      if (!sameValue(o.value, n.value)) edits.push({ key: n.key, parents: n.parents, old: o.value, new: n.value, del: o.line, add: n.line });
    }
  }
  return { edits, removed: olds.filter((o) => !usedOld.has(o)), added: news.filter((n) => !usedNew.has(n)), paired };
}
