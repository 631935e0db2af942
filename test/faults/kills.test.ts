// Seeded kill -9s of `incident serve` and of its hands worker, at npm test's size (the
// stress suite runs two hundred: test/stress/faults.test.ts).
import { describe } from 'vitest';
import { killTrials } from './kills.js';

describe('kill -9 of the runtime and of the hands worker', () => {
  killTrials({ seed: 17, trials: 10, perSession: 10 });
});
