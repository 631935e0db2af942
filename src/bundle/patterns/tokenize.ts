// Splits a log message into tokens a template can be built from. Whitespace separates
// words; inside a word, brackets, quotes, `=`, `:`, `,`, `;` and `|` are delimiters and
// become tokens of their own, so "uid=0)" and "uid=12)" differ only in the value. Shapes
// that contain delimiters (addresses, paths, clock times, URLs) stay whole.
import { WILDCARD, isAtomicVariable, isCalendarWord, isPunctuation, isUnit, isVariableShape } from './shapes.js';

// Character classes by char code (ASCII only; anything else is an ordinary character).
const OPENER = 1; // peeled off the front of a word
const CLOSER = 2; // peeled off the end of a word
const INNER = 4; // splits the inside of a word
const ALNUM = 8;
const CLASS = new Uint8Array(128);
function mark(chars: string, kind: number): void {
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i);
    CLASS[c] = (CLASS[c] ?? 0) | kind;
  }
}
mark('([{<"\'`', OPENER);
mark(')]}>"\'`,;:.!?', CLOSER);
mark('=:,;()[]{}<>"|', INNER);
mark('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', ALNUM);

function has(code: number, kind: number): boolean {
  return code < 128 && ((CLASS[code] as number) & kind) !== 0;
}

// "<1", ">=5": a number with a comparison.
const COMPARED_NUMBER = /^[<>~]=?\d[\d.,:]*$/;
// A quoted value after `=` or `:` is one value even when it holds spaces.
const MAX_QUOTED = 120;
const DOT = 46;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11;
}

/** Splits the inside of a word on delimiters, keeping each run of one delimiter as a token. */
function splitInner(core: string, out: string[]): void {
  let start = 0;
  let i = 0;
  while (i < core.length) {
    const code = core.charCodeAt(i);
    const dotRun = code === DOT && core.charCodeAt(i + 1) === DOT;
    if (!dotRun && !has(code, INNER)) {
      i++;
      continue;
    }
    if (i > start) out.push(core.slice(start, i));
    let end = i + 1;
    while (end < core.length && core.charCodeAt(end) === code) end++;
    out.push(core.slice(i, end));
    i = end;
    start = end;
    // What follows a delimiter may be a whole shape: "addresses:[akka.tcp://host:1]".
    if (start < core.length && isAtomicVariable(core.slice(start))) {
      out.push(core.slice(start));
      return;
    }
  }
  if (start < core.length) out.push(core.slice(start));
}

/**
 * How a word splits, and whether a token has a variable's shape, depend on its text alone,
 * and are remembered: a log repeats the same words (`GET`, `status=200`, `[checkout]`)
 * millions of times, and working one out costs several pattern tests. A fixed table with one word per slot (by a hash of its text), never a
 * growing map. Remembering costs where words rarely repeat (ids throughout), so when fewer
 * than three in four of a stretch of lookups find their word the table rests for a while,
 * and the words are worked out as they come. Long words are not remembered.
 */
class Remembered<V> {
  readonly #words: string[] = new Array<string>(SLOTS).fill('');
  readonly #answers: V[];
  #lookups = 0;
  #found = 0;
  /** Words still to work out without the table. */
  #resting = 0;

  constructor(
    private readonly work: (word: string) => V,
    empty: V,
  ) {
    this.#answers = new Array<V>(SLOTS).fill(empty);
  }

