// A service's own new errors, read from its logs: a kind of warning or error that it did not
// log at the start of the window and then logged again and again. That is a symptom as
// much as a metric leaving its band, and the only one a service without dashboards has.
// Its first line dates it.
import type { Case } from './case.js';
import { freshProblem, servicesOfRef } from './case.js';
import { templateText, type TemplateInfo } from './read.js';

export interface LogSymptom {
  service: string;
  /** When its first line was logged. */
  onset: number;
  template: TemplateInfo;
  /** Services its lines name besides their own. */
  peers: Set<string>;
}

/** A template seen this many times is a pattern, not a one-off. */
const MIN_LINES = 3;
/** Absent for at least this long at the start of the window read: it began within it. */
const ABSENT_AT_START_MS = 10 * 60_000;

/** The service that logged a template: its file's only service, else the one its example line was read as. */
export function ownerOf(c: Case, template: TemplateInfo): string | null {
  const owners = servicesOfRef(c, template.example);
  if (owners.length === 1) return owners[0] as string;
  if (owners.length === 0) return null;
  return c.templateOwners.get(template.example) ?? null;
}

/** Who logged a template, and the other services its lines name (a peer it calls, a host's workload). */
export function namedBy(c: Case, template: TemplateInfo): { owner: string | null; named: Set<string> } {
  const owner = ownerOf(c, template);
  const named = c.topology.mentions(templateText(template));
  if (owner !== null) named.delete(owner);
  return { owner, named };
}

/** Templates that may be symptoms but sit in a file several services write to: who logged them must be asked. */
export function ambiguousTemplates(c: Case): TemplateInfo[] {
  return c.templates.filter((t) => began(c, t) && servicesOfRef(c, t.example).length > 1 && !c.templateOwners.has(t.example));
}

function began(c: Case, template: TemplateInfo): boolean {
  const window = c.logWindow;
  if (window === null || !freshProblem(template) || template.firstSeen === null) return false;
  if (template.before + template.after < MIN_LINES) return false;
  return template.flag === 'new' || template.firstSeen >= window.from + ABSENT_AT_START_MS;
}

/** Words of a line that reports another service failing (its name may be masked in the template). */
const REPORTS_OTHER = /\b(upstream|downstream|bad gateway|gateway time-?out|backend (error|unavailable|timed? ?out)|dependency (error|failed|unavailable|timed? ?out)|circuit[- ]?(breaker )?open)\b/i;

/** Stands for a peer the line names without saying which (its name was masked away). */
export const UNNAMED_PEER = '(another service)';

/** Services a template's lines are about, besides the one that logged them. */
export function peersOf(c: Case, template: TemplateInfo, owner: string | null): Set<string> {
  const peers = c.topology.mentions(templateText(template));
  if (owner !== null) peers.delete(owner);
  if (peers.size === 0 && REPORTS_OTHER.test(template.template)) peers.add(UNNAMED_PEER);
  return peers;
}

/** Problems that began inside the window the templates were mined over, earliest first. */
export function logSymptoms(c: Case): LogSymptom[] {
  const out: LogSymptom[] = [];
  for (const template of c.templates) {
    if (!began(c, template) || template.firstSeen === null) continue;
    const service = ownerOf(c, template);
    if (service === null) continue;
    out.push({ service, onset: template.firstSeen, template, peers: peersOf(c, template, service) });
  }
  return out.sort((a, b) => a.onset - b.onset || (a.template.example < b.template.example ? -1 : 1));
}
