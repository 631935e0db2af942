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

/** How long a rule must hold, as an expression writes it (`for 5m`) or prose does (`for 10 minutes`). */
const HELD_FOR = String.raw`(?:for\s+\d+\s*(?:[smhd]|secs?|seconds?|mins?|minutes?|hours?|days?)\b.*)?`;
const COMPARISON = new RegExp(String.raw`^(.*?)\s*(>=|<=|>|<)\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?\s*` + HELD_FOR + '$', 'is');
/** A rule that fires when a series is at nothing (`sum(x) == 0`): the series fell to zero. */
const AT_ZERO = new RegExp(String.raw`^(.*?)\s*==?\s*0(?:\.0*)?\s*` + HELD_FOR + '$', 'is');
const SELECTOR = /^([A-Za-z_:][A-Za-z0-9_:]*)\s*(\{[^{}]*\})?\s*(\[[^\]]*\])?$/;
const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/;
/**
 * Functions that keep what a series is about while they sum, average or differentiate it: a
 * rule over `sum(rate(x[5m]))` fires as `x` rises. Not `count` (how many series) nor
 * `histogram_quantile` (a latency of buckets), which say something else.
 */
const KEEPS_MEANING = /^(sum|avg|max|min|rate|irate|increase|delta|idelta|deriv|(avg|max|min|sum|last)_over_time)$/;
const GROUPING = /^(by|without)\s*\([^()]*\)\s*/;

/** The position of the parenthesis that closes the one at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === '(') depth += 1;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** The left side of a division at the top level (`errors / total`): a ratio rises with what it divides. */
function numerator(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '(' || ch === '{' || ch === '[') depth += 1;
    else if (ch === ')' || ch === '}' || ch === ']') depth -= 1;
    else if (ch === '/' && depth === 0) return text.slice(0, i).trim();
  }
  return text.trim();
}

/** The one series selector an expression is about, through the functions that keep its meaning; null for anything else. */
function selectorOf(expression: string): string | null {
  const text = numerator(expression);
  if (SELECTOR.test(text)) return text;
  const call = /^([A-Za-z_]+)\s*/.exec(text);
  if (call === null || !KEEPS_MEANING.test(call[1] as string)) return null;
  // `sum by (x) (…)` and `sum(…) by (x)` group the same way.
  let rest = text.slice(call[0].length).replace(GROUPING, '');
  if (!rest.startsWith('(')) return null;
  const end = closing(rest, 0);
  if (end < 0) return null;
  const after = rest.slice(end + 1).trim().replace(GROUPING, '').trim();
  if (after !== '') return null;
  rest = rest.slice(1, end);
  return selectorOf(rest);
}

/** The rule of one expression, or null for anything but one series (summed, rated or divided) against a number. */
export function parsePageRule(expression: string): PageRule | null {
  const text = expression.trim();
  const comparison = COMPARISON.exec(text);
  const zero = comparison === null ? AT_ZERO.exec(text) : null;
  if (comparison === null && zero === null) return null;
  const selector = selectorOf(((comparison ?? zero) as RegExpExecArray)[1] as string);
  const match = selector === null ? null : SELECTOR.exec(selector);
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
  const direction = comparison === null || (comparison[2] as string).startsWith('<') ? 'down' : 'up';
  return { metric: match[1] as string, labels, direction };
}

/** A comparison in words before a number (`ratio below 0.9 for 10m`, `lag above 300`), as prose states a rule. */
const BELOW = /\s+(?:(?:is|stays|went|fell|falls|drops?|dropped)\s+)?(?:below|under|less than|lower than)\s+(?=[-+]?(?:\d|\.\d))/gi;
const ABOVE = /\s+(?:(?:is|stays|went|rose|rises|climbs?|climbed)\s+)?(?:above|over|more than|greater than|higher than|exceeds|exceeded)\s+(?=[-+]?(?:\d|\.\d))/gi;

/** A comparison's number and whatever words follow it in a sentence. */
const AFTER_THRESHOLD = /((?:>=|<=|>|<)\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)\s*%?(?:\s+\D.*)?$/s;

/** A name no English word has: a metric's own (`checkout_error_ratio`, `job:errors:rate5m`). */
const METRIC_SHAPED = /[_:]/;

/** How much of a page's prose is read for rules, and how many words of a sentence. */
const MAX_PROSE = 4_000;
const MAX_WORDS = 40;

