// Where a host failure lives. A clock that jumped or a node that failed is a host, not a
// service: the services that log the failure are often its victims (a verifier refusing
// tokens stamped in the future), while the cause is whatever runs on that host (the issuer
// whose clock is wrong). The afflicted host is the one whose own metrics of that kind moved
// with the incident, or that its platform lines name; what runs there is read from series
// labels (`kube_pod_info{node=…, service=…}`) and from the log lines that name the host
// (a scheduler's "assigned … to <node>", a service's own `node` field).
import type { Evidence } from '../../protocol/diagnosis.js';
import type { Case, Movement } from './case.js';
import type { Episode } from './episode.js';
import { iso } from './json.js';
import type { SeriesInfo } from './read.js';
import { searchEveryFile } from './search-files.js';
import type { Replay } from './replay.js';
import { measuresClass, type SignatureClass, type SignatureHit } from './signatures.js';
import { escapeRegExp } from '../../regexp.js';

/** Signature classes that describe a host (its clock, the node, its disks) rather than a service. */
export const HOST_CLASSES: readonly SignatureClass[] = ['clock', 'host', 'disk_slow', 'network', 'link'];

/** Label keys that name the machine a series was measured on. */
const HOST_KEY = /^(node|nodename|node_name|kubernetes_node|k8s_node|host|hostname|instance)$/i;

/** A host's metrics count when they moved this close to the onset (a clock drifts before anything refuses its stamps). */
const HOST_MOVE_LEAD_MS = 3 * 3600_000;
const HOST_MOVE_LAG_MS = 10 * 60_000;

/** Series a node exporter reports about the machine itself. */
const HOST_METRIC = /^node[_:]/;

/** Calls kept for what follows the search for the hosts' names. */
const PLACEMENT_RESERVE = 10;

/** More services than this on one host and its failure no longer says which of them it is about. */
export const MAX_PLACED = 3;

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * The host a label value names: `ip-10-1-2-3.eu-west-1.compute.internal:9100` is
 * `ip-10-1-2-3`, `10.0.3.4:9100` is `10.0.3.4`. Host names carry an index or an address,
 * which keeps service names (`host="payments-db"`, a peer) out.
 */
export function hostOf(value: string, machineKey = false): string | null {
  const bare = value.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const withoutPort = bare.replace(/:\d+$/, '');
  // A machine's full name (`routes-db-a.example.internal`) or an address with a port names a
  // machine, whatever its own name looks like; so does any name under a key that only ever
  // holds a machine (`node="scada-node-c"`); elsewhere a bare name needs an index or an address.
  const qualified = machineKey || withoutPort !== bare || (!IPV4.test(withoutPort) && /^[A-Za-z0-9-]+\.[A-Za-z0-9-]+\.[A-Za-z0-9.-]+$/.test(withoutPort));
  const host = IPV4.test(withoutPort) ? withoutPort : (withoutPort.split('.')[0] ?? '');
  if (host.length < 3 || (!qualified && !/\d/.test(host)) || !/^[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]$|^[\d.]+$/.test(host)) return null;
  return host;
}

/** Label keys that only ever name a machine (a Kubernetes node), never a peer service. */
const MACHINE_KEY = /^(node|nodename|node_name|kubernetes_node|k8s_node)$/i;

function hostsOfSeries(info: SeriesInfo): string[] {
  const out = new Set<string>();
  for (const [key, value] of Object.entries(info.labels)) {
    if (!HOST_KEY.test(key)) continue;
    const host = hostOf(value, MACHINE_KEY.test(key));
    if (host !== null) out.add(host);
  }
  return [...out];
}

// One pattern per host name, kept: every platform line is tested against every known host.
const hostPatterns = new Map<string, RegExp>();

function mentionsHost(text: string, host: string): boolean {
  let pattern = hostPatterns.get(host);
  if (!pattern) {
    const escaped = escapeRegExp(host);
    pattern = new RegExp(`(?<![A-Za-z0-9.-])${escaped}(?![A-Za-z0-9-])`);
    if (hostPatterns.size > 1000) hostPatterns.clear();
    hostPatterns.set(host, pattern);
  }
  return pattern.test(text);
}

/**
 * The line says where it was written: a field whose key names the machine (`"host":
 * "db-4"`, `node=db-4`) holds the host, not a mention in its message (a client naming the
 * server it called).
 */
function fieldNamesHost(text: string, host: string): boolean {
  const escaped = escapeRegExp(host);
  return new RegExp(`(?:^|[\\s,{])"?(?:node|nodename|node_name|kubernetes_node|k8s_node|host|hostname|instance)"?\\s*[:=]\\s*"?${escaped}(?![A-Za-z0-9-])`, 'i').test(text);
}

/** What a host failure rests on: the host, why it is the one, and what runs on it. */
export interface Placement {
  kind: SignatureClass;
  host: string;
  /** The host's own series that moved, or the platform line that names it. */
  because: Evidence;
  /** Services found on the host, with the reference that places each. */
  services: Map<string, Evidence>;
}

