/**
 * Several Parley instances on one PostgreSQL database sharing events over Redis, the way
 * docs/operations.md runs them, minus nginx: the bench connects each client straight to
 * the instance it means (so "sender on A, receiver on B" is a fact, not a balancer's
 * choice). Each instance is a server process like any other target, with its own
 * INSTANCE_ID.
 */
import { allOrCleanup } from './context.js';
import { createParleyDeployment, type ParleyDeployment } from './parley-fixture.js';
import { BENCH_REDIS_URL, deleteParleyKeys } from './redis.js';
import type { ServerProcess } from './server-process.js';

export interface ParleyCluster {
  deployment: ParleyDeployment;
  instances: ServerProcess[];
  /** Stops every instance, then deletes the bus stream and presence keys from Redis. */
  stop(): Promise<void>;
}

export async function startParleyCluster(size: number, env: Record<string, string> = {}): Promise<ParleyCluster> {
  const deployment = await createParleyDeployment('postgres', { REDIS_URL: BENCH_REDIS_URL, ...env });
  const instances: ServerProcess[] = [];
  const stop = async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await deleteParleyKeys().catch(() => undefined);
  };
  try {
    // The first instance migrates the empty database; concurrent migrations would race.
    instances.push(await deployment.start({ INSTANCE_ID: 'bench-1' }));
    const rest = Array.from({ length: size - 1 }, (_, i) => deployment.start({ INSTANCE_ID: `bench-${i + 2}` }));
    instances.push(...(await allOrCleanup(rest, (instance) => instance.stop())));
  } catch (error) {
    await stop();
    await deployment.dispose();
    throw error;
  }
  return { deployment, instances, stop };
}
