// Which services a piece of text, a series or a log line is about. Services name each
// other in metric labels (`caller="cart"`, `upstream="payflow"`), in metric names
// (`cart_pricing_attempts`) and in log lines; that is how the symptom is followed from
// one service to the next. Longer names win (`inventory-db` is not `inventory`).
import type { SeriesInfo } from './read.js';
import { escapeRegExp } from '../../regexp.js';

/**
 * Label keys that name the other end of a call, including OpenTelemetry's (`server.address`,
 * `peer.service`), Istio's (`destination_service_name`) and Micrometer's HTTP client
 * (`client.name`, the host called).
 */
const PEER_KEY =
  /^(upstream|downstream|peer|target|dependency|dep|remote|backend|destination|dest|provider|vendor|partner|supplier|carrier|feed|source|external|cluster|envoy_cluster_name|upstream_cluster|upstream_host|callee|caller|client|server|host|db|db_name|database|server_address|server\.address|net_peer_name|net\.peer\.name|peer_service|peer\.service|destination_service|destination_service_name|destination_workload|source_workload|rpc_service|rpc\.service|client_name|client\.name)$/i;


/** Words of a service that watches another rather than being it: a status page's feed, a prober. */
const WATCHER_WORDS = new Set(['status', 'statuspage', 'probe', 'prober', 'monitor', 'monitoring', 'synthetic', 'synthetics', 'uptime', 'watch', 'watcher', 'healthcheck']);

/** A job that probes services from outside (Prometheus' blackbox exporter, a synthetic check). */
const PROBER_JOB = /^(?:blackbox\w*|probes?|prober|synthetics?|uptime\w*)$/i;
/** The host of an address a probe targets: `https://archive.radar.internal:9000/minio/health/live` → `archive.radar.internal`. */
const ADDRESS_HOST = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?(?:\/\S*)?$/i;

/**
 * The hosts a prober checks, each as the address of the bundle's service its series is labelled
 * with (`probe_success{job="blackbox", service="archive-store", target="https://archive.radar.internal:9000/…"}`):
 * a line that names the host names that service.
 */
function probedAddresses(series: readonly SeriesInfo[], services: readonly string[]): Array<{ service: string; regex: RegExp }> {
  const out = new Map<string, string>();
  for (const info of series) {
    if (info.service === null || !services.includes(info.service) || !PROBER_JOB.test(info.labels['job'] ?? '')) continue;
    for (const [key, value] of Object.entries(info.labels)) {
      if (!/^(target|instance|url|endpoint|host)$/i.test(key)) continue;
      const host = ADDRESS_HOST.exec(value)?.[1]?.toLowerCase();
      if (host !== undefined && !out.has(host)) out.set(host, info.service);
    }
  }
  return [...out].map(([host, service]) => ({ service, regex: new RegExp(`(?<![A-Za-z0-9.-])${escapeRegExp(host)}(?![A-Za-z0-9-])`, 'gi') }));
}

export class Topology {
  private readonly patterns: Array<{ service: string; regex: RegExp }>;

  /**
   * Label pairs that say where services run, not whom they call: a pair every series of at
   * least two services carries, their CPU and memory as much as their calls (the cluster
   * they share). A label naming the other end of a call sits on the call's series only.
   */
  private readonly ambient = new Set<string>();

