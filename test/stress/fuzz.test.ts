// The generated-input suites at full size, from a fresh seed each run (printed, and
// replayed with INCIDENT_FUZZ_SEED=<seed>): the runtime's HTTP surface, every bundle
// reader, whole bundles and the YAML definitions. npm test runs the same properties small.
import { describe } from 'vitest';
import { fuzzBundleReaders, fuzzBundles } from '../fuzz/bundle-readers.js';
import { fuzzDefinitions } from '../fuzz/definitions.js';
import { fuzzRuntimeHttp } from '../fuzz/runtime-http.js';
import { fuzzSize } from '../fuzz/seed.js';

describe('the runtime under random requests, at full size', () => {
  fuzzRuntimeHttp(fuzzSize(2500, true));
});

describe('bundle readers under generated input, at full size', () => {
  fuzzBundleReaders(fuzzSize(4000, true));
  fuzzBundles(fuzzSize(300, true));
});

describe('definitions under generated input, at full size', () => {
  fuzzDefinitions(fuzzSize(3000, true));
});