/** Hosts the failure of one kind points at: their metrics of that kind moved with the incident, or its lines name them. */
export function afflictedHosts(c: Case, episode: Episode, kind: SignatureClass, hits: readonly SignatureHit[]): Map<string, Evidence> {
  const known = new Set(c.series.flatMap(hostsOfSeries));
  const found = new Map<string, Evidence>();
  const moved = (m: Movement): boolean => m.onset >= episode.onset - HOST_MOVE_LEAD_MS && m.onset <= episode.onset + HOST_MOVE_LAG_MS;
  for (const m of c.movements) {
    if (!measuresClass(kind, m.info.name) || !moved(m)) continue;
    for (const host of hostsOfSeries(m.info)) {
      if (!found.has(host)) found.set(host, { source: 'metrics', ref: m.series, detail: `${m.display} moved at ${iso(m.onset)}` });
    }
  }
  for (const hit of hits) {
    if (hit.kind !== kind) continue;
    for (const host of known) {
      if (found.has(host) || !(mentionsHost(hit.text, host) || mentionsHost(hit.ref, host))) continue;
      found.set(host, { source: 'logs', ref: hit.ref, detail: hit.text.slice(0, 200) });
    }
  }
  return found;
}

/** Labels that name the workload a series is about (Kubernetes' and cAdvisor's). */
const WORKLOAD_KEY = /^(pod|pod_name|container|container_name|created_by_name|owner_name|deployment|statefulset|daemonset|replicaset|workload|app|app_kubernetes_io_name)$/i;

/** Services whose series are labelled with the host (a pod's info, a container's usage). */
function placedBySeries(c: Case, host: string): Map<string, Evidence> {
  const out = new Map<string, Evidence>();
  const hostLevel = (s: SeriesInfo): boolean => HOST_METRIC.test(s.name) || HOST_CLASSES.some((kind) => measuresClass(kind, s.name));
  // Services measured by series of their own, beyond the host-level ones: workloads, not exporters.
  const workloadsMeasured = new Set(c.series.filter((s) => !hostLevel(s)).map((s) => s.service));
  for (const s of c.series) {
    if (!hostsOfSeries(s).includes(host)) continue;
    // The host's own metrics (a node exporter's) are about the host, not what runs on it,
    // unless the bundle files them under a workload it also measures (the database on that machine).
    if (hostLevel(s)) {
      if (s.service !== null && workloadsMeasured.has(s.service) && !out.has(s.service) && !s.service.includes(host)) {
        out.set(s.service, { source: 'metrics', ref: s.id, detail: `measured on ${host}: ${s.service} runs there` });
      }
      continue;
    }
    // A workload label (`pod`, `created_by_name`, `deployment`) names what the series is about;
    // its service may be only the exporter that scraped it (`job="kube-state-metrics"`).
    const workloads = Object.entries(s.labels)
      .filter(([key]) => WORKLOAD_KEY.test(key))
      .flatMap(([, v]) => [...c.topology.mentions(v)])
      .filter((service) => service !== s.service);
    const named = workloads.length > 0 ? workloads : s.service !== null ? [s.service] : Object.values(s.labels).flatMap((v) => [...c.topology.mentions(v)]);
    for (const service of named) if (!out.has(service) && !service.includes(host)) out.set(service, { source: 'metrics', ref: s.id, detail: `places ${service} on ${host}` });
  }
  return out;
}

/**
 * For each host-level failure the logs show, the afflicted host and what runs on it: one
 * search of the logs for the hosts' names beside the series labels already listed.
 */
export async function placeHostFailures(r: Replay, c: Case, episode: Episode): Promise<Placement[]> {
  const byHost: Array<{ kind: SignatureClass; host: string; because: Evidence }> = [];
  for (const kind of HOST_CLASSES) {
    const hits = c.signatures.filter((h) => h.kind === kind);
    if (hits.length === 0) continue;
    for (const [host, because] of afflictedHosts(c, episode, kind, hits)) byHost.push({ kind, host, because });
  }
  if (byHost.length === 0) return [];
  const hosts = [...new Set(byHost.map((h) => h.host))].slice(0, 3);
  const fromLogs = new Map<string, Map<string, Evidence>>();
  if (c.logFiles.length > 0) {
    const search = {
      pattern: hosts.map(escapeRegExp).join('|'),
      regex: true,
      from: iso(episode.onset - 6 * 3600_000),
      to: iso(c.alertAt + 30 * 60_000),
    };
    const matches = (await searchEveryFile(r, search, 100, PLACEMENT_RESERVE)) ?? [];
    const measured = new Set(c.series.map((s) => s.service));
    for (const match of matches) {
      // A measured service's own line that names the host (its `host` field) places that
      // service there, not the peers its message mentions. Otherwise, the services the line
      // names (a pod's name): the file may be a node's journal or the scheduler's events.
      for (const host of hosts) {
        if (!mentionsHost(match.text, host)) continue;
        const loggedByWorkload = match.service !== null && measured.has(match.service);
        const own = loggedByWorkload && fieldNamesHost(match.text, host) ? match.service : null;
        // A measured service naming the host elsewhere in its line (`gateway=edge-gw-02`) is
        // calling it, not running on it: the line places the others it names, not its writer.
        const named = own !== null ? new Set([own]) : new Set([...c.topology.mentions(match.text)].filter((service) => !loggedByWorkload || service !== match.service));
        const placed = fromLogs.get(host) ?? new Map<string, Evidence>();
        for (const service of named) if (!placed.has(service) && !service.includes(host)) placed.set(service, { source: 'logs', ref: match.ref, detail: match.text.slice(0, 200) });
        fromLogs.set(host, placed);
      }
    }
  }
  return byHost.map(({ kind, host, because }) => {
    const services = placedBySeries(c, host);
    for (const [service, evidence] of fromLogs.get(host) ?? []) if (!services.has(service)) services.set(service, evidence);
    return { kind, host, because, services };
  });
}