  of(word: string): V {
    const length = word.length;
    if (this.#resting > 0) {
      this.#resting -= 1;
      return this.work(word);
    }
    if (length === 0 || length > MAX_REMEMBERED_LENGTH) return this.work(word);
    if (++this.#lookups === STRETCH) {
      if (this.#found * 4 < STRETCH * 3) this.#resting = REST;
      this.#lookups = 0;
      this.#found = 0;
    }
    let hash = length;
    for (let i = 0; i < length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 0x9e3779b1);
    const slot = (hash >>> (32 - SLOT_BITS)) & (SLOTS - 1);
    if (this.#words[slot] === word) {
      this.#found += 1;
      return this.#answers[slot] as V;
    }
    const answer = this.work(word);
    this.#words[slot] = word;
    this.#answers[slot] = answer;
    return answer;
  }
}

const SLOT_BITS = 12;
const SLOTS = 1 << SLOT_BITS;
const MAX_REMEMBERED_LENGTH = 80;
/** Lookups over which the share found is judged, and how many words a table that found too few rests for. */
const STRETCH = 4096;
const REST = 16 * STRETCH;
const wordTokens = new Remembered<readonly string[]>((word) => {
  const tokens: string[] = [];
  splitWord(word, tokens);
  return tokens;
}, []);
/** What a word is by its text alone: a plain word, a variable, or a name with an index (`eth0`). */
const WORD = 0;
const VARIABLE = 1;
const INDEXED = 2;
const wordKind = new Remembered<number>((word) => (isVariableShape(word) ? VARIABLE : INDEXED_NAME.test(word) ? INDEXED : WORD), WORD);

/** Peels brackets and trailing punctuation, then splits what is left unless it is one shape. */
function splitWord(word: string, out: string[]): void {
  let alnum = false;
  let special = false;
  let parenthesis = false;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (has(code, ALNUM)) alnum = true;
    else if (has(code, OPENER | CLOSER | INNER) || code === 47 || code === 92 || code === 64) special = true;
    if (code === 40) parenthesis = true;
  }
  // Plain words (the common case) and pure punctuation are tokens as they are.
  if (!alnum || !special) {
    out.push(word);
    return;
  }
  let start = 0;
  let end = word.length;
  while (start < end && has(word.charCodeAt(start), OPENER)) {
    const code = word.charCodeAt(start);
    // "<1" and ">5" are numbers with a comparison, not a bracket.
    if ((code === 60 || code === 62) && isDigit(word.charCodeAt(start + 1))) break;
    out.push(word[start] as string);
    start++;
  }
  // `LOCAL(0),`: a name with its index in parentheses is one name, as `eth0` is.
  const indexed = parenthesis ? PAREN_INDEX.exec(start === 0 ? word : word.slice(start)) : null;
  if (indexed && onlyClosers(word, start + indexed[0].length)) {
    out.push(indexed[0]);
    start += indexed[0].length;
  }
  const tail: string[] = [];
  while (end > start && has(word.charCodeAt(end - 1), CLOSER)) {
    const code = word.charCodeAt(end - 1);
    let runStart = end - 1;
    while (runStart > start && word.charCodeAt(runStart - 1) === code) runStart--;
    tail.push(word.slice(runStart, end));
    end = runStart;
  }
  if (end > start) {
    const core = start === 0 && end === word.length ? word : word.slice(start, end);
    if (isAtomicVariable(core) || COMPARED_NUMBER.test(core)) out.push(core);
    else splitInner(core, out);
  }
  for (let k = tail.length - 1; k >= 0; k--) out.push(tail[k] as string);
}

const PAREN_INDEX = /^[A-Za-z]{2,10}\(\d{1,2}\)/;

function onlyClosers(word: string, from: number): boolean {
  for (let i = from; i < word.length; i++) if (!has(word.charCodeAt(i), CLOSER)) return false;
  return true;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Tokens of a message, with which of them start a word (whitespace came before). */
interface Scanned {
  tokens: string[];
  starts: boolean[];
}

function scan(message: string): Scanned {
  const tokens: string[] = [];
  const starts: boolean[] = [];
  const n = message.length;
  const add = (word: string): void => {
    const split = wordTokens.of(word);
    for (let k = 0; k < split.length; k++) {
      tokens.push(split[k] as string);
      starts.push(k === 0);
    }
  };
  let start = -1;
  let i = 0;
  while (i <= n) {
    const code = i < n ? message.charCodeAt(i) : 32;
    if (isSpace(code)) {
      if (start >= 0) add(message.slice(start, i));
      start = -1;
      i++;
      continue;
    }
    if (start < 0) start = i;
    // key="value with spaces": the quoted value is one token.
    if (code === 34 && i > start && (message[i - 1] === '=' || message[i - 1] === ':')) {
      const close = message.indexOf('"', i + 1);
      if (close > i && close - i <= MAX_QUOTED) {
        add(message.slice(start, i));
        tokens.push(message.slice(i, close + 1));
        starts.push(false);
        i = close + 1;
        start = i < n && !isSpace(message.charCodeAt(i)) ? i : -1;
        continue;
      }
    }
    i++;
  }
  return { tokens, starts };
}

/** The raw tokens of a message (nothing masked). */
export function tokenize(message: string): string[] {
  return scan(message).tokens;
}

/** Whether the token at i is a key: a word with `=` or `:` right after it (`uid=`, `status:`). */
function isKeyAt(raw: readonly string[], starts: readonly boolean[], i: number): boolean {
  const next = raw[i + 1];
  const token = raw[i];
  return (next === '=' || next === ':') && starts[i + 1] === false && token !== undefined && isWordKey(token);
}

/** A key names a field: it starts with a letter and has no variable's shape. */
function isWordKey(token: string): boolean {
  const c = token.charCodeAt(0);
  return ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) && !isVariableShape(token);
}

// What may close a value: the end of the message, a separator or a closing bracket.
const VALUE_END = new Set([',', ';', ')', ']', '}', '|', '.', '>']);
// Words after which a user name ends (`user cyrus by`, `user pi from`).
const SLOT_END = new Set(['from', 'by', 'on', 'at', 'to', 'for', 'in', 'with', 'via', 'as']);

