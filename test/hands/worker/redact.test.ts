import { describe, expect, it } from 'vitest';
import { capText } from '../../../src/hands/cap-text.js';
import { createRedactor } from '../../../src/protocol/redact.js';

const none = createRedactor([]);

describe('redact: token shapes', () => {
  const cases: Array<[string, string, string]> = [
    ['anthropic key', 'key sk-ant-api03-abcdefghijklmnop_QRST-uvwx used', 'anthropic-key'],
    ['openai key', 'OPENAI=sk-proj-abcdefghijklmnopqrstuv', 'openai-key'],
    ['aws access key', 'id AKIAIOSFODNN7EXAMPLE here', 'aws-access-key'],
    ['github classic', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'github-token'],
    ['github oauth', 'gho_abcdefghijklmnopqrstuvwxyz0123456789', 'github-token'],
    ['github fine-grained', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'github-token'],
    ['slack', 'xoxb-1234567890-abcdefghij', 'slack-token'],
    [
      'jwt',
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'jwt',
    ],
  ];
  for (const [label, text, kind] of cases) {
    it(`removes ${label}`, () => {
      const out = none.redact(text);
      expect(out).toContain(`[REDACTED:${kind}]`);
      expect(out).not.toMatch(/abcdefghij|IOSFODNN7|dozjgNry|1234567890-abc/);
    });
  }

  it('keeps the scheme of a bearer header and drops the token', () => {
    expect(none.redact('Authorization: Bearer abc.def-ghi_jkl')).not.toContain('abc.def-ghi_jkl');
    expect(none.redact('curl -H "Bearer abc.def-ghi_jkl"')).toBe('curl -H "Bearer [REDACTED:credential]"');
  });

  it('removes private key blocks, whole or cut off', () => {
    const block = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabcDEF==\n-----END RSA PRIVATE KEY-----\nafter';
    const out = none.redact(`before\n${block}`);
    expect(out).toBe('before\n-----BEGIN RSA PRIVATE KEY----- [REDACTED:private-key]\nafter');
    expect(none.redact('-----BEGIN PRIVATE KEY-----\nMIIEowIBAAKC\nAQEA7')).not.toContain('MIIEow');
  });

  it('removes the value of password-like pairs in every common form', () => {
    expect(none.redact('db_password=hunter2 user=bob')).toBe('db_password=[REDACTED:secret] user=bob');
    expect(none.redact('{"api_key": "abc123", "n": 1}')).toBe('{"api_key": "[REDACTED:secret]", "n": 1}');
    expect(none.redact("SECRET: 'x9'")).toBe("SECRET: '[REDACTED:secret]'");
    expect(none.redact('GITHUB_TOKEN=abcdef')).toBe('GITHUB_TOKEN=[REDACTED:secret]');
    // A JSON log line quoted inside a JSON result.
    const nested = JSON.stringify({ line: '{"password":"hunter2","user":"bob"}' });
    expect(none.redact(nested)).toBe(JSON.stringify({ line: '{"password":"[REDACTED:secret]","user":"bob"}' }));
    expect(none.redact('postgres://app:s3cret@db:5432/x')).toBe('postgres://app:[REDACTED:password]@db:5432/x');
  });

  it('leaves lookalikes alone', () => {
    const text = '{"max_tokens": 1024, "token_count": 3, "password_reset": true} tokens=5 sk-short';
    expect(none.redact(text)).toBe(text);
    expect(none.redact('logs/api.log:1234 deploy-4821 src/cache/client.go:120')).toBe('logs/api.log:1234 deploy-4821 src/cache/client.go:120');
  });
});

