// Every bundle reader under generated input, at npm test's size (the stress suite runs
// thousands: test/stress/fuzz.test.ts).
import { describe } from 'vitest';
import { fuzzBundleReaders, fuzzBundles } from './bundle-readers.js';
import { fuzzSize } from './seed.js';

describe('bundle readers under generated input', () => {
  fuzzBundleReaders(fuzzSize(200));
  fuzzBundles(fuzzSize(15));
});
