import { defineConfig } from 'vitest/config';

// Tests import the workspace packages' TypeScript sources (the `parley-source` export
// condition), so `npm test` needs no build step.
export default defineConfig({
  resolve: { conditions: ['parley-source'] },
  ssr: { resolve: { conditions: ['parley-source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
