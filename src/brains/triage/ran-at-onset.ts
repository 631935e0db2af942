// A job whose code a change made costlier per run, first running again at the onset. A
// nightly or morning batch released the evening before does nothing until its next run; when
// that run is what began as the symptoms began (its logs start then, long after the others'),
// and the change's edit makes each run dearer (a query no index serves, a call per item, a
// lock held), the wait between the release and the incident is the wait for that run.
import { iso } from './json.js';
import { finding, type Finding } from './model.js';
import type { Suspect } from './suspects.js';

/** Edits whose cost is paid on every run of the work, however little traffic there is. */
const PER_RUN = new Set(['index_bypassed', 'call_in_loop', 'eager_load_removed', 'table_lock', 'row_lock_added', 'lock_held_across_call', 'client_per_call', 'compiled_per_call', 'compression_removed', 'made_synchronous']);

export function ranAtOnsetFinding(suspect: Suspect): Finding | null {
  const began = suspect.path?.beganAt;
  const risk = suspect.risks.find((r) => PER_RUN.has(r.kind));
  if (began === undefined || risk === undefined || began <= suspect.change.at) return null;
  return finding(
    'ran_at_onset',
    `${suspect.change.service ?? 'its service'} ran again only at ${iso(began)}, as the symptoms began, and its edit makes each run costlier (${risk.kind.replace(/_/g, ' ')}): the change waited for that run`,
    [{ source: 'diffs', ref: risk.patch, detail: risk.detail }],
  );
}
