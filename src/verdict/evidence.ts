// What kind of proof each evidence ref is, judged by what returned it rather than by
// what the brain says it is: a change record, a metric the brain actually queried, a
// diff it read, a log line it found.
import type { Evidence } from '../protocol/diagnosis.js';
import type { Facts } from './facts.js';
import type { Seen } from './seen.js';

export type EvidenceKind = 'change' | 'metric' | 'diff' | 'log' | 'other';

const KIND_BY_TOOL: Record<string, EvidenceKind> = {
  query_metrics: 'metric',
  detect_changes: 'metric',
  get_diff: 'diff',
  search_logs: 'log',
  log_patterns: 'log',
};

export function kindsOf(ref: string, seen: Seen, facts: Facts): Set<EvidenceKind> {
  const kinds = new Set<EvidenceKind>();
  if (facts.changes.has(ref.trim())) kinds.add('change');
  for (const tool of seen.toolsFor(ref)) kinds.add(KIND_BY_TOOL[tool] ?? 'other');
  // A change id also appears in its diff; it proves the change, not what the diff says.
  if (kinds.has('change')) kinds.delete('diff');
  return kinds;
}

export interface EvidenceProfile {
  kinds: Set<EvidenceKind>;
  refs: Set<string>;
}

export function profileOf(evidence: readonly Evidence[], seen: Seen, facts: Facts): EvidenceProfile {
  const kinds = new Set<EvidenceKind>();
  const refs = new Set<string>();
  for (const item of evidence) {
    refs.add(item.ref.trim());
    for (const kind of kindsOf(item.ref, seen, facts)) kinds.add(kind);
  }
  return { kinds, refs };
}
