/**
 * The dialects every storage-touching suite runs on. `PARLEY_TEST_DIALECTS=sqlite` (or
 * `postgres`) narrows the run. PostgreSQL is skipped, with a message, when it does not
 * answer — unless `PARLEY_TEST_REQUIRE_SERVICES=1`, as in CI, where that is a failure.
 */
import { Redis } from 'ioredis';
import pg from 'pg';

export type TestDialect = 'sqlite' | 'postgres';

export const PG_ADMIN_URL = process.env.PARLEY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_TEST_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const REQUIRE_SERVICES = process.env.PARLEY_TEST_REQUIRE_SERVICES === '1';

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const wanted = (process.env.PARLEY_TEST_DIALECTS ?? 'sqlite,postgres').split(',').map((d) => d.trim());

async function available(): Promise<TestDialect[]> {
  const dialects: TestDialect[] = [];
  if (wanted.includes('sqlite')) dialects.push('sqlite');
  if (wanted.includes('postgres')) {
    if (await postgresAnswers()) dialects.push('postgres');
    else if (REQUIRE_SERVICES)
      throw new Error(`PostgreSQL is required (PARLEY_TEST_REQUIRE_SERVICES=1) but ${PG_ADMIN_URL} does not answer`);
    else console.warn(`[parley tests] PostgreSQL at ${PG_ADMIN_URL} does not answer: skipping the postgres dialect`);
  }
  return dialects;
}

export const DIALECTS: TestDialect[] = await available();

async function redisAnswers(): Promise<boolean> {
  const client = new Redis(REDIS_TEST_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Whether Redis answers at REDIS_TEST_URL: `false` is a failure under PARLEY_TEST_REQUIRE_SERVICES=1, else a warning naming what is skipped. */
export async function redisAvailable(skipping: string): Promise<boolean> {
  if (await redisAnswers()) return true;
  if (REQUIRE_SERVICES) throw new Error(`Redis is required (PARLEY_TEST_REQUIRE_SERVICES=1) but ${REDIS_TEST_URL} does not answer`);
  console.warn(`[parley tests] Redis at ${REDIS_TEST_URL} does not answer: skipping ${skipping}`);
  return false;
}
