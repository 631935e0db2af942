// The fault suites at full size (npm test runs each small: test/faults/). Seeds are fixed,
// so a failure here replays exactly; INCIDENT_FAULT_SEED picks another schedule.
import { describe } from 'vitest';
import { garbageWorker } from '../faults/garbage-worker.js';
import { killTrials } from '../faults/kills.js';
import { stalledStreamClient } from '../faults/stalled-stream.js';
import { damagedDatabaseTrials, fullDiskTrials } from '../faults/store-faults.js';

const seed = Number(process.env['INCIDENT_FAULT_SEED'] ?? '2026');

describe('kill -9 of the runtime and of the hands worker, two hundred times', () => {
  killTrials({ seed, trials: 200, perSession: 10 });
});

describe('a hands worker that writes garbage to stdout, many seeds', () => {
  garbageWorker(Array.from({ length: 8 }, (_, index) => seed + index));
});

describe('a full disk at many points', () => {
  fullDiskTrials(seed, 40);
});

describe('a damaged state database, many ways', () => {
  damagedDatabaseTrials(seed, 2000);
});

describe('a stream client that stops reading through a long turn', () => {
  stalledStreamClient({ steps: 32, messageBytes: 4 * 1024 * 1024, readers: 8 });
});
