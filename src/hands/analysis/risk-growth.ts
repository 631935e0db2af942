// A collection that only grows: a map, set or list held by a long-lived object (a struct
// field, a class attribute, a module-level value) that the change fills on a path every
// request or event takes, with nothing in the change that removes entries, evicts them or
// bounds the size. Memory then grows for as long as the process lives: a slow leak whose
// symptom (memory pressure, GC time, OOM kills) shows hours after the release.
import type { Diff, DiffFile, DiffLine } from '../../bundle/index.js';
import { isComment, stripComment } from './code-words.js';
import { makeSignal, type RiskSignal } from './risk-types.js';
import { escapeRegExp } from '../../regexp.js';

interface Added {
  file: DiffFile;
  path: string;
  /** The lines of the hunk it is in, and its place among them. */
  hunk: readonly DiffLine[];
  index: number;
  line: DiffLine;
  code: string;
}

/** Where a function or method begins, in the languages diffs here come in. */
export const FUNCTION_START = /^\s*(?:func\s|def\s|async\s+def\s|function\s|fn\s|pub\s+(?:async\s+)?fn\s|(?:(?:public|private|protected|internal|static|final|override|suspend|async)\s+)+[\w<>[\],.? ]*\(|fun\s)/;

/**
 * The member was given a fresh collection earlier in the same function, through the same
 * object (`inc.Fields = map[string]string{…}` then `inc.Fields["by"] = who`): a value built
 * for this call, not one that lives on and fills.
 */
function freshPerCall(name: string, a: Added): boolean {
  const receiver = new RegExp(`\\b([A-Za-z_]\\w*)\\.${escapeRegExp(name)}\\b`).exec(a.code)?.[1];
  if (receiver === undefined) return false;
  const fresh = new RegExp(`\\b${escapeRegExp(receiver)}\\.${escapeRegExp(name)}\\s*:?=\\s*(?:map\\[|make\\(|\\[\\]\\w|\\{|\\[|new\\s|dict\\(|set\\(|list\\()`);
  for (let i = a.index - 1; i >= 0; i -= 1) {
    const line = a.hunk[i] as DiffLine;
    if (line.kind === 'del') continue;
    if (fresh.test(line.text)) return true;
    if (FUNCTION_START.test(line.text)) return false;
  }
  return false;
}


/** An entry put into a member collection: `s.last[key] = at`, `self.seen.add(k)`, `this.cache.set(k, v)`, `c.buf = append(c.buf, x)`. */
function insertedMember(code: string): string | null {
  const indexed = /\b[A-Za-z_]\w*\.([A-Za-z_]\w*)\[[^\]]+\]\s*=(?!=)/.exec(code);
  if (indexed) return indexed[1] as string;
  const method = /\b(?:self|this|[a-z])\.([A-Za-z_]\w*)\.(?:add|put|set|append|push|insert|putIfAbsent|computeIfAbsent|setdefault|Store|LoadOrStore|PushBack)\s*\(/.exec(code);
  if (method) return method[1] as string;
  const append = /\b([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*=\s*append\(\s*\1\.\2\s*,/.exec(code);
  return append ? (append[2] as string) : null;
}

/** The member is declared or initialised as a collection in the change. */
function declaredCollection(name: string, added: readonly Added[]): boolean {
  const n = escapeRegExp(name);
  const shapes = [
    new RegExp(`\\b${n}\\s+(?:map\\[|\\[\\]|\\*?sync\\.Map\\b)`),
    new RegExp(`\\b${n}\\s*:\\s*(?:make\\(\\s*map|map\\[|\\[\\]|\\{\\s*\\}|new\\s+(?:Map|Set)\\b|(?:Map|Set|Record|Array)<)`),
    new RegExp(`\\b${n}\\s*:?=\\s*(?:make\\(\\s*(?:map|\\[\\])|\\{\\s*\\}|\\[\\s*\\]|dict\\(|set\\(|list\\(|defaultdict\\(|OrderedDict\\(|new\\s+(?:Hash|Tree|Linked|Concurrent|Weak)?(?:Hash)?(?:Map|Set|List)\\b|new\\s+(?:Map|Set|Array)\\b)`),
    new RegExp(`(?:Map|Set|List|Dictionary|HashSet|HashMap)<[^>]*>\\s+${n}\\b`),
  ];
  return added.some((a) => shapes.some((shape) => shape.test(a.code)));
}

/** Anything in the change that removes entries, resets the collection or bounds it. */
function bounded(name: string, added: readonly Added[]): boolean {
  const n = escapeRegExp(name);
  const removal = new RegExp(
    `\\bdelete\\(\\s*[\\w.]*\\b${n}\\b|\\b${n}\\.(?:delete|remove\\w*|pop\\w*|clear|evict\\w*|invalidate\\w*|expire\\w*|poll\\w*|discard|Remove|Delete|Range|trim\\w*|prune\\w*|purge\\w*)\\s*\\(|\\bdel\\s+[\\w.]*\\b${n}\\[|\\blen\\(\\s*[\\w.]*\\b${n}\\s*\\)\\s*[<>]=?|\\b${n}\\.(?:size|length|Len)\\b\\s*(?:\\(\\s*\\))?\\s*[<>]=?`,
  );
  const inits = added.filter((a) => new RegExp(`\\b${n}\\s*:?=\\s*(?:make|new|\\{|dict|set|\\[)`).test(a.code)).length;
  const boundWords = /\b(lru|ttl|expir\w*|max_?size|maxsize|capacity|bounded|ring|evict\w*|LRU|TTL|MaxSize|Capacity)\b/;
  return added.some((a) => removal.test(a.code)) || inits > 1 || added.some((a) => new RegExp(`\\b${n}\\b`).test(a.code) && boundWords.test(a.code));
}

/** Collections the change makes grow without bound, one signal per collection, at the first line that fills it. */
export function unboundedGrowth(diff: Diff, files: readonly DiffFile[]): RiskSignal[] {
  const added: Added[] = files.flatMap((file) => {
    const path = file.newPath ?? file.oldPath ?? '(unknown)';
    return file.hunks.flatMap((h) =>
      h.lines.flatMap((line, index) => (line.kind === 'add' && line.text.trim() !== '' && !isComment(line.text) ? [{ file, path, hunk: h.lines, index, line, code: stripComment(line.text) }] : [])),
    );
  });
  const out: RiskSignal[] = [];
  const seen = new Set<string>();
  for (const a of added) {
    const member = insertedMember(a.code);
    if (member === null || seen.has(member)) continue;
    seen.add(member);
    if (!declaredCollection(member, added) || bounded(member, added) || freshPerCall(member, a)) continue;
    out.push(
      makeSignal(diff, a.path, a.line, 'unbounded_growth', `${member} gains an entry on every call and nothing removes, evicts or bounds them: memory grows for the life of the process`, {
        identifiers: [member],
      }),
    );
  }
  return out;
}
