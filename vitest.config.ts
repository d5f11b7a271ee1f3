import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Two cores: timing assertions stay honest when few child processes run at once.
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
  },
});
