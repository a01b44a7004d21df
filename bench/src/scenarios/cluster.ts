/**
 * Scenario 6, cluster: Parley as several instances on one PostgreSQL database, sharing
 * events over Redis Streams, against one instance on PostgreSQL under the same load.
 * Cases: direct messages across instances (flat out, then at a fixed rate for latency),
 * and a room with its members spread over the instances (likewise). Every instance is
 * pinned to the server core, as the single instance is: the cluster gets the same CPU,
 * so the ratios are the price of spreading a load — the bus hop, events decoded again on
 * every instance — not the gain of more cores, which a two-core machine cannot show.
 */
import os from 'node:os';
import { type BenchContext, quiesce, rotate, windowProfiler } from '../context.js';
import { startParleyCluster } from '../parley-cluster.js';
import { type BenchUser, createRoom, openDirect, registerUsers } from '../parley-fixture.js';
import type { CpuWindowOptions } from '../proc.js';
import { redisAvailable, redisPid } from '../redis.js';
import { type CaseCollector, type CaseResult, GENERATOR_SHARE } from '../results.js';
import type { ServerProcess } from '../server-process.js';
import { CLUSTER, clusterCases, fixedRate } from './cluster-cases.js';
import { measureFanout } from './fanout.js';
import { measureLatency } from './latency.js';
import { measureOneWayDm } from './one-way-dm.js';
import { roomMembers } from './room.js';
import { spreadVenue } from './spread.js';

interface ClusterTarget {
  name: string;
  instances: ServerProcess[];
  users: BenchUser[];
  directChats: string[];
  roomId: string;
  stop(): Promise<void>;
}

/** Users, the direct chat of each pair and the room, created through the first instance. */
async function populate(ctx: BenchContext, url: string): Promise<Pick<ClusterTarget, 'users' | 'directChats' | 'roomId'>> {
  const { clusterPairs: pairs, clusterRoom: roomSize } = ctx.sizes;
  const users = await registerUsers(url, Math.max(2 * pairs, roomSize), ctx.sizes.registerConcurrency, 'cluster');
  const directChats: string[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    const [a, b] = [users[2 * pair], users[2 * pair + 1]];
    if (!a || !b) throw new Error('missing users');
    directChats.push(await openDirect(url, a, b));
  }
  const owner = users[0];
  if (!owner) throw new Error('no users');
  return { users, directChats, roomId: await createRoom(url, owner, users.slice(0, roomSize), 'cluster') };
}

async function startTargets(ctx: BenchContext): Promise<ClusterTarget[]> {
  const targets: ClusterTarget[] = [];
  try {
    for (const size of [1, ctx.sizes.clusterInstances]) {
      // One instance runs as it would alone: no Redis, the in-process bus.
      const cluster = await startParleyCluster(size, size === 1 ? { REDIS_URL: '' } : {});
      const stop = async () => {
        await cluster.stop();
        await cluster.deployment.dispose();
      };
      const first = cluster.instances[0];
      if (!first) throw new Error('no instance started');
      ctx.log(`cluster: ${size} instance(s) on PostgreSQL${size > 1 ? ' with Redis' : ''}: registering users, opening chats`);
      try {
        targets.push({
          name: size === 1 ? CLUSTER.single : CLUSTER.cluster,
          instances: cluster.instances,
          ...(await populate(ctx, first.url)),
          stop,
        });
      } catch (error) {
        await stop();
        throw error;
      }
    }
  } catch (error) {
    await Promise.all(targets.map((t) => t.stop()));
    throw error;
  }
  return targets;
}

