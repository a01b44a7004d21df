/**
 * Scenario 3, idle: connections that do nothing once connected — for Parley,
 * authenticated (hello answered). Each round and target gets a fresh server process:
 * a warm-up batch is connected first (so one-off costs — code compiled on first use —
 * are behind us), memory is read after a full GC, then the socket count is raised to
 * each size in turn and read again. Memory per connection is the growth since the
 * previous reading divided by the sockets added: a process with slack left over from
 * startup (free heap pages, malloc free lists) absorbs the first sockets without
 * growing, so the step to the largest size is the most faithful figure. Connects per
 * second is the rate at which each step's sockets were opened (and said hello).
 */
import { type BenchContext, forEachLimited, rotate, sleep, type WindowProfiler, windowProfiler } from '../context.js';
import { openFileLimit, startCpuWindow, windowShares } from '../proc.js';
import { CaseCollector, type CaseResult, GENERATOR_SHARE } from '../results.js';
import { type ServerProcess, startServerProcess } from '../server-process.js';
import { LightReceiver, type Member, type WireKind } from '../wire/light.js';

const IDLE_TARGETS: WireKind[] = ['relay', 'socketio', 'parley'];
/** Sockets being opened at once. */
const CONNECT_CONCURRENCY = 200;
/** File descriptors kept free for everything else (servers' files, the database, stdio). */
const SPARE_FILES = 500;

async function measureIdle(
  kind: WireKind,
  server: ServerProcess,
  sizes: number[],
  memberOf: (i: number) => Member,
  profiler: WindowProfiler,
): Promise<Array<Record<string, number>>> {
  const receivers: LightReceiver[] = [];
  const connectUpTo = async (count: number) => {
    const from = receivers.length;
    await forEachLimited(count - from, CONNECT_CONCURRENCY, async (i) => {
      receivers.push(await LightReceiver.connect(kind, server.port, memberOf(from + i)));
    });
  };
  try {
    const warm = Math.min(500, Math.ceil((sizes[0] ?? 10) / 10));
    await connectUpTo(warm);
    await sleep(500);
    let previous = await server.memoryAfterGc();
    const samples: Array<Record<string, number>> = [];
    for (const size of sizes) {
      const before = receivers.length;
      const largest = size === sizes.at(-1);
      if (largest) await profiler.start();
      const endWindow = startCpuWindow(server.pid);
      await connectUpTo(size);
      const window = endWindow();
      if (largest) await profiler.stop();
      await sleep(500);
      const after = await server.memoryAfterGc();
      const added = size - before;
      samples.push({
        bytesPerConnection: (after.rssBytes - previous.rssBytes) / added,
        heapBytesPerConnection: (after.heapUsedBytes - previous.heapUsedBytes) / added,
        connectsPerSecond: added / (window.wallMs / 1000),
        serverMicrosPerConnect: window.serverCpuMicros / added,
        rssBytes: after.rssBytes,
        ...windowShares(window),
      });
      previous = after;
    }
    return samples;
  } finally {
    for (const receiver of receivers) receiver.close();
  }
}

/** Sizes the open-file limit allows: each socket is a file in the generator and in the server. */
function feasibleSizes(ctx: BenchContext): number[] {
  const limit = openFileLimit() ?? Number.POSITIVE_INFINITY;
  const sizes = ctx.sizes.idleSockets.map((size) => {
    if (size + SPARE_FILES <= limit) return size;
    const capped = Math.max(1, limit - SPARE_FILES);
    ctx.log(`idle: the open-file limit (${limit}) allows ${capped} sockets, not ${size}; raise it with ulimit -n`);
    return capped;
  });
  return [...new Set(sizes)].sort((a, b) => a - b);
}

const previousStep = (sizes: number[], size: number) => {
  const index = sizes.indexOf(size);
  return index > 0 ? `${(sizes[index - 1] ?? 0).toLocaleString('en-US')} sockets` : 'a warm-up batch';
};

export async function runIdle(ctx: BenchContext): Promise<CaseResult[]> {
  const sizes = feasibleSizes(ctx);
  const shared = await ctx.sqlite();
  const setup = await shared.deployment.start();
  let tokens: string[];
  try {
    // Users of their own, in no chat: an idle socket's cost without presence traffic.
    tokens = (await shared.users(setup.url, ctx.sizes.idleUsers, 'idle')).map((u) => u.token);
  } finally {
    await setup.stop();
  }
  const collectors = sizes.map(
    (size) =>
      new CaseCollector(
        'idle',
        `${size.toLocaleString('en-US')} sockets`,
        `${size.toLocaleString('en-US')} idle connections, opened ${CONNECT_CONCURRENCY} at a time; Parley's say hello with one of ` +
          `${tokens.length} session tokens (${Math.ceil(size / tokens.length)} sockets per user, users in no chat). Memory is the RSS ` +
          `growth (after a full GC) per socket added since the previous step (${previousStep(sizes, size)}); fresh server process per round.`,
        [
          { key: 'bytesPerConnection', label: 'RSS per connection', unit: 'bytes' },
          { key: 'heapBytesPerConnection', label: 'JS heap per connection', unit: 'bytes' },
          { key: 'connectsPerSecond', label: 'connects/s', unit: 'per-second' },
          { key: 'serverMicrosPerConnect', label: 'server CPU-µs/connect', unit: 'micros' },
        ],
      ),
  );
  for (let round = 0; round < ctx.rounds; round++) {
    for (const kind of rotate(IDLE_TARGETS.filter(ctx.includes), round)) {
      const server = kind === 'parley' ? await shared.deployment.start() : await startServerProcess(kind);
      try {
        server.pin(ctx.placement.serverCore);
        const profiler = windowProfiler(ctx, server, `idle-connect-r${round + 1}`);
        const memberOf = (i: number): Member => ({ room: 'idle', token: tokens[i % tokens.length] ?? null, tag: `i${i}` });
        const samples = await measureIdle(kind, server, sizes, memberOf, profiler);
        samples.forEach((sample, i) => {
          ctx.log(
            `idle ${sizes[i]} round ${round + 1} ${kind}: ${Math.round(sample.bytesPerConnection ?? 0)} B/connection, ` +
              `${Math.round(sample.connectsPerSecond ?? 0)} connects/s, generator ${Math.round((sample[GENERATOR_SHARE] ?? 0) * 100)}%`,
          );
          collectors[i]?.add(kind, sample);
        });
      } finally {
        await server.stop();
      }
    }
  }
  return collectors.map((collector, i) => {
    const memory = collector.compare('memory/connection', 'bytesPerConnection', 'parley', 'relay', 'ratio', 'bytes');
    collector.compare('memory/connection', 'bytesPerConnection', 'parley', 'socketio', 'ratio', 'bytes');
    collector.compare('JS heap/connection', 'heapBytesPerConnection', 'parley', 'relay', 'ratio', 'bytes');
    collector.compare('connects/s', 'connectsPerSecond', 'parley', 'relay', 'ratio', 'per-second');
    // Judged on the largest step, where startup slack no longer hides the growth.
    if (memory && i === collectors.length - 1)
      collector.goal('memory per authenticated connection ≤ 2× raw relay', memory.median <= 2, `median ${memory.median.toFixed(2)}×`);
    return collector.result();
  });
}
