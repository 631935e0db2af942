// Who a series or a log line is about, when it is a party the service calls: a label that
// names it (`partner="adwave"`, `bureau="veridex"`), a code it goes by in the same series
// (`bin="018844"`), its name as a whole word in the lines. Labels that place a series (a pod, a
// zone) or name what was done (a route, an outcome) name no party.
import { freshTemplate, type Case, type Movement } from './case.js';
import { templateText } from './read.js';
import { escapeRegExp } from '../../regexp.js';

/** A metric name's first word, lower case (`csw` of `csw_request_duration_seconds`): what a call metric is often named for. */
export function metricPrefix(name: string): string {
  return name.toLowerCase().split('_')[0] ?? '';
}

/** A peer's name as a whole word, in any case. */
export function peerWordOf(peer: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(peer)}(?![A-Za-z0-9])`, 'i');
}

/**
 * Label keys that name a party a service calls, beyond the generic ones topology.ts reads:
 * a travel site, a carrier, a payment processor, a bank, a marketplace.
 */
const PARTY_KEY =
  /^(ota|carrier|partner|supplier|psp|acquirer|issuer|bank|processor|exchange|broker|registry|cdn|idp|marketplace|telco|courier|shipper|lender|insurer|payer|clearinghouse|aggregator|sms_provider|email_provider)$/i;

/** Label keys that name an operation, a route or an outcome: what was done, never who answered. */
export const OPERATION_KEY =
  /^(query|queries|statement|method|route|endpoint|path|uri|url|operation|op|handler|action|command|cmd|rpc|procedure|function|func|type|kind|status|code|result|outcome|table|topic|queue|job|task|event|consumergroup|consumer_group|consumer|group|group_id|groupid|subscription|request|request_type|requesttype|api|verb|call)$/i;

/**
 * Peers named by a label that names a party (`ota="bookzilla"`, `carrier="tellicom"`): the
 * label splits the same call metric of a service by value (or the metric is named for what
 * the label names), only this value's series degraded, and the new errors in the logs name
 * it. Partitioned, isolated and named in the logs, it is the other end of the call.
 */
/** A bundle's service named by its stem (`topup` for `topup-svc`, `ledger` for `ledger-api`): a part of the bundle, no outside party. */
function serviceByStem(c: Case, value: string): boolean {
  const stem = value.toLowerCase();
  return c.topology.services.some((s) => s.toLowerCase().replace(/[-_](?:svc|service|api|server|srv|app|backend|worker|gateway|gw|core)$/, '') === stem);
}

/**
 * Label keys that place a series on the platform (a pod, a host, a zone) or slice its traffic
 * by who asks (a tenant, a site): they name no party the service calls. Not `channel`: as often
 * as a sales channel it names the booking site or partner a connector pushes to, read like any
 * other key (a split by value, one value degraded, the new errors naming it).
 */
export const PLACE_KEY =
  /^(instance|pod|pod_name|container|host|hostname|node|nodename|node_name|zone|region|az|availability_zone|cluster|namespace|job|le|quantile|shard|partition|replica|version|env|environment|dc|datacenter|rack|cpu|device|disk|mountpoint|interface|ip|port|tenant|customer|user|account|site|store|location|country|market|locale|platform|os|browser|tier|plan|priority|severity|level|class|reason|error|state|phase|direction|protocol|scheme|team|owner)$/i;

/**
 * The other names a party goes by in the service's own series: label values that the series
 * carrying `key="value"` carry and that no series of another value of `key` does (the plan
 * number `bin="018844"` beside `pbm="acme-rx"`). The logs often name a party by such a code.
 */
function aliasesOf(c: Case, service: string, key: string, value: string): string[] {
  const mine = c.series.filter((s) => s.service === service && s.labels[key] === value);
  const others = c.series.filter((s) => s.service === service && key in s.labels && s.labels[key] !== value);
  const taken = new Set(others.flatMap((s) => Object.values(s.labels)));
  const out = new Set<string>();
  for (const s of mine) for (const [k, v] of Object.entries(s.labels)) if (k !== key && !PLACE_KEY.test(k) && !OPERATION_KEY.test(k) && /^[\w-]{4,}$/.test(v) && !taken.has(v)) out.add(v);
  return [...out];
}

/** The codes a peer a series names by a label value goes by in that service's series. */
export function aliasesFor(c: Case, m: Movement, peer: string): string[] {
  if (m.info.service === null) return [];
  const keys = Object.entries(m.info.labels).filter(([key, value]) => value === peer && !PLACE_KEY.test(key) && !OPERATION_KEY.test(key));
  return [...new Set(keys.flatMap(([key]) => aliasesOf(c, m.info.service as string, key, peer)))];
}

export function partitionPeers(c: Case, m: Movement, lines: typeof freshTemplate = freshTemplate): string[] {
  if (m.kind !== 'errors' && m.kind !== 'latency') return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(m.info.labels)) {
    // A party by its label's name, or a metric named for what the label names (`carrier_api_…{carrier="tellicom"}`).
    // (A label that names what is done, not whom it is done by, names no party: `query_duration{query="find_pass"}`.)
    const namedFor = !OPERATION_KEY.test(key) && m.info.name.toLowerCase().split(/[^a-z0-9]+/).includes(key.toLowerCase());
    // Any other key that neither places the series nor names an operation may name a party
    // (`pbm="…"`, `lab="…"`), when the new failures name it, or a code it goes by.
    const otherKey = !PARTY_KEY.test(key) && !namedFor && !OPERATION_KEY.test(key) && !PLACE_KEY.test(key) && m.info.service !== null;
    if (!(PARTY_KEY.test(key) || namedFor || otherKey) || !/^[A-Za-z][\w.-]{2,}$/.test(value)) continue;
    // A value that is a service of the bundle by its whole name (a party with series of its own,
    // a probe of it, say) is that service, by a key that names a party; by any other, no party.
    const party = c.topology.services.find((s) => s.toLowerCase() === value.toLowerCase()) ?? null;
    if (party === null ? c.topology.mentions(value).size > 0 || serviceByStem(c, value) : otherKey) continue;
    const siblings = c.series.filter((s) => s.id !== m.info.id && s.name === m.info.name && s.service === m.info.service && key in s.labels && s.labels[key] !== value);
    // Split by value across siblings, unless the metric is named for what the label names.
    if (new Set(siblings.map((s) => s.labels[key])).size < 2 && !namedFor) continue;
    const alsoDegraded = c.movements.some((o) => o !== m && o.symptom && o.info.name === m.info.name && o.info.service === m.info.service && o.info.labels[key] !== value);
    if (alsoDegraded) continue;
    const names = [value, ...aliasesFor(c, m, value)].map(peerWordOf);
    if (lines(c, (t) => names.some((word) => word.test(templateText(t))))) out.push(party ?? value);
  }
  return out;
}

/** A host's name with its domain (`api.csw.customs.example`): at least three labels, the last letters only. */
const HOST_NAME = /\b[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9][a-z0-9-]{0,62}){1,8}\.[a-z]{2,24}\b/g;

/** The first words of metric names that say what kind of thing is measured, not whom a service calls. */
const KIND_WORDS = new Set([
  'http', 'https', 'grpc', 'rpc', 'api', 'db', 'sql', 'pg', 'postgres', 'mysql', 'redis', 'kafka', 'jvm', 'go', 'process', 'node', 'container', 'kube', 'nginx', 'envoy',
  'upstream', 'downstream', 'client', 'server', 'request', 'requests', 'response', 'outbound', 'inbound', 'external', 'vendor', 'provider', 'partner', 'queue', 'cache',
  'pool', 'worker', 'job', 'task', 'app', 'service', 'svc', 'net', 'tcp', 'dns', 'tls', 'disk', 'cpu', 'memory', 'mem', 'heap', 'gc', 'thread', 'threads', 'system',
  // Protocols: a host named for one (`mqtt.example.net`) is whatever serves it, often the bundle's own.
  'mqtt', 'amqp', 'smtp', 'imap', 'ldap', 'ftp', 'sftp', 'ntp', 'ntrip', 'ws', 'wss', 'websocket', 's3', 'nfs', 'smb', 'ssh', 'snmp', 'sip', 'rtsp', 'modbus', 'opcua',
]);

/**
 * A party a service's call metric is named for, with no label naming it (`csw_request_duration_seconds`
 * of the service that calls the customs window): the metric's first word, when it is no word for a
 * kind of thing measured, no service of the bundle by its name or stem, not the service's own name,
 * and the new failure lines name a remote host with it as one part of its name (`api.csw.customs.example`),
 * or name it at all where another service's call metrics are named for it too.
 */
export function metricNamedPeers(c: Case, m: Movement, lines: typeof freshTemplate = freshTemplate): string[] {
  if ((m.kind !== 'errors' && m.kind !== 'latency') || m.info.service === null) return [];
  const word = metricPrefix(m.info.name);
  if (word.length < 3 || !/^[a-z][a-z0-9]*$/.test(word) || KIND_WORDS.has(word)) return [];
  const service = m.info.service.toLowerCase();
  if (service.split(/[-_]/).includes(word) || c.topology.mentions(word).size > 0 || serviceByStem(c, word)) return [];
  // Named as a part of a remote host's name (`api.csw.customs.example`), not merely as a word:
  // a metric's first word is often an operation (`submit_`, `plan_`), and lines say those too.
  const inHost = (text: string): boolean => [...text.toLowerCase().matchAll(HOST_NAME)].some((h) => h[0].split('.').includes(word));
  if (lines(c, (t) => inHost(templateText(t)))) return [word];
  // Or another service names its own calls for the same word (`apexvision_requests_per_second` of
  // two callers): two services measuring calls to one thing, which the new errors name.
  const sharedBy = new Set(c.series.filter((x) => x.service !== null && metricPrefix(x.name) === word).map((x) => x.service));
  const named = peerWordOf(word);
  return sharedBy.size >= 2 && lines(c, (t) => named.test(templateText(t))) ? [word] : [];
}
