// An action approved on the client that ran it (Claude Managed Agents logs no confirmation)
// carries who approved it in its result; every renderer's one line shows it with the
// action's own summary.
import { describe, expect, it } from 'vitest';
import { summarizeResult } from '../../src/render/tool-result.js';

describe('the summary of an action approved on the client', () => {
  it('is the action’s summary and who approved it where', () => {
    const text = JSON.stringify({ approval: 'approved on oncall-laptop by --approve rollback', summary: 'rollback succeeded (exit code 0) in 0.3s', exit_code: 0 });
    expect(summarizeResult(text)).toBe('rollback succeeded (exit code 0) in 0.3s · approved on oncall-laptop by --approve rollback');
  });

  it('is the summary alone for a result that names no approval', () => {
    expect(summarizeResult(JSON.stringify({ summary: 'rollback succeeded (exit code 0) in 0.3s' }))).toBe('rollback succeeded (exit code 0) in 0.3s');
  });
});