  constructor(readonly services: readonly string[], series: readonly SeriesInfo[] = []) {
    const byService = new Map<string, SeriesInfo[]>();
    for (const info of series) {
      if (info.service === null) continue;
      const own = byService.get(info.service);
      if (own) own.push(info);
      else byService.set(info.service, [info]);
    }
    const everywhere = new Map<string, number>();
    for (const own of byService.values()) {
      const [first, ...rest] = own;
      if (first === undefined || rest.length === 0) continue;
      for (const [key, value] of Object.entries(first.labels)) {
        if (PEER_KEY.test(key) && rest.every((info) => info.labels[key] === value)) everywhere.set(`${key}=${value}`, (everywhere.get(`${key}=${value}`) ?? 0) + 1);
      }
    }
    for (const [pair, services] of everywhere) if (services >= 2) this.ambient.add(pair);
    const sorted = [...new Set(services)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    this.patterns = [...probedAddresses(series, services), ...sorted.map((service) => {
      // A service name matches with `-`, `_` or `.` between its words, as a whole word.
      const body = service
        .split(/[-_.]/)
        .filter((part) => part !== '')
        .map(escapeRegExp)
        .join('[-_.]');
      return { service, regex: new RegExp(`(?<![A-Za-z0-9])${body}(?![A-Za-z0-9])`, 'gi') };
    })];
  }

  /**
   * One spelling per service when sources differ in case: the telemetry's (`preferred`, the
   * services that own series) over any other. Unknown names stay as they are.
   */
  canonical(name: string | null, preferred: readonly string[] = []): string | null {
    if (name === null) return null;
    const same = (service: string): boolean => service.toLowerCase() === name.toLowerCase();
    return preferred.find(same) ?? (this.services.includes(name) ? name : this.services.find(same)) ?? name;
  }

  /** Services named in a text, longest names first, each span counted once. */
  mentions(text: string): Set<string> {
    const found = new Set<string>();
    let rest = text;
    for (const { service, regex } of this.patterns) {
      regex.lastIndex = 0;
      if (regex.test(rest)) {
        found.add(service);
        regex.lastIndex = 0;
        rest = rest.replace(regex, (match) => ' '.repeat(match.length));
      }
    }
    return found;
  }

  /** Of `among`, the service named first in a text (a log line's own service tag comes first). */
  firstMentioned(text: string, among: readonly string[]): string | null {
    let best: { service: string; at: number } | null = null;
    for (const { service, regex } of this.patterns) {
      if (!among.includes(service)) continue;
      regex.lastIndex = 0;
      const at = text.search(regex);
      if (at >= 0 && (best === null || at < best.at)) best = { service, at };
    }
    return best?.service ?? null;
  }

  /** Services a series is about besides its own: named in its labels or its metric name. */
  seriesPeers(series: SeriesInfo): Set<string> {
    const found = new Set<string>();
    for (const text of [series.name, ...Object.values(series.labels)]) for (const service of this.mentions(text)) found.add(service);
    if (series.service !== null) found.delete(series.service);
    return found;
  }

  /** The other ends of a call a series names in its labels (`upstream="payflow"`, `provider="apns"`), as the bundle spells its services. */
  labelPeers(series: SeriesInfo): string[] {
    const out: string[] = [];
    for (const [key, value] of Object.entries(series.labels)) {
      if (!PEER_KEY.test(key) || value === '' || /^[\d./:]+$/.test(value) || this.ambient.has(`${key}=${value}`)) continue;
      const named = [...this.mentions(value)];
      // A host name or URL (`api.meteoria.example`) names the service it is the address of.
      const address = /^(?:[a-z][a-z0-9+.-]*:\/\/)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?:\/\S*)?$/i.test(value);
      const peer =
        named.length === 1 && ((named[0] as string).length >= value.length - 2 || address)
          ? (named[0] as string)
          : named.length === 0
            ? (this.instanceOf(value, series, key) ?? value)
            : null;
      if (peer !== null && peer !== series.service && !out.includes(peer)) out.push(peer);
    }
    return out;
  }

  /**
   * The one service of the bundle that is an instance of a kind of peer a label names by its
   * kind alone (`db="cassandra"` for the series of `cassandra-usage`): a service whose name
   * holds the value's words, and, when several do, whose other words the series' other labels
   * name (`keyspace="usage"`), or the label's own name does (`db="herd"` for `herd-db`). Null
   * when none or no single one does.
   */
  private instanceOf(value: string, series: SeriesInfo, key: string): string | null {
    const words = (text: string): string[] => text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
    const wanted = words(value);
    if (wanted.length === 0) return null;
    const holds = (name: readonly string[]): boolean =>
      name.length > wanted.length && name.some((_, i) => wanted.every((w, j) => name[i + j] === w));
    // A service named for watching the peer (`ravencad-status`, a status page's feed; `acme-probe`) reports on it: it is not the peer.
    const watches = (name: readonly string[]): boolean => name.filter((w) => !wanted.includes(w)).every((w) => WATCHER_WORDS.has(w));
    let candidates = this.services.filter((s) => s !== series.service && holds(words(s)) && !watches(words(s)));
    if (candidates.length > 1) {
      // The label's own name says what kind of thing it names: `db="herd"` is `herd-db`, not `herd-registry`.
      const labelled = new Set([...Object.values(series.labels).flatMap(words), ...words(key)]);
      candidates = candidates.filter((s) => words(s).every((w) => wanted.includes(w) || labelled.has(w)));
    }
    return candidates.length === 1 ? (candidates[0] as string) : null;
  }

  /** Names of peers outside the bundle's services, from labels that name the other end of a call. */
  externalPeers(series: SeriesInfo): string[] {
    const out: string[] = [];
    for (const [key, value] of Object.entries(series.labels)) {
      if (!PEER_KEY.test(key) || value === '' || /^[\d./:]+$/.test(value) || this.ambient.has(`${key}=${value}`)) continue;
      if (this.mentions(value).size === 0) out.push(value);
    }
    return out;
  }
}
