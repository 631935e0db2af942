// Rewordings of a bundle that keep its meaning: metric names and config keys renamed to
// synonyms a real exporter or config could use, and log messages rephrased. Every
// rewording is a permutation of words (a word and its synonym trade places), so two names
// that differed still differ, and each is applied the same way across the whole bundle.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openBundle } from '../../src/bundle/index.js';
import { filesOf } from './transform.js';

/** Word cycles: each word becomes the next in its cycle (a pair is a swap). Multi-word phrases join their words with `_`. */
type Cycles = ReadonlyArray<readonly string[]>;

function permutation(cycles: Cycles): Map<string, string> {
  const map = new Map<string, string>();
  for (const cycle of cycles) cycle.forEach((phrase, i) => map.set(phrase, cycle[(i + 1) % cycle.length] ?? phrase));
  return map;
}

/**
 * Words of metric names and their synonyms in real exporters (`duration` and `latency`,
 * `failures`, Envoy's and k6's `req`, pgx's `conns`, promhttp's `in_flight`, ...). Units
 * and suffixes (`seconds`, `bytes`, `ratio`, `total`, `per_second`, `p99`) are not in it.
 */
const METRIC_WORDS = permutation([
  ['latency', 'duration'],
  ['errors', 'failures'],
  ['error', 'failure'],
  ['requests', 'reqs'],
  ['request', 'req'],
  ['connections', 'conns'],
  ['connection', 'conn'],
  ['memory', 'mem'],
  ['usage', 'utilization', 'utilisation'],
  ['depth', 'length'],
  ['active', 'busy'],
  ['inflight', 'in_flight'],
  ['used', 'in_use'],
]);

/** Words of config keys and their synonyms in real configs (Hikari's `maximum`, Go's `conns`, gRPC's `deadline`, ...). */
const KEY_WORDS = permutation([
  ['max', 'maximum'],
  ['min', 'minimum'],
  ['conns', 'connections'],
  ['conn', 'connection'],
  ['timeout', 'deadline'],
  ['lifetime', 'lifespan'],
  ['percentage', 'percent'],
  ['replicas', 'instances'],
]);

/** Words of log messages an application chooses, and other words for the same thing. */
const LOG_WORDS = permutation([
  ['completed', 'finished', 'done'],
  ['request', 'call'],
  ['requests', 'calls'],
  ['failed', 'unsuccessful'],
  ['retrying', 'reattempting'],
  ['slow', 'sluggish'],
  ['received', 'got'],
  ['placed', 'submitted'],
  ['reserved', 'held'],
  ['authorized', 'approved'],
  ['unavailable', 'down'],
  ['rendering', 'showing'],
  ['queued', 'enqueued'],
  ['viewed', 'opened'],
  ['paid', 'settled'],
  ['served', 'handled'],
  ['cancelled', 'withdrawn'],
  ['took', 'needed'],
  ['starting', 'launching'],
  ['started', 'launched'],
  ['refreshed', 'reloaded'],
  ['fetched', 'downloaded'],
  ['sent', 'delivered'],
  ['indexed', 'ingested'],
  ['listening', 'accepting'],
  ['above', 'over'],
  ['using', 'with'],
  ['loaded', 'ready'],
]);

/**
 * What the system, not the application, prints: the operating system's, the TLS
 * library's, the resolver's and the proxy's own error strings. Their wording is fixed
 * whatever an application says around them, so a rephrasing keeps them verbatim.
 */
const SYSTEM_PHRASES = [
  'no space left on device',
  'connection refused',
  'connection reset by peer',
  'connection timed out',
  'broken pipe',
  'timed out',
  'too many open files',
  'out of memory',
  'cannot allocate memory',
  'read-only file system',
  'no such host',
  'no such file or directory',
  'permission denied',
  'certificate has expired',
  'expired certificate',
  'certificate verify failed',
  'context deadline exceeded',
  'deadline exceeded',
  'network is unreachable',
  'host is unreachable',
  'name or service not known',
  'temporary failure in name resolution',
  'resource temporarily unavailable',
  'upstream connect error or disconnect/reset before headers',
  'upstream request timeout',
  'service unavailable',
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces whole identifiers (not part of a longer name) by their new names. */
export function identifierRenamer(mapping: ReadonlyMap<string, string>): (text: string) => string {
  if (mapping.size === 0) return (text) => text;
  const names = [...mapping.keys()].sort((a, b) => b.length - a.length);
  const regex = new RegExp(`(?<![A-Za-z0-9_])(${names.map(escape).join('|')})(?![A-Za-z0-9_])`, 'g');
  return (text) => text.replace(regex, (found) => mapping.get(found) ?? found);
}

/** The words of a name with each word (or two-word phrase) in `words` swapped for its synonym, unless `keep` holds it. */
function rewordTokens(tokens: readonly string[], words: ReadonlyMap<string, string>, keep: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const pair = `${token}_${tokens[i + 1] ?? ''}`;
    if (i + 1 < tokens.length && words.has(pair) && !keep.has(token) && !keep.has(tokens[i + 1] ?? '')) {
      out.push(...(words.get(pair) ?? pair).split('_'));
      i += 1;
    } else if (words.has(token) && !keep.has(token)) {
      out.push(...(words.get(token) ?? token).split('_'));
    } else {
      out.push(token);
    }
  }
  return out;
}

