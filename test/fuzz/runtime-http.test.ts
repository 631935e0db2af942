// The runtime's HTTP surface under random requests, at npm test's size (the stress suite
// runs thousands: test/stress/fuzz.test.ts).
import { describe } from 'vitest';
import { fuzzRuntimeHttp } from './runtime-http.js';
import { fuzzSize } from './seed.js';

describe('the runtime under random requests', () => {
  fuzzRuntimeHttp(fuzzSize(150));
});
