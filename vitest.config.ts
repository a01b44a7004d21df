import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests import the workspace packages' TypeScript sources (the `parley-source` export
// condition), so `npm test` needs no build step.
const INCLUDE = ['packages/*/src/**/*.test.ts', 'packages/web/e2e/**/*.e2e.test.ts', 'bench/**/*.test.ts'];
/** Times real servers under load: it runs last, on its own, so the rest of the suite does not skew it. */
const BENCH_SMOKE = 'bench/smoke.test.ts';

/** Test files under `dir` whose suites run once per database (they use `DIALECTS`). */
function dialectSuites(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((entry) => {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || !entry.name.endsWith('.test.ts') || file.includes('node_modules')) return [];
    return fs.readFileSync(file, 'utf8').includes('DIALECTS') ? [path.relative(import.meta.dirname, file)] : [];
  });
}

// A suite that runs on both databases is two jobs, one per database, so the two halves
// of the slowest files run side by side instead of one after the other. Everything else
// runs once, in the first project. `PARLEY_TEST_DIALECTS=sqlite` (or postgres) still narrows
// a run to one database; workers default to 3 on this 2-core machine because most of a
// test's time is spent waiting on sockets, databases and timers.
const onlyDialects = process.env.PARLEY_TEST_DIALECTS?.split(',').map((d) => d.trim());
const wants = (dialect: string) => !onlyDialects || onlyDialects.includes(dialect);
const postgresSuites = wants('postgres') ? ['packages', 'bench'].flatMap(dialectSuites) : [];

export default defineConfig({
  resolve: { conditions: ['parley-source'] },
  ssr: { resolve: { conditions: ['parley-source'] } },
  test: {
    // A browser test walks a whole flow (two people, a dozen steps): 18 s alone, over 30 s
    // beside three other workers on a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits only as long as it must; a second is too short on a loaded CI machine.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    maxWorkers: Number(process.env.PARLEY_TEST_WORKERS ?? 3),
    projects: [
      {
        extends: true,
        test: {
          name: wants('sqlite') ? 'sqlite' : 'postgres',
          include: INCLUDE,
          exclude: [BENCH_SMOKE, '**/node_modules/**'],
          // Browser tests (packages/web/e2e) drive Chromium against a real server; see their harness.
          env: { PARLEY_TEST_DIALECTS: wants('sqlite') ? 'sqlite' : 'postgres' },
        },
      },
      ...(wants('sqlite') && postgresSuites.length > 0
        ? [{ extends: true as const, test: { name: 'postgres', include: postgresSuites, env: { PARLEY_TEST_DIALECTS: 'postgres' } } }]
        : []),
      { extends: true as const, test: { name: 'bench', include: [BENCH_SMOKE], sequence: { groupOrder: 1 } } },
    ],
  },
});
