import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    coverage: {
      provider: 'v8',
      include: ['shared/**', 'functions/**'],
      thresholds: { lines: 80, functions: 80, branches: 70 },
    },
  },
});
