// Values a diff removes while something still uses them: an enum member, a `case` label or a
// named constant deleted, not defined again anywhere in the diff, and still named by code
// this diff keeps or by another diff in the bundle (the change that introduced it and wrote
// it to a database, a queue or a cache). Rows, messages and callers holding that value now
// fail to load or fall through to a default: the classic hazard of a rollback.
import type { Diff, DiffHunk, DiffLine } from '../../bundle/index.js';
import { stripComment } from './code-words.js';
import { codeOnly, meaningful } from './risk-code.js';
import { makeSignal, type RiskSignal } from './risk-types.js';
import { escapeRegExp } from '../../regexp.js';

const ENUM_CONTEXT = /\benum\b|\(\s*(?:str\s*,\s*)?(?:Int|Str)?Enum\s*\)|\biota\b|^\s*const\s*\(/;
const MEMBER = /^\s*([A-Z][A-Za-z0-9_]*)\s*(?:\([^)]*\))?\s*(?:[A-Za-z_][\w.]*\s*)?(?:=\s*[^,;{]+)?\s*[,;]?\s*(?:\{\s*)?$/;
const SWIFT_CASE = /^\s*case\s+([A-Za-z_]\w*)\s*(?:=\s*[^,]+)?\s*$/;
const CASE_LABEL = /^\s*(?:case\s+([^:]+?)\s*:|when\s+([^\s].*?)\s*(?:then)?\s*$|([A-Z]\w*(?:\.[A-Z]\w*)*|"[^"]+"|'[^']+')\s*(?:\|[^=]*)?=>)/;
const CONSTANT = /^\s*(?:export\s+)?(?:(?:public|private|protected|internal|static|final|const|readonly|val|var|let)\s+)*(?:[\w<>[\]]+\s+)?([A-Z][A-Z0-9_]{2,})\s*(?::\s*[\w<>[\]]+)?\s*=(?!=)|^\s*#define\s+([A-Z][A-Z0-9_]{2,})\b/;

interface Removed {
  name: string;
  what: 'enum value' | 'case' | 'constant';
  line: DiffLine;
  owner: string | null;
}

/** The enum or type a hunk edits, from its header (`public enum AccountStatus {`) or its lines. */
function ownerOf(hunk: DiffHunk): string | null {
  for (const text of [hunk.header, ...hunk.lines.map((l) => l.text)]) {
    const m = /\benum\s+(?:class\s+)?([A-Za-z_]\w*)|\bclass\s+([A-Za-z_]\w*)\s*\(\s*(?:str\s*,\s*)?(?:Int|Str)?Enum\s*\)|\btype\s+([A-Za-z_]\w*)\s+(?:int|string)\b/.exec(text);
    if (m) return m[1] ?? m[2] ?? m[3] ?? null;
  }
  return null;
}

function removedIn(hunk: DiffHunk): Removed[] {
  const enumContext = ENUM_CONTEXT.test(hunk.header) || hunk.lines.some((l) => l.kind !== 'add' && ENUM_CONTEXT.test(l.text));
  const owner = enumContext ? ownerOf(hunk) : null;
  const out: Removed[] = [];
  for (const del of meaningful(hunk.lines, 'del')) {
    const code = codeOnly(del.text);
    // A case label is often a string literal: read it with its quotes.
    const label = CASE_LABEL.exec(stripComment(del.text));
    const labelName = label ? (label[1] ?? label[2] ?? label[3] ?? '').replace(/^["']|["']$/g, '').split('.').pop() : null;
    if (labelName && /^[\w-]{2,}$/.test(labelName) && !/^default$/.test(labelName)) {
      out.push({ name: labelName, what: 'case', line: del, owner: null });
      continue;
    }
    const swift = enumContext ? SWIFT_CASE.exec(code) : null;
    const member = enumContext ? MEMBER.exec(code) : null;
    if (swift || member) {
      out.push({ name: (swift?.[1] ?? member?.[1]) as string, what: 'enum value', line: del, owner });
      continue;
    }
    const constant = CONSTANT.exec(code);
    if (constant) out.push({ name: (constant[1] ?? constant[2]) as string, what: 'constant', line: del, owner: null });
  }
  return out;
}

function mentions(text: string, name: string): boolean {
  return new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`).test(text);
}

/** Where a name is still used: kept or added lines of this diff (other than where it was defined), and other diffs. */
function referencesTo(name: string, diff: Diff, related: readonly Diff[]): string[] {
  const refs: string[] = [];
  for (const d of [diff, ...related]) {
    for (const file of d.files) {
      for (const hunk of file.hunks) {
        for (const line of hunk.lines) {
          if (line.kind === 'del' || !mentions(line.text, name)) continue;
          refs.push(`${d.path}:${line.patchLine}`);
        }
      }
    }
  }
  return refs;
}

/** Defined again on an added line (moved or renamed in place): not a removal. */
function redefined(name: string, diff: Diff): boolean {
  return diff.files.some((f) =>
    f.hunks.some((h) =>
      h.lines.some((l) => {
        if (l.kind !== 'add') return false;
        const code = codeOnly(l.text);
        // Each shape asked on its own: `ARG VIPS_VERSION=8.15.3` reads as a member named ARG and as the constant VIPS_VERSION.
        const defines = [MEMBER, SWIFT_CASE, CONSTANT].some((shape) => {
          const m = shape.exec(code);
          return m !== null && (m[1] === name || m[2] === name);
        });
        const c = CASE_LABEL.exec(stripComment(l.text));
        return defines || (c !== null && mentions(c[0], name));
      }),
    ),
  );
}

/** Enum values, case labels and constants the diff removes that something still refers to. */
export function valuesRemoved(diff: Diff, path: string, hunk: DiffHunk, related: readonly Diff[], explained: Set<DiffLine>): RiskSignal[] {
  const out: RiskSignal[] = [];
  for (const removed of removedIn(hunk)) {
    if (redefined(removed.name, diff)) continue;
    const refs = referencesTo(removed.name, diff, related);
    if (refs.length === 0) continue;
    explained.add(removed.line);
    const of = removed.owner ? ` of ${removed.owner}` : '';
    const more = refs.length > 1 ? ` (+${refs.length - 1} more)` : '';
    out.push(
      makeSignal(diff, path, removed.line, 'value_removed', `removed ${removed.what} ${removed.name}${of}, still referenced at ${refs[0]}${more}: data or callers using it now fail`, {
        identifiers: removed.owner ? [removed.name, `${removed.owner}.${removed.name}`, removed.owner] : [removed.name],
        referenced_at: refs.slice(0, 5),
      }),
    );
  }
  return out;
}
