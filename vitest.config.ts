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
    // component tests and the terminal tests exercise the interactive terminal. Whether this
    // is CI is still told to the tests, as INCIDENT_CI: there a suite that lacks what it
    // needs (tmux) fails instead of skipping.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false', INCIDENT_CI: ['true', '1'].includes((process.env['CI'] ?? '').toLowerCase()) ? 'true' : 'false' },
  },
});
