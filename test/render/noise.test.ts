// What a run prints says each thing once and in words: the diagnosis once, evidence lines
// without repeats, a report that does not claim missing evidence, errors as sentences, no
// internal names in step lines, and lines that fit the terminal they are printed on.
import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../src/protocol/diagnosis.js';
import type { StreamEvent } from '../../src/protocol/events.js';
import {
  emptyView,
  evidenceDetail,
  evidenceLabel,
  explainError,
  foldEvent,
  foldSession,
  renderHuman,
  renderMarkdownReport,
  renderPlainLine,
  type SessionView,
} from '../../src/render/index.js';
import { DIAGNOSIS, eventBuilder } from './builders.js';

const INFO = { id: 'sesn_01', title: 'checkout p99', service: 'checkout', severity: 'SEV2', runtime: 'local (triage)', createdAt: '2026-11-20T14:00:00.000Z' };

/** Evidence the way a brain writes it: the series again in the detail, a log line after its own time. */
const NOISY: Diagnosis = {
  ...DIAGNOSIS,
  evidence: [
    { source: 'metrics', ref: 'node_cpu_utilisation_ratio{job="catalog-db"}', detail: 'node_cpu_utilisation_ratio{job="catalog-db"} left its normal band at 14:03:30: 0.32 → 0.87' },
    { source: 'logs', ref: 'logs/catalog-db.log:86', detail: '2026-02-10T14:12:03.327Z 2026-02-10T14:12:03.327Z ERROR canceling statement due to statement timeout' },
  ],
};

/** An investigation that ends the way the offline engine ends it: a conclusion quoting the diagnosis. */
function concluded(): StreamEvent[] {
  const b = eventBuilder();
  const submit = b.submitDiagnosis(NOISY);
  return [
    b.userMessage('Investigate.'),
    b.running(),
    submit,
    b.acceptedDiagnosis(submit.id, NOISY),
    b.agentMessage(`Conclusion: deploy deploy-4821 on checkout (confidence 0.82). ${NOISY.summary} Ruled out: cfg-77 (applied after the onset).`),
    b.idle(),
  ];
}

