import { describe, expect, it } from 'vitest';
import {
  diagnosisToJson,
  emptyView,
  foldEvent,
  foldSession,
  keyArguments,
  outcomeOf,
  parseMarkdown,
  renderHuman,
  renderMarkdownReport,
  renderPlainLine,
  toNdjsonLine,
  type SessionInfo,
  type SessionView,
} from '../../src/render/index.js';
import type { StreamEvent } from '../../src/protocol/events.js';
import type { Diagnosis } from '../../src/protocol/diagnosis.js';
import { DIAGNOSIS, eventBuilder, investigation } from './builders.js';

const INFO: SessionInfo = {
  id: 'sesn_01',
  title: 'checkout p99 latency',
  service: 'checkout',
  severity: 'SEV2',
  runtime: 'local',
  createdAt: '2026-11-20T14:00:00.000Z',
  model: 'claude-opus-4-8',
};

const ESCAPE = /\u001b/;

/** Lines the way the CLI makes them: fold each event, then render it with the view after it. */
function lines(events: readonly StreamEvent[], render: (event: StreamEvent, view: SessionView) => string | null): string[] {
  let view = emptyView();
  const out: string[] = [];
  for (const event of events) {
    const next = foldEvent(view, event);
    if (next === view) continue;
    view = next;
    const line = render(event, view);
    if (line !== null) out.push(line);
  }
  return out;
}

describe('renderPlainLine', () => {
  it('prints one line per event with no escape codes, even when tool output carries them', () => {
    const b = eventBuilder();
    const events = investigation(b);
    const use = b.toolUse('search_logs', { query: 'timeout', service: 'cart' });
    events.push(use, b.toolResult(use.id, { summary: '\u001b[31mred\u001b[0m 3 matches\tin cart' }));
    const out = lines(events, renderPlainLine);
    expect(out.length).toBeGreaterThan(8);
    for (const line of out) {
      expect(line).not.toMatch(ESCAPE);
      expect(line).not.toContain('\n');
      expect(line).toMatch(/^\d\d:\d\d:\d\d /);
    }
    expect(out).toContain('14:00:05 done      query_metrics  1.0s  p99 rose from 120ms to 2.4s at 14:03');
    expect(out.at(-1)).toContain('red 3 matches in cart');
    expect(out.some((line) => /diagnosis\s+deploy service=checkout change=deploy-4821 confidence=0.82/.test(line))).toBe(true);
    expect(out.some((line) => line.includes('approval') && line.includes('action_rollback target=deploy-4821'))).toBe(true);
  });

  it('says nothing for events with nothing to tell', () => {
    const b = eventBuilder();
    const view = foldSession([]);
    expect(renderPlainLine(b.usage(10, 10), view)).toBeNull();
    expect(renderPlainLine(b.thinking(), view)).toBeNull();
  });

  it('names a rejected diagnosis and its reason', () => {
    const b = eventBuilder();
    const submit = b.submitDiagnosis();
    const out = lines([submit, b.toolResult(submit.id, { summary: 'change deploy-1 took effect after the onset' }, true)], renderPlainLine);
    expect(out.at(-1)).toMatch(/rejected\s+diagnosis not accepted: change deploy-1 took effect after the onset/);
  });
});

describe('renderHuman', () => {
  it('colours only when asked to', () => {
    const events = investigation();
    const plain = lines(events, (event, view) => renderHuman(event, view, { color: false }));
    const coloured = lines(events, (event, view) => renderHuman(event, view, { color: true }));
    expect(plain.join('\n')).not.toMatch(ESCAPE);
    expect(coloured.join('\n')).toMatch(ESCAPE);
    expect(plain.join('\n')).toContain('◆ Diagnosis deploy service=checkout change=deploy-4821');
    expect(plain.join('\n')).toContain('1. rollback deploy-4821 (risk low) roll back to v1.41');
  });

  it('renders agent markdown: bold and code markers removed, list items kept', () => {
    const b = eventBuilder();
    const message = b.agentMessage('The **deploy** `deploy-4821` lines up:\n- p99 up\n- errors flat');
    const out = renderHuman(message, foldSession([message]), { color: false });
    expect(out).toContain('The deploy deploy-4821 lines up:');
    expect(out).toContain('  • p99 up');
    expect(out).not.toContain('**');
  });
});

describe('remediation steps', () => {
  it('are headed by their kind in words and their target, and a step of no listed kind by its target alone', () => {
    const b = eventBuilder();
    const diagnosis: Diagnosis = {
      ...DIAGNOSIS,
      remediation: [
        { action: 'other', target: 'cfg-0931', detail: 'already undone by cfg-0934: watch that it stays normal', risk: 'low' },
        { action: 'revert_config', target: 'payments', detail: 'put the pool size back to 40', risk: 'medium' },
      ],
    };
    const submit = b.submitDiagnosis(diagnosis);
    const events = [submit, b.acceptedDiagnosis(submit.id, diagnosis)];
    const plain = lines(events, (event, view) => renderHuman(event, view, { color: false })).join('\n');
    expect(plain).toContain('1. cfg-0931 (risk low) already undone');
    expect(plain).toContain('2. revert config payments (risk medium)');
    expect(plain).not.toMatch(/other cfg-0931|revert_config/);
    const report = renderMarkdownReport(foldSession(events, { model: INFO.model }), events, INFO);
    expect(report).toContain('1. `cfg-0931` (risk: **low**): already undone');
    expect(report).toContain('2. **revert config** `payments` (risk: **medium**)');
  });
});

