// A setting now read as a duration, which the configuration gives as a bare number: Go's readers
// take it as nanoseconds. Read when the diff shows both; not when the configuration gives a unit,
// nor from a test's own value.
import { describe, expect, it } from 'vitest';
import { assess, patch } from './helpers/patch.js';

const bare = (...patches: string[]): string[] =>
  assess(...patches)
    .risks.filter((s) => s.kind === 'unit_mismatch')
    .map((s) => s.detail);

const read = patch('internal/config/config.go', 30, ['-\tvar o Offers', '+\treturn Offers{', '+\t\tAcceptWindow: v.GetDuration("offers.accept_window"),', '+\t}, nil']);

describe('a bare number read as a duration', () => {
  it('is read when the configuration beside the new read gives no unit', () => {
    const config = patch('deploy/config/prod/offers.yaml', 1, ['offers:', '  accept_window: 45', '-  sweep_interval_ms: 1000', '+  sweep_interval: 1s']);
    expect(bare(read, config)).toEqual([
      'offers.accept_window is now read as a duration, but the configuration gives accept_window as 45 with no unit: a bare number is read as nanoseconds, so it is 45 ns',
    ]);
  });

  it('is not read when the configuration gives a unit, nor from a test that sets its own', () => {
    expect(bare(read, patch('deploy/config/prod/offers.yaml', 1, ['offers:', '-  accept_window: 45', '+  accept_window: 45s']))).toEqual([]);
    expect(bare(read, patch('internal/config/config_test.go', 10, ['-\tv.Set("offers.accept_window", 45)', '+\tv.Set("offers.accept_window", "45s")']))).toEqual([]);
  });
});
