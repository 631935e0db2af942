// Redaction of secrets: one implementation for every place that keeps or shows text.
// The hands pass every tool result through it before it leaves the worker; the runtime
// passes every event and session record through it before it is stored. Two kinds of
// secret are removed: exact values the caller knows (declared credentials, the runtime's
// own keys), in plain and JSON-escaped form since results are JSON text, and text
// shaped like a token whoever owns it. A redacted secret becomes `[REDACTED:<kind>]`, so
// a reader still sees that something was there and what it was. Imports nothing.
import { escapeRegExp } from '../regexp.js';

/** Values shorter than this are not redacted: they would blank out ordinary words. */
export const MIN_SECRET_LENGTH = 4;

interface Pattern {
  kind: string;
  regex: RegExp;
  /** Builds the replacement from the capture groups; by default the whole match is replaced. */
  replace?: (groups: readonly string[]) => string;
}

const marker = (kind: string): string => `[REDACTED:${kind}]`;

// Key names whose value is a secret: the sensitive word must end the key (`db_password`,
// `GITHUB_TOKEN`, `x-api-key`), so `max_tokens` or `token_count` are left alone.
const SECRET_KEY =
  '[A-Za-z0-9_.-]*?(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|authorization)';

const PATTERNS: readonly Pattern[] = [
  {
    kind: 'private-key',
    // A whole block, or a block cut off before its END line (a truncated read).
    regex: /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----(?:[\s\S]*?-----END \1PRIVATE KEY\2-----|[A-Za-z0-9+/=\s:,-]*)/g,
    replace: ([label = '', block = '']) => `-----BEGIN ${label}PRIVATE KEY${block}----- ${marker('private-key')}`,
  },
  { kind: 'anthropic-key', regex: /\bsk-ant-[A-Za-z0-9_-]{10,}/g },
  { kind: 'openai-key', regex: /\bsk-[A-Za-z0-9_-]{16,}/g },
  { kind: 'aws-access-key', regex: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g },
  { kind: 'github-token', regex: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}\b/g },
  { kind: 'github-token', regex: /\bgithub_pat_[A-Za-z0-9_]{22,}/g },
  { kind: 'slack-token', regex: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: 'slack-token', regex: /\bxapp-\d-[A-Za-z0-9-]{10,}/g },
  { kind: 'jwt', regex: /\beyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/g },
  {
    kind: 'bearer',
    regex: /\b(Bearer\s+)(?!\[REDACTED)[A-Za-z0-9._~+/=-]{8,}/g,
    replace: ([scheme = '']) => `${scheme}${marker('credential')}`,
  },
  {
    kind: 'url-password',
    regex: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)(?!\[REDACTED)([^\s@/]+)@/gi,
    replace: ([prefix = '']) => `${prefix}${marker('password')}@`,
  },
  {
    kind: 'secret',
    // key=value, key: value, "key": "value", key='value', Authorization: Basic xyz, and the
    // same inside a JSON string (\"key\":\"value\"). The value runs to the next quote,
    // backslash, space or separator; one already redacted is kept.
    regex: new RegExp(
      `(\\\\?["']?)\\b(${SECRET_KEY})\\1(\\s*[=:]\\s*)(\\\\?["']?)((?:Bearer|Basic|Token|Digest)\\s+)?(?!\\[REDACTED|null\\b|true\\b|false\\b)[^\\s"'&,;}\\]\\\\]+`,
      'gi',
    ),
    replace: ([q1 = '', key = '', sep = '', q2 = '', scheme = '']) => `${q1}${key}${q1}${sep}${q2}${scheme}${marker('secret')}`,
  },
];

export interface Redactor {
  /** The text with every known secret replaced by a marker. */
  redact(text: string): string;
  /** A stateful redactor for streamed output, line by line. */
  lines(): LineRedactor;
}

export interface LineRedactor {
  /** Feeds a chunk; returns the complete lines it finished, redacted ('' when none). */
  push(chunk: string): string;
  /** Whatever is left at the end, redacted. */
  flush(): string;
}

export interface NamedSecret {
  name: string;
  value: string;
}


/** The forms a value can take in output: as written, and as it appears inside JSON strings. */
function forms(value: string): string[] {
  const escaped = JSON.stringify(value).slice(1, -1);
  return escaped === value ? [value] : [value, escaped];
}

/** The capture groups of a `String.replace` callback (they end where the offset begins). */
function captures(args: readonly unknown[]): string[] {
  const end = args.findIndex((arg, index) => index > 0 && typeof arg === 'number');
  return args.slice(1, end < 0 ? args.length : end).map((group) => (typeof group === 'string' ? group : ''));
}

export function createRedactor(secrets: readonly NamedSecret[]): Redactor {
  const exact = secrets
    .filter((secret) => secret.value.length >= MIN_SECRET_LENGTH)
    .flatMap((secret) => forms(secret.value).map((form) => ({ name: secret.name, form })))
    // Longest first, so a value that contains another is replaced whole.
    .sort((a, b) => b.form.length - a.form.length);
  const exactRegex =
    exact.length === 0 ? null : new RegExp(exact.map((entry) => escapeRegExp(entry.form)).join('|'), 'g');
  const nameOf = new Map(exact.map((entry) => [entry.form, entry.name]));

  const redact = (text: string): string => {
    let out = exactRegex === null ? text : text.replace(exactRegex, (match) => marker(nameOf.get(match) ?? 'credential'));
    for (const pattern of PATTERNS) {
      const replace = pattern.replace;
      out =
        replace === undefined
          ? out.replace(pattern.regex, marker(pattern.kind))
          : out.replace(pattern.regex, (...args: unknown[]) => replace(captures(args)));
    }
    return out;
  };

  return { redact, lines: () => createLineRedactor(redact) };
}

const BEGIN_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
const END_KEY = /-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
/** A line longer than this is emitted at its last space rather than held back forever. */
const MAX_PENDING = 16_384;

function createLineRedactor(redact: (text: string) => string): LineRedactor {
  let pending = '';
  let insideKey = false;

  // Lines inside a private key block are dropped: the block spans lines, so no single
  // line of it would match the block pattern on its own.
  const emit = (text: string): string => {
    const out: string[] = [];
    for (const line of text.split(/(?<=\n)/)) {
      if (insideKey) {
        if (END_KEY.test(line)) insideKey = false;
        continue;
      }
      if (BEGIN_KEY.test(line) && !END_KEY.test(line)) {
        insideKey = true;
        out.push(redact(line.replace(/\n$/, '')) + (line.endsWith('\n') ? '\n' : ''));
        continue;
      }
      out.push(redact(line));
    }
    return out.join('');
  };

  return {
    push(chunk) {
      pending += chunk;
      const cut = pending.lastIndexOf('\n');
      if (cut >= 0) {
        const complete = pending.slice(0, cut + 1);
        pending = pending.slice(cut + 1);
        return emit(complete);
      }
      if (pending.length > MAX_PENDING) {
        const space = pending.lastIndexOf(' ');
        const at = space > 0 ? space + 1 : pending.length;
        const head = pending.slice(0, at);
        pending = pending.slice(at);
        return emit(head);
      }
      return '';
    },
    flush() {
      const rest = pending;
      pending = '';
      return rest === '' ? '' : emit(rest);
    },
  };
}
