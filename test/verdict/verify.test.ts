import { describe, expect, it } from 'vitest';
import { DiagnosisRejectedSchema, type VerifierProblem } from '../../src/protocol/results/index.js';
import { verifyDiagnosis, type Verdict } from '../../src/verdict/index.js';
import { blame, DB_CPU, History, investigated, P99 } from './history.js';

/** The problems in words, as a model reads them. */
function problems(verdict: Verdict): string[] {
  return verdict.accepted ? [] : verdict.problems.map((problem) => problem.message);
}

/** The problems as fields, as a brain reads them. */
function fields(verdict: Verdict): Array<Omit<VerifierProblem, 'message'>> {
  return verdict.accepted ? [] : verdict.problems.map(({ message: _message, ...rest }) => rest);
}

describe('verifyDiagnosis', () => {
  it('accepts a claim every part of which a tool returned', () => {
    const verdict = verifyDiagnosis(blame(), investigated().events);
    expect(problems(verdict)).toEqual([]);
    expect(verdict.accepted).toBe(true);
  });

  it('rejects input that does not match the schema, naming the field', () => {
    const verdict = verifyDiagnosis({ ...blame(), confidence: 2 }, investigated().events);
    expect(problems(verdict).join('\n')).toMatch(/^confidence: /m);
  });

  it('rejects an evidence ref no tool returned, and says how to cite', () => {
    const input = blame({ evidence: [...(blame().evidence as object[]), { source: 'logs', ref: 'logs/checkout.log:9999', detail: 'x' }] });
    const found = problems(verifyDiagnosis(input, investigated().events));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('evidence[4].ref "logs/checkout.log:9999" was not returned by any tool');
    expect(found[0]).toContain('exactly as a tool printed it');
  });

  it('matches refs as whole tokens: deploy-48 is not seen in deploy-4821', () => {
    const input = blame({ evidence: [...(blame().evidence as object[]), { source: 'changes', ref: 'deploy-48', detail: 'x' }] });
    expect(problems(verifyDiagnosis(input, investigated().events))).toEqual([expect.stringContaining('"deploy-48"')]);
  });

  it('accepts a file:line inside a range a tool printed', () => {
    const input = blame({ evidence: [...(blame().evidence as object[]), { source: 'diffs', ref: 'src/price.ts:117', detail: 'in the hunk' }] });
    expect(verifyDiagnosis(input, investigated().events).accepted).toBe(true);
  });

  it('accepts the id of a tool result event as a ref', () => {
    const history = investigated();
    const eventId = history.tool('read_file', { path: 'runbooks/checkout.md' }, 'plain text runbook');
    const input = blame({ evidence: [...(blame().evidence as object[]), { source: 'runbooks', ref: eventId, detail: 'runbook' }] });
    expect(verifyDiagnosis(input, history.events).accepted).toBe(true);
  });

  it('does not count what the brain wrote itself: a ref seen only in a note_hypothesis echo is unseen', () => {
    const history = investigated();
    history.tool('note_hypothesis', { id: 'h1' }, { summary: 'hypothesis h1', hypothesis: { evidence: [{ ref: 'logs/invented.log:1' }] } });
    const input = blame({ evidence: [...(blame().evidence as object[]), { source: 'logs', ref: 'logs/invented.log:1', detail: 'x' }] });
    expect(problems(verifyDiagnosis(input, history.events))).toEqual([expect.stringContaining('logs/invented.log:1')]);
  });

  it('does not count a tool result that was an error', () => {
    const history = investigated();
    history.tool('search_logs', { pattern: 'x' }, { summary: 'error: logs/other.log:5 unreadable' }, true);
    const input = blame({ evidence: [...(blame().evidence as object[]), { source: 'logs', ref: 'logs/other.log:5', detail: 'x' }] });
    expect(verifyDiagnosis(input, history.events).accepted).toBe(false);
  });

  it('rejects a change no tool returned', () => {
    const input = blame({ root_cause: { change_id: 'deploy-9999' } });
    expect(problems(verifyDiagnosis(input, investigated().events))).toContain(
      'change deploy-9999 was not returned by any tool in this session: list it with list_changes first, or name no change',
    );
  });

  it('rejects a change that took effect after the onset the diagnosis states', () => {
    const input = blame({
      timeline: [{ at: '2026-02-10T14:00:00Z', event: 'Onset: checkout p99 left its band' }],
    });
    const found = problems(verifyDiagnosis(input, investigated().events)).join('\n');
    expect(found).toContain('after the onset you state (2026-02-10T14:00:00Z)');
    expect(found).toContain('blame an earlier change or say unknown');
  });

  it('rejects a change that took effect after the page', () => {
    const input = blame({ root_cause: { change_id: 'deploy-4823', service: 'search' } });
    expect(problems(verifyDiagnosis(input, investigated().events)).join('\n')).toContain('after the page at 2026-02-10T14:12:00Z');
  });

  it('without a stated onset, holds the change against the onset measured on the cited series', () => {
    const history = new History();
    history.tool('list_changes', {}, { changes: [{ id: 'deploy-1', service: 'checkout', type: 'deploy', at: '2026-02-10T14:20:00.000Z' }] });
    history.tool('detect_changes', {}, {
      change_points: [{ series: P99, onset: '2026-02-10T14:03:30.000Z', significant: true }],
    });
    const input = blame({
      root_cause: { change_id: 'deploy-1' },
      confidence: 0.4,
      evidence: [
        { source: 'changes', ref: 'deploy-1', detail: '' },
        { source: 'metrics', ref: P99, detail: '' },
      ],
      timeline: [],
    });
    expect(problems(verifyDiagnosis(input, history.events))).toEqual([
      expect.stringContaining(`after ${P99} began to move at 2026-02-10T14:03:30Z`),
    ]);
  });

  it('rejects a stated onset that no tool measured', () => {
    const input = blame({ timeline: [{ at: '2026-02-10T14:40:00Z', event: 'Onset of the errors' }] });
    expect(problems(verifyDiagnosis(input, investigated().events)).join('\n')).toContain('is not near any change point a tool measured');
  });

  it('takes the category from the change type and says which it must be', () => {
    const input = blame({ root_cause: { category: 'config' } });
    expect(problems(verifyDiagnosis(input, investigated().events))).toEqual([
      'change deploy-4821 is a deploy change, so the category is deploy, not config',
    ]);
  });

  it('counts a rollback under the category of what it rolled back', () => {
    const evidence = [
      { source: 'changes', ref: 'rollback-4830', detail: '' },
      { source: 'metrics', ref: P99, detail: '' },
    ];
    const ok = blame({ root_cause: { category: 'config', change_id: 'rollback-4830' }, confidence: 0.5, evidence });
    expect(problems(verifyDiagnosis(ok, investigated().events))).toEqual([]);
    const wrong = blame({ root_cause: { category: 'deploy', change_id: 'rollback-4830' }, confidence: 0.5, evidence });
    expect(problems(verifyDiagnosis(wrong, investigated().events))).toEqual([expect.stringContaining('so the category is config, not deploy')]);
  });

  it('says each problem as fields: a code, where, what was expected and what was given', () => {
    const events = investigated().events;
    const unseen = blame({ evidence: [...(blame().evidence as object[]), { source: 'logs', ref: 'logs/checkout.log:9999', detail: 'x' }] });
    expect(fields(verifyDiagnosis(unseen, events))).toEqual([{ code: 'evidence_not_seen', path: ['evidence', 4, 'ref'], expected: null, got: 'logs/checkout.log:9999' }]);
    expect(fields(verifyDiagnosis(blame({ root_cause: { service: 'catalog-db' } }), events))).toEqual([
      { code: 'service_mismatch', path: ['root_cause', 'service'], expected: 'checkout', got: 'catalog-db' },
    ]);
    const rollback = [
      { source: 'changes', ref: 'rollback-4830', detail: '' },
      { source: 'metrics', ref: P99, detail: '' },
    ];
    expect(fields(verifyDiagnosis(blame({ root_cause: { category: 'deploy', change_id: 'rollback-4830' }, confidence: 0.5, evidence: rollback }), events))).toEqual([
      { code: 'category_mismatch', path: ['root_cause', 'category'], expected: ['config'], got: 'deploy' },
    ]);
    const metricsOnly = [
      { source: 'changes', ref: 'deploy-4821', detail: '' },
      { source: 'metrics', ref: P99, detail: '' },
    ];
    expect(fields(verifyDiagnosis(blame({ evidence: metricsOnly, confidence: 0.85 }), events))).toEqual([
      { code: 'confidence_uncorroborated', path: ['confidence'], expected: 0.7, got: 0.85 },
    ]);
    const rejected = verifyDiagnosis({ ...blame(), confidence: 2 }, events);
    expect(fields(rejected)[0]).toMatchObject({ code: 'invalid_diagnosis', path: ['confidence'] });
    // What submit_diagnosis returns when it rejects is valid against the protocol's schema.
    expect(DiagnosisRejectedSchema.safeParse({ summary: 'x', accepted: false, problems: rejected.accepted ? [] : rejected.problems }).success).toBe(true);
  });

  it('requires the service to be the changed one', () => {
    const input = blame({ root_cause: { service: 'catalog-db' } });
    expect(problems(verifyDiagnosis(input, investigated().events))).toEqual(['change deploy-4821 changed checkout: set root_cause.service to "checkout"']);
  });

  it('requires a blamed change to be cited, with metric evidence of the symptom', () => {
    const input = blame({ confidence: 0.5, evidence: [{ source: 'diffs', ref: 'diffs/deploy-4821.patch:42', detail: '' }] });
    const found = problems(verifyDiagnosis(input, investigated().events)).join('\n');
    expect(found).toContain('cite change deploy-4821 itself');
    expect(found).toContain('needs metric evidence of the symptom');
  });

  it('demands corroboration for high confidence, and accepts the same claim at lower confidence', () => {
    const evidence = [
      { source: 'changes', ref: 'deploy-4821', detail: '' },
      { source: 'metrics', ref: P99, detail: '' },
      { source: 'metrics', ref: DB_CPU, detail: '' },
    ];
    const high = problems(verifyDiagnosis(blame({ evidence, confidence: 0.85 }), investigated().events));
    expect(high).toEqual([expect.stringContaining('confidence 0.85 needs corroboration')]);
    expect(verifyDiagnosis(blame({ evidence, confidence: 0.6 }), investigated().events).accepted).toBe(true);
  });

  it('needs two pieces of evidence above 0.5', () => {
    const input = blame({ confidence: 0.6, evidence: [{ source: 'changes', ref: 'deploy-4821', detail: '' }] });
    expect(problems(verifyDiagnosis(input, investigated().events)).join('\n')).toContain('needs at least two pieces of evidence');
  });

  it('keeps unknown honest: no change, low confidence', () => {
    const unknown = {
      ...blame(),
      root_cause: { category: 'unknown', service: null, change_id: null, description: 'not identifiable' },
      confidence: 0.2,
      evidence: [{ source: 'metrics', ref: P99, detail: '' }],
    };
    expect(verifyDiagnosis(unknown, investigated().events).accepted).toBe(true);
    const named = problems(verifyDiagnosis({ ...unknown, root_cause: { ...unknown.root_cause, change_id: 'deploy-4821' } }, investigated().events));
    expect(named).toContain('an unknown root cause names no change: set change_id to null');
    const sure = problems(verifyDiagnosis({ ...unknown, confidence: 0.6 }, investigated().events));
    expect(sure).toContain('an unknown root cause cannot carry confidence 0.6: set it to 0.3 or less');
  });

  it('needs a change for a change category, and metrics or logs for a cause that is not one', () => {
    const deploy = blame({ root_cause: { change_id: null }, confidence: 0.5 });
    expect(problems(verifyDiagnosis(deploy, investigated().events))).toEqual([expect.stringContaining('a deploy cause is a change')]);
    const capacity = blame({
      root_cause: { category: 'capacity', change_id: null, service: 'checkout' },
      confidence: 0.5,
      evidence: [{ source: 'changes', ref: 'cfg-1180', detail: '' }],
    });
    expect(problems(verifyDiagnosis(capacity, investigated().events))).toEqual([expect.stringContaining('a capacity cause needs evidence from metrics or logs')]);
    const backed = blame({ root_cause: { category: 'capacity', change_id: null, service: 'checkout' }, confidence: 0.5, evidence: [{ source: 'metrics', ref: DB_CPU, detail: '' }] });
    expect(verifyDiagnosis(backed, investigated().events).accepted).toBe(true);
  });

  it('rejects a timeline entry whose time is not a time', () => {
    const input = blame({ timeline: [...(blame().timeline as object[]), { at: 'shortly after lunch', event: 'things broke' }] });
    expect(problems(verifyDiagnosis(input, investigated().events))).toEqual([expect.stringContaining('timeline[2].at "shortly after lunch" is not a time')]);
  });
});

