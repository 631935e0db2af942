// A regular expression added with a quantified group that itself contains a quantifier
// (`(\w+\s?)+`, `(?:[a-z]+,?)*`): a backtracking engine (JavaScript, Python, Java, .NET,
// Ruby, PCRE) tries exponentially many ways to split an input that almost matches, and one
// long line pins a CPU (or blocks an event loop) for seconds. This is the "star height
// above one" test that ReDoS checkers use; Go's and Rust's engines do not backtrack, so a
// pattern compiled with them is left alone.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { isComment } from './code-words.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/**
 * Where a pattern is written: a JavaScript literal, or a string given to a compiling call.
 * Each alternative inside them matches characters the others cannot (an escape, a class, any
 * other character), so a long hostile line is read in one pass, never backtracked over.
 */
const LITERAL = /(?:^|[=(,:!&|?;{}\s])\/((?:\\.|\[(?:\\.|[^\]\\])*\]|[^/\\\n[])+)\/[dgimsuvy]*/g;
/** The calls that compile a pattern given as a string, in the common languages. */
const COMPILING = String.raw`\b(?:re\.(?:compile|match|search|fullmatch|findall|finditer|sub)|Pattern\.compile|new\s+RegExp|RegExp|new\s+Regex|Regex(?:\.Match|\.IsMatch)?|Regexp\.new|preg_match)\s*\(\s*`;
const COMPILED = new RegExp(String.raw`${COMPILING}r?(["'\`])((?:\\.|(?!\1)[^\\])+)\1`, 'g');
/** A raw triple-quoted pattern given to a compiling call (Kotlin's `Regex("""…""")`, Python's r"""…"""): read as written. */
const TRIPLE = new RegExp(String.raw`${COMPILING}[rR]?"""(.{1,2000}?)"""`, 'g');
/** Engines that do not backtrack. */
const LINEAR_ENGINE = /\bregexp\.(?:MustCompile|Compile)|\bRegex::new|\bregex::Regex/;

/** Whether a pattern has a quantified group containing a quantifier of unbounded repeat. */
export function nestedQuantifier(pattern: string): boolean {
  // Per open group: whether an unbounded quantifier appeared inside it.
  const stack: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      i += 1;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') stack.push(false);
    else if (ch === ')') {
      const inner = stack.pop() ?? false;
      const next = pattern.slice(i + 1);
      const repeated = /^(?:[+*]|\{\d*,\})/.test(next);
      if (inner && repeated) return true;
      // A quantifier inside a group counts for the groups around it too.
      if ((inner || repeated) && stack.length > 0) stack[stack.length - 1] = true;
    } else if ((ch === '+' || ch === '*') && stack.length > 0) stack[stack.length - 1] = true;
    else if (ch === '{' && /^\{\d*,\}/.test(pattern.slice(i)) && stack.length > 0) stack[stack.length - 1] = true;
  }
  return false;
}

/** A compiling call left open at the end of its line: its pattern follows on the next lines. */
const OPEN_CALL = /\b(?:re\.compile|Pattern\.compile|new\s+RegExp|RegExp|new\s+Regex|Regexp\.new)\s*\(\s*$/;
/** A line that is only a string literal (Python's implicit concatenation, a continued argument, the last one closing the call). */
const STRING_LINE = /^\s*([rbuRBU]{0,2})(["'])((?:\\.|(?!\2)[^\\])*)\2\s*[,+)]*\s*;?\s*$/;

/**
 * The pattern a quoted string spells: in a string that is not raw, `\\d` is the two
 * characters `\d` the engine sees (Java, C#, JavaScript strings, Python without `r`). A raw
 * string (`r"…"`, Kotlin's and Python's triple quotes) is the pattern as written.
 */
function spelt(text: string, raw: boolean): string {
  return raw ? text : text.replace(/\\\\/g, '\\');
}

/** The pattern a call opened on `added[i]` spells over the string lines after it, joined. */
function continuedPattern(added: readonly DiffLine[], i: number): string | null {
  if (!OPEN_CALL.test(added[i]?.text ?? '')) return null;
  const parts: string[] = [];
  for (let j = i + 1; j < Math.min(added.length, i + 8); j++) {
    const m = STRING_LINE.exec(added[j]?.text ?? '');
    if (m === null) break;
    parts.push(spelt(m[3] as string, /r/i.test(m[1] as string)));
  }
  return parts.length > 0 ? parts.join('') : null;
}

/**
 * A setting whose name says it holds a pattern (`text_regex: '…'`, `"match_pattern": "…"`,
 * `deny_regexp = "…"`), in YAML, JSON, TOML or properties: rules a service loads and runs on
 * every message. A single-quoted YAML value is read as written ('' is one quote); a
 * double-quoted one has its escapes undone; an unquoted one runs to a comment or the line's end.
 */
const SETTING = /^\s*(?:-\s+)?["']?[A-Za-z_][\w.-]*(?:regex|regexp|pattern)["']?\s*[:=]\s*(?:'((?:''|[^'])*)'|"((?:\\.|[^"\\])*)"|([^\s'"#][^#]*?))\s*,?\s*$/i;

function settingPattern(text: string): string | null {
  const m = SETTING.exec(text);
  if (m === null) return null;
  if (m[1] !== undefined) return m[1].replace(/''/g, "'");
  if (m[2] !== undefined) return spelt(m[2], false);
  return m[3] ?? null;
}

/** A call that compiles a pattern, anywhere on a line (Kotlin's `.toRegex()` too). */
const COMPILES = new RegExp(String.raw`${COMPILING}|\.toRegex\s*\(`);
/** A double-quoted string on a line, as written (an empty one too, so that `("")` does not pair its second quote with the next string's first). */
const QUOTED = /"((?:\\.|[^"\\]){0,400})"/g;
/** A template's interpolation (`${part}`, `$it`), which stands for a literal piece of the pattern. */
const INTERPOLATION = /\$\{[^}]{0,200}\}|\$[A-Za-z_]\w*/g;

