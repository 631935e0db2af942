// Log lines that name a failure of the platform rather than of the code: a full disk,
// memory exhaustion, an expired certificate, name resolution, a failing host. One
// regular expression finds them all (one search_logs call); each line is then sorted
// into its class and attributed to the service it is about.
import type { LogMatch } from './read.js';
import type { Topology } from './topology.js';

export type SignatureClass = 'disk_full' | 'disk_slow' | 'out_of_memory' | 'certificate' | 'dns' | 'host' | 'clock' | 'network' | 'link';

const CLASSES: Array<{ kind: SignatureClass; regex: RegExp; words: (service: string) => string }> = [
  {
    kind: 'disk_full',
    regex: /no space left on device|ENOSPC|disk (is )?full|file ?system (is )?full|out of disk space|disk quota exceeded/i,
    words: (service) => `the disk of ${service} is full`,
  },
  {
    // Storage that stalls or fails: a degraded volume, writes waiting on fsync, the kernel
    // reporting tasks stuck on I/O or a device's reads and writes failing (its block layer,
    // SCSI and NVMe drivers word these the same on every Linux host). Software under load
    // does not say these. A RAID controller that turns its write cache off (its battery
    // relearning or failed: MegaRAID's "changing WB logical drives to WT") makes every write
    // wait for the disks themselves, tens of times slower.
    kind: 'disk_slow',
    regex:
      /\bBBU (?:disabled|failed|missing)|changing WB (?:logical drives|virtual drives|VDs) to WT|(?:write[- ]?back|WB) (?:disabled|switched to write[- ]?through)|write cache (?:is )?(?:disabled|turned off)|(?:cache|write) policy (?:changed|switched) to write[- ]?through|battery relearn (?:started|in progress)|f(?:data)?sync\b.{0,40}(?:taking too long|too slow|in time|took \d)|slow f(?:data)?sync|(?:wal|log):? sync duration of [\d.]+m?s, expected less|disk is busy|nfs: server \S+ not responding|\b(?:volume|disk)\b.{0,60}\b(?:impaired|degraded)\b|\bI\/?O performance\b.{0,60}\bdegraded\b|io-performance:degraded|degraded (volume )?performance|DEGRADED_VOLUME|I\/O (error|stall(ed)?|timeout),? (on )?(device|dev|volume)|blocked for more than \d+ seconds|hung_task|blk_update_request|Buffer I\/O error|end_request: I\/O error|nvme\d+: I\/O \d+ QID \d+ timeout|FAILED Result: hostbyte|Medium Error|Unrecovered read error/i,
    words: (service) => `the disk under ${service} is failing or stalled`,
  },
  {
    kind: 'out_of_memory',
    // Slurm and batch schedulers spell the state OUT_OF_MEMORY.
    regex: /out[ _]of[ _]memory|OOMKilled|oom[-_ ]?kill|OutOfMemoryError|cannot allocate memory/i,
    words: (service) => `${service} runs out of memory`,
  },
  {
    kind: 'certificate',
    regex: /certificate (has )?expired|expired certificate|CERTIFICATE_EXPIRED|x509: certificate|certificate verify failed|certificate is not yet valid/i,
    words: (service) => `the TLS certificate of ${service} is expired or invalid`,
  },
  {
    kind: 'dns',
    regex: /no such host|NXDOMAIN|SERVFAIL|temporary failure in name resolution|could not resolve host|getaddrinfo (ENOTFOUND|EAI_AGAIN)/i,
    words: (service) => `the names ${service} relies on stopped resolving`,
  },
  {
    kind: 'clock',
    regex: /not[\s_-]valid[\s_-]yet|not[\s_-]yet[\s_-]valid|used before (it was )?issued|issued in the future|(iat|nbf) (claim )?(is )?in the future|clock[\s_-]skew|time[\s_-]skew|(?:request|clock)\s*time\s*too\s*skewed|time\s*(?:is\s*)?too\s*skewed|clock (is )?(out of sync|unsynchroni[sz]ed|drift(ing)?)|NodeClockNotSynchronising|no selectable sources|time (is )?not synchroni[sz]ed|(system )?clock wrong by|stepping (the )?(guest |system )?clock|clock (was )?stepped|(time|timestamp)s? (is |are )?in the future|future[\s_-]dated|free[\s_-]running|(slave|uncalibrated) to faulty|lost (time |clock )?sync(hroni[sz]ation)?/i,
    words: (service) => `the clock of ${service} is off, so what it stamps with a time is refused`,
  },
  {
    kind: 'host',
    // A machine failing: the node not ready, a kernel panic, the root file system remounted
    // read-only, its hardware or instance failing, its network card losing its link (the kernel
    // drivers' "NIC Link is Down", a transmit unit hang, a bond's slave going down), or its
    // cooling: the kernel's machine-check notice that the CPU is throttled for heat, a fan the
    // baseboard controller's event log reports stopped (IPMI SEL "Lower Critical going low").
    regex:
      /NodeNotReady|node \S+ (is )?not ?ready|kernel panic|read-only file system|EROFS|hardware (error|failure)|instance (retirement|impaired)|NIC Link is Down|Detected Tx Unit Hang|Tx Unit Hang|link status definitely down for interface|(?:Package|Core) temperature above threshold|cpu clock throttled|thermal (?:event|trip|throttling)|SEL: Fan \S+ \| Lower (?:Critical|Non-recoverable) going low/i,
    words: (service) => `a host or node of ${service} failed`,
  },
  {
    kind: 'network',
    // A host's network card failing: its driver finds transmits that never completed and
    // resets the device (the kernel's own "NETDEV WATCHDOG … transmit queue timed out", the
    // ENA, mlx5, virtio and Intel drivers' words for the same). Every connection through that
    // card retransmits and times out, so what runs on the host looks slow or down to every
    // caller, while the software itself logs only the resets its peers see.
    regex:
      /NETDEV WATCHDOG|transmit queue \d+ timed out|\bTX (?:timeout|hang) (?:detected|on queue)|Found a Tx that wasn't completed on time|TX hasn't completed|lost tx completions (?:is|are) above the threshold|Keep alive watchdog timeout|Trigger reset is on|tx_timeout.{0,40}(?:queue|reset)/i,
    words: (service) => `the network card of the host under ${service} is failing: packets are lost and connections through it stall`,
  },
  {
    kind: 'link',
    // A network link going down: the interface's own trap or state change (SNMP's linkDown,
    // an IOS "changed state to down", a JunOS ifOperStatus down), its optics losing light,
    // the routing sessions over it dropping (BFD, BGP), or a site failing over from its
    // uplink. Software never says these of itself; what ran over the link only sees timeouts.
    regex:
      /LINK_DOWN|linkDown trap|ifOperStatus down|changed state to down|(?:receive|rx|transmit|tx) power (?:-?[\d.]+ ?dBm )?below (?:low )?(?:warning |alarm )?threshold|[RT]X_POWER_LOW|loss of (?:signal|light)|\bLOS\b\)|BFD session .{0,60}\b(?:Up -> Down|state (?:is )?down)|BGP (?:peer|neighbou?r) \S+ .{0,40}(?:went down|Down)|(?:primary |wan )?uplink \S* ?(?:is )?down|carrier (?:lost|down)/i,
    words: (service) => `a network link of ${service} went down: what crossed it is lost, delayed or squeezed onto a backup path`,
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

/** Metric names that measure what a signature class is about. */
const METRIC_WORDS: Record<SignatureClass, RegExp> = {
  disk_full: /disk|filesystem|volume|inode|_fs_|storage/i,
  disk_slow: /disk|volume|storage|_io_|iops|io_time|iowait|fsync|(^|_)nfs_/i,
  out_of_memory: /mem|(^|_)oom|heap/i,
  certificate: /cert|tls|ssl|x509/i,
  dns: /dns|resolv/i,
  host: /node|host|kernel/i,
  clock: /timex|clock|ntp|chrony|time_offset|skew|time_seconds/i,
  network: /network|netstat|_net_|net_dev|ethtool|retrans|packet|tcp_/i,
  link: /link|uplink|wan|interface|(^|_)if_|bgp|bfd|optic|network|_net_|net_dev|crc|(rx|receive)_?err/i,
};

export function measuresClass(kind: SignatureClass, metricName: string): boolean {
  return METRIC_WORDS[kind].test(metricName);
}

/** What a signature means, said of the service it is about. */
export function signatureWords(kind: SignatureClass, service: string): string {
  return CLASSES.find((c) => c.kind === kind)?.words(service) ?? `${service}: ${kind}`;
}

/** The part of a log line that carries the signature, with a little context on each side. */
export function signatureSnippet(hit: SignatureHit): string {
  const regex = CLASSES.find((c) => c.kind === hit.kind)?.regex;
  const at = regex ? hit.text.search(regex) : -1;
  if (at < 0) return hit.text.slice(0, 200);
  const from = Math.max(0, at - 80);
  const to = Math.min(hit.text.length, at + 120);
  return `${from > 0 ? '…' : ''}${hit.text.slice(from, to)}${to < hit.text.length ? '…' : ''}`;
}

/**
 * The service a signature is about: the one its lines name (a client reporting a peer's
 * expired certificate names the peer), else the one that logs it; `metricVotes` adds the
 * services whose own metrics of the same kind (certificates, disks...) went wrong; `among`
 * limits the choice to those services.
 */
/**
 * Lines in which a task reports waiting on I/O (the kernel's hung-task warning) come from the
 * victims: hosts whose storage, maybe remote, stopped answering. Lines that name a device
 * failing come from where the failure is.
 */
const WAITING = /blocked for more than \d+ seconds|hung_task/i;

export function attribute(hits: readonly SignatureHit[], metricVotes: ReadonlyMap<string, number> = new Map(), among?: ReadonlySet<string>): string | null {
  const votes = new Map<string, number>(metricVotes);
  const failing = hits.filter((hit) => !WAITING.test(hit.text));
  for (const hit of failing.length > 0 ? failing : hits) {
    for (const service of hit.about) votes.set(service, (votes.get(service) ?? 0) + 1);
    if (hit.logger !== null) votes.set(hit.logger, (votes.get(hit.logger) ?? 0) + 0.5);
  }
  // Limited to `among` (the services on a failed host), the one with most votes, or the first by name.
  if (among) for (const service of among) if (!votes.has(service)) votes.set(service, 0);
  let best: string | null = null;
  let bestVotes = -1;
  for (const [service, count] of [...votes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (among && !among.has(service)) continue;
    if (count > bestVotes && (among !== undefined || count > 0)) {
      best = service;
      bestVotes = count;
    }
  }
  return best;
}
