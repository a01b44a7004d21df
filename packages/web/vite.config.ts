/** Vite build of the browser app; the Parley server serves `dist/` from `/`. */
import { defaultClientConditions, defineConfig } from 'vite';
import { bundleBudget } from './build/bundle-budget.js';

const API_TARGET = process.env.PARLEY_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  // The workspace packages are bundled from their TypeScript sources: no prior build needed.
  resolve: { conditions: ['parley-source', ...defaultClientConditions] },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
    rolldownOptions: {
      // Lazy screens keep their names; code shared by the entry and a lazy screen is just "shared".
      output: { chunkFileNames: (chunk) => (chunk.isDynamicEntry ? 'assets/[name]-[hash].js' : 'assets/shared-[hash].js') },
      // The protocol's schemas are built by calls the bundler can't prove pure; the app
      // imports only constants and types from it, so the schemas (and TypeBox) may go.
      treeshake: {
        manualPureFunctions: ['Type', 'Text', 'Nullable', 'Page', 'ERROR_CODES.map'],
        propertyReadSideEffects: false,
        moduleSideEffects: [
          { test: /[\\/]packages[\\/]protocol[\\/]/, sideEffects: false },
          { test: /[\\/]@sinclair[\\/]typebox[\\/]/, sideEffects: false },
        ],
      },
    },
  },
  plugins: [bundleBudget({ maxInitialGzipBytes: 200 * 1024 })],
  // `npm run dev -w @parley/web` next to a running server: the API stays same-origin.
  server: { proxy: { '/api': { target: API_TARGET, ws: true } } },
});
