// Probes of a party (the blackbox exporter's `probe_success`, filed under the party or under the
// service that checks it): what they probe, by the host in their target labels, and whether one
// failed with the incident. A probe is the party measured from outside any of its callers.
import { freshTemplate, type Case, type Movement } from './case.js';
import type { Episode } from './episode.js';
import { peerWordOf } from './party-names.js';
import { templateText, type SeriesInfo } from './read.js';

/** How near the onset a party's own series must have moved to count as moving with the incident. */
export const WITH_ONSET_MS = 15 * 60_000;

/** A synthetic probe's series (the blackbox exporter's `probe_success`, an `external_probe_ok`): it measures its target. */
export const PROBE = /(^|_)probe(_|$)/i;

/**
 * A probe of the peer itself (filed under the peer, made by no caller) that failed as the
 * incident began: the peer measured from outside any service that calls it.
 */
export function probeFailed(c: Case, episode: Episode, peer: string): Movement | undefined {
  return c.movements.find((o) => o.symptom && PROBE.test(o.info.name) && o.info.service === peer && o.kind !== 'saturation' && Math.abs(o.onset - episode.onset) <= WITH_ONSET_MS);
}

/** Label keys that say what a probe probes (blackbox's `instance`, a `target` URL). */
const PROBE_TARGET_KEY = /^(instance|target|url|host|hostname|endpoint|address)$/i;
/** Words of a host name that name no party: its domain's kind, a generic front (`api.`, `www.`). */
const GENERIC_HOST_WORD = /^(api|apis|www|web|app|example|com|net|org|io|co|dev|cloud|internal|local|localhost|svc|cluster|health|healthz|status|ping|prod|production|staging|gateway|gw|edge|cdn|https?|v\d+)$/i;

/** The hosts a probe probes, from its target labels (`https://sso.ivanhoe.edu/oidc/token` → sso.ivanhoe.edu). */
function probeTargetHosts(info: SeriesInfo): string[] {
  return Object.entries(info.labels)
    .filter(([key]) => PROBE_TARGET_KEY.test(key))
    .map(([, value]) => value.replace(/^[a-z]+:\/\//i, '').replace(/[:/].*$/, ''));
}

/** The words of the host a probe probes (`sip2.bibliotech.example:6001` → sip2, bibliotech). */
function probeTargetWords(info: SeriesInfo): string[] {
  const words = new Set<string>();
  for (const host of probeTargetHosts(info)) {
    for (const word of host.split(/[.-]/)) if (word.length >= 3 && /[a-z]/i.test(word) && !GENERIC_HOST_WORD.test(word)) words.add(word.toLowerCase());
  }
  return [...words];
}

/**
 * A probe whose target the paged service names: its new errors (`sip2 request timed out`) or
 * its own metrics (`selfcheck_sip2_response_seconds`) are about the host the probe probes, so
 * the probe failing with them is that party, though no label ties the two.
 */
export function probeTargetNamed(c: Case, info: SeriesInfo): boolean {
  const words = probeTargetWords(info);
  if (words.length === 0) return false;
  const named = (text: string): boolean => words.some((w) => peerWordOf(w).test(text.replace(/_/g, ' ')));
  return freshTemplate(c, (t) => named(templateText(t))) !== undefined || c.series.some((s) => s.service === c.paged && named(s.name));
}

/** The host a probe probes, whole (`sso.ivanhoe.edu`): lines that name it are about the probed party. */
export function probedHost(info: SeriesInfo): string | null {
  const host = probeTargetHosts(info).find((h) => /[a-z]/i.test(h) && h.includes('.'));
  return host === undefined ? null : host.toLowerCase();
}

/** A service with series of its own besides probes, or changes: it does work, and probes what it depends on. */
export function doesOtherWork(c: Case, service: string): boolean {
  return c.changes.some((x) => x.service === service) || c.series.some((s) => s.service === service && !PROBE.test(s.name));
}
