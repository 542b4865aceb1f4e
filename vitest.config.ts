import { defineConfig } from 'vitest/config';

/**
 * Tests that load the whole machine on purpose (twenty CLI processes at once against tmux) run
 * after the rest, alone: beside them every other test that starts a process starves, on two cores
 * by a factor of 40 (a 1.4 s test timed out at 60 s).
 */
const ALONE = ['test/e2e/tmux-clients.test.ts'];

export default defineConfig({
  test: {
    // End-to-end tests start the built CLI and tmux; a loaded 2-core CI machine is slow.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests share two cores with real tmux servers and child processes; two workers keep them fair.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ALONE,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'alone',
          include: ALONE,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
