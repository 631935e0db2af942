// Alert label matchers as Alertmanager writes them in its routes: `alertname="HighLatency"`,
// `severity=~"page|critical"`, `env!="staging"`, `team!~"infra.*"`. Values may be quoted
// or bare; a regular expression matches the whole value, as in Alertmanager.
import { z } from 'zod';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface AlertMatcher {
  label: string;
  op: MatchOp;
  value: string;
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

function unquote(raw: string): string | null {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return null;
    }
  }
  return /["\s]/.test(raw) ? null : raw;
}

export function parseMatcher(text: string): AlertMatcher | string {
  const match = MATCHER.exec(text);
  if (!match) return 'must be label="value", label!="value", label=~"regex" or label!~"regex" (like alertname="HighLatency")';
  const value = unquote(match[3] ?? '');
  if (value === null) return 'its value must be quoted ("…") when it holds spaces or quotes';
  const op = match[2] as MatchOp;
  if (op === '=~' || op === '!~') {
    try {
      new RegExp(`^(?:${value})$`);
    } catch (error) {
      return `its regular expression does not compile: ${(error as Error).message}`;
    }
  }
  return { label: match[1] as string, op, value };
}

export const alertMatcher = z.string({ error: 'must be a matcher such as alertname="HighLatency"' }).transform((text, ctx) => {
  const parsed = parseMatcher(text);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});

/** Whether a set of labels satisfies every matcher (a missing label is the empty string, as in Alertmanager). */
export function matchesAll(matchers: readonly AlertMatcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((matcher) => {
    const value = labels[matcher.label] ?? '';
    switch (matcher.op) {
      case '=':
        return value === matcher.value;
      case '!=':
        return value !== matcher.value;
      case '=~':
        return new RegExp(`^(?:${matcher.value})$`).test(value);
      case '!~':
        return !new RegExp(`^(?:${matcher.value})$`).test(value);
    }
  });
}