/**
 * The pieces of a pattern assembled in code (`joinToString { "(?:\\s*(?:$part[\\w-]*)+\\s*)+" }`,
 * then `Regex("(?i).*?($it).*")`): where the hunk compiles a pattern, each string its added
 * lines write is a piece of it, read with its interpolations as literal text.
 */
function compilesInHunk(added: readonly DiffLine[]): boolean {
  return added.some((l) => l.text.length <= MAX_LINE && COMPILES.test(l.text)) && !added.some((l) => LINEAR_ENGINE.test(l.text));
}

/** The strings a line writes, read as pieces of a pattern. */
function piecesOn(text: string): string[] {
  return text.length > MAX_LINE ? [] : [...text.matchAll(QUOTED)].map((m) => spelt((m[1] as string).replace(INTERPOLATION, 'x'), false));
}

/** Lines longer than this are not read for assembled pieces. */
const MAX_LINE = 2_000;

/** Added lines that compile or write a pattern liable to catastrophic backtracking. */
export function backtrackingPatterns(diff: Diff, path: string, hunk: DiffHunk): RiskSignal[] {
  const out: RiskSignal[] = [];
  const added = hunk.lines.filter((l: DiffLine) => l.kind === 'add' && !isComment(l.text));
  const assembled = compilesInHunk(added);
  for (const [i, line] of added.entries()) {
    if (LINEAR_ENGINE.test(line.text)) continue;
    const continued = continuedPattern(added, i);
    const patterns = [...line.text.matchAll(LITERAL)]
      .map((m) => m[1] as string)
      // A raw triple-quoted string (Kotlin's `Regex("""…""")`, Python's r"""…""") is read as a quoted one.
      .concat([...line.text.matchAll(TRIPLE)].map((m) => m[1] as string))
      .concat([...line.text.replace(/"""[^\n]*?"""/g, '').matchAll(COMPILED)].map((m) => spelt(m[2] as string, /\(\s*r/i.test(m[0]))))
      .concat(continued === null ? [] : [continued]);
    const setting = settingPattern(line.text);
    if (setting !== null) patterns.push(setting);
    const found = patterns.find(nestedQuantifier);
    if (found === undefined) continue;
    out.push(
      makeSignal(diff, path, line, 'regex_backtracking', `a regular expression with a repeated group that itself repeats (${found.length > 60 ? `${found.slice(0, 57)}...` : found}): inputs that almost match take exponential time, pinning a CPU`),
    );
  }
  // Where no pattern written whole repeats a repeat, the pieces of one assembled in code may:
  // the first line that writes such a piece stands for the pattern.
  if (out.length === 0 && assembled) {
    for (const line of added) {
      const found = piecesOn(line.text).find(nestedQuantifier);
      if (found === undefined) continue;
      out.push(
        makeSignal(diff, path, line, 'regex_backtracking', `a regular expression assembled in code with a repeated group that itself repeats (${found.length > 60 ? `${found.slice(0, 57)}...` : found}): inputs that almost match take exponential time, pinning a CPU`),
      );
      break;
    }
  }
  return out;
}
