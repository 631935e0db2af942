// A platform failure on what a change had just reconfigured. An infrastructure change swaps a
// service's volumes for slower ones, or moves its nodes, its network or its time sources; hours
// later, under a load the old platform took, that very resource fails (the kernel reports I/O
// stalls, a card dropping packets). The failure is logged plainly, but it is the change's
// doing: the platform did what it was reconfigured to do.
import type { Case } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import { finding, type Finding } from './model.js';
import { minutes } from './prose.js';
import { measuresClass, signatureSnippet, type SignatureClass } from './signatures.js';
import type { ChangeInfo } from './read.js';

/** Failures of the platform a change can reconfigure (a full disk is filled, not reconfigured; memory and certificates are the service's own). */
const RECONFIGURABLE: ReadonlySet<SignatureClass> = new Set(['disk_slow', 'network', 'clock', 'host', 'dns']);

/** The failure is the incident's when its first line falls this close to the onset. */
const LEAD_MS = 30 * 60_000;
const LAG_MS = 15 * 60_000;

/**
 * The finding that an infrastructure change reconfigured the very resource that failed under
 * its service: a failure of that kind is logged about the service around the onset, and the
 * change's own edited lines are about that kind of resource (its volumes, its network...).
 */
export function reconfiguredFailure(c: Case, episode: Episode, change: ChangeInfo): Finding | null {
  const service = change.service;
  const diff = c.diffs.get(change.id);
  if (change.type !== 'infra' || service === null || diff === undefined || change.at > episode.onset) return null;
  const placed = (kind: SignatureClass): boolean => c.placements.some((p) => p.kind === kind && p.services.has(service));
  const hits = c.signatures
    .filter((h) => RECONFIGURABLE.has(h.kind) && h.t !== null && h.t >= Math.max(change.at, episode.onset - LEAD_MS) && h.t <= episode.onset + LAG_MS)
    .filter((h) => h.logger === service || h.about.includes(service) || placed(h.kind))
    .sort((a, b) => (a.t as number) - (b.t as number));
  for (const hit of hits) {
    const line = diff.changed.find((l) => measuresClass(hit.kind, l.text));
    if (line === undefined) continue;
    return finding(
      'reconfigured_failed_platform',
      `${change.id} reconfigured ${service}'s platform (${line.code}: "${line.text.trim()}"), and ${minutes(episode.onset - change.at)} later that platform failed under it (${hit.ref}: "${signatureSnippet(hit)}")`,
      [
        { source: 'diffs', ref: line.patch, detail: `${line.sign} ${line.text.trim()}` },
        { source: 'logs', ref: hit.ref, detail: `from ${iso(hit.t as number)}: ${signatureSnippet(hit)}` },
      ],
    );
  }
  return null;
}
