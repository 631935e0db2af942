import { beforeAll, describe, expect, it } from 'vitest';
import { logPatterns } from '../../../src/hands/tools/log-patterns.js';
import { call, contextFor, ONSET, writeBundle } from './helpers/bundle.js';

let dir: string;

interface Row {
  id: number;
  template: string;
  flag: string;
  before: number;
  after: number;
  levels: Record<string, number>;
  example: string;
}

const find = (rows: Row[], text: string): Row | undefined => rows.find((r) => r.template.includes(text));

beforeAll(async () => {
  dir = await writeBundle();
});

describe('log_patterns', () => {
  it('mines templates and flags what appeared, vanished and spiked at the onset', async () => {
    const onset = new Date(ONSET).toISOString();
    const { json, isError } = await call(logPatterns, { pivot: onset }, await contextFor(dir));
    expect(isError).toBe(false);
    expect(json.events).toBe(369);
    expect(json.pivot.at).toBe(onset);
    const rows = json.templates as Row[];
    const timeout = find(rows, 'upstream timeout after');
    expect(timeout).toMatchObject({ flag: 'new', before: 0, after: 28, levels: { error: 28 }, example: 'logs/checkout.log:194' });
    expect(timeout?.template).toContain('<*>');
    expect(find(rows, 'slow charge took')).toMatchObject({ flag: 'new', after: 28 });
    expect(find(rows, 'charge ok')).toMatchObject({ flag: 'vanished', before: 62, after: 0 });
    expect(find(rows, 'cache refresh took')).toMatchObject({ flag: 'steady' });
    expect(rows[0]?.flag).not.toBe('steady');
    expect(json.summary).toContain('2 new');
  });

  it('uses the alert time as the default pivot, where the timeouts read as a spike', async () => {
    const { json } = await call(logPatterns, { file: 'logs/checkout.log' }, await contextFor(dir));
    expect(json.pivot.at).toBe('2026-11-20T14:10:00.000Z');
    expect(find(json.templates, 'upstream timeout after')).toMatchObject({ flag: 'spiking', before: 8, after: 20 });
    expect(json.templates.every((r: Row) => r.example.startsWith('logs/checkout.log:'))).toBe(true);
  });

  it('filters by level and service', async () => {
    const context = await contextFor(dir);
    const errors = await call(logPatterns, { level: 'error' }, context);
    expect(errors.json.templates.map((r: Row) => r.template)).toEqual([expect.stringContaining('upstream timeout after')]);
    const payments = await call(logPatterns, { service: 'payments' }, context);
    expect(payments.json.events).toBe(90);
  });

  it('assigns each event its template id, paged', async () => {
    const context = await contextFor(dir);
    const { json } = await call(logPatterns, { file: 'logs/payments.jsonl', assign: true, offset: 60, limit: 4 }, context);
    expect(json.assignments.map((a: { ref: string }) => a.ref)).toEqual([
      'logs/payments.jsonl:61',
      'logs/payments.jsonl:62',
      'logs/payments.jsonl:63',
      'logs/payments.jsonl:64',
    ]);
    const [a, b, c, d] = json.assignments as Array<{ template: number }>;
    expect(a?.template).toBe(b?.template);
    expect(c?.template).toBe(d?.template);
    expect(a?.template).not.toBe(c?.template);
    expect(json.templates[String(c?.template)]).toContain('slow charge took');
    expect(json.truncated).toEqual({ omitted: 26, next_offset: 64, hint: 'call log_patterns with assign: true, offset: 64' });
  });

  it('says which field values most lines after the pivot share, where the first example names another', async () => {
    const at = (minutes: number): string => new Date(ONSET + minutes * 60_000).toISOString();
    const lines = [
      ...[-50, -30, -10].map((m) => ({ ts: at(m), level: 'debug', msg: 'partner answer without offers', partner: 'coralbid', req: `r${m + 100}` })),
      ...Array.from({ length: 12 }, (_, i) => ({ ts: at(1 + i), level: 'debug', msg: 'partner answer without offers', partner: i === 5 ? 'coralbid' : 'brightline', req: `s${i}` })),
    ];
    const own = await writeBundle({ 'logs/quotes.jsonl': `${lines.map((l) => JSON.stringify(l)).join('\n')}\n` });
    const { json } = await call(logPatterns, { file: 'logs/quotes.jsonl', pivot: new Date(ONSET).toISOString() }, await contextFor(own));
    const row = find(json.templates, 'partner answer without offers') as Row & { fields?: Record<string, string>; fields_after?: Record<string, string> };
    expect(row.fields?.partner).toBe('coralbid');
    // Eleven of the twelve lines after it name brightline; no request id is shared by most.
    expect(row.fields_after).toEqual({ partner: 'brightline' });
  });

  it('pages templates and stays within the output limit', async () => {
    const { json } = await call(logPatterns, { limit: 2 }, await contextFor(dir));
    expect(json.templates).toHaveLength(2);
    expect(json.truncated.hint).toBe('call log_patterns again with offset: 2');
    const tight = await call(logPatterns, {}, await contextFor(dir, 1200));
    expect(tight.text.length).toBeLessThanOrEqual(1200);
    expect(tight.json.truncated.omitted).toBeGreaterThan(0);
  });
});

describe('log_patterns assign, paged to the end', () => {
  /** A word per number, in letters only, so the masker keeps it and each kind is its own template. */
  const word = (n: number): string => [...n.toString(26)].map((c) => String.fromCharCode(97 + parseInt(c, 26))).join('');
  const KINDS = 120;
  const EVENTS = 720;

  it('reaches every event once, each page listing only the templates its events use', async () => {
    const lines = Array.from({ length: EVENTS }, (_, i) => {
      const t = new Date(Date.parse('2026-11-20T13:00:00Z') + i * 1000).toISOString();
      // Every word of a kind is its own, so no two kinds share a template.
      const kind = word((i % KINDS) + 700);
      const words = ['alpha', 'bravo', 'delta', 'gamma', 'kappa', 'sigma', 'omega', 'theta', 'lambda', 'zeta'].map((w) => `${kind}${w}`);
      return `${t} INFO ${words.join(' ')} ${i}`;
    });
    const dir = await writeBundle({ 'logs/pipeline.log': `${lines.join('\n')}\n` });
    const context = await contextFor(dir, 4000);
    const refs: string[] = [];
    let offset = 0;
    // Bounded: a page that shows no event while events remain fails the loop instead of spinning.
    for (let pages = 0; offset < EVENTS && pages < EVENTS; pages++) {
      const { json, text } = await call(logPatterns, { file: 'logs/pipeline.log', assign: true, offset, limit: KINDS }, context);
      expect(text.length).toBeLessThanOrEqual(4000);
      const shown = json.assignments as Array<{ ref: string; template: number }>;
      expect(shown.length, `page at offset ${offset}`).toBeGreaterThan(0);
      expect(Object.keys(json.templates).sort()).toEqual([...new Set(shown.map((a) => String(a.template)))].sort());
      refs.push(...shown.map((a) => a.ref));
      offset += shown.length;
      if (offset < EVENTS) expect(json.truncated.hint).toBe(`call log_patterns with assign: true, offset: ${offset}`);
      else expect(json.truncated).toBeUndefined();
    }
    expect(refs).toEqual(Array.from({ length: EVENTS }, (_, i) => `logs/pipeline.log:${i + 1}`));
  });
});
