// Faults of the hands worker and of the state store, at npm test's size, compared with one
// clean investigation (the stress suite runs many more seeds and trials:
// test/stress/faults.test.ts).
import { describe } from 'vitest';
import { garbageWorker } from './garbage-worker.js';
import { damagedDatabaseTrials, fullDiskTrials } from './store-faults.js';

describe('a hands worker that writes garbage to stdout', () => {
  garbageWorker([1]);
});

describe('a full disk', () => {
  fullDiskTrials(7, 2);
});

describe('a damaged state database', () => {
  damagedDatabaseTrials(11, 40);
});
