// An edit that applies to someone else. Config is often kept one file per instance (a city, a
// region, a tenant: `cities/lisbon.yaml` beside `cities/riverton.yaml`), and a release may turn
// a setting on for one of them only. When the bundle's telemetry names one of the diff's
// instances (series labelled `city="riverton"`, a page about riverton) and never the one whose
// file holds the risky edit, that edit acts where the incident is not.
import type { Case } from './case.js';
import { WHERE } from './page-rule.js';
import type { DiffInfo, RiskSignalInfo } from './read-diff.js';

/** A settings file named for one instance: its folder and its name (`cities/`, `lisbon`). */
const INSTANCE_FILE = /^(.*\/)?([a-z][a-z0-9_-]{1,40})\.(?:ya?ml|json|toml|properties|conf|ini|env|tfvars|hcl)$/i;

function instanceFile(file: string): { folder: string; name: string } | null {
  const m = INSTANCE_FILE.exec(file);
  return m === null ? null : { folder: m[1] ?? '', name: (m[2] as string).toLowerCase() };
}

/** Per case, once: the series and the page do not change while its changes are weighed, again and again. */
const carriedOf = new WeakMap<Case, Set<string>>();

/** The names the bundle's telemetry carries: its series' label values and the words of its page. */
function carriedNames(c: Case): Set<string> {
  const known = carriedOf.get(c);
  if (known !== undefined) return known;
  const names = new Set<string>();
  for (const info of c.series) for (const value of Object.values(info.labels)) if (/[a-z]/i.test(value)) names.add(value.toLowerCase());
  const page = `${c.page?.title ?? ''} ${c.page?.summary ?? ''}`.toLowerCase();
  for (const word of page.split(/[^a-z0-9_-]+/)) if (word.length >= 3) names.add(word);
  carriedOf.set(c, names);
  return names;
}

/** Beside the keys that say where a series comes from (`WHERE`), those that say what it measures: neither names whom a call goes to. */
const MEASURE_KEY = /^(hostname|container|area|le|quantile|version|build)$/i;

/**
 * The code of one party among several a label tells apart (`carriers/chillpost/client.go`, where
 * calls are labelled `upstream="chillpost"` and `upstream="parcelbird"`): why its edit acts where
 * the incident is not, when only the calls to another value of that label went wrong.
 */
function otherParty(c: Case, file: string): string | null {
  const segments = new Set(file.toLowerCase().split('/').flatMap((part) => [part, part.replace(/\.[a-z0-9]+$/, '')]));
  const symptoms = c.movements.filter((m) => m.symptom);
  for (const info of c.series) {
    for (const [key, value] of Object.entries(info.labels)) {
      const party = value.toLowerCase();
      // A label that says where a series comes from, or a value that is a service of the bundle, names no party.
      if (party.length < 3 || !segments.has(party) || WHERE.test(key) || MEASURE_KEY.test(key) || c.topology.services.some((svc) => svc.toLowerCase() === party)) continue;
      const failing = symptoms.filter((m) => key in m.info.labels);
      if (failing.length === 0 || failing.some((m) => (m.info.labels[key] as string).toLowerCase() === party)) continue;
      const other = failing[0]?.info.labels[key] as string;
      return `its edit in ${file} is ${value}'s code, and only the calls to ${other} went wrong (${failing[0]?.display}), not those to ${value}`;
    }
  }
  return null;
}

/**
 * Why the risk's edit acts where the incident is not, or null: it is in the file of an instance
 * nothing in the bundle names, while the same diff edits the file of one the bundle does name;
 * or in the code of a party whose calls held while the calls to another failed.
 */
export function outOfScope(c: Case, diff: DiffInfo, risk: RiskSignalInfo): string | null {
  const file = risk.code.replace(/:\d+$/, '');
  const party = otherParty(c, file);
  if (party !== null) return party;
  const own = instanceFile(file);
  if (own === null) return null;
  const carried = carriedNames(c);
  if (carried.has(own.name)) return null;
  const named = diff.files
    .filter((f) => f !== file)
    .map(instanceFile)
    .find((sibling) => sibling !== null && sibling.folder === own.folder && carried.has(sibling.name));
  if (named === undefined || named === null) return null;
  return `its edit in ${file} applies to ${own.name}, which nothing in the bundle's metrics or page names, while the incident's ${named.name} has its own file in the same change`;
}
