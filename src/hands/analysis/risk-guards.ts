// Edits that take away what kept a missing value from failing, or add a new way to fail:
// null/default handling removed (`?? fallback`, `getOrDefault`, `.get(key, default)`,
// `orElse`, `unwrap_or`, `?.`, `if x == null` / `is None` / `== nil`), and a new `throw`,
// `panic` or `raise` on a path every call takes (not under a condition, a catch or a
// default branch of its own).
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { indentOf } from './code-words.js';
import { codeOnly, meaningful } from './risk-code.js';
import { identifiersIn, makeSignal, unique, type RiskSignal } from './risk-types.js';

interface Handling {
  what: string;
  pattern: RegExp;
}

const HANDLINGS: Handling[] = [
  { what: 'a `??` default', pattern: /\?\?(?!=)/ },
  { what: 'optional chaining (`?.`)', pattern: /\w\?\.\w/ },
  { what: 'a getOrDefault/getOrElse default', pattern: /\.(getOrDefault|getOrElse|getOrNull|orElse|orElseGet|unwrap_or|unwrap_or_default|unwrap_or_else|or_else|value_or|GetValueOrDefault)\s*\(/ },
  { what: 'a `.get(key, default)` default', pattern: /\.get\s*\(\s*[^,()]+(?:\([^()]*\))?\s*,\s*[^)]+\)/ },
  // With a space before it: `text?: string` is a TypeScript optional property, not Kotlin's Elvis.
  { what: 'an Elvis `?:` default', pattern: /\s\?:\s*\S/ },
  { what: 'a null check', pattern: /(?:[!=]==?)\s*(?:null|nil|None|undefined)\b|\b(?:null|nil|None|undefined)\s*(?:[!=]==?)|\bis\s+(?:not\s+)?None\b|\b(?:Objects\.(?:isNull|nonNull|requireNonNullElse\w*)|Optional\.ofNullable)\s*\(/ },
  { what: 'an `or` / `||` default', pattern: /(?:\|\||\bor\b)\s*(?:\[\]|\{\}|""|''|0\b|-1\b|None\b|null\b|new\s+\w|[A-Z][A-Z0-9_]{2,}\b|[A-Z]\w*\.[A-Z][A-Z0-9_]+\b)/ },
];

function handlingOf(text: string): Handling | null {
  const code = codeOnly(text);
  // `if err != nil` is error handling, kept apart: its removal is seldom a missing default.
  if (/\berr\s*!=\s*nil\b/.test(code) && !/\w\s*==\s*nil/.test(code)) return null;
  return HANDLINGS.find((h) => h.pattern.test(code)) ?? null;
}

/** The variable a null check tests: `cached != null`, `user is None`, `x == nil`. */
function nullChecked(code: string): string | null {
  const m = /([A-Za-z_][\w.]*)\s*(?:[!=]==?)\s*(?:null|nil|None|undefined)\b|\b(?:null|nil|None|undefined)\s*(?:[!=]==?)\s*([A-Za-z_][\w.]*)|([A-Za-z_][\w.]*)\s+is\s+(?:not\s+)?None\b/.exec(code);
  const name = m ? (m[1] ?? m[2] ?? m[3] ?? null) : null;
  return name === null ? null : (name.split('.')[0] as string);
}

function mentions(text: string, name: string): boolean {
  return new RegExp(`(?<![\\w$])${name.replace(/[$]/g, '\\$')}(?![\\w$])`).test(text);
}

/** Null or default handling on deleted lines that the file's added lines do not keep. */
export function defaultsRemoved(diff: Diff, path: string, hunk: DiffHunk, fileAdded: readonly DiffLine[]): RiskSignal[] {
  const adds = meaningful(hunk.lines, 'add');
  // A block deleted outright takes its checks with it; a replaced one may have lost them.
  if (adds.length === 0) return [];
  const kept = new Map<string, number>();
  for (const line of fileAdded) {
    const h = handlingOf(line.text);
    if (h) kept.set(h.what, (kept.get(h.what) ?? 0) + 1);
  }
  const addedTexts = new Set(fileAdded.map((l) => l.text.trim()));
  const out: RiskSignal[] = [];
  for (const del of meaningful(hunk.lines, 'del')) {
    const h = handlingOf(del.text);
    if (!h || addedTexts.has(del.text.trim())) continue;
    const left = kept.get(h.what) ?? 0;
    if (left > 0) {
      kept.set(h.what, left - 1);
      continue;
    }
    const code = codeOnly(del.text);
    const assigned = /(?:^|\s)([A-Za-z_]\w*)\s*(?::=|=(?!=))/.exec(code)?.[1];
    // What the handling protected must still be there: when the value itself is gone from the
    // new code (a cache lookup removed with its `if (cached != null)`), nothing is left to be missing.
    const subject = assigned ?? nullChecked(code);
    if (subject !== null && !fileAdded.some((l) => mentions(codeOnly(l.text), subject))) continue;
    out.push(
      makeSignal(diff, path, del, 'default_removed', `removed ${h.what}${assigned ? ` for ${assigned}` : ''}: a missing value now fails instead of falling back`, {
        identifiers: unique([...(assigned ? [assigned] : []), ...identifiersIn(del.text)]).slice(0, 6),
      }),
    );
  }
  return out;
}

const THROW = /^\s*(?:return\s+)?(?:throw\b|raise\b|panic\s*\(|log\.Fatal\w*\s*\(|(?:process|System|os)\.exit\s*\(|Environment\.Exit\s*\(|unreachable!|todo!|unimplemented!)/;
const GUARD = /^\s*(?:\}\s*)?(?:if|elif|else|elsif|unless|when|switch|case|default|catch|except|rescue|finally|guard|select|match)\b|^\s*(?:\}\s*)?else\b|=>\s*\{?\s*$|^\s*[\w.]+\s*=>/;

/** The nearest line above `index` (on the new side) with less indentation: the block the line sits in. */
function enclosing(newSide: readonly DiffLine[], index: number): DiffLine | null {
  const indent = indentOf((newSide[index] as DiffLine).text);
  for (let i = index - 1; i >= 0; i--) {
    const line = newSide[i] as DiffLine;
    if (indentOf(line.text) < indent) return line;
  }
  return null;
}

/** A new throw/panic/raise that every call reaches: not behind its own condition, catch or default branch. */
export function throwsAdded(diff: Diff, path: string, hunk: DiffHunk, fileDeleted: readonly DiffLine[]): RiskSignal[] {
  const deletedTexts = new Set(fileDeleted.map((l) => codeOnly(l.text).replace(/\s+/g, ' ')));
  const newSide = hunk.lines.filter((l) => l.kind !== 'del' && l.text.trim() !== '');
  const out: RiskSignal[] = [];
  newSide.forEach((line, i) => {
    if (line.kind !== 'add') return;
    const code = codeOnly(line.text);
    if (!THROW.test(code) || GUARD.test(code) || deletedTexts.has(code.replace(/\s+/g, ' '))) return;
    // `x ?? throw`, `if (!x) throw` on one line are guards of their own.
    if (/\bif\b|\?\?|\|\||&&|\bunless\b|\bor\b/.test(code)) return;
    // The block it sits in must be in sight, and not a branch of its own.
    const block = enclosing(newSide, i);
    if (block === null || GUARD.test(codeOnly(block.text))) return;
    const what = /\b(throw|raise|panic|exit|Fatal\w*)\b/.exec(code)?.[1] ?? 'throw';
    out.push(
      makeSignal(diff, path, line, 'throw_added', `new ${what} on a path every call takes (in ${block.text.trim().slice(0, 80)})`, {
        identifiers: identifiersIn(code),
      }),
    );
  });
  return out;
}