function lines(events: readonly StreamEvent[], render: (event: StreamEvent, view: SessionView) => string | null): string {
  let view = emptyView();
  const out: string[] = [];
  for (const event of events) {
    view = foldEvent(view, event);
    const line = render(event, view);
    if (line !== null) out.push(line);
  }
  return out.join('\n');
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('the diagnosis is said once', () => {
  it('in human and plain output: the diagnosis block tells it, the closing message keeps only what it adds', () => {
    const human = lines(concluded(), (event, view) => renderHuman(event, view, { color: false }));
    expect(count(human, NOISY.summary)).toBe(1);
    expect(human).not.toContain('Root cause');
    expect(human).toContain('Conclusion: deploy deploy-4821 on checkout (confidence 0.82). Ruled out: cfg-77 (applied after the onset).');
    const plain = lines(concluded(), renderPlainLine);
    expect(count(plain, NOISY.summary)).toBe(1);
  });

  it('in the report: the summary tells it, the timeline marks when it was accepted', () => {
    const events = concluded();
    const report = renderMarkdownReport(foldSession(events), events, INFO);
    expect(count(report, NOISY.summary)).toBe(1);
    expect(report).toMatch(/\*\*diagnosis\*\* accepted: deploy service=checkout change=deploy-4821 confidence=0\.82/);
  });
});

describe('evidence lines', () => {
  it('say the ref once, each time once, and no source twice', () => {
    const [metric, log] = NOISY.evidence;
    if (!metric || !log) throw new Error('fixture');
    expect(evidenceLabel(metric)).toBe('metrics node_cpu_utilisation_ratio{job="catalog-db"}');
    expect(evidenceDetail(metric)).toBe('left its normal band at 14:03:30: 0.32 → 0.87');
    expect(evidenceLabel(log)).toBe('logs/catalog-db.log:86');
    expect(evidenceDetail(log)).toBe('2026-02-10T14:12:03.327Z ERROR canceling statement due to statement timeout');
    const human = lines(concluded(), (event, view) => renderHuman(event, view, { color: false }));
    expect(human).toContain('• logs/catalog-db.log:86 2026-02-10T14:12:03.327Z ERROR canceling');
    expect(count(human, 'node_cpu_utilisation_ratio')).toBe(1);
  });
});

describe('the report on hypotheses', () => {
  it('never says "no evidence" of a hypothesis, and gives evidence the status it was noted under', () => {
    const b = eventBuilder();
    const events = [
      // Ruled out with its reason in the statement and no evidence of its own.
      b.hypothesis('h2', 'deploy-4819 is not the cause: web-frontend shows no symptom of its own', 'refuted'),
      // Noted with evidence while proposed, then ruled out without new evidence.
      b.hypothesis('h3', 'cfg-1180 caused it', 'proposed', [{ source: 'changes', ref: 'cfg-1180', detail: 'applied at 14:01' }]),
      b.hypothesis('h3', 'cfg-1180 is not the cause: it took effect after the onset', 'refuted'),
      // Ruled out with evidence.
      b.hypothesis('h4', 'deploy-4823 is not the cause', 'refuted', [{ source: 'changes', ref: 'deploy-4823', detail: 'rolled out at 14:31, after the onset' }]),
    ];
    const report = renderMarkdownReport(foldSession(events), events, INFO);
    expect(report).not.toContain('no evidence');
    expect(report).toContain('- **h2** (ruled out): deploy-4819 is not the cause: web-frontend shows no symptom of its own\n- **h3**');
    expect(report).toContain('  - Evidence noted while it was proposed: `changes cfg-1180` applied at 14:01');
    expect(report).toContain('  - Ruled out because: `changes deploy-4823` rolled out at 14:31, after the onset');
  });
});

describe('step lines', () => {
  it('carry no internal names: stop reasons, statuses and event ids are said in words', () => {
    const b = eventBuilder();
    const action = b.toolUse('action_rollback', { service: 'checkout' }, 'ask');
    const events = [
      b.running(),
      action,
      b.requiresAction([action.id]),
      b.confirmation(action.id, 'deny', 'not now'),
      b.running(),
      { ...b.idle(), stop_reason: { type: 'retries_exhausted' } } as StreamEvent,
      b.running(),
      { ...b.idle(), stop_reason: { type: 'budget_reached' } } as StreamEvent,
      b.running(),
      b.idle(),
    ];
    const plain = lines(events, renderPlainLine);
    for (const jargon of ['end_turn', 'requires_action', 'retries_exhausted', 'budget_reached', 'idle', 'sevt_', action.id]) expect(plain).not.toContain(jargon);
    expect(plain).toContain('waiting for a person to approve action_rollback');
    expect(plain).toContain('stopped: errors continued after every retry');
  });
});

describe('model errors', () => {
  const overloaded = { type: 'model_request_failed_error', message: '529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011"}' };

  it('read as sentences: what happened, the detail, what to do; never the raw response', () => {
    const explained = explainError({ ...overloaded, retryStatus: 'exhausted', retryInMs: null });
    expect(explained.sentence).toBe('The model is overloaded (HTTP 529). The turn stopped; send a message to try again in a few minutes.');
    const b = eventBuilder();
    const event = { ...b.error('x', 'exhausted'), error: { ...overloaded, retry_status: { type: 'exhausted' as const } } } as StreamEvent;
    const plain = lines([b.running(), event], renderPlainLine);
    expect(plain).toContain('error     The model is overloaded (HTTP 529).');
    expect(plain).not.toContain('{');
    const report = renderMarkdownReport(foldSession([event]), [event], INFO);
    expect(report).toContain('The model is overloaded (HTTP 529)');
    expect(report).not.toContain('{"type"');
  });

  it('being retried say so, with the delay the runtime gave', () => {
    const retrying = explainError({ type: 'model_overloaded_error', message: 'Overloaded', retryStatus: 'retrying', retryInMs: 8000 });
    expect(retrying.short).toBe('model overloaded, retrying in 8 s');
    expect(retrying.sentence).toBe('The model is overloaded. Retrying in 8 s.');
    expect(explainError({ type: 'authentication_error', message: 'invalid x-api-key', retryStatus: 'exhausted', retryInMs: null }).sentence).toBe(
      'The model API refused the API key (invalid x-api-key). Check ANTHROPIC_API_KEY, then send a message to try again.',
    );
    expect(explainError({ type: 'some_new_error', message: 'it broke', retryStatus: 'terminal', retryInMs: null }).sentence).toBe(
      'Some new (it broke). The session ended; start a new one.',
    );
  });
});

describe('wrapping', () => {
  const long = (): StreamEvent[] => {
    const b = eventBuilder();
    const use = b.toolUse('search_logs', { query: 'timeout' });
    return [use, b.toolResult(use.id, { summary: `${'many matching lines in the cart service logs '.repeat(4)}end` }), b.agentMessage(`- ${'a long finding '.repeat(12)}`)];
  };

  it('fits human and plain lines to the width given, continuing under the text', () => {
    for (const render of [
      (event: StreamEvent, view: SessionView) => renderHuman(event, view, { color: true, width: 60 }),
      (event: StreamEvent, view: SessionView) => renderPlainLine(event, view, 60),
    ]) {
      const out = lines(long(), render).replace(/\u001b\[[0-9;]*m/g, '');
      const rows = out.split('\n');
      expect(rows.length).toBeGreaterThan(4);
      for (const row of rows) expect(Array.from(row).length).toBeLessThanOrEqual(60);
      // A continued line starts under the text of the line it continues, not at the margin.
      expect(rows.filter((row) => /^\s{6,}\S/.test(row)).length).toBeGreaterThan(1);
    }
  });

  it('leaves piped output one line per entry', () => {
    const out = lines(long(), (event, view) => renderPlainLine(event, view)).split('\n');
    expect(out).toHaveLength(3);
    expect(Array.from(out[1] ?? '').length).toBeGreaterThan(100);
  });
});
