// The longest literal text that every match of a regular expression must contain, read
// conservatively from its source: only top-level runs of plain characters count, anything
// unusual (groups, classes, alternation, escapes other than escaped punctuation) ends a run,
// and a top-level `|` means there is no single required literal. A scanner searches the raw
// bytes for it and runs the expression only on the lines that contain it.

const QUANTIFIERS = new Set(['*', '+', '?', '{']);
const SPECIAL = new Set(['.', '^', '$', '|', '(', ')', '[', ']', '*', '+', '?', '{', '}', '\\']);

/** A required literal of at least `minLength` characters, or null when none can be shown. */
export function requiredLiteral(source: string, minLength = 3): string | null {
  const runs: string[] = [];
  let run = '';
  let depth = 0;
  let inClass = false;
  const close = (): void => {
    if (run.length > 0) runs.push(run);
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (inClass) {
      if (c === '\\') i += 1;
      else if (c === ']') inClass = false;
      continue;
    }
    if (c === '\\') {
      const next = source[i + 1];
      i += 1;
      if (next !== undefined && depth === 0 && /[^\w\s]/.test(next)) {
        // An escaped punctuation character is itself; its quantifier is handled below.
        if (QUANTIFIERS.has(source[i + 1] ?? '')) {
          i = handleQuantifier(source, i + 1, next);
          continue;
        }
        run += next;
      } else {
        close();
        i = skipEscapePayload(source, i);
      }
      continue;
    }
    if (c === '[') {
      inClass = true;
      close();
      continue;
    }
    if (c === '(') {
      depth += 1;
      close();
      continue;
    }
    if (c === ')') {
      depth = Math.max(0, depth - 1);
      close();
      continue;
    }
    if (depth > 0) continue;
    if (c === '|') return null;
    if (SPECIAL.has(c)) {
      if (QUANTIFIERS.has(c)) {
        // A quantifier after a group or class: the run was already closed.
        i = skipQuantifier(source, i);
      }
      close();
      continue;
    }
    if (QUANTIFIERS.has(source[i + 1] ?? '')) {
      i = handleQuantifier(source, i + 1, c);
      continue;
    }
    run += c;
  }
  close();

  function handleQuantifier(text: string, at: number, atom: string): number {
    const q = text[at] as string;
    const end = skipQuantifier(text, at);
    const atLeastOne = q === '+' || (q === '{' && /^\{[1-9]/.test(text.slice(at)));
    // The atom is required once; whatever follows may repeat it, so the run ends after it.
    if (atLeastOne) run += atom;
    close();
    return end;
  }

  let best: string | null = null;
  for (const candidate of runs) if (candidate.length >= minLength && (best === null || candidate.length > best.length)) best = candidate;
  return best;
}

/** Index of the last character of the quantifier starting at `at` (including a lazy `?`). */
function skipQuantifier(text: string, at: number): number {
  let end = at;
  if (text[at] === '{') {
    const close = text.indexOf('}', at);
    end = close < 0 ? at : close;
  }
  if (text[end + 1] === '?') end += 1;
  return end;
}

/** Past the payload of an escape such as `\u0041`, `\u{1F600}`, `\x41`, `\cA`, `\p{L}`, `\k<name>`; `at` is its letter. */
function skipEscapePayload(text: string, at: number): number {
  const letter = text[at];
  const braced = (from: number, open: string, shut: string): number => {
    if (text[from] !== open) return from - 1;
    const end = text.indexOf(shut, from);
    return end < 0 ? from - 1 : end;
  };
  switch (letter) {
    case 'u':
      return text[at + 1] === '{' ? braced(at + 1, '{', '}') : at + 4;
    case 'x':
      return at + 2;
    case 'c':
      return at + 1;
    case 'p':
    case 'P':
      return braced(at + 1, '{', '}');
    case 'k':
      return braced(at + 1, '<', '>');
    default: {
      // A back-reference or octal escape: all its digits.
      let end = at;
      if (letter !== undefined && letter >= '0' && letter <= '9') while (/[0-9]/.test(text[end + 1] ?? '')) end += 1;
      return end;
    }
  }
}

/** The top-level branches of a pattern: split at `|` outside groups and character classes. */
export function topLevelBranches(source: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i += 1;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth += 1;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '|' && depth === 0) {
      branches.push(source.slice(from, i));
      from = i + 1;
    }
  }
  branches.push(source.slice(from));
  return branches;
}

/**
 * For a pattern that is an alternation (or a single branch), one required literal per
 * branch: every match contains one of them. Null when some branch has none.
 */
export function alternationLiterals(source: string, minLength = 3): string[] | null {
  const literals: string[] = [];
  for (const branch of topLevelBranches(source)) {
    const literal = requiredLiteral(branch, minLength);
    if (literal === null) return null;
    if (!literals.includes(literal)) literals.push(literal);
  }
  return literals;
}

/** Escapes that may match a line break, or whose meaning depends on what is around them. */
const NOT_LINE_LOCAL_ESCAPES = new Set(['s', 'W', 'D', 'n', 'r', 'c', 'x', 'u', 'k', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/**
 * True when no match of the pattern (with the m flag, without s) can contain a line break or
 * look past one: then testing each line on its own finds exactly the lines where a match over
 * the whole text starts. Read conservatively: any lookaround or flag group, negated class,
 * class or escape that can match CR or LF, back-reference, or control character says no.
 */
export function isLineLocal(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    const code = c.charCodeAt(0);
    if (code < 0x20 && c !== '\t') return false;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined || NOT_LINE_LOCAL_ESCAPES.has(next)) return false;
      i += 1;
    } else if (c === '[') {
      if (source[i + 1] === '^') return false;
      const end = classEnd(source, i);
      if (end < 0) return false;
      i = end;
    } else if (c === '(' && source[i + 1] === '?') {
      // Only a plain (?:…) or named (?<name>…) group; lookarounds and modifiers such as (?s:…) are not line-local.
      const kind = source[i + 2];
      if (kind !== ':' && !(kind === '<' && /^[A-Za-z_$]/.test(source[i + 3] ?? ''))) return false;
    }
  }
  return true;
}

/** Index of the `]` closing the class opened at `open`, or -1 when the class may match a line break. */
function classEnd(source: string, open: number): number {
  // A `]` right after `[` closes an empty class in JavaScript.
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i] as string;
    if (c.charCodeAt(0) < 0x20 && c !== '\t') return -1;
    if (c === ']') return i;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined || NOT_LINE_LOCAL_ESCAPES.has(next)) return -1;
      i += 1;
    }
  }
  return -1;
}
