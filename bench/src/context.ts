/**
 * What every scenario receives: sizes and timings (full, --quick, or the smoke test's
 * tiny ones), where processes run, and where to log.
 */
import type { Placement } from './machine.js';
import type { SharedParley } from './parley-fixture.js';
import type { ServerProcess } from './server-process.js';

export interface Sizes {
  /** Members of the room in the fanout scenario (the sender included). */
  fanoutRooms: number[];
  /**
   * Deliveries the fanout sender may have outstanding (sent, not yet received by the
   * slowest full client): enough to keep the server busy, few enough to bound buffers.
   */
  fanoutWindowDeliveries: number;
  /** Full clients per room: they parse every message and pace the fanout sender. */
  fullClients: number;
  latencyRoom: number;
  /** Send rates as fractions of the raw relay's capacity in the same room. */
  latencyLoads: number[];
  idleSockets: number[];
  /** Parley users (sessions) the idle sockets share. */
  idleUsers: number;
  dmPairs: number;
  /** Messages each dm client keeps unacknowledged. */
  dmWindow: number;
  /** The dm scenario's PostgreSQL case: senders, each alone in a direct chat of its own with a listening peer… */
  dmPoolWriters: number;
  /** …measured with each of these DATABASE_POOL_MAX values. */
  dmPoolSizes: number[];
  /** The cluster scenario: instances sharing one PostgreSQL database over Redis… */
  clusterInstances: number;
  /** …direct-chat pairs, each sender on one instance and its peer on the next… */
  clusterPairs: number;
  /** …the room whose members are spread over the instances… */
  clusterRoom: number;
  /** …and the fixed send rate of the latency cases, as a fraction of the lower of the targets' flat-out rates in the same round. */
  clusterLatencyLoad: number;
  historyConnections: number;
  historyUsers: number;
  historySeedMessages: number;
  /** Messages the search scenario generates and indexes (`--search-messages` overrides). */
  searchMessages: number;
  /** The uploads scenario: the size of its big file in MB, uploads of it run at once, and photos thumbnailed (of this width, 4:3). */
  uploadMegabytes: number;
  uploadParallel: number;
  uploadPhotos: number;
  uploadPhotoWidth: number;
  registerConcurrency: number;
}

export const FULL_SIZES: Sizes = {
  fanoutRooms: [100, 1000, 10_000],
  fanoutWindowDeliveries: 10_000,
  fullClients: 4,
  latencyRoom: 100,
  latencyLoads: [0.1, 0.5],
  idleSockets: [5000, 15_000],
  idleUsers: 1000,
  dmPairs: 50,
  dmWindow: 8,
  dmPoolWriters: 32,
  dmPoolSizes: [1, 16],
  clusterInstances: 3,
  clusterPairs: 24,
  clusterRoom: 300,
  clusterLatencyLoad: 0.5,
  historyConnections: 32,
  historyUsers: 8,
  historySeedMessages: 200,
  searchMessages: 1_000_000,
  uploadMegabytes: 100,
  uploadParallel: 10,
  uploadPhotos: 12,
  uploadPhotoWidth: 4000,
  registerConcurrency: 8,
};

export const QUICK_SIZES: Sizes = {
  ...FULL_SIZES,
  fanoutRooms: [100, 300],
  idleSockets: [1000, 3000],
  idleUsers: 100,
  dmPairs: 20,
  dmPoolWriters: 16,
  clusterPairs: 12,
  clusterRoom: 100,
  historyConnections: 16,
  historySeedMessages: 100,
  searchMessages: 100_000,
};

export const SMOKE_SIZES: Sizes = {
  fanoutRooms: [8],
  fanoutWindowDeliveries: 200,
  fullClients: 2,
  latencyRoom: 8,
  latencyLoads: [0.1],
  idleSockets: [20],
  idleUsers: 4,
  dmPairs: 2,
  dmWindow: 4,
  dmPoolWriters: 2,
  dmPoolSizes: [1, 2],
  clusterInstances: 2,
  clusterPairs: 2,
  clusterRoom: 8,
  clusterLatencyLoad: 0.5,
  historyConnections: 2,
  historyUsers: 2,
  historySeedMessages: 55,
  searchMessages: 2000,
  uploadMegabytes: 4,
  uploadParallel: 2,
  uploadPhotos: 2,
  uploadPhotoWidth: 400,
  registerConcurrency: 4,
};