/** The value at i ends there: nothing follows, or a separator, or the next key. */
function endsValue(raw: readonly string[], starts: readonly boolean[], i: number): boolean {
  const next = raw[i + 1];
  if (next === undefined) return true;
  if (!starts[i + 1]) return VALUE_END.has(next);
  return isKeyAt(raw, starts, i + 1);
}

/**
 * Whether a word is a value by where it stands, whatever its shape: the value of a key
 * (`force=false`, `allDrawn= true`, `acls to: curi,` with a space after the colon), and the
 * slots a user or host name fills in words (`user cyrus by`, `for root from`).
 */
function isValueAt(raw: readonly string[], starts: readonly boolean[], i: number): boolean {
  const before = raw[i - 1];
  if (before === undefined) return false;
  // Most words follow none of the four: settle them before looking any further.
  const slot = before.length === 4 && before.toLowerCase() === 'user';
  if (before !== '=' && before !== ':' && before !== 'for' && !slot) return false;
  const token = raw[i] as string;
  if (isPunctuation(token) || isKeyAt(raw, starts, i)) return false;
  if (before === '=') return !starts[i] || (isWordKey(raw[i - 2] ?? '') && endsValue(raw, starts, i));
  if (before === ':') return starts[i] === true && starts[i - 1] === false && isWordKey(raw[i - 2] ?? '') && endsValue(raw, starts, i);
  if (!starts[i] || !starts[i - 1]) return false;
  if (slot) {
    const next = raw[i + 1];
    return next === undefined || !starts[i + 1] || isPunctuation(next) || SLOT_END.has(next.toLowerCase());
  }
  return raw[i + 1] === 'from' && starts[i + 1] === true;
}

/**
 * Tokens with variables masked, as the miner compares them: shapes from maskToken, plus
 * what only context shows: the value of a key (`pid=abc`, `status: done`), a user name in
 * its slot, a unit after a number, a day or month name inside a date, a name with an index
 * in a list of them or alone in brackets. Runs of variables
 * collapse to one, so a value that spans several words still takes one position.
 */
export function tokenizeMasked(message: string): string[] {
  const { tokens: raw, starts } = scan(message);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const token = raw[i] as string;
    const kind = wordKind.of(token);
    let masked = kind === VARIABLE ? WILDCARD : token;
    if (masked !== WILDCARD) {
      const last = out[out.length - 1];
      if (isValueAt(raw, starts, i)) masked = WILDCARD;
      else if (isCalendarWord(token) && (last === WILDCARD || nextIsDate(raw, i))) masked = WILDCARD;
      else if (isUnit(token) && last === WILDCARD) continue;
      else if (kind === INDEXED && isNamedIndexAt(raw, starts, i)) masked = WILDCARD;
    }
    if (masked === WILDCARD && out[out.length - 1] === WILDCARD) continue;
    if (masked.length === 2 && EMPTY_PAIRS.has(masked)) {
      // Empty brackets hold an empty value: `()` takes the place `(host)` does.
      out.push(masked.charAt(0), WILDCARD, masked.charAt(1));
      continue;
    }
    out.push(masked);
  }
  return out;
}

const EMPTY_PAIRS = new Set(['()', '[]', '{}', '<>', '""', "''"]);

// A name with an index: letters, then digits (`node7`, `rack12`, `node130`).
const INDEXED_NAME = /^([A-Za-z]+)\d+$/;

/**
 * Whether the word at i is a name with an index (`node7`) that names a host or device by
 * where it stands: in a list of such names (`node7 node8 node9`, a value whose length
 * varies), or alone in brackets (`(node7)`, an aside naming the host). Alone in a sentence
 * such a name (`eth0`, `ssh2`) may be a fixed word, and the miner's statistics decide.
 */
function isNamedIndexAt(raw: readonly string[], starts: readonly boolean[], i: number): boolean {
  const token = raw[i] as string;
  const stem = INDEXED_NAME.exec(token)?.[1];
  if (stem === undefined) return false;
  const before = raw[i - 1];
  if ((before === '(' || before === '[') && raw[i + 1] === CLOSING[before]) return true;
  if (!isWholeWord(raw, starts, i)) return false;
  return sameStemAt(raw, starts, i - 1, stem) || sameStemAt(raw, starts, i + 1, stem);
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']' };

function isWholeWord(raw: readonly string[], starts: readonly boolean[], i: number): boolean {
  return starts[i] === true && (i + 1 === raw.length || starts[i + 1] === true);
}

function sameStemAt(raw: readonly string[], starts: readonly boolean[], i: number, stem: string): boolean {
  const token = raw[i];
  if (token === undefined || !isWholeWord(raw, starts, i)) return false;
  return token.length > stem.length && token.startsWith(stem) && INDEXED_NAME.exec(token)?.[1] === stem;
}

function nextIsDate(raw: readonly string[], i: number): boolean {
  const next = raw[i + 1];
  return next !== undefined && (/^\d/.test(next) || isCalendarWord(next));
}
