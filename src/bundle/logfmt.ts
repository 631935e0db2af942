// logfmt: `level=error service=cart msg="payment \"declined\"" retry`. Quoted values take Go-style
// escapes; a key without `=` is a flag (true); an unterminated quote runs to the end of the line.

const SPACE = 32;
const TAB = 9;
const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };

function isSpace(code: number): boolean {
  return code === SPACE || code === TAB;
}

/** True when the text begins with `key=` (a logfmt record rather than prose). */
export function looksLikeLogfmt(text: string, start = 0): boolean {
  let i = start;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === EQUALS) return i > start;
    const word = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 64;
    if (!word) return false;
  }
  return false;
}

function readQuoted(text: string, start: number): { value: string; end: number } {
  const close = text.indexOf('"', start + 1);
  const backslash = text.indexOf('\\', start + 1);
  if (close >= 0 && (backslash < 0 || backslash > close)) return { value: text.slice(start + 1, close), end: close + 1 };
  let i = start + 1;
  let out = '';
  let from = i;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return { value: out + text.slice(from, i), end: i + 1 };
    if (c === BACKSLASH && i + 1 < text.length) {
      const next = text.charAt(i + 1);
      out += text.slice(from, i) + (ESCAPES[next] ?? next);
      i += 2;
      from = i;
      continue;
    }
    i += 1;
  }
  return { value: out + text.slice(from), end: text.length };
}

/**
 * A cursor over the pairs of a logfmt record. It reuses itself instead of allocating a tuple per
 * pair: log lines are parsed by the million.
 */
export class LogfmtCursor {
  key = '';
  value: string | true = true;
  #text = '';
  #i = 0;

  reset(text: string, start = 0): this {
    this.#text = text;
    this.#i = start;
    return this;
  }

  /** Advances to the next pair; false at the end of the text. */
  next(): boolean {
    const text = this.#text;
    const n = text.length;
    let i = this.#i;
    for (;;) {
      while (i < n && isSpace(text.charCodeAt(i))) i += 1;
      if (i >= n) {
        this.#i = i;
        return false;
      }
      const keyStart = i;
      let c = text.charCodeAt(i);
      while (i < n && !isSpace(c) && c !== EQUALS) c = text.charCodeAt(++i);
      if (i === keyStart) {
        // `=value` with no key: skip the value.
        i += 1;
        while (i < n && !isSpace(text.charCodeAt(i))) i += 1;
        continue;
      }
      this.key = text.slice(keyStart, i);
      if (c !== EQUALS) {
        this.value = true;
      } else if (text.charCodeAt(i + 1) === QUOTE) {
        const quoted = readQuoted(text, i + 1);
        this.value = quoted.value;
        i = quoted.end;
      } else {
        const valueStart = ++i;
        while (i < n && !isSpace(text.charCodeAt(i))) i += 1;
        this.value = text.slice(valueStart, i);
      }
      this.#i = i;
      return true;
    }
  }
}

/** The pairs of a logfmt record, in order. */
export function parseLogfmt(text: string, start = 0): Array<[string, string | true]> {
  const pairs: Array<[string, string | true]> = [];
  const cursor = new LogfmtCursor().reset(text, start);
  while (cursor.next()) pairs.push([cursor.key, cursor.value]);
  return pairs;
}
