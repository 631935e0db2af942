import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../src/protocol/diagnosis.js';
import { renderJson, renderText } from '../../src/eval/report.js';
import { calibration, score, summarize, TruthSchema, type Truth } from '../../src/eval/score.js';

function truth(fields: Partial<Truth> & Pick<Truth, 'category'>): Truth {
  return TruthSchema.parse({ service: null, change_id: null, ...fields });
}

function diagnosis(category: Diagnosis['root_cause']['category'], service: string | null, changeId: string | null, confidence: number): Diagnosis {
  return {
    summary: 's',
    root_cause: { category, service, change_id: changeId, description: 'd' },
    confidence,
    evidence: [],
    remediation: [],
    timeline: [{ at: '2030-01-01T00:10:00Z', event: 'onset: errors begin' }],
  };
}

const run = { toolCalls: 10, elapsedMs: 500 };
const deploy = truth({ category: 'deploy', service: 'cart', change_id: 'deploy-1', onset: '2030-01-01T00:09:00Z' });

describe('scoring a diagnosis against the truth', () => {
  it('is correct when category, change and service are all right', () => {
    const scored = score('b', deploy, diagnosis('deploy', 'cart', 'deploy-1', 0.9), run);
    expect(scored).toMatchObject({ outcome: 'correct', category: true, change: true, service: true, onsetErrorSeconds: 60 });
  });

  it('counts a change the truth lists as acceptable as right', () => {
    const staged = truth({ category: 'feature_flag', service: 'recs', change_id: 'ff-1', acceptable_change_ids: ['ff-2', 'ff-3'] });
    expect(score('b', staged, diagnosis('feature_flag', 'recs', 'ff-3', 0.7), run).outcome).toBe('correct');
    expect(score('b', staged, diagnosis('feature_flag', 'recs', 'ff-9', 0.7), run).outcome).toBe('wrong_blame');
  });

  it('calls naming another change, or any cause when the truth is unknown, a wrong blame', () => {
    expect(score('b', deploy, diagnosis('deploy', 'cart', 'deploy-2', 0.9), run).outcome).toBe('wrong_blame');
    expect(score('b', deploy, diagnosis('config', 'cart', 'cfg-1', 0.9), run).outcome).toBe('wrong_blame');
    expect(score('b', truth({ category: 'unknown' }), diagnosis('capacity', 'cart', null, 0.6), run).outcome).toBe('wrong_blame');
  });

  it('tells an abstention, a wrong category, a partly right answer and no diagnosis apart', () => {
    expect(score('b', deploy, diagnosis('unknown', null, null, 0.2), run).outcome).toBe('abstained');
    const capacity = truth({ category: 'capacity', service: 'catalog' });
    expect(score('b', capacity, diagnosis('infrastructure', 'catalog', null, 0.6), run).outcome).toBe('wrong_category');
    expect(score('b', deploy, diagnosis('deploy', 'cart', null, 0.5), run).outcome).toBe('partly_right');
    expect(score('b', truth({ category: 'unknown' }), null, run).outcome).toBe('no_diagnosis');
  });

  it('sorts diagnoses into confidence bands and counts how many in each were right', () => {
    const rows = [
      score('a', truth({ category: 'unknown' }), diagnosis('unknown', null, null, 0.3), run),
      score('b', deploy, diagnosis('deploy', 'cart', 'deploy-1', 0.45), run),
      score('c', deploy, diagnosis('deploy', 'cart', 'deploy-2', 0.6), run),
      score('d', deploy, diagnosis('deploy', 'cart', 'deploy-1', 0.8), run),
      score('e', deploy, diagnosis('deploy', 'cart', 'deploy-1', 1), run),
      score('f', deploy, null, run),
    ];
    expect(calibration(rows)).toEqual([
      { band: '≤0.3', diagnoses: 1, right: 1 },
      { band: '0.3–0.6', diagnoses: 1, right: 1 },
      { band: '0.6–0.8', diagnoses: 1, right: 0 },
      { band: '≥0.8', diagnoses: 2, right: 2 },
    ]);
    expect(summarize(rows).outcomes).toEqual({ correct: 4, wrong_blame: 1, abstained: 0, wrong_category: 0, partly_right: 0, no_diagnosis: 1 });
  });
});

describe('the evaluation report', () => {
  const rows = [
    score('good', deploy, diagnosis('deploy', 'cart', 'deploy-1', 0.9), { toolCalls: 12, elapsedMs: 400 }),
    score('blamed', deploy, diagnosis('deploy', 'cart', 'deploy-2', 0.7), { toolCalls: 9, elapsedMs: 600 }),
  ];

  it('shows each folder with its outcomes, time per bundle, calibration and one row per bundle', () => {
    const text = renderText([{ folder: '/sets/a', rows }, { folder: '/sets/b', rows: rows.slice(0, 1) }]);
    expect(text).toContain('== /sets/a');
    expect(text).toContain('== /sets/b');
    expect(text).toMatch(/wrong blame: +1 \(50\.0%\)/);
    expect(text).toMatch(/time per bundle: +mean 0\.50s, max 0\.60s/);
    expect(text).toMatch(/≥0\.8 +1 +1 \(100\.0%\)/);
    expect(text).toMatch(/blamed +deploy cart deploy-1 +deploy cart deploy-2 +0\.70 +wrong blame +ok +MISS +ok/);
  });

  it('gives scripts the same as JSON', () => {
    const parsed = JSON.parse(renderJson([{ folder: '/sets/a', rows }])) as { folders: Array<{ folder: string; summary: Record<string, unknown>; bundles: Array<Record<string, unknown>> }> };
    const [folder] = parsed.folders;
    expect(folder?.folder).toBe('/sets/a');
    expect(folder?.summary).toMatchObject({ bundles: 2, outcomes: { correct: 1, wrong_blame: 1 }, mean_ms: 500, max_ms: 600 });
    expect(folder?.bundles[1]).toMatchObject({
      bundle: 'blamed',
      outcome: 'wrong_blame',
      diagnosis: { category: 'deploy', service: 'cart', change_id: 'deploy-2', confidence: 0.7 },
      change_right: false,
      tool_calls: 9,
      elapsed_ms: 600,
    });
  });
});
