import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test folders whose files run in process only: no CLI, worker or server spawned, no
 * environment variable, global or module mocked for good. Their files share a worker
 * process and its loaded modules (isolate: false): loading zod, the SDK and Ink again for
 * each of these small files cost more than running them. Files that spawn processes share
 * worker processes the same way in a project of their own; only files that stub the test
 * process's own environment get a fresh process each.
 */
const IN_PROCESS = [
  'test/bundle/**/*.test.ts',
  'test/definitions/**/*.test.ts',
  'test/render/**/*.test.ts',
  'test/ui/**/*.test.{ts,tsx}',
  'test/verdict/**/*.test.ts',
  'test/hands/tools/**/*.test.ts',
  'test/hands/*.test.ts',
  'test/brains/**/*.test.ts',
  'test/eval/**/*.test.ts',
  'test/fuzz/**/*.test.ts',
];
const STRESS = ['test/stress/**', 'node_modules/**'];
/**
 * Files that stub the environment of the test process itself (vi.stubEnv): each gets a
 * fresh process, so nothing it set can reach another file, even when it fails midway.
 */
const OWN_PROCESS = ['test/runtime/hands/manager.test.ts', 'test/hands/worker/cli.test.ts', 'test/live/cloud.test.ts'];

/** What both projects share; the global setup (the dist/ build) stays at the root, run once. */
const shared = {
  setupFiles: ['test/setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  // Ink decides at import whether it may redraw (CI only prints the last frame); the
  // component tests and the terminal tests exercise the interactive terminal.
  // INCIDENT_TEST_CI carries the real CI flag through, for tests that must fail rather than
  // skip there (tmux, the live intake tests).
  env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false', INCIDENT_TEST_CI: process.env['CI'] ?? '' },
};

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    // Many test files spend much of their time waiting on child processes, servers and
    // real timeouts rather than computing: one file more than there are cores keeps every
    // core busy (three at once on a 2-core machine; vitest's default leaves one core idle).
    maxWorkers: availableParallelism() + 1,
    projects: [
      { test: { ...shared, name: 'in-process', include: IN_PROCESS, exclude: STRESS, isolate: false } },
      // The rest start the CLI, servers and workers as child processes: what they load in the
      // test process (helpers, the client) is shared the same way.
      { test: { ...shared, name: 'spawning', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: [...STRESS, ...IN_PROCESS, ...OWN_PROCESS], isolate: false } },
      { test: { ...shared, name: 'isolated', include: OWN_PROCESS, exclude: STRESS } },
    ],
  },
});
