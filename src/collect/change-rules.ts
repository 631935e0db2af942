// How a commit becomes a change: its type and its service, by rules written down here and
// in the README so an engineer can predict them.
//
// Type: a commit (or merge, or tag) on the deployed line is a `deploy`, unless every file
// it touches is configuration, which makes it `config`. A file is configuration when it
// lies in a configuration folder (config/, configs/, conf/, etc/, deploy/, k8s/, helm/,
// charts/, manifests/) or has a configuration extension (.yaml, .yml, .toml, .ini, .conf,
// .cfg, .properties, .env, .tfvars, .hcl). JSON counts only inside those folders:
// package.json and lock files are dependencies, which ship as code.
//
// Service: the mapping given (`path prefix or repository name → service`; the longest
// prefix that matches most of the touched files wins), else a touched path segment that
// names a known service (`services/payments/pool.go` → payments), else the repository's
// folder name.

const CONFIG_FOLDERS = new Set(['config', 'configs', 'conf', 'etc', 'deploy', 'deployment', 'deployments', 'k8s', 'kubernetes', 'helm', 'charts', 'manifests', 'settings']);
const CONFIG_EXTENSION = /\.(ya?ml|toml|ini|conf|cfg|properties|env|tfvars|hcl)$/i;

export function isConfigFile(path: string): boolean {
  const segments = path.split('/');
  const base = segments.pop() ?? '';
  if (CONFIG_EXTENSION.test(base) || /^\.env(\..+)?$/.test(base)) return true;
  return segments.some((segment) => CONFIG_FOLDERS.has(segment.toLowerCase())) && /\.json$/i.test(base);
}

export function changeType(files: readonly string[]): 'deploy' | 'config' {
  return files.length > 0 && files.every(isConfigFile) ? 'config' : 'deploy';
}

export interface ServiceRules {
  repoName: string;
  /** `path prefix or repository name → service`. */
  mapping: Readonly<Record<string, string>>;
  /** Services known from the alert and the metrics. */
  known: ReadonlySet<string>;
}

function byMapping(files: readonly string[], rules: ServiceRules): string | null {
  const prefixes = Object.keys(rules.mapping)
    .filter((key) => key.includes('/') || key === '')
    .sort((a, b) => b.length - a.length);
  const votes = new Map<string, number>();
  for (const file of files) {
    const prefix = prefixes.find((candidate) => file.startsWith(candidate.replace(/^\.?\//, '')));
    const service = prefix === undefined ? undefined : rules.mapping[prefix];
    if (service !== undefined) votes.set(service, (votes.get(service) ?? 0) + 1);
  }
  const best = [...votes].sort((a, b) => b[1] - a[1])[0];
  if (best) return best[0];
  return rules.mapping[rules.repoName] ?? null;
}

function byKnownSegment(files: readonly string[], known: ReadonlySet<string>): string | null {
  const votes = new Map<string, number>();
  for (const file of files) {
    const hit = file.split('/').slice(0, -1).find((segment) => known.has(segment));
    if (hit !== undefined) votes.set(hit, (votes.get(hit) ?? 0) + 1);
  }
  return [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

export function changeService(files: readonly string[], rules: ServiceRules): string {
  return byMapping(files, rules) ?? byKnownSegment(files, rules.known) ?? rules.repoName;
}
