// The brain reads the tools' fields, never their words: with every piece of prose the hands
// and the verifier write (each result's summary, a risky edit's detail, a truncation's hint,
// a verifier problem's message...) rewritten before the brain sees it, a rejected claim is
// corrected the same way. That the diagnosis of every shipped bundle is the same reworded
// is proved per fixture in test/brains/fixtures.test.ts, beside the fixture's plain run.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Investigation } from '../../src/eval/investigate.js';
import { FIXTURES, fixtureBundles } from './helpers.js';
import { claimOf, investigate } from './reworded.js';

const bundles = fixtureBundles();

describe('a diagnosis does not depend on how the tools word their results', () => {
  it('has bundles to run on', () => {
    expect(bundles.length).toBeGreaterThan(0);
  });

  it('corrects a rejected claim from the problem\'s code and path, whatever its message says', async () => {
    const bundle = join(FIXTURES, bundles.find((name) => name === 'checkout-cache-removed') ?? '');
    const plain = await investigate(bundle, { reworded: false, rejectFirstClaim: true });
    const other = await investigate(bundle, { reworded: true, rejectFirstClaim: true });
    const submissions = (run: Investigation): number => run.toolCalls.filter((c) => c.name === 'submit_diagnosis').length;
    // The rejection happened, and was corrected rather than given up on.
    expect(submissions(plain)).toBe(2);
    expect(plain.diagnosis?.root_cause.category).not.toBe('unknown');
    expect(claimOf(other)).toEqual(claimOf(plain));
  });
});
