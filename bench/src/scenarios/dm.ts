/**
 * Scenario 4, dm: many pairs exchanging direct messages, both sides sending with a few
 * messages in flight. For Parley every message is stored and acked after its commit;
 * the baselines put each pair in a room of two (the relay's "ack" is the sender's own
 * echo, Socket.IO's is its ack callback). Measured: acked messages/s and ack latency.
 */

import path from 'node:path';
import {
  allOrCleanup,
  type BenchContext,
  forEachLimited,
  quiesce,
  rotate,
  sleep,
  type WindowProfiler,
  waitUntil,
  windowProfiler,
} from '../context.js';
import {
  type BenchUser,
  createParleyDeployment,
  type Dialect,
  openDirect,
  PARLEY_BENCH_ENV,
  type ParleyDeployment,
  registerUsers,
} from '../parley-fixture.js';
import { startCpuWindow, windowShares } from '../proc.js';
import { CaseCollector, type CaseResult, GENERATOR_SHARE } from '../results.js';
import { type ServerProcess, startServerProcess } from '../server-process.js';
import type { FloorChat } from '../servers/storage-floor.js';
import { LatencyRecorder } from '../stats.js';
import { measureStorageFloor } from '../storage-floor.js';
import { LightSender, type Member, type WireKind } from '../wire/light.js';
import { runDmPool } from './dm-pool.js';

interface DmTarget {
  name: string;
  kind: WireKind;
  server: ServerProcess;
  /** Parley only: its database and direct chats, for the storage floor. */
  floor?: { dialect: Dialect; target: string; chats: FloorChat[] };
  /** Member i of pair i>>1. */
  member(i: number, round: number): Member;
}

async function measureDm(
  target: DmTarget,
  clients: number,
  round: number,
  window: number,
  timing: { warmupMs: number; durationMs: number },
  profiler: WindowProfiler,
): Promise<Record<string, number>> {
  const senders: LightSender[] = [];
  const recorder = new LatencyRecorder();
  let measuring = false;
  try {
    await forEachLimited(clients, 50, async (i) => {
      const sender = await LightSender.connect(target.kind, target.server.port, target.member(i, round), window);
      sender.onAck = (ms) => {
        if (measuring) recorder.record(ms);
      };
      senders.push(sender);
    });
    const total = (key: 'acked' | 'failed' | 'deliveries') => senders.reduce((sum, s) => sum + s[key], 0);
    for (const sender of senders) sender.start();
    await sleep(timing.warmupMs);
    await profiler.start();
    const acked0 = total('acked');
    const deliveries0 = total('deliveries');
    const endWindow = startCpuWindow(target.server.pid);
    measuring = true;
    await sleep(timing.durationMs);
    measuring = false;
    const cpu = endWindow();
    await profiler.stop();
    const acked = total('acked') - acked0;
    const deliveries = total('deliveries') - deliveries0;
    for (const sender of senders) sender.stop();
    await waitUntil(() => senders.every((s) => s.inFlight === 0), 10_000);
    if (acked <= 0) throw new Error(`${target.name}: no message was acknowledged`);
    const [p50, p99] = recorder.percentiles(50, 99);
    return {
      ackedPerSecond: acked / (cpu.wallMs / 1000),
      ackP50: p50 ?? Number.NaN,
      ackP99: p99 ?? Number.NaN,
      deliveriesPerAck: deliveries / acked,
      refused: total('failed'),
      serverMicrosPerMessage: cpu.serverCpuMicros / acked,
      ackedPerCoreSecond: (acked * 1e6) / cpu.serverCpuMicros,
      ...windowShares(cpu),
    };
  } finally {
    for (const sender of senders) sender.close();
  }
}

