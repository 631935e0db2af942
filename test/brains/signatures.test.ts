// The platform failures the logs name, sorted into their class by one pattern: the wordings
// below are the ones services and providers print, not any bundle's.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/brains/triage/signatures.js';
import { Topology } from '../../src/brains/triage/topology.js';

const topology = new Topology([]);
const kindOf = (text: string): string | null => classify({ ref: 'logs/x.log:1', t: 0, service: 'x', level: 'error', text }, topology)?.kind ?? null;

describe('a clock that is off', () => {
  it.each([
    'submission 42 rejected: 401 RequestTimeTooSkewed: request time 14:19:01 differs from server time 14:12:20 by more than 300s',
    'SignatureDoesNotMatch: clock skew of 402s',
    'token not valid yet (nbf claim is in the future)',
    'chronyd: no selectable sources',
    'level=warn msg="CONNECT rejected" reason=token_not_yet_valid leeway=10s rc=135',
    'jwt rejected: error=clock_skew_exceeded',
  ])('%s', (text) => {
    expect(kindOf(text)).toBe('clock');
  });

  it('is not read into words that only contain "skew"', () => {
    expect(kindOf('partition skew detected: 3 of 24 partitions hold 80% of keys')).toBeNull();
  });
});
