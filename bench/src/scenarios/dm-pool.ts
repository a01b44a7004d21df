/**
 * The dm scenario's PostgreSQL case: many writers, each alone in a direct chat of its own
 * with its peer listening, all sending at once — with DATABASE_POOL_MAX=1 and with 16
 * (ctx.sizes.dmPoolSizes). Each chat's events are ordered under that chat's row lock and
 * nothing global, so with more connections the writers' transactions run side by side;
 * with one they queue for it. The ratio is what parallel writers gain.
 */
import { type BenchContext, quiesce, rotate, windowProfiler } from '../context.js';
import { createParleyDeployment, openDirect, type ParleyDeployment, registerUsers } from '../parley-fixture.js';
import { CaseCollector, type CaseResult, GENERATOR_SHARE } from '../results.js';
import type { ServerProcess } from '../server-process.js';
import { measureOneWayDm, type OneWayDmTarget } from './one-way-dm.js';

interface PoolTarget extends OneWayDmTarget {
  pool: number;
  server: ServerProcess;
  deployment: ParleyDeployment;
}

export const poolTargetName = (pool: number) => `parley-postgres-pool${pool}`;

async function startPoolTarget(ctx: BenchContext, pool: number): Promise<PoolTarget> {
  const deployment = await createParleyDeployment('postgres', { DATABASE_POOL_MAX: String(pool) });
  let server: ServerProcess | null = null;
  try {
    server = await deployment.start();
    const writers = ctx.sizes.dmPoolWriters;
    const users = await registerUsers(server.url, 2 * writers, ctx.sizes.registerConcurrency, 'pool');
    const chats: string[] = [];
    for (let i = 0; i < writers; i++) {
      const [a, b] = [users[2 * i], users[2 * i + 1]];
      if (!a || !b) throw new Error('missing users');
      chats.push(await openDirect(server.url, a, b));
    }
    const started = server;
    return {
      name: poolTargetName(pool),
      pool,
      server: started,
      deployment,
      ports: [started.port],
      pids: [started.pid],
      pair: (i, round) => ({
        sender: { room: chats[i] ?? '', token: users[2 * i]?.token ?? null, tag: `p${round}s${i}` },
        receiver: { room: chats[i] ?? '', token: users[2 * i + 1]?.token ?? null, tag: `p${round}r${i}` },
      }),
    };
  } catch (error) {
    await server?.stop();
    await deployment.dispose();
    throw error;
  }
}

export async function runDmPool(ctx: BenchContext): Promise<CaseResult[]> {
  const pools = ctx.sizes.dmPoolSizes;
  const wanted = pools.filter((pool) => ctx.includes(poolTargetName(pool)));
  if (wanted.length === 0) return [];
  const writers = ctx.sizes.dmPoolWriters;
  ctx.log(`dm: ${writers} writers on PostgreSQL, each in a direct chat of its own, with DATABASE_POOL_MAX ${wanted.join(' and ')}`);
  const targets: PoolTarget[] = [];
  try {
    // One after the other: each registers its users (argon2) through its own server.
    for (const pool of wanted) targets.push(await startPoolTarget(ctx, pool));
    for (const target of targets) target.server.pin(ctx.placement.serverCore);
    const collector = new CaseCollector(
      'dm',
      `PostgreSQL, ${writers} writers to different chats: ${pools.map((p) => `${p} connection${p === 1 ? '' : 's'}`).join(' vs ')}`,
      `${writers} senders at once, each in its own direct chat with its peer listening, each keeping ${ctx.sizes.dmWindow} messages ` +
        `unacknowledged; the same Parley server with DATABASE_POOL_MAX=${pools.join(' and =')}, a database each. "PostgreSQL CPU" is ` +
        'its backends serving that server (it runs unpinned, beside the load generator).',
      [
        { key: 'ackedPerSecond', label: 'acked messages/s', unit: 'per-second' },
        { key: 'ackP50', label: 'ack p50 ms', unit: 'millis' },
        { key: 'ackP99', label: 'ack p99 ms', unit: 'millis' },
        { key: 'deliveryP99', label: 'delivery p99 ms', unit: 'millis' },
        { key: 'serverMicrosPerMessage', label: 'server CPU-µs/message', unit: 'micros' },
        { key: 'postgresShare', label: 'PostgreSQL CPU', unit: 'share' },
      ],
    );
    for (let round = 0; round < ctx.rounds; round++) {
      for (const target of rotate(targets, round)) {
        const sample = await measureOneWayDm(target, {
          pairs: writers,
          round,
          load: { window: ctx.sizes.dmWindow },
          timing: ctx,
          cpu: async () => ({ side: { postgresShare: await target.deployment.backendPids() } }),
          profiler: windowProfiler(ctx, target.server, `dm-pool${target.pool}-r${round + 1}`),
        });
        ctx.log(
          `dm round ${round + 1} ${target.name}: ${Math.round(sample.ackedPerSecond ?? 0)} acked/s, ack p99 ${sample.ackP99?.toFixed(1)} ms, ` +
            `server CPU ${Math.round((sample.serverShare ?? 0) * 100)}% (waited ${Math.round((sample.serverWaitShare ?? 0) * 100)}%), ` +
            `PostgreSQL ${Math.round((sample.postgresShare ?? 0) * 100)}%, generator ${Math.round((sample[GENERATOR_SHARE] ?? 0) * 100)}%`,
        );
        collector.add(target.name, sample);
        await quiesce(targets.map((t) => t.server));
      }
    }
    const [one, many] = [pools[0], pools.at(-1)];
    if (one !== undefined && many !== undefined && one !== many) {
      const gain = collector.compare('acked/s', 'ackedPerSecond', poolTargetName(many), poolTargetName(one), 'ratio', 'per-second');
      if (gain)
        collector.goal(
          `writers to different chats run in parallel: ${many} connections ≥ 1.5× ${one}`,
          gain.median >= 1.5,
          `median ${gain.median.toFixed(2)}×`,
        );
    }
    return [collector.result()];
  } finally {
    await Promise.all(targets.map((t) => t.server.stop()));
    for (const target of targets) await target.deployment.dispose();
  }
}