export interface BenchContext {
  quick: boolean;
  rounds: number;
  warmupMs: number;
  durationMs: number;
  sizes: Sizes;
  placement: Placement;
  /** When set, each server is CPU-profiled during every measured window, into this directory. */
  cpuProfileDir: string | null;
  /** Run the PostgreSQL variants (the dm scenario) — false when PostgreSQL does not answer. */
  postgres: boolean;
  /** Whether to measure this target (`--only` narrows a run, e.g. to profile Parley alone). */
  includes(target: string): boolean;
  /** The run's shared Parley-on-SQLite deployment and user pools (created on first use). */
  sqlite(): Promise<SharedParley>;
  log(line: string): void;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Targets in a different order each round, so none always runs first or last. */
export function rotate<T>(items: T[], round: number): T[] {
  if (items.length === 0) return [];
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** `--only parley` keeps parley, parley-sqlite and parley-postgres; no filter keeps everything. */
export function targetFilter(only: string[]): (target: string) => boolean {
  if (only.length === 0) return () => true;
  return (target) => only.some((name) => target === name || target.startsWith(`${name}-`));
}

/** Polls until `done` holds; false if `timeoutMs` passed first. */
export async function waitUntil(done: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(stepMs);
  }
  return true;
}

/**
 * Polls until `done` holds, as long as `progress` keeps changing: gives a slow server all
 * the time it needs to drain a backlog, but not a stuck one. False if it gave up.
 */
export async function waitWhileProgressing(done: () => boolean, progress: () => number, stallMs: number, maxMs: number): Promise<boolean> {
  const deadline = performance.now() + maxMs;
  let last = progress();
  let lastChange = performance.now();
  while (!done()) {
    const now = performance.now();
    if (now > deadline || now - lastChange > stallMs) return false;
    await sleep(20);
    const current = progress();
    if (current !== last) {
      last = current;
      lastChange = performance.now();
    }
  }
  return true;
}

/** Runs `work` over 0…count-1 with at most `concurrency` at a time. */
export async function forEachLimited(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * Awaits every promise (e.g. servers starting side by side). If any fails, the ones
 * that succeeded are cleaned up (stopped) before the first failure is rethrown, so a
 * failed start never leaves a process behind.
 */
export async function allOrCleanup<T>(starting: Array<Promise<T>>, cleanup: (value: T) => Promise<void>): Promise<T[]> {
  const settled = await Promise.allSettled(starting);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const values = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (!failed) return values;
  await Promise.all(values.map(cleanup));
  throw failed.reason;
}

/** Brackets one measured window; a no-op unless profiling. */
export interface WindowProfiler {
  start(): Promise<void>;
  stop(): Promise<void>;
}

const NO_PROFILER: WindowProfiler = { start: async () => undefined, stop: async () => undefined };

/**
 * With --profile, the server under test records a CPU profile of exactly the measured
 * window (setup, connects and warm-up excluded), written as <dir>/<label>-<kind>.cpuprofile.
 * Narrow it with --only (e.g. `--only parley`) to profile one target.
 */
export function windowProfiler(ctx: BenchContext, server: ServerProcess, label: string): WindowProfiler {
  const dir = ctx.cpuProfileDir;
  if (!dir) return NO_PROFILER;
  const name = label.includes(server.kind) ? label : `${label}-${server.kind}`;
  return {
    start: () => server.startProfile(),
    stop: () => server.stopProfile(`${dir}/${name.replace(/[^A-Za-z0-9_.-]+/g, '-')}.cpuprofile`),
  };
}

/**
 * Waits until every server has gone quiet (under 5% of a core over 300 ms), so work
 * left over from one measurement — Parley announcing a thousand users offline, say —
 * does not run on the server core during the next target's measurement.
 */
export async function quiesce(servers: ServerProcess[], maxMs = 30_000): Promise<void> {
  const deadline = performance.now() + maxMs;
  for (;;) {
    const before = servers.map((s) => s.cpuMicros());
    await sleep(300);
    const busy = servers.some((s, i) => (s.cpuMicros() - (before[i] ?? 0)) / 300_000 > 0.05);
    if (!busy || performance.now() > deadline) return;
  }
}
