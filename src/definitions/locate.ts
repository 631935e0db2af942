// Finds the YAML node an issue is about, so its line and column point where the author
// must look: the value for a bad value, the key for an unknown key, the enclosing map
// for a missing key.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { DefinitionIssue, PathSegment } from './issues.js';

export interface Position {
  line: number;
  col: number;
}

interface Found {
  /** The deepest node reached along the path (the parent map when a key is missing). */
  node: Node | null;
  /** The key of the last pair entered, if the path ended inside a map. */
  key: Node | null;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function isEmptyValue(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null && node.source === '');
}

function walk(doc: Document, path: readonly PathSegment[]): Found {
  let node = doc.contents as Node | null;
  let key: Node | null = null;
  for (const segment of path) {
    if (isAlias(node)) node = (node.resolve(doc) as Node | undefined) ?? node;
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) return { node, key: null };
      key = (pair.key as Node | null) ?? null;
      const value = (pair.value as Node | null) ?? null;
      if (isEmptyValue(value)) return { node: key ?? node, key };
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = (node.items[segment] as Node | undefined) ?? null;
      if (item === null) return { node, key: null };
      node = item;
      key = null;
    } else {
      return { node, key: null };
    }
  }
  return { node, key };
}

/** The 1-based line and column of the node an issue names (1:1 for an empty document). */
export function locateIssue(doc: Document, lineCounter: LineCounter, issue: DefinitionIssue): { offset: number; position: Position } {
  const found = walk(doc, issue.path);
  const target = issue.at === 'key' && found.key ? found.key : found.node;
  const offset = target?.range?.[0] ?? 0;
  return { offset, position: lineCounter.linePos(offset) };
}
