import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Many tests check real timings against known sleeps; on two cores, one test file at a time
    // keeps them honest (each file may still run a few of its own child processes at once).
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
