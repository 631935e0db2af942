import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureBundles, statedOnset, triage, truthOf } from './helpers.js';

const bundles = fixtureBundles();

describe('the triage brain on the fixture bundles', () => {
  it('has bundles to run on', () => {
    expect(bundles.length).toBeGreaterThan(0);
  });

  it.each(bundles)('%s: names the true category, service and change', async (name) => {
    const bundle = join(FIXTURES, name);
    const truth = truthOf(bundle);
    const run = await triage(bundle);
    expect(run.diagnosis).not.toBeNull();
    const cause = run.diagnosis?.root_cause;
    expect({ category: cause?.category, service: cause?.service, change_id: cause?.change_id }).toEqual({
      category: truth.category,
      service: truth.service,
      change_id: truth.change_id,
    });
    // The onset it states is within a few minutes of the true one.
    const onset = statedOnset(run);
    expect(onset).not.toBeNull();
    expect(Math.abs((onset as number) - Date.parse(truth.onset))).toBeLessThanOrEqual(3 * 60_000);
  });
});
