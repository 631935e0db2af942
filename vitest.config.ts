import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/stress/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Ink decides at import whether it may redraw (CI only prints the last frame); the
    // component tests and the terminal tests exercise the interactive terminal.
    // INCIDENT_TEST_CI carries the real CI flag through, for tests that must fail rather than
    // skip there (tmux, the live intake tests).
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false', INCIDENT_TEST_CI: process.env['CI'] ?? '' },
  },
});
