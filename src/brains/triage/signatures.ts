// Log lines that name a failure of the platform rather than of the code: a full disk,
// memory exhaustion, an expired certificate, name resolution, a failing host. One
// regular expression finds them all (one search_logs call); each line is then sorted
// into its class and attributed to the service it is about.
import type { LogMatch } from './read.js';
import type { Topology } from './topology.js';

export type SignatureClass = 'disk_full' | 'out_of_memory' | 'certificate' | 'dns' | 'host';

const CLASSES: Array<{ kind: SignatureClass; regex: RegExp; words: string }> = [
  {
    kind: 'disk_full',
    regex: /no space left on device|ENOSPC|disk (is )?full|file ?system (is )?full|out of disk space|disk quota exceeded/i,
    words: 'the disk is full',
  },
  {
    kind: 'out_of_memory',
    regex: /out of memory|OOMKilled|oom[-_ ]?kill|OutOfMemoryError|cannot allocate memory/i,
    words: 'processes run out of memory',
  },
  {
    kind: 'certificate',
    regex: /certificate (has )?expired|expired certificate|CERTIFICATE_EXPIRED|x509: certificate|certificate verify failed|certificate is not yet valid/i,
    words: 'a TLS certificate is expired or invalid',
  },
  {
    kind: 'dns',
    regex: /no such host|NXDOMAIN|SERVFAIL|temporary failure in name resolution|could not resolve host|getaddrinfo (ENOTFOUND|EAI_AGAIN)/i,
    words: 'names stopped resolving',
  },
  {
    kind: 'host',
    regex: /NodeNotReady|node \S+ (is )?not ?ready|kernel panic|read-only file system|EROFS|hardware (error|failure)|instance (retirement|impaired)/i,
    words: 'a host or node failed',
  },
];

/** The pattern given to search_logs (regex: true, ignore_case: true). */
export const SIGNATURE_PATTERN = CLASSES.map((c) => c.regex.source).join('|');

export interface SignatureHit {
  kind: SignatureClass;
  ref: string;
  t: number | null;
  /** The service that logged it. */
  logger: string | null;
  /** Services the line names besides the one that logged it. */
  about: string[];
  text: string;
}

export function classify(match: LogMatch, topology: Topology): SignatureHit | null {
  const found = CLASSES.find((c) => c.regex.test(match.text));
  if (!found) return null;
  const about = [...topology.mentions(match.text)].filter((service) => service !== match.service).sort();
  return { kind: found.kind, ref: match.ref, t: match.t, logger: match.service, about, text: match.text };
}

export function signatureWords(kind: SignatureClass): string {
  return CLASSES.find((c) => c.kind === kind)?.words ?? kind;
}

/**
 * The service a signature is about: the one its lines name (a client reporting a peer's
 * expired certificate names the peer), else the one that logs it.
 */
export function attribute(hits: readonly SignatureHit[]): string | null {
  const votes = new Map<string, number>();
  for (const hit of hits) {
    for (const service of hit.about) votes.set(service, (votes.get(service) ?? 0) + 1);
    if (hit.logger !== null) votes.set(hit.logger, (votes.get(hit.logger) ?? 0) + 0.5);
  }
  let best: string | null = null;
  let bestVotes = 0;
  for (const [service, count] of [...votes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (count > bestVotes) {
      best = service;
      bestVotes = count;
    }
  }
  return best;
}
