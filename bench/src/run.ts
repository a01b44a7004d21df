/**
 * Runs scenarios in order and assembles the run's results. The CLI and the smoke test
 * both come through here.
 */
import { type BenchContext, type Sizes, targetFilter } from './context.js';
import { describeCode, describeMachine, type Placement } from './machine.js';
import { createSharedParley, postgresAvailable, type SharedParley } from './parley-fixture.js';
import type { CaseResult, RunResult } from './results.js';
import { runCluster } from './scenarios/cluster.js';
import { runDm } from './scenarios/dm.js';
import { runFanout } from './scenarios/fanout.js';
import { runHistory } from './scenarios/history.js';
import { runIdle } from './scenarios/idle.js';
import { runLatency } from './scenarios/latency.js';
import { runSearch } from './scenarios/search.js';
import { runUploads } from './scenarios/uploads.js';

export const SCENARIOS = {
  fanout: runFanout,
  latency: runLatency,
  idle: runIdle,
  dm: runDm,
  history: runHistory,
  cluster: runCluster,
  search: runSearch,
  uploads: runUploads,
} satisfies Record<string, (ctx: BenchContext) => Promise<CaseResult[]>>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export interface RunOptions {
  command: string;
  scenarios: ScenarioName[];
  quick: boolean;
  rounds: number;
  warmupMs: number;
  durationMs: number;
  sizes: Sizes;
  placement: Placement;
  cpuProfileDir: string | null;
  /** false: skip PostgreSQL even if it answers. */
  postgres: boolean;
  /** Measure only these targets (empty: all). */
  only: string[];
  log(line: string): void;
}

export interface RunOutcome {
  run: RunResult;
  failures: Array<{ scenario: ScenarioName; error: string }>;
}

export async function runBench(options: RunOptions): Promise<RunOutcome> {
  const started = new Date();
  const machine = describeMachine();
  const shared: { current: Promise<SharedParley> | null } = { current: null };
  const ctx: BenchContext = {
    quick: options.quick,
    rounds: options.rounds,
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
    sizes: options.sizes,
    placement: options.placement,
    cpuProfileDir: options.cpuProfileDir,
    postgres: options.postgres && (await postgresAvailable()),
    includes: targetFilter(options.only),
    sqlite: () => {
      shared.current ??= createSharedParley(options.sizes.registerConcurrency);
      return shared.current;
    },
    log: options.log,
  };
  const cases: CaseResult[] = [];
  const failures: RunOutcome['failures'] = [];
  try {
    for (const scenario of options.scenarios) {
      const t0 = performance.now();
      options.log(`▶ ${scenario}`);
      try {
        cases.push(...(await SCENARIOS[scenario](ctx)));
        options.log(`✓ ${scenario} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        options.log(`✗ ${scenario} failed: ${message}`);
        failures.push({ scenario, error: message });
      }
    }
  } finally {
    if (shared.current) await (await shared.current).deployment.dispose();
  }
  const finished = new Date();
  return {
    run: {
      command: options.command,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      elapsedSeconds: (finished.getTime() - started.getTime()) / 1000,
      quick: options.quick,
      rounds: options.rounds,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
      machine,
      placement: options.placement,
      code: describeCode(),
      cases,
    },
    failures,
  };
}
