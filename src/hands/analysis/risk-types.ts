// A risk signal: one edit in a diff that looks risky by what it does, with where it is (patch
// and code references) and the words it touches, so a reader can look for them in the logs.
import type { Diff, DiffLine } from '../../bundle/index.js';
import type { RiskKind, RiskSignal } from '../../protocol/results/index.js';

export type { EditDirection, RiskKind, RiskSignal } from '../../protocol/results/index.js';

export function ref(path: string, line: number | null): string {
  return `${path}:${line ?? '?'}`;
}

export function lineText(line: DiffLine): string {
  return line.text.trim().slice(0, 200);
}

export function makeSignal(diff: Diff, path: string, line: DiffLine, kind: RiskKind, detail: string, extra: Partial<RiskSignal> = {}): RiskSignal {
  const codeLine = line.kind === 'del' ? line.oldLine : line.newLine;
  return { kind, detail, patch: ref(diff.path, line.patchLine), code: ref(path, codeLine), text: lineText(line), direction: null, factor: null, identifiers: [], ...extra };
}

const KEYWORDS = new Set([
  'return', 'const', 'let', 'var', 'val', 'if', 'else', 'elif', 'for', 'while', 'do', 'in', 'of', 'new', 'this', 'self', 'null', 'nil',
  'none', 'true', 'false', 'await', 'async', 'function', 'func', 'def', 'public', 'private', 'protected', 'static', 'final', 'string',
  'int', 'long', 'bool', 'boolean', 'void', 'import', 'from', 'err', 'error', 'ctx', 'context', 'try', 'catch', 'except', 'throw',
  'throws', 'raise', 'panic', 'class', 'interface', 'type', 'struct', 'package', 'with', 'as', 'and', 'or', 'not', 'is', 'case',
  'switch', 'default', 'break', 'continue', 'pass', 'lambda', 'yield', 'export', 'readonly', 'get', 'set', 'put', 'len', 'range', 'make',
  'time', 'log', 'logger', 'fmt', 'std', 'java', 'util', 'list', 'map', 'dict', 'object', 'any', 'println', 'printf', 'print',
]);

/** The distinctive identifiers of a line of code, longest first: what a log line about it would name. */
export function identifiersIn(text: string, limit = 6): string[] {
  const code = text.replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, ' ');
  const seen = new Set<string>();
  for (const m of code.matchAll(/[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*/g)) {
    for (const part of (m[0] as string).split('.')) {
      if (part.length < 3 || KEYWORDS.has(part.toLowerCase()) || /^\d/.test(part)) continue;
      seen.add(part);
    }
  }
  return [...seen].sort((a, b) => b.length - a.length).slice(0, limit);
}

/** A setter's property: `setMaximumPoolSize` → `maximumPoolSize`, `SetMaxOpenConns` → `MaxOpenConns`. */
export function propertyOf(name: string): string | null {
  const m = /^(?:set|Set|with|With)([A-Z]\w*)$/.exec(name);
  if (!m) return null;
  const rest = m[1] as string;
  return name.startsWith('S') || name.startsWith('W') ? rest : rest.charAt(0).toLowerCase() + rest.slice(1);
}

export function unique(values: Iterable<string>): string[] {
  return [...new Set([...values].filter((v) => v !== ''))];
}
