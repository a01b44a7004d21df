import { defineConfig } from 'vitest/config';

// Tests import the workspace packages' TypeScript sources (the `parley-source` export
// condition), so `npm test` needs no build step.
export default defineConfig({
  resolve: { conditions: ['parley-source'] },
  ssr: { resolve: { conditions: ['parley-source'] } },
  test: {
    // Browser tests (packages/web/e2e) drive Chromium against a real server; see their harness.
    include: ['packages/*/src/**/*.test.ts', 'packages/web/e2e/**/*.e2e.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
