// Objects moved to an archive storage class: S3's Glacier Flexible Retrieval and Deep Archive,
// Azure's Archive access tier. Unlike the classes that still read at once (Standard-IA,
// Glacier Instant Retrieval, Azure Cool and Cold), an archived object cannot be read until it
// is restored, hours later: every read of one is refused (`InvalidObjectState`,
// `BlobArchived`). A lifecycle rule moves objects when the provider runs it (once a day, at
// midnight UTC for S3), so the refusals begin then, long after the change, and grow as more
// objects move.
import type { Judgement } from './risk-rules.js';
import { unquoted, type SettingValue } from './risk-values.js';
import { codeWords } from './code-words.js';

/** Classes whose objects must be restored before a read. */
const ARCHIVED = new Set(['glacier', 'deep_archive', 'glacier_flexible_retrieval', 'glacier_deep_archive', 'archive']);
/** Classes read at once: moving from one of these to an archive is what makes reads fail. */
const ONLINE = new Set([
  'standard', 'standard_ia', 'onezone_ia', 'intelligent_tiering', 'glacier_ir', 'glacier_instant_retrieval', 'reduced_redundancy',
  'hot', 'cool', 'cold', 'nearline', 'coldline',
]);

/** A key that names a storage class or an access tier (`storage_class`, `StorageClass`, `access_tier`). */
function namesClass(key: string): boolean {
  const words = codeWords(key);
  const has = (a: string, b: string): boolean => words.some((w, i) => w === a && words[i + 1] === b);
  return has('storage', 'class') || has('access', 'tier') || has('storage', 'tier') || has('blob', 'tier');
}

const className = (value: SettingValue): string => unquoted(value).toLowerCase().replace(/-/g, '_');

/** The verdict on a storage class moved from one read at once to an archive; null for any other edit. */
export function judgeStorageClass(key: string, label: string, o: SettingValue, n: SettingValue): Judgement | null {
  if (!namesClass(key)) return null;
  const [before, after] = [className(o), className(n)];
  if (!ONLINE.has(before) || !ARCHIVED.has(after)) return null;
  return {
    risky: true,
    kind: 'archived_unreadable',
    direction: 'changed',
    detail: `${label} ${before.toUpperCase()} → ${after.toUpperCase()}: objects it moves must be restored before they can be read, and every read of one is refused until then`,
    factor: null,
    category: 'switch',
  };
}