/** SQLite uses the run's shared deployment; PostgreSQL gets a database of its own. */
async function parleyDmTarget(ctx: BenchContext, dialect: Dialect, deployments: ParleyDeployment[]): Promise<DmTarget> {
  const shared = dialect === 'sqlite' ? await ctx.sqlite() : null;
  const deployment = shared?.deployment ?? (await createParleyDeployment(dialect));
  if (!shared) deployments.push(deployment);
  const server = await deployment.start();
  const clients = ctx.sizes.dmPairs * 2;
  ctx.log(`dm: ${clients} Parley users on ${dialect} opening ${ctx.sizes.dmPairs} direct chats`);
  const chats: string[] = [];
  const floorChats: FloorChat[] = [];
  let users: BenchUser[];
  try {
    users = shared ? await shared.users(server.url, clients) : await registerUsers(server.url, clients, ctx.sizes.registerConcurrency);
    for (let pair = 0; pair < ctx.sizes.dmPairs; pair++) {
      const [a, b] = [users[2 * pair], users[2 * pair + 1]];
      if (!a || !b) throw new Error('missing users');
      const id = await openDirect(server.url, a, b);
      chats.push(id);
      floorChats.push({ id, members: [a.id, b.id] });
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    name: `parley-${dialect}`,
    kind: 'parley',
    server,
    member: (i, round) => ({ room: chats[i >> 1] ?? '', token: users[i]?.token ?? null, tag: `r${round}u${i}` }),
    floor: {
      dialect,
      target: dialect === 'sqlite' ? path.join(deployment.env.DATA_DIR ?? '', 'parley.db') : (deployment.env.DATABASE_URL ?? ''),
      chats: floorChats,
    },
  };
}

/**
 * The same rows Parley wrote, written by the raw driver into the same database and chats
 * (servers/storage-floor.ts): how far Parley is from what the database alone allows.
 * SQLite commits as many messages per transaction as the scenario keeps in flight (the
 * best group commit could do); PostgreSQL runs that many one-message transactions over
 * the pool size Parley uses.
 */
async function measureFloors(ctx: BenchContext, targets: DmTarget[], collector: CaseCollector): Promise<void> {
  const inFlight = ctx.sizes.dmPairs * 2 * ctx.sizes.dmWindow;
  for (const target of targets) {
    if (!target.floor || !ctx.includes(target.name)) continue;
    const name = `floor-${target.floor.dialect}`;
    for (let round = 0; round < ctx.rounds; round++) {
      const result = await measureStorageFloor(
        {
          ...target.floor,
          warmupMs: ctx.warmupMs,
          durationMs: ctx.durationMs,
          batch: inFlight,
          inFlight,
          connections: Number(PARLEY_BENCH_ENV.DATABASE_POOL_MAX ?? 10),
        },
        ctx.placement.serverCore,
      );
      const sample = {
        ackedPerSecond: result.messages / (result.wallMs / 1000),
        serverMicrosPerMessage: result.cpuMicros / result.messages,
        ackedPerCoreSecond: (result.messages * 1e6) / result.cpuMicros,
      };
      ctx.log(
        `dm round ${round + 1} ${name}: ${Math.round(sample.ackedPerSecond)} stored/s, ${Math.round(sample.serverMicrosPerMessage)} CPU-µs/message`,
      );
      collector.add(name, sample);
    }
    collector.compare('of the storage floor', 'ackedPerSecond', target.name, name, 'ratio', 'per-second');
    // CPU per message holds up on a busy machine, where the rates depend on the share of a core each process got.
    collector.compare('CPU-µs/message over the storage floor', 'serverMicrosPerMessage', target.name, name, 'ratio', 'micros');
  }
  const sqlite = collector.summary('parley-sqlite', 'ackedPerSecond');
  const floor = collector.summary('floor-sqlite', 'ackedPerSecond');
  if (floor.median > 0) {
    collector.goal(
      'within 2× of the storage floor on SQLite',
      sqlite.median * 2 >= floor.median,
      `Parley ${Math.round(sqlite.median).toLocaleString('en-US')}/s, raw better-sqlite3 ${Math.round(floor.median).toLocaleString('en-US')}/s (${(sqlite.median / floor.median).toFixed(2)}×)`,
    );
  }
}

const DM_ORDER = ['relay', 'socketio', 'parley-sqlite', 'parley-postgres'];

const baselineMember = (i: number, round: number): Member => ({ room: `dm-${round}-${i >> 1}`, token: null, tag: `r${round}c${i}` });

export async function runDm(ctx: BenchContext): Promise<CaseResult[]> {
  const deployments: ParleyDeployment[] = [];
  const targets: DmTarget[] = [];
  try {
    const baseline = async (kind: 'relay' | 'socketio'): Promise<DmTarget> => ({
      name: kind,
      kind,
      server: await startServerProcess(kind),
      member: baselineMember,
    });
    const starting = [baseline('relay'), baseline('socketio'), parleyDmTarget(ctx, 'sqlite', deployments)];
    if (ctx.postgres) starting.push(parleyDmTarget(ctx, 'postgres', deployments));
    else ctx.log('dm: PostgreSQL does not answer (or --no-postgres); running SQLite only');
    targets.push(...(await allOrCleanup(starting, (target) => target.server.stop())));
    targets.sort((a, b) => DM_ORDER.indexOf(a.name) - DM_ORDER.indexOf(b.name));
    for (const target of targets) target.server.pin(ctx.placement.serverCore);
    const clients = ctx.sizes.dmPairs * 2;
    const collector = new CaseCollector(
      'dm',
      `${ctx.sizes.dmPairs} pairs`,
      `${ctx.sizes.dmPairs} pairs, both sides sending, each keeping ${ctx.sizes.dmWindow} messages unacknowledged. Parley stores ` +
        'every message and acks after the commit; PostgreSQL runs unpinned, and its CPU is not in "server CPU".',
      [
        { key: 'ackedPerSecond', label: 'acked messages/s', unit: 'per-second' },
        { key: 'ackP50', label: 'ack p50 ms', unit: 'millis' },
        { key: 'ackP99', label: 'ack p99 ms', unit: 'millis' },
        { key: 'serverMicrosPerMessage', label: 'server CPU-µs/message', unit: 'micros' },
        { key: 'ackedPerCoreSecond', label: 'acked per server CPU-second', unit: 'per-second' },
      ],
    );
    for (let round = 0; round < ctx.rounds; round++) {
      for (const target of rotate(
        targets.filter((t) => ctx.includes(t.name)),
        round,
      )) {
        const profiler = windowProfiler(ctx, target.server, `dm-${target.name}-r${round + 1}`);
        const sample = await measureDm(target, clients, round, ctx.sizes.dmWindow, ctx, profiler);
        ctx.log(
          `dm round ${round + 1} ${target.name}: ${Math.round(sample.ackedPerSecond ?? 0)} acked/s, ack p99 ${sample.ackP99?.toFixed(2)} ms, ` +
            `${Math.round(sample.serverMicrosPerMessage ?? 0)} server CPU-µs/message, ` +
            `generator ${Math.round((sample[GENERATOR_SHARE] ?? 0) * 100)}%`,
        );
        collector.add(target.name, sample);
        await quiesce(targets.map((t) => t.server));
      }
    }
    for (const parley of targets.filter((t) => t.kind === 'parley')) {
      collector.compare('acked/s', 'ackedPerSecond', parley.name, 'relay', 'ratio', 'per-second');
      collector.compare('acked/s', 'ackedPerSecond', parley.name, 'socketio', 'ratio', 'per-second');
    }
    const sqlite = collector.summary('parley-sqlite', 'ackedPerSecond');
    const sqlitePerCore = collector.summary('parley-sqlite', 'ackedPerCoreSecond');
    collector.goal(
      '≥ 20,000 acked, stored messages/s on SQLite',
      sqlite.median >= 20_000,
      `median ${Math.round(sqlite.median).toLocaleString('en-US')}/s; ${Math.round(sqlitePerCore.median).toLocaleString('en-US')} per server CPU-second`,
    );
    // The pairs' servers stop first: the storage floor and the PostgreSQL case get the server core to themselves.
    await Promise.all(targets.map((t) => t.server.stop()));
    await measureFloors(ctx, targets, collector);
    const pool = ctx.postgres ? await runDmPool(ctx) : [];
    return [collector.result(), ...pool];
  } finally {
    await Promise.all(targets.map((t) => t.server.stop()));
    for (const deployment of deployments) await deployment.dispose();
  }
}
