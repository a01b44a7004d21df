/**
 * CI-cheap proof that the suite works: every scenario runs against every target for
 * half a second with tiny sizes and reports a positive number. It checks the
 * machinery, not the performance — the targets are reported by `npm run bench`.
 */
import { describe, expect, it } from 'vitest';
import { SMOKE_SIZES } from './src/context.js';
import { postgresAvailable } from './src/parley-fixture.js';
import { redisAvailable } from './src/redis.js';
import type { CaseResult } from './src/results.js';
import { runBench, type ScenarioName } from './src/run.js';

async function smoke(scenario: ScenarioName): Promise<CaseResult[]> {
  const lines: string[] = [];
  const { run, failures } = await runBench({
    command: `smoke ${scenario}`,
    scenarios: [scenario],
    quick: true,
    rounds: 1,
    warmupMs: 200,
    durationMs: 500,
    sizes: SMOKE_SIZES,
    placement: { pinned: false, serverCore: null, generatorCore: null, description: 'unpinned (smoke test)' },
    cpuProfileDir: null,
    postgres: true,
    only: [],
    log: (line) => lines.push(line),
  });
  expect(failures, lines.join('\n')).toEqual([]);
  return run.cases;
}

/** The median of `key` for every target of every case. */
function medians(cases: CaseResult[], key: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const result of cases) for (const row of result.rows) found[`${result.name}/${row.target}`] = row.metrics[key]?.median ?? Number.NaN;
  return found;
}

function expectAllPositive(values: Record<string, number>, targets: string[]) {
  for (const target of targets)
    expect(
      Object.keys(values).some((key) => key.endsWith(`/${target}`)),
      `${target} ran`,
    ).toBe(true);
  for (const [key, value] of Object.entries(values)) expect(value, key).toBeGreaterThan(0);
}

const postgres = await postgresAvailable();
const clusterServices = postgres && (await redisAvailable());

// Concurrent: the scenarios mostly wait for server processes to start, so they overlap well.
describe.concurrent('bench smoke: each scenario and baseline starts, runs briefly and reports a number', { timeout: 120_000 }, () => {
  it('fanout', async () => {
    expectAllPositive(medians(await smoke('fanout'), 'deliveriesPerSecond'), ['relay', 'socketio', 'parley']);
  });

  it('latency: every message arrives and is timed', async () => {
    const cases = await smoke('latency');
    expectAllPositive(medians(cases, 'p99'), ['relay', 'socketio', 'parley']);
    // On a loaded CI machine a server may refuse sends it cannot keep up with (counted as refused);
    // every message it accepted must still reach every member.
    for (const share of Object.values(medians(cases, 'deliveredOfAccepted'))) expect(share).toBe(1);
  });

  it('idle', async () => {
    const cases = await smoke('idle');
    expectAllPositive(medians(cases, 'connectsPerSecond'), ['relay', 'socketio', 'parley']);
    for (const bytes of Object.values(medians(cases, 'bytesPerConnection'))) expect(Number.isFinite(bytes)).toBe(true);
  });

  it('dm (PostgreSQL too when it answers, with its pool sizes)', async () => {
    const pools = postgres ? ['floor-postgres', ...SMOKE_SIZES.dmPoolSizes.map((pool) => `parley-postgres-pool${pool}`)] : [];
    // The storage floor: the same rows written by the raw driver into the same database.
    expectAllPositive(medians(await smoke('dm'), 'ackedPerSecond'), ['relay', 'socketio', 'parley-sqlite', 'floor-sqlite', ...pools]);
  });

  it.skipIf(!clusterServices)('cluster (needs PostgreSQL and Redis): every message crosses instances', async () => {
    const cases = await smoke('cluster');
    // Flat out, every target acks; at a fixed rate a short window may see no ack on a loaded machine, so delivery is what counts there.
    const dm = cases.filter((c) => c.name.startsWith('direct messages') && !c.name.endsWith('load'));
    expectAllPositive(medians(dm, 'ackedPerSecond'), ['parley-single', 'parley-cluster']);
    const fixedRate = cases.filter((c) => c.name.endsWith('load'));
    expect(fixedRate).toHaveLength(2);
    for (const share of Object.values(medians(fixedRate, 'deliveredShare'))) expect(share).toBe(1);
  });

  it('search: the corpus is indexed and every kind of query is timed', async () => {
    const cases = await smoke('search');
    const targets = postgres ? ['parley-sqlite', 'parley-postgres'] : ['parley-sqlite'];
    expectAllPositive(
      medians(
        cases.filter((c) => c.name.startsWith('search:')),
        'p95',
      ),
      targets,
    );
    expectAllPositive(
      medians(
        cases.filter((c) => c.name === 'search index build'),
        'indexMegabytes',
      ),
      targets,
    );
  });

  it('uploads: throughput against a plain disk write, thumbnail latency and server memory each report a number', async () => {
    const cases = await smoke('uploads');
    const of = (name: string) => cases.filter((c) => c.name.startsWith(name));
    expectAllPositive(medians(of('upload throughput'), 'megabytesPerSecond'), ['parley-sqlite', 'disk-write']);
    expectAllPositive(medians(of('thumbnail latency'), 'p95'), ['parley-sqlite']);
    expectAllPositive(medians(of('server memory'), 'peakMegabytes'), ['parley-sqlite']);
  });

  it('history', async () => {
    expectAllPositive(medians(await smoke('history'), 'requestsPerSecond'), ['relay', 'parley']);
  });
});