/** A text file of a bundle (gzip read through). */
function readText(path: string): string {
  const raw = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

/** The bundle's service names and their words: a synonym never touches a service. */
async function serviceWords(bundleDir: string): Promise<Set<string>> {
  const index = await (await openBundle(bundleDir)).index();
  return new Set(index.services.flatMap((service) => [service.toLowerCase(), ...service.toLowerCase().split(/[^a-z0-9]+/)]));
}

/**
 * New names for the bundle's metrics: their words swapped for synonyms, units and
 * suffixes as they were, service names untouched. Names that would collide with another
 * are left as they are.
 */
export async function metricRenaming(bundleDir: string): Promise<Map<string, string>> {
  const bundle = await openBundle(bundleDir);
  const names = [...new Set((await bundle.series()).map((series) => series.name))].filter((name) => /^[A-Za-z_:][A-Za-z0-9_:]*$/.test(name) && name.includes('_'));
  const keep = await serviceWords(bundleDir);
  const mapping = new Map<string, string>();
  for (const name of names) {
    const renamed = rewordTokens(name.split('_'), METRIC_WORDS, keep).join('_');
    if (renamed !== name) mapping.set(name, renamed);
  }
  const unchanged = new Set(names.filter((name) => !mapping.has(name)));
  const targets = [...mapping.values()];
  for (const [name, renamed] of mapping) {
    if (unchanged.has(renamed) || targets.indexOf(renamed) !== targets.lastIndexOf(renamed)) mapping.delete(name);
  }
  return mapping;
}

const CONFIG_FILE = /\.(ya?ml|json|toml|properties|env|conf|ini|cfg|tf|tfvars|hcl)$|(^|\/)\.env[^/]*$/;
const KEY_PATTERNS = [
  /^[+-]\s*(?:-\s+)?"?([A-Za-z_][A-Za-z0-9_.-]*)"?\s*:(?:\s|$)/, // YAML, JSON
  /^[+-]\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*=/, // properties, env, TOML, HCL
];

export interface DiffKey {
  key: string;
  /** The diff file (bundle-relative) whose changed lines set it. */
  diff: string;
}

/** Config keys on the changed lines of the bundle's diffs, in files that are configuration. */
export function changedConfigKeys(bundleDir: string): DiffKey[] {
  const found: DiffKey[] = [];
  for (const path of filesOf(bundleDir)) {
    const rel = relative(bundleDir, path).split('\\').join('/');
    if (!/\.(patch|diff)(\.gz)?$/.test(rel)) continue;
    let file = '';
    for (const line of readText(path).split('\n')) {
      const header = /^\+\+\+ (?:b\/)?(\S+)/.exec(line);
      if (header) {
        file = header[1] ?? '';
        continue;
      }
      if (line.startsWith('---') || !CONFIG_FILE.test(file)) continue;
      for (const pattern of KEY_PATTERNS) {
        const key = pattern.exec(line)?.[1];
        if (key !== undefined && !found.some((k) => k.key === key && k.diff === rel)) found.push({ key, diff: rel });
      }
    }
  }
  return found;
}

type KeyStyle = 'camel' | 'snake' | 'kebab' | 'upper' | 'word';

function styleOf(key: string): KeyStyle {
  if (/^[A-Z0-9_]+$/.test(key) && key.includes('_')) return 'upper';
  if (key.includes('_')) return 'snake';
  if (key.includes('-')) return 'kebab';
  if (/[a-z0-9][A-Z]/.test(key)) return 'camel';
  return 'word';
}

/** A key's words swapped for synonyms and written in the other common style (camelCase ⇄ snake_case, kebab-case → camelCase). */
function renameKeyPart(part: string): string {
  const style = styleOf(part);
  const words = part
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_-]+/)
    .filter((word) => word !== '');
  const renamed = rewordTokens(words, KEY_WORDS, new Set());
  switch (style) {
    case 'upper':
      return renamed.join('_').toUpperCase();
    case 'snake':
    case 'kebab':
      return renamed.length > 1 ? renamed.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('') : renamed.join('_');
    case 'camel':
      return renamed.join('_');
    case 'word':
      return renamed.join('_');
  }
}

export interface KeyRenaming {
  /** Keys of several words: renamed wherever they appear in the bundle. */
  everywhere: Map<string, string>;
  /** Keys of one word: renamed in the diffs that set them and in the change records. */
  local: Map<string, { renamed: string; diffs: Set<string> }>;
}

