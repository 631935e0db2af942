// A stream client that stops reading, at npm test's size (the stress suite writes a far
// larger turn past more readers: test/stress/faults.test.ts).
import { describe } from 'vitest';
import { stalledStreamClient } from './stalled-stream.js';

describe('a stream client that stops reading', () => {
  stalledStreamClient({ steps: 8, messageBytes: 2 * 1024 * 1024, readers: 2 });
});
