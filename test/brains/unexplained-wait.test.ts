// A change more than an hour before the onset, whose own service reacted at once: what it did
// then is not what began now, unless something explains the wait or undoing it eased things.
import { describe, expect, it } from 'vitest';
import { finding, type FindingKind } from '../../src/brains/triage/model.js';
import { corroborated, type Suspect } from '../../src/brains/triage/suspects.js';
import { suspectWith } from './helpers.js';

function suspect(kinds: FindingKind[]): Suspect {
  const change = { id: 'cfg-1', service: 'intake', type: 'config', summary: 'lower the rate limit' };
  return suspectWith(change, kinds.map((kind) => finding(kind, kind)), { risky: true, harmful: true });
}

describe('a change whose effect came long before the onset', () => {
  it('is not corroborated by its own service reacting at once, an hour and more before', () => {
    expect(corroborated(suspect(['timing_far', 'on_path', 'risky_edit', 'own_service_worse']))).toBe(false);
  });

  it('is, when something explains the wait', () => {
    expect(corroborated(suspect(['timing_far', 'wait_explained', 'on_path', 'grows_since_change']))).toBe(true);
  });

  it('is, when undoing it eased the symptoms', () => {
    expect(corroborated(suspect(['timing_far', 'on_path', 'risky_edit', 'undo_eased']))).toBe(true);
  });

  it('is, when it came within the hour', () => {
    expect(corroborated(suspect(['timing_near', 'on_path', 'risky_edit', 'own_service_worse']))).toBe(true);
  });
});