describe('renderMarkdownReport', () => {
  it('has every section, with decoys and why they were ruled out', () => {
    const events = investigation();
    const report = renderMarkdownReport(foldSession(events, { model: INFO.model }), events, INFO);
    for (const heading of ['# Incident report: checkout p99 latency', '## Summary', '## Timeline', '### Investigation', '## Evidence', '## Remediation', '### Actions', '## Hypotheses', '## Tool calls']) {
      expect(report).toContain(heading);
    }
    expect(report).toContain('**Root cause** (deploy, service `checkout`, change `deploy-4821`)');
    expect(report).toContain('1. **rollback** `deploy-4821` (risk: **low**): roll back to v1.41');
    expect(report).toContain('- **H1** (ruled out): The cfg-77 pool size change caused it');
    expect(report).toContain('  - Ruled out because: `changes cfg-77` applied 40 minutes after the onset');
    expect(report).toContain('| 1 | `query_metrics` | checkout_latency_p99 [14:00..14:30] | 1.0s | p99 rose from 120ms to 2.4s at 14:03 |');
    expect(report).toContain('`action_rollback` target=deploy-4821 to_version=v1.41 — awaiting approval');
    expect(report).toContain('| 2026-11-20T14:01:00Z | deploy-4821 rolled out |');
  });

  it('escapes table cells and says when there is no diagnosis', () => {
    const b = eventBuilder();
    const use = b.toolUse('search_logs', { query: 'a|b' });
    const events = [use, b.toolResult(use.id, 'x | y\nsecond line')];
    const report = renderMarkdownReport(foldSession(events), events, INFO);
    expect(report).toContain('No diagnosis was accepted.');
    expect(report).toContain('"a\\|b"');
    expect(report).toContain('x \\| y');
  });
});

describe('diagnosisToJson and outcomes', () => {
  it('carries the diagnosis, hypotheses, pending approvals and usage', () => {
    const json = diagnosisToJson(foldSession(investigation(), { model: 'claude-opus-4-8' }), INFO);
    expect(json).toMatchObject({ session_id: 'sesn_01', outcome: 'waiting_for_approval', status: 'idle', tool_calls: 7 });
    expect(json.diagnosis?.root_cause.change_id).toBe('deploy-4821');
    expect(json.pending_approvals).toEqual([{ tool_use_id: expect.any(String), name: 'action_rollback', input: { target: 'deploy-4821', to_version: 'v1.41' } }]);
    expect(json.hypotheses.map((hypothesis) => hypothesis.status)).toEqual(['refuted', 'supported']);
    expect(json.usage.cost_usd).toBeCloseTo((1200 + 5000 * 0.1 + 800 * 1.25) * 5e-6 + 300 * 25e-6, 10);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('tells diagnosed, inconclusive, failed and running apart', () => {
    const b = eventBuilder();
    expect(outcomeOf(foldSession([b.running()]))).toBe('running');
    expect(outcomeOf(foldSession([b.running(), b.idle()]))).toBe('inconclusive');
    expect(outcomeOf(foldSession([b.running(), b.error('boom', 'terminal'), b.terminated()]))).toBe('failed');
    const unknown = b.submitDiagnosis();
    const unknownDiagnosis = { ...investigationDiagnosis(), root_cause: { category: 'unknown' as const, service: null, change_id: null, description: '' } };
    expect(outcomeOf(foldSession([unknown, b.acceptedDiagnosis(unknown.id, unknownDiagnosis)]))).toBe('inconclusive');
  });
});

function investigationDiagnosis() {
  const view = foldSession(investigation());
  if (!view.diagnosis) throw new Error('fixture has a diagnosis');
  return view.diagnosis.value;
}

describe('toNdjsonLine', () => {
  it('is one line that parses back to the event', () => {
    const b = eventBuilder();
    const event = b.agentMessage('two\nlines');
    const line = toNdjsonLine(event);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(event);
  });
});

describe('keyArguments', () => {
  it('summarises each tool by what matters', () => {
    expect(keyArguments('query_metrics', { selector: 'http_errors_total{service="cart"}', start: '2026-11-20T14:00:00Z', end: '2026-11-20T14:30:00Z' })).toBe(
      'http_errors_total{service="cart"} [2026-11-20T14:00:00Z..2026-11-20T14:30:00Z]',
    );
    expect(keyArguments('search_logs', { query: 'timeout', service: 'cart', level: 'error' })).toBe('"timeout" service=cart level=error');
    expect(keyArguments('get_diff', { change_id: 'deploy-4821' })).toBe('deploy-4821');
    expect(keyArguments('describe_bundle', {})).toBe('');
    expect(keyArguments('action_scale', { service: 'cart', replicas: 6 })).toBe('service=cart replicas=6');
    expect(keyArguments('some_new_tool', { a: 1, b: 'two', nested: { x: 1 }, c: true, d: 4 })).toBe('a=1 b=two c=true');
  });
});

describe('parseMarkdown', () => {
  it('keeps headings, lists, code and line breaks apart', () => {
    const blocks = parseMarkdown('# Findings\nline one\nline two\n\n1. first\n   continued\n2. second\n\n```\ncode here\n```');
    expect(blocks.map((block) => block.kind)).toEqual(['heading', 'paragraph', 'list', 'code']);
    const list = blocks[2];
    expect(list?.kind === 'list' && list.items.map((item) => item.inlines.map((span) => span.text).join(''))).toEqual(['first continued', 'second']);
  });
});
