// The triage brain on every shipped fixture. One plain run per fixture serves the three
// proofs that read it (none changes it): it names the truth, a second run is the same call
// for call and event for event, and a run shown every tool's prose reworded concludes the
// same. Sharing the run keeps every fixture in all three proofs at two thirds of the cost.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/protocol/events.js';
import { FIXTURES, fixtureBundles, statedOnset, triage, truthOf, type Run } from './helpers.js';
import { claimOf, investigate } from './reworded.js';

const bundles = fixtureBundles();

/**
 * A log with what differs between two runs of the same session taken out: times, and
 * ids (replaced by their order of first appearance, wherever one event names another).
 */
function strip(events: readonly SessionEvent[]): unknown[] {
  const ids = new Map<string, string>();
  const rename = (value: unknown): unknown => {
    if (typeof value === 'string' && /^sevt_/.test(value)) {
      if (!ids.has(value)) ids.set(value, `event-${ids.size}`);
      return ids.get(value);
    }
    if (Array.isArray(value)) return value.map(rename);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, rename(inner)]));
    return value;
  };
  return events.map((event) => rename({ ...event, processed_at: undefined }));
}

describe('the triage brain on the fixture bundles', () => {
  it('has bundles to run on', () => {
    expect(bundles.length).toBeGreaterThan(0);
  });

  describe.each(bundles)('%s', (name) => {
    const bundle = join(FIXTURES, name);
    let first: Promise<Run> | undefined;
    const plain = (): Promise<Run> => (first ??= triage(bundle));

    it('names the true category, service and change', async () => {
      const truth = truthOf(bundle);
      const run = await plain();
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

    it('is deterministic: a second run makes the same tool calls and logs the same events', async () => {
      const run = await plain();
      const again = await triage(bundle);
      expect(again.toolCalls).toEqual(run.toolCalls);
      expect(strip(again.events)).toEqual(strip(run.events));
    });

    it('reaches the same diagnosis with every summary, detail, hint and message reworded', async () => {
      const run = await plain();
      const other = await investigate(bundle, { reworded: true, rejectFirstClaim: false });
      expect(run.diagnosis).not.toBeNull();
      expect(claimOf(other)).toEqual(claimOf(run));
    });
  });
});
