// What the page fires on. A Prometheus alert links to its rule's expression (the
// generatorURL's `g0.expr`); when that expression is one series against a threshold
// (`critical_call_notifications_per_hour > 60`), the series crossing it is what paged,
// whatever kind of metric it is: its move dates the paged service's trouble as surely as
// an error rate would.

/** The series a page's rule watches, and which way it fires. */
export interface PageRule {
  metric: string;
  /** Label matchers the series must carry (`=` only). */
  labels: Record<string, string>;
  direction: 'up' | 'down';
}

const SIMPLE_RULE = /^([A-Za-z_:][A-Za-z0-9_:]*)\s*(\{[^{}]*\})?\s*(>=|<=|>|<)\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;
const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/;

/** The rule of one expression, or null for anything but one series against a number. */
export function parsePageRule(expression: string): PageRule | null {
  const match = SIMPLE_RULE.exec(expression.trim());
  if (match === null) return null;
  const labels: Record<string, string> = {};
  const inner = (match[2] ?? '').slice(1, -1).trim();
  if (inner !== '') {
    for (const part of inner.split(',').filter((p) => p.trim() !== '')) {
      const matcher = MATCHER.exec(part);
      // A regex or negative matcher selects series this reading cannot tell apart: no rule.
      if (matcher === null) return null;
      labels[matcher[1] as string] = (matcher[2] as string).replace(/\\(.)/g, '$1');
    }
  }
  return { metric: match[1] as string, labels, direction: (match[3] as string).startsWith('>') ? 'up' : 'down' };
}

/** The rules the page's links carry (each `…expr=` parameter of a URL). */
export function pageRules(links: readonly string[]): PageRule[] {
  const rules: PageRule[] = [];
  for (const link of links) {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      continue;
    }
    for (const [key, value] of url.searchParams) {
      if (key !== 'expr' && !key.endsWith('.expr')) continue;
      const rule = parsePageRule(value);
      if (rule !== null) rules.push(rule);
    }
  }
  return rules;
}

/** Whether a series (by name and labels) is one a rule watches. */
export function watchedBy(rule: PageRule, name: string, labels: Readonly<Record<string, string>>): boolean {
  return name === rule.metric && Object.entries(rule.labels).every(([key, value]) => labels[key] === value);
}
