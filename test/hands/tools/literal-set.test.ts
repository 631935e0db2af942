import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineChunks } from '../../../src/hands/analysis/log-chunks.js';
import { findLiterals, LiteralSetScan, planLiterals } from '../../../src/hands/analysis/literal-set.js';
import { buildMatcher, scanChunks, type LineMatcher } from '../../../src/hands/analysis/log-scan.js';
import { alternationLiterals, isLineLocal, topLevelBranches } from '../../../src/hands/analysis/regex-literal.js';
import { rng } from './helpers/random.js';
import { tempDir } from './helpers/temp.js';

describe('alternations read from a pattern', () => {
  it('splits top-level branches only, and needs a literal in every one', () => {
    expect(topLevelBranches('a(b|c)d|[|]x|e\\|f')).toEqual(['a(b|c)d', '[|]x', 'e\\|f']);
    expect(alternationLiterals('no space left|ENOSPC|disk (is )?full|oom[-_ ]?kill')).toEqual(['no space left', 'ENOSPC', 'disk ', 'kill']);
    expect(alternationLiterals('timeout after \\d+ms')).toEqual(['timeout after ']);
    expect(alternationLiterals('error|\\d+ms')).toBeNull();
    expect(alternationLiterals('error|')).toBeNull();
  });

  it('calls a pattern line-local only when no match can cross or look past a line end', () => {
    for (const local of ['timeout|refused', 'node \\S+ (is )?not ?ready', '^ERROR .*failed$', '[A-Z_]+: \\w+', '(?:a|b)c', '(?<name>x)y', 'a\\.b\\tc']) {
      expect(isLineLocal(local), local).toBe(true);
    }
    for (const spanning of ['error\\s+timeout', 'a[^x]*b', 'a\\nb', 'a(?=\\n)', '(?<=x)y', '(?!a)b', '(a)\\1', 'a\\Wb', 'a\\Db', '\\x0a', '\\u000d', '[\\s]', '(?s:a.b)', 'a\nb', 'a\\cJ']) {
      expect(isLineLocal(spanning), spanning).toBe(false);
    }
  });

  it('builds a literal-set matcher for such alternations, ASCII only when ignoring case', () => {
    expect(buildMatcher('timeout|refused', { regex: true, ignoreCase: false }).kind).toBe('literals');
    expect(buildMatcher('Timeout', { regex: false, ignoreCase: true }).kind).toBe('literals');
    expect(buildMatcher('délai|refused', { regex: true, ignoreCase: true }).kind).toBe('regex');
    expect(buildMatcher('délai|refused', { regex: true, ignoreCase: false }).kind).toBe('literals');
    expect(buildMatcher('timeout\\s+after|refused', { regex: true, ignoreCase: false }).kind).toBe('regex');
    expect(buildMatcher('timeout after \\d+', { regex: true, ignoreCase: false }).kind).toBe('prefiltered');
  });
});

describe('findLiterals', () => {
  it('finds every occurrence of every literal, as a naive search does, in either case', () => {
    const rand = rng(5);
    const alphabet = 'abcdeERORTimeout \n-_';
    const text = Buffer.from(Array.from({ length: 20_000 }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(''));
    const literals = ['timeout', 'err', 'ror', 'a-b', 'Time'];
    for (const ignoreCase of [false, true]) {
      const plan = planLiterals(literals.map((l) => Buffer.from(l)), ignoreCase, text.subarray(0, 4000));
      const haystack = ignoreCase ? text.toString('latin1').toLowerCase() : text.toString('latin1');
      const expected = new Set<number>();
      for (const literal of literals) {
        const needle = ignoreCase ? literal.toLowerCase() : literal;
        for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) expected.add(at);
      }
      expect(findLiterals(text, plan)).toEqual([...expected].sort((a, b) => a - b));
    }
  });
});

describe('a literal-set scan', () => {
  const LINES = [
    '\ufeff2026-11-20T14:00:00Z INFO started',
    '2026-11-20T14:00:01Z ERROR connection Refused by db\r',
    '2026-11-20T14:00:02Z WARN read TIMEOUT after 3000ms',
    'mid\rline timeout then\rrefused',
    '2026-11-20T14:00:03Z INFO timeoutless is still a match',
    'héllo wörld timeout ü',
    '2026-11-20T14:00:04Z INFO disk is full',
    'refusedrefused',
    '',
  ];

  async function lines(matcher: LineMatcher, file: string, chunkBytes: number): Promise<string[]> {
    const found: string[] = [];
    await scanChunks(lineChunks(file, { gzip: false, chunkBytes }), {
      matcher,
      context: 0,
      classify: (line) => line,
      wantsDetail: () => true,
      detailDone: () => false,
      accept: (line, hit) => void found.push(`${hit?.lineNo}:${line}`),
    });
    return found;
  }

  it('finds the lines the regular expression over the text finds, with any chunking', async () => {
    const file = path.join(await tempDir('incident-literal-set'), 'app.log');
    await writeFile(file, LINES.join('\n').repeat(50));
    for (const [pattern, ignoreCase] of [
      ['timeout|refused', true],
      ['timeout|refused', false],
      ['^mid|full$|TIMEOUT after \\d+ms', false],
      ['\\btimeout\\b|refused by', true],
      ['t ü$|wörld', false],
    ] as const) {
      const matcher = buildMatcher(pattern, { regex: true, ignoreCase });
      expect(matcher.kind, pattern).toBe('literals');
      const viaRegex = await lines({ kind: 'regex', regex: new RegExp(pattern, ignoreCase ? 'gmi' : 'gm') }, file, 4096);
      expect(viaRegex.length).toBeGreaterThan(0);
      for (const chunkBytes of [64, 4096]) expect(await lines(matcher, file, chunkBytes), `${pattern} ${chunkBytes}`).toEqual(viaRegex);
    }
  });

  it('lists the literal positions on the chunks it times, then keeps the faster way', () => {
    const scan = new LiteralSetScan([Buffer.from('refused')], false, /refused/gm);
    const chunk = Buffer.from('a refused b\nrefused\n');
    const answers = Array.from({ length: 5 }, () => scan.candidates(chunk));
    for (const answer of answers.slice(0, 3)) expect(answer).toEqual([2, 12]);
    for (const answer of answers.slice(3)) expect(answer === null || answer.join() === '2,12').toBe(true);
  });
});
