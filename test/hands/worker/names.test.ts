import { describe, expect, it } from 'vitest';
import { externalToolName, MAX_TOOL_NAME, TOOL_NAME } from '../../../src/hands/external/names.js';

describe('externalToolName', () => {
  it('joins server and tool with a double underscore', () => {
    expect(externalToolName('everything', 'get-env', new Set())).toBe('everything__get-env');
  });

  it('replaces what the Messages API does not allow, dots included', () => {
    const name = externalToolName('grafana', 'dashboards.search v2', new Set());
    expect(name).toBe('grafana__dashboards_search_v2');
    expect(name).toMatch(TOOL_NAME);
  });

  it('shortens long names to the limit and keeps two of them apart', () => {
    const taken = new Set<string>();
    const long = 'a'.repeat(80);
    const first = externalToolName('server', `${long}-one`, taken);
    const second = externalToolName('server', `${long}-two`, taken);
    expect(first.length).toBeLessThanOrEqual(MAX_TOOL_NAME);
    expect(second.length).toBeLessThanOrEqual(MAX_TOOL_NAME);
    expect(first).not.toBe(second);
    expect(first).toMatch(TOOL_NAME);
  });

  it('never hands out a name that is taken', () => {
    const taken = new Set(['x__a_b']);
    const name = externalToolName('x', 'a.b', taken);
    expect(name).not.toBe('x__a_b');
    expect(name).toMatch(TOOL_NAME);
    expect(taken.has(name)).toBe(true);
  });
});