describe('redact: declared credential values', () => {
  const redactor = createRedactor([
    { name: 'deploy_token', value: 'plain-value-not-token-shaped' },
    { name: 'quoted', value: 'has"quote\\and' },
    { name: 'tiny', value: 'ab' },
  ]);

  it('replaces the exact value with the credential name', () => {
    expect(redactor.redact('x plain-value-not-token-shaped y')).toBe('x [REDACTED:deploy_token] y');
  });

  it('also replaces the value as it appears inside JSON strings', () => {
    const json = JSON.stringify({ v: 'has"quote\\and' });
    expect(redactor.redact(json)).toBe('{"v":"[REDACTED:quoted]"}');
  });

  it('does not blank out values too short to be secrets', () => {
    expect(redactor.redact('abc ab')).toBe('abc ab');
  });
});

describe('redact: streamed lines', () => {
  it('only emits complete lines, redacted, and keeps a key block out across chunks', () => {
    const stream = createRedactor([{ name: 'token', value: 'supersecretvalue' }]).lines();
    const out: string[] = [];
    out.push(stream.push('step 1 supersecr'));
    expect(out.join('')).toBe('');
    out.push(stream.push('etvalue ok\n-----BEGIN PRIVATE KEY-----\nMIIBVQIBADAN\n'));
    out.push(stream.push('BgkqhkiG9w0\n-----END PRIVATE KEY-----\ndone'));
    out.push(stream.flush());
    const text = out.join('');
    expect(text).toContain('step 1 [REDACTED:token] ok\n');
    expect(text).not.toMatch(/MIIBVQ|BgkqhkiG/);
    expect(text.endsWith('done')).toBe(true);
  });
});

describe('capText', () => {
  it('returns short text unchanged', () => {
    expect(capText('abc', 100)).toBe('abc');
  });

  it('cuts to the bound and says how much was left out', () => {
    const text = 'x'.repeat(5000);
    const out = capText(text, 1000);
    expect(out.length).toBeLessThanOrEqual(1000);
    expect(out).toMatch(/truncated by the environment: \d+ of 5000 characters not shown/);
    const omitted = Number(/(\d+) of 5000/.exec(out)?.[1]);
    expect(out.indexOf('\n[truncated')).toBe(5000 - omitted);
  });

  it('cuts a JSON result by its lists, never inside a string, and says what it left out', () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ ref: `logs/a.log:${i + 1}`, message: `event "${i}" with a quote and more words to fill` }));
    const text = JSON.stringify({ summary: '200 events', events: 200, assignments: items, truncated: { omitted: 50, hint: 'call log_patterns with assign: true, offset: 200' } });
    const out = capText(text, 3000);
    expect(out.length).toBeLessThanOrEqual(3000);
    const json = JSON.parse(out) as { summary: string; assignments: typeof items; truncated: { omitted: number; hint: string } };
    expect(json.summary).toBe('200 events');
    expect(json.assignments.length).toBeGreaterThan(10);
    expect(json.assignments).toEqual(items.slice(0, json.assignments.length));
    expect(json.truncated.omitted).toBe(50 + 200 - json.assignments.length);
    expect(json.truncated.hint).toContain(`assignments: first ${json.assignments.length} of 200`);
    expect(json.truncated.hint).toContain('call log_patterns with assign: true, offset: 200');
  });

  it('cuts nested lists and long texts, the longest first, and stays JSON', () => {
    const nested = JSON.stringify({ summary: 's', files: [{ file: 'a.log', lines: Array.from({ length: 300 }, (_, i) => `line ${i}`) }, { file: 'b.log', lines: ['x'] }] });
    const cut = JSON.parse(capText(nested, 1500)) as { files: Array<{ lines: string[] }>; truncated: { hint: string } };
    expect(cut.files).toHaveLength(2);
    expect(cut.files[0]?.lines.length).toBeLessThan(300);
    expect(cut.truncated.hint).toContain('files.0.lines');
    const long = JSON.stringify({ summary: 's', text: 'é'.repeat(5000) });
    const shortened = capText(long, 1200);
    expect(shortened.length).toBeLessThanOrEqual(1200);
    expect((JSON.parse(shortened) as { text: string }).text).toMatch(/^é+… \[\d+ more chars\]$/);
  });
});