/** New names for the config keys the bundle's diffs change (dotted keys renamed part by part). */
export async function keyRenaming(bundleDir: string): Promise<KeyRenaming> {
  const keys = changedConfigKeys(bundleDir);
  const services = await serviceWords(bundleDir);
  const taken = new Set(keys.map((k) => k.key));
  const everywhere = new Map<string, string>();
  const local = new Map<string, { renamed: string; diffs: Set<string> }>();
  for (const { key, diff } of keys) {
    if (services.has(key.toLowerCase())) continue;
    const renamed = key.split('.').map(renameKeyPart).join('.');
    if (renamed === key || taken.has(renamed)) continue;
    if (styleOf(key) === 'word' && !key.includes('.')) {
      const entry = local.get(key) ?? { renamed, diffs: new Set<string>() };
      entry.diffs.add(diff);
      local.set(key, entry);
    } else {
      everywhere.set(key, renamed);
    }
  }
  return { everywhere, local };
}

/** The edit of one file (bundle-relative path) under a key renaming. */
export function keyEditor(renaming: KeyRenaming): (rel: string, text: string) => string {
  const everywhere = identifierRenamer(renaming.everywhere);
  return (rel, text) => {
    let edited = everywhere(text);
    const isChanges = /(^|\/)changes\.(ya?ml|json)$/.test(rel);
    const local = new Map([...renaming.local].filter(([, entry]) => isChanges || entry.diffs.has(rel)).map(([key, entry]) => [key, entry.renamed]));
    edited = identifierRenamer(local)(edited);
    return edited;
  };
}

/**
 * Identifiers the diffs' changed lines touch (every name on a `+` or `-` line), kept
 * verbatim by a log rephrasing: a log line that names what a change touched still does.
 */
export function touchedIdentifiers(bundleDir: string): Set<string> {
  const touched = new Set<string>();
  for (const path of filesOf(bundleDir)) {
    if (!/\.(patch|diff)(\.gz)?$/.test(path)) continue;
    for (const line of readText(path).split('\n')) {
      if (!/^[+-]/.test(line) || /^(\+\+\+|---)/.test(line)) continue;
      for (const word of line.slice(1).match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) touched.add(word.toLowerCase());
    }
  }
  return touched;
}

/** Spans of a line that are kept verbatim: the system's own error strings. */
function protectedSpans(line: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const lower = line.toLowerCase();
  for (const phrase of SYSTEM_PHRASES) {
    for (let at = lower.indexOf(phrase); at >= 0; at = lower.indexOf(phrase, at + phrase.length)) spans.push([at, at + phrase.length]);
  }
  return spans;
}

const WORD = /(?<![A-Za-z0-9_.\-/:=@$#%&])[A-Za-z]+(?![A-Za-z0-9_\-/@]|\.[A-Za-z0-9])/g;

/**
 * Rephrases the messages of a log text: the application's words are swapped for others
 * that say the same, consistently; levels, keys (`key=`, `"key":`), values that are
 * identifiers, service names, the names the diffs touch, upper-case words and the
 * system's own error strings stay as they are, and so does every line's layout.
 */
export function logRephraser(keep: ReadonlySet<string>): (text: string) => string {
  const rephraseLine = (line: string): string => {
    const spans = protectedSpans(line);
    return line.replace(WORD, (word, at: number) => {
      const lower = word.toLowerCase();
      const replacement = LOG_WORDS.get(lower);
      if (replacement === undefined || keep.has(lower)) return word;
      if (word !== lower && word !== lower.charAt(0).toUpperCase() + lower.slice(1)) return word; // upper-case or camelCase: a name
      if (spans.some(([from, to]) => at < to && at + word.length > from)) return word;
      const after = line.slice(at + word.length);
      if (/^"?\s*[:=]/.test(after) && !/^:\s/.test(after)) return word; // a key of JSON or logfmt
      return word === lower ? replacement : replacement.charAt(0).toUpperCase() + replacement.slice(1);
    });
  };
  // In a JSON line only the message is wording; every other field is data.
  const rephraseJson = (line: string): string =>
    line.replace(/("(?:msg|message|log)"\s*:\s*")((?:[^"\\]|\\.)*)"/g, (_, head: string, body: string) => `${head}${rephraseLine(body)}"`);
  return (text) =>
    text
      .split('\n')
      .map((line) => (line.trimStart().startsWith('{') ? rephraseJson(line) : rephraseLine(line)))
      .join('\n');
}

/** The bundle-relative paths of the bundle's log files. */
export async function logFiles(bundleDir: string): Promise<Set<string>> {
  const bundle = await openBundle(bundleDir);
  return new Set(bundle.files.filter((file) => file.kind === 'log_text' || file.kind === 'log_jsonl').map((file) => file.path));
}

/** Everything a log rephrasing must keep: service names and the names the diffs touch. */
export async function wordsToKeep(bundleDir: string): Promise<Set<string>> {
  return new Set([...(await serviceWords(bundleDir)), ...touchedIdentifiers(bundleDir)]);
}

