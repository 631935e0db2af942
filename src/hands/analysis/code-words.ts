// Reading a line of code as words: identifiers split at camelCase, snake_case, kebab-case and
// dots, lowercased, so `maxOpenConns`, `max_open_conns` and `MAX-OPEN-CONNS` all read as
// max, open, conns. Risk heuristics match these words, never raw substrings (so "settle" is
// not "ttl" and "distance" is not "instance").

export function codeWords(text: string): string[] {
  const words: string[] = [];
  for (const identifier of text.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []) {
    const parts = identifier
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
      .split(' ');
    for (const part of parts) if (part) words.push(part.toLowerCase());
  }
  return words;
}

export function hasWord(text: string, vocabulary: ReadonlySet<string>): boolean {
  return codeWords(text).some((w) => vocabulary.has(w));
}

export function wordsIn(text: string, vocabulary: ReadonlySet<string>): string[] {
  return [...new Set(codeWords(text).filter((w) => vocabulary.has(w)))];
}

/** The code of a line without a trailing comment (`//`, `#`, `--` after code) and surrounding space. */
export function stripComment(text: string): string {
  let inString: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === inString) inString = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') inString = c;
    else if ((c === '/' && text[i + 1] === '/') || (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? '')))) return text.slice(0, i).trim();
  }
  return text.trim();
}

/** A whole-line comment in the common languages and config formats. */
export function isComment(text: string): boolean {
  return /^\s*(\/\/|#|\/\*|\*|--|;|<!--)/.test(text);
}

export function indentOf(text: string): number {
  let n = 0;
  for (const c of text) {
    if (c === ' ') n += 1;
    else if (c === '\t') n += 4;
    else break;
  }
  return n;
}
