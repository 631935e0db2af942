import { describe, expect, it } from 'vitest';
import { ProblemLog } from '../../src/bundle/problems.js';

describe('ProblemLog', () => {
  it('drops duplicates and lists a bounded number per file, saying so once', () => {
    const log = new ProblemLog(3);
    for (let round = 0; round < 2; round++) {
      for (let line = 1; line <= 10; line++) log.add({ path: 'logs/a.log', line, message: 'bad line' });
    }
    log.add({ path: 'metrics/x.json', message: 'not JSON' });
    log.add({ path: 'metrics/x.json', message: 'not JSON' });
    expect(log.list()).toEqual([
      { path: 'logs/a.log', line: 1, message: 'bad line' },
      { path: 'logs/a.log', line: 2, message: 'bad line' },
      { path: 'logs/a.log', line: 3, message: 'bad line' },
      { path: 'logs/a.log', message: 'more problems in this file are not listed (first 3 shown)' },
      { path: 'metrics/x.json', message: 'not JSON' },
    ]);
  });

  it('keeps a message readable on one line: no control characters or undecodable bytes, and bounded', () => {
    const log = new ProblemLog();
    log.add({ path: 'metrics/x.json', message: `not valid JSON: Unexpected token '\u001f', "\u001f\ufffd\b\u0000" is not valid JSON ${'x'.repeat(500)}` });
    const [problem] = log.list();
    expect(problem?.message).toMatch(/^not valid JSON: Unexpected token '\?', "\?\?\?\?" is not valid JSON x+…$/);
    expect(problem?.message.length).toBeLessThanOrEqual(301);
  });
});
