/**
 * Scenario 5, history: keep-alive HTTP connections fetching the latest 50 messages of a
 * chat as fast as they are answered — Parley's real route (auth, membership check,
 * query, presentation) against the relay's canned page (HTTP alone).
 */
import { allOrCleanup, type BenchContext, quiesce, rotate, sleep, type WindowProfiler, waitUntil, windowProfiler } from '../context.js';
import { createRoom, seedMessages } from '../parley-fixture.js';
import { startCpuWindow, windowShares } from '../proc.js';
import { CaseCollector, type CaseResult } from '../results.js';
import { type ServerProcess, startServerProcess } from '../server-process.js';
import { LatencyRecorder } from '../stats.js';
import { HttpGetLoop } from '../wire/raw-http.js';

interface HistoryTarget {
  name: string;
  server: ServerProcess;
  path: string;
  headers(i: number): Record<string, string>;
}

async function measureHistory(
  target: HistoryTarget,
  connections: number,
  timing: { warmupMs: number; durationMs: number },
  profiler: WindowProfiler,
): Promise<Record<string, number>> {
  const loops = Array.from({ length: connections }, (_, i) => new HttpGetLoop(target.server.port, target.path, target.headers(i)));
  const recorder = new LatencyRecorder();
  let measuring = false;
  try {
    await Promise.all(loops.map((loop) => loop.ready()));
    const first = loops[0];
    let pageSize = -1;
    if (first) {
      first.keepNextBody = true;
      first.onResponse = (status, _ms, body) => {
        if (body) pageSize = status === 200 ? ((JSON.parse(body.toString()) as { items?: unknown[] }).items?.length ?? 0) : 0;
      };
    }
    for (const loop of loops) {
      const previous = loop.onResponse;
      loop.onResponse = (status, ms, body) => {
        previous(status, ms, body);
        if (measuring) recorder.record(ms);
      };
      loop.start();
    }
    await sleep(timing.warmupMs);
    await waitUntil(() => pageSize !== -1, 10_000);
    if (pageSize !== 50) throw new Error(`${target.name}: expected a page of 50 messages, got ${pageSize}`);
    const total = (key: 'ok' | 'failed' | 'bytes') => loops.reduce((sum, loop) => sum + loop.stats[key], 0);
    await profiler.start();
    const ok0 = total('ok');
    const bytes0 = total('bytes');
    const endWindow = startCpuWindow(target.server.pid);
    measuring = true;
    await sleep(timing.durationMs);
    measuring = false;
    const cpu = endWindow();
    await profiler.stop();
    const ok = total('ok') - ok0;
    for (const loop of loops) loop.stop();
    if (total('failed') > 0) throw new Error(`${target.name}: ${total('failed')} requests failed`);
    const [p50, p99] = recorder.percentiles(50, 99);
    return {
      requestsPerSecond: ok / (cpu.wallMs / 1000),
      p50: p50 ?? Number.NaN,
      p99: p99 ?? Number.NaN,
      bytesPerResponse: (total('bytes') - bytes0) / Math.max(1, ok),
      serverMicrosPerRequest: cpu.serverCpuMicros / ok,
      requestsPerCoreSecond: (ok * 1e6) / cpu.serverCpuMicros,
      ...windowShares(cpu),
    };
  } finally {
    for (const loop of loops) loop.close();
  }
}

export async function runHistory(ctx: BenchContext): Promise<CaseResult[]> {
  const shared = await ctx.sqlite();
  const servers: ServerProcess[] = [];
  try {
    const [relay, parley] = await allOrCleanup([startServerProcess('relay'), shared.deployment.start()], (server) => server.stop());
    if (!relay || !parley) throw new Error('a server did not start');
    servers.push(relay, parley);
    ctx.log(`history: ${ctx.sizes.historyUsers} users, seeding ${ctx.sizes.historySeedMessages} messages`);
    const users = await shared.users(parley.url, ctx.sizes.historyUsers);
    const owner = users[0];
    if (!owner) throw new Error('no users');
    const chatId = await createRoom(parley.url, owner, users, 'history');
    await seedMessages(parley.url, owner, chatId, ctx.sizes.historySeedMessages);
    for (const server of servers) server.pin(ctx.placement.serverCore);
    const targets: HistoryTarget[] = [
      { name: 'relay', server: relay, path: '/history', headers: () => ({}) },
      {
        name: 'parley',
        server: parley,
        path: `/api/v1/chats/${chatId}/messages?limit=50`,
        headers: (i) => ({ authorization: `Bearer ${users[i % users.length]?.token ?? ''}` }),
      },
    ];
    const collector = new CaseCollector(
      'history',
      'latest 50 messages',
      `${ctx.sizes.historyConnections} keep-alive connections, each fetching the newest 50 of ${ctx.sizes.historySeedMessages} ` +
        `messages over REST as fast as answered; ${users.length} members' tokens in turn. The relay serves a canned page of the same shape.`,
      [
        { key: 'requestsPerSecond', label: 'requests/s', unit: 'per-second' },
        { key: 'p50', label: 'p50 ms', unit: 'millis' },
        { key: 'p99', label: 'p99 ms', unit: 'millis' },
        { key: 'bytesPerResponse', label: 'bytes/response', unit: 'bytes' },
        { key: 'serverMicrosPerRequest', label: 'server CPU-µs/request', unit: 'micros' },
        { key: 'requestsPerCoreSecond', label: 'requests per server CPU-second', unit: 'per-second' },
      ],
    );
    for (let round = 0; round < ctx.rounds; round++) {
      for (const target of rotate(
        targets.filter((t) => ctx.includes(t.name)),
        round,
      )) {
        const profiler = windowProfiler(ctx, target.server, `history-r${round + 1}`);
        const sample = await measureHistory(target, ctx.sizes.historyConnections, ctx, profiler);
        ctx.log(
          `history round ${round + 1} ${target.name}: ${Math.round(sample.requestsPerSecond ?? 0)} requests/s, ` +
            `${Math.round(sample.serverMicrosPerRequest ?? 0)} server CPU-µs/request`,
        );
        collector.add(target.name, sample);
        await quiesce(servers);
      }
    }
    collector.compare('requests/s', 'requestsPerSecond', 'parley', 'relay', 'ratio', 'per-second');
    collector.compare('requests per server CPU-second', 'requestsPerCoreSecond', 'parley', 'relay', 'ratio', 'per-second');
    const parleyRate = collector.summary('parley', 'requestsPerSecond');
    const parleyPerCore = collector.summary('parley', 'requestsPerCoreSecond');
    collector.goal(
      '≥ 10,000 requests/s on SQLite',
      parleyRate.median >= 10_000,
      `median ${Math.round(parleyRate.median).toLocaleString('en-US')}/s; ${Math.round(parleyPerCore.median).toLocaleString('en-US')} per server CPU-second`,
    );
    return [collector.result()];
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