describe('a bundle without metrics', () => {
  function logsOnly(): History {
    const h = new History();
    h.tool('describe_bundle', {}, {
      summary: 'Page "Mail stalled" (mailer); no metrics',
      page: { title: 'Mail stalled', service: 'mailer', started_at: '2026-02-10T14:12:00.000Z' },
      counts: { series: 0, changes: 1, logs: 1 },
    });
    h.tool('list_changes', {}, { summary: '1 change', changes: [{ id: 'cfg-9', service: 'mailer', type: 'config', at: '2026-02-10T14:00:00.000Z' }] });
    h.tool('search_logs', { pattern: 'handshake' }, {
      summary: '40 matching lines',
      matches: [{ ref: 'logs/mailer.log:88', t: '2026-02-10T14:00:10.000Z', text: 'TLS handshake failed: client certificate required' }],
    });
    return h;
  }
  const claim = (evidence: object[]): Record<string, unknown> =>
    blame({
      root_cause: { category: 'config', service: 'mailer', change_id: 'cfg-9', description: 'client certificates required' },
      confidence: 0.6,
      evidence,
      timeline: [
        { at: '2026-02-10T14:00:00Z', event: 'cfg-9 took effect' },
        { at: '2026-02-10T14:00:10Z', event: 'Onset: the first handshake failure' },
      ],
    });

  it('accepts log lines as the evidence of the symptom', () => {
    const verdict = verifyDiagnosis(
      claim([
        { source: 'changes', ref: 'cfg-9', detail: 'config of mailer' },
        { source: 'logs', ref: 'logs/mailer.log:88', detail: 'handshake failures from 14:00:10' },
      ]),
      logsOnly().events,
    );
    expect(problems(verdict)).toEqual([]);
  });

  it('still needs some evidence of the symptom', () => {
    const found = problems(verifyDiagnosis(claim([{ source: 'changes', ref: 'cfg-9', detail: 'config of mailer' }]), logsOnly().events));
    expect(found.join('\n')).toContain('this bundle has no metrics, so cite a log line');
  });
});
