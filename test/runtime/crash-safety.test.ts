// kill -9 the served runtime at many points during a session, restart it each time:
// the log has no gap, no duplicate and no torn row, and the session finishes.
import { describe, it } from 'vitest';
import { crashThroughATurn } from './crash-harness.js';

describe('crash safety of the served runtime', () => {
  it('survives kill -9 at many points of a turn', async () => {
    // Kill points spread over the turn, from right after a restart to deep into a step.
    await crashThroughATurn(150, [5, 40, 75, 110, 150, 190, 230, 275, 320, 370, 20, 60]);
  });
});