export async function runCluster(ctx: BenchContext): Promise<CaseResult[]> {
  if (!ctx.postgres || !(await redisAvailable())) {
    ctx.log('cluster: needs PostgreSQL and Redis (PARLEY_BENCH_REDIS_URL); skipped');
    return [];
  }
  const targets = await startTargets(ctx);
  try {
    for (const target of targets) for (const instance of target.instances) instance.pin(ctx.placement.serverCore);
    const redis = await redisPid();
    const cpu: CpuWindowOptions & { cores: number } = {
      cores: ctx.placement.pinned ? 1 : os.availableParallelism(),
      ...(redis !== null && { side: { redisShare: redis } }),
    };
    const cases = clusterCases(ctx);
    const included = targets.filter((t) => ctx.includes(t.name));
    const allServers = targets.flatMap((t) => t.instances);
    const pidsOf = (t: ClusterTarget) => t.instances.map((i) => i.pid);
    const portsOf = (t: ClusterTarget) => t.instances.map((i) => i.port);
    const tokenOf = (t: ClusterTarget, i: number) => t.users[i]?.token ?? null;
    const logSample = (what: string, round: number, target: ClusterTarget, sample: Record<string, number>, figures: string) =>
      ctx.log(
        `cluster ${what} round ${round + 1} ${target.name}: ${figures}, server CPU ${Math.round((sample.serverShare ?? 0) * 100)}% ` +
          `(waited ${Math.round((sample.serverWaitShare ?? 0) * 100)}%), ` +
          `Redis ${Math.round((sample.redisShare ?? 0) * 100)}%, generator ${Math.round((sample[GENERATOR_SHARE] ?? 0) * 100)}%`,
      );
    /** One load over every target in this round's order, each sample added to `collector`. */
    const each = async (collector: CaseCollector, measure: (target: ClusterTarget) => Promise<Record<string, number>>, round: number) => {
      for (const target of rotate(included, round)) {
        collector.add(target.name, await measure(target));
        await quiesce(allServers);
      }
    };
    /** This round's fixed rate: a share of the lower flat-out rate the round measured. */
    const rateFrom = (collector: CaseCollector, key: string, round: number) =>
      fixedRate(
        ctx.sizes.clusterLatencyLoad,
        included.map((t) => collector.values(t.name, key)[round] ?? Number.NaN),
      );
    // The phase is in the tags: a client id reused by the next phase would be answered as a retry, stored once and never delivered.
    const dmTarget = (t: ClusterTarget, phase: string) => ({
      name: t.name,
      ports: portsOf(t),
      pids: pidsOf(t),
      pair: (i: number, round: number) => ({
        sender: { room: t.directChats[i] ?? '', token: tokenOf(t, 2 * i), tag: `${phase}${round}s${i}` },
        receiver: { room: t.directChats[i] ?? '', token: tokenOf(t, 2 * i + 1), tag: `${phase}${round}r${i}` },
      }),
    });
    const venueOf = (t: ClusterTarget) => spreadVenue({ ports: portsOf(t), pids: pidsOf(t), ...cpu });
    const membersOf = (t: ClusterTarget) =>
      roomMembers(
        'parley',
        ctx.sizes.clusterRoom,
        t.roomId,
        t.users.map((u) => u.token),
      );
    for (let round = 0; round < ctx.rounds; round++) {
      const profilerOf = (t: ClusterTarget, what: string) => {
        const first = t.instances[0];
        if (!first) throw new Error('no instance');
        return windowProfiler(ctx, first, `cluster-${what}-${t.name}-r${round + 1}`);
      };
      await each(
        cases.dmFlat,
        async (t) => {
          const sample = await measureOneWayDm(dmTarget(t, 'flat'), {
            pairs: ctx.sizes.clusterPairs,
            round,
            load: { window: ctx.sizes.dmWindow },
            timing: ctx,
            cpu: async () => cpu,
            profiler: profilerOf(t, 'dm'),
          });
          logSample(
            'dm flat out',
            round,
            t,
            sample,
            `${Math.round(sample.ackedPerSecond ?? 0)} acked/s, delivery p99 ${sample.deliveryP99?.toFixed(1)} ms`,
          );
          return sample;
        },
        round,
      );
      const dmRate = rateFrom(cases.dmFlat, 'ackedPerSecond', round);
      await each(
        cases.dmRate,
        async (t) => {
          const sample = await measureOneWayDm(dmTarget(t, 'rate'), {
            pairs: ctx.sizes.clusterPairs,
            round,
            load: { rate: dmRate },
            timing: ctx,
            cpu: async () => cpu,
            profiler: profilerOf(t, 'dm-rate'),
          });
          logSample(
            `dm at ${dmRate}/s`,
            round,
            t,
            sample,
            `delivery p50 ${sample.deliveryP50?.toFixed(2)} ms, p99 ${sample.deliveryP99?.toFixed(2)} ms, delivered ${((sample.deliveredShare ?? 0) * 100).toFixed(1)}%`,
          );
          return sample;
        },
        round,
      );
      await each(
        cases.roomFlat,
        async (t) => {
          const sample = await measureFanout(
            'parley',
            venueOf(t),
            membersOf(t),
            {
              warmupMs: ctx.warmupMs,
              durationMs: ctx.durationMs,
              fullClients: ctx.sizes.fullClients,
              windowDeliveries: ctx.sizes.fanoutWindowDeliveries,
            },
            profilerOf(t, 'room'),
          );
          logSample('room flat out', round, t, sample, `${Math.round(sample.deliveriesPerSecond ?? 0)} deliveries/s`);
          return sample;
        },
        round,
      );
      const roomRate = rateFrom(cases.roomFlat, 'messagesPerSecond', round);
      await each(
        cases.roomRate,
        async (t) => {
          const sample = await measureLatency('parley', venueOf(t), membersOf(t), roomRate, ctx, profilerOf(t, 'room-rate'));
          logSample(
            `room at ${roomRate}/s`,
            round,
            t,
            sample,
            `p50 ${sample.p50?.toFixed(2)} ms, p99 ${sample.p99?.toFixed(2)} ms, delivered ${((sample.deliveredShare ?? 0) * 100).toFixed(1)}%`,
          );
          return sample;
        },
        round,
      );
    }
    return cases.results();
  } finally {
    await Promise.all(targets.map((t) => t.stop()));
  }
}
