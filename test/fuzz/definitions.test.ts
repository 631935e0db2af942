// Agent and environment definitions under generated input, at npm test's size (the stress
// suite runs thousands: test/stress/fuzz.test.ts).
import { describe } from 'vitest';
import { fuzzDefinitions } from './definitions.js';
import { fuzzSize } from './seed.js';

describe('definitions under generated input', () => {
  fuzzDefinitions(fuzzSize(150));
});
