/**
 * Build guard for the first page load: sums the gzipped size of the JavaScript a visitor
 * must download before the app can start (the entry chunk and everything it imports
 * statically; lazy chunks such as the settings screen are excluded), prints it, and
 * fails the build when it exceeds the budget.
 */
import { gzipSync } from 'node:zlib';
import type { Plugin, Rollup } from 'vite';

export interface BundleBudgetOptions {
  /** Largest gzipped size of the initial JavaScript, in bytes. */
  maxInitialGzipBytes: number;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/** The entry chunks and, transitively, the chunks they import statically. */
export function initialChunks(bundle: Rollup.OutputBundle): Rollup.OutputChunk[] {
  const chunks = new Map<string, Rollup.OutputChunk>();
  for (const output of Object.values(bundle)) if (output.type === 'chunk') chunks.set(output.fileName, output);
  const initial = new Map<string, Rollup.OutputChunk>();
  const visit = (chunk: Rollup.OutputChunk) => {
    if (initial.has(chunk.fileName)) return;
    initial.set(chunk.fileName, chunk);
    for (const imported of chunk.imports) {
      const next = chunks.get(imported);
      if (next) visit(next);
    }
  };
  for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk);
  return [...initial.values()];
}

export function bundleBudget({ maxInitialGzipBytes }: BundleBudgetOptions): Plugin {
  return {
    name: 'parley:bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const initial = initialChunks(bundle);
      const sizes = initial.map((chunk) => ({ file: chunk.fileName, gzip: gzipSync(chunk.code, { level: 9 }).length }));
      const total = sizes.reduce((sum, size) => sum + size.gzip, 0);
      const lines = sizes.map((size) => `  ${size.file}  ${kb(size.gzip)}`).join('\n');
      this.info(`initial JS: ${kb(total)} gzipped (budget ${kb(maxInitialGzipBytes)})\n${lines}`);
      if (total > maxInitialGzipBytes) {
        this.error(`initial JS is ${kb(total)} gzipped, over the ${kb(maxInitialGzipBytes)} budget: lazy-load something`);
      }
    },
  };
}
