// The stress version of test/runtime/crash-safety.test.ts: a long turn, sixty kill -9s.
import { describe, it } from 'vitest';
import { crashThroughATurn } from '../runtime/crash-harness.js';

describe('crash safety under sixty kills', () => {
  it('survives kill -9 at sixty points of one long turn', async () => {
    const steps = Number(process.env['STRESS_STEPS'] ?? '450');
    // A deterministic spread of kill points, from right after a restart to deep in a step.
    await crashThroughATurn(steps, Array.from({ length: 60 }, (_, i) => 5 + ((i * 37) % 400)));
  });
});
