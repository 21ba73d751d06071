import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time on these 2-core machines: most suites wait on a sandbox, a browser or a child
    // process rather than compute (vitest's default here would be one, i.e. a serial run).
    maxWorkers: 2,
    minWorkers: 1,
    globalSetup: ['test/globalSetup.ts'],
    fileParallelism: true,
  },
});