/**
 * The rules a page's prose quotes (an alert's description often states its expression: "sum(x)
 * / y > 3 for 30m"). Each sentence is tried from its first word on, then from each later one,
 * so the words that introduce an expression do not hide it.
 */
export function rulesInText(text: string | null): PageRule[] {
  if (text === null) return [];
  const rules: PageRule[] = [];
  // A page's prose comes from whoever wrote the alert: read a bounded part of it, so a huge
  // description costs no more than a short one.
  for (const written of text.slice(0, MAX_PROSE).split(/(?<=[.;])\s+|\n+/)) {
    // What follows the threshold in prose ("above 3% of unlocks over 10 minutes") says how it is
    // measured, not which series: the rule ends at its number.
    const sentence = written.replace(BELOW, ' < ').replace(ABOVE, ' > ').replace(AFTER_THRESHOLD, '$1');
    if (!/(>=|<=|>|<|==?\s*0\b)/.test(sentence)) continue;
    // A comparison put in words ("decisions above 35%") follows English as often as a metric: only
    // a name shaped like a metric's (`_`, `:` or label matchers) is one there. A sentence that
    // writes the operator itself writes an expression, and may watch a one-word metric (`up == 0`).
    const expression = /(>=|<=|>|<|==?\s*0\b)/.test(written);
    const words = sentence.replace(/[.;]$/, '').split(/\s+/).slice(0, MAX_WORDS);
    for (let i = 0; i < words.length; i += 1) {
      const rule = parsePageRule(words.slice(i).join(' ').replace(/^[^A-Za-z_:]+/, ''));
      if (rule !== null && !expression && !METRIC_SHAPED.test(rule.metric) && Object.keys(rule.labels).length === 0) break;
      if (rule !== null) {
        rules.push(rule);
        break;
      }
    }
  }
  return rules;
}

/**
 * A latency the page's words say it fires above (`p99 latency above 1s`, `histogram_quantile(0.99,
 * …) > 800ms`), in seconds: the lowest such bar, or null when the words state none.
 */
const LATENCY_BAR =
  /(?:\b(?:latency|p9\d(?:\.\d+)?|p50|duration|response[\s_-]time)\b|\bhistogram_quantile\([^)]*\))[^.;\d]{0,40}?(?:>=?|\babove\b|\bover\b|\bexceeds?\b|\bmore than\b)\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?)\b/gi;
export function latencyBarIn(...texts: Array<string | null>): number | null {
  let bar: number | null = null;
  for (const text of texts) {
    if (text === null) continue;
    for (const match of text.slice(0, MAX_PROSE).matchAll(LATENCY_BAR)) {
      const value = Number(match[1]) * (/^m/i.test(match[2] as string) ? 0.001 : 1);
      if (value > 0 && (bar === null || value < bar)) bar = value;
    }
  }
  return bar;
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
  return countOf(name) === countOf(rule.metric) && Object.entries(rule.labels).every(([key, value]) => labels[key] === value);
}

/**
 * What a counter counts, whichever way it is exported: a rule over `rate(x_total[5m])` watches
 * the same thing as a bundle's `x_per_second` (a query_range of the rate, saved with its name).
 */
const RATE_SUFFIX = /_(total|per_second|per_minute|rate)$/;
function countOf(name: string): string {
  return name.replace(RATE_SUFFIX, '');
}

/** Label keys that name where a series comes from, not what it counts. */
export const WHERE = /^(service|app|job|instance|pod|host|node|namespace|cluster|env|environment|region|zone)$/i;

/**
 * Whether a series counts the outcome the page counts: the rule selects an outcome by a label
 * value (`reason="no_permit"`) and the series carries the same value under any key
 * (`result="no_permit"`). Moving the way the rule fires, it is the same bad news measured
 * elsewhere, wherever the series' own name leaves its direction open.
 */
export function countsPagedOutcome(rules: readonly PageRule[], labels: Readonly<Record<string, string>>, direction: 'up' | 'down'): boolean {
  return rules.some(
    (rule) =>
      rule.direction === direction &&
      Object.entries(rule.labels).some(
        ([key, value]) => !WHERE.test(key) && /[A-Za-z]{3}/.test(value) && Object.entries(labels).some(([k, v]) => !WHERE.test(k) && v.toLowerCase() === value.toLowerCase()),
      ),
  );
}
