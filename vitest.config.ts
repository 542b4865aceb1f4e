import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // End-to-end tests start the built CLI and tmux; a loaded 2-core CI machine is slow.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests share two cores with real tmux servers and child processes; two workers keep them fair.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
