/**
 * The durable jobs table, through real servers on both databases: jobs run once, after
 * the transaction that added them commits; failures retry with backoff and end `failed`
 * with their error; a job outlives a restart and a crashed runner; two instances never
 * run the same job at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createParleyServer, type ParleyServer } from '../../server.js';
import { DIALECTS } from '../../test/dialects.js';
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer } from '../../test/test-server.js';
import { backoffMs } from './job-queue.js';
import { jobsRepo } from './jobs.repo.js';

const FAST = { JOBS_POLL_MS: '20', JOBS_RETRY_BASE_MS: '10', JOBS_MAX_ATTEMPTS: '3' };

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const startOn = async (database: TestDatabase, env: Record<string, string> = {}): Promise<ParleyServer> => {
  const server = await createParleyServer(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...database.env, ...FAST, ...env }),
  );
  await server.listen();
  return server;
};

describe('backoff', () => {
  it('doubles from the base, stays within ±20%, and is capped at an hour', () => {
    expect(backoffMs(1, 1000, () => 0.5)).toBe(1000);
    expect(backoffMs(4, 1000, () => 0.5)).toBe(8000);
    expect(backoffMs(3, 1000, () => 0)).toBe(3200);
    expect(backoffMs(3, 1000, () => 1)).toBe(4800);
    expect(backoffMs(40, 1000, () => 0.5)).toBe(3_600_000);
  });
});

describe.each(DIALECTS)('jobs (%s)', (dialect) => {
  let ts: TestServer;
  beforeAll(async () => {
    ts = await startTestServer(dialect, FAST);
  });
  afterAll(async () => {
    await ts?.close();
  });

  it('runs an enqueued job once with its payload, then removes it', async () => {
    const jobs = ts.server.services.jobs;
    const seen: unknown[] = [];
    jobs.handle('test.once', async (payload) => {
      seen.push(payload);
    });
    await jobs.enqueue('test.once', { text: 'héllo 上海' });
    await until(() => seen.length === 1, 'the job to run');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual([{ text: 'héllo 上海' }]);
    const left = await ts.server.storage.db.selectFrom('jobs').select('id').where('kind', '=', 'test.once').execute();
    expect(left).toEqual([]);
  });

  it('runs a job added in a transaction only if that transaction commits', async () => {
    const jobs = ts.server.services.jobs;
    const seen: string[] = [];
    jobs.handle('test.tx', async (payload) => {
      seen.push((payload as { name: string }).name);
    });
    await ts.server.storage.db
      .transaction()
      .execute(async (trx) => {
        await jobs.enqueue('test.tx', { name: 'rolled back' }, { db: trx });
        throw new Error('abort');
      })
      .catch(() => undefined);
    await ts.server.storage.db.transaction().execute(async (trx) => {
      await jobs.enqueue('test.tx', { name: 'committed' }, { db: trx });
    });
    await until(() => seen.length === 1, 'the committed job');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(seen).toEqual(['committed']);
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    const jobs = ts.server.services.jobs;
    const attempts: number[] = [];
    jobs.handle('test.flaky', async (_payload, job) => {
      attempts.push(job.attempt);
      if (job.attempt < 3) throw new Error(`attempt ${job.attempt} failed`);
    });
    await jobs.enqueue('test.flaky', {});
    await until(() => attempts.length === 3, 'three attempts');
    expect(attempts).toEqual([1, 2, 3]);
    expect(await jobs.failed()).toEqual([]);
  });

  it('keeps a job that runs out of attempts as failed, with its error, counted in /metrics; retry runs it again', async () => {
    const jobs = ts.server.services.jobs;
    let fixed = false;
    let runs = 0;
    jobs.handle('test.broken', async () => {
      runs += 1;
      if (!fixed) throw new Error('the mail server said no');
    });
    await jobs.enqueue('test.broken', { to: 'someone' });
    await until(async () => (await jobs.failed()).some((job) => job.kind === 'test.broken'), 'the job to fail');
    const [failed] = (await jobs.failed()).filter((job) => job.kind === 'test.broken');
    expect(failed).toMatchObject({ kind: 'test.broken', payload: { to: 'someone' }, attempts: 3 });
    expect(failed?.lastError).toContain('the mail server said no');
    expect(runs).toBe(3);
    const metrics = await ts.server.metrics.registry.getSingleMetricAsString('parley_jobs_failed_total');
    expect(metrics).toMatch(/parley_jobs_failed_total\{kind="test.broken"[^}]*\} 1/);

    fixed = true;
    expect(await jobs.retry(failed?.id ?? '')).toBe(true);
    await until(() => runs === 4, 'the retried run');
    await until(async () => (await jobs.failed()).every((job) => job.kind !== 'test.broken'), 'the job to leave the table');
    expect(await jobs.retry(failed?.id ?? '')).toBe(false);
  });

  it('waits for runAt, and lets one pending job hold a unique key until it is cancelled', async () => {
    const jobs = ts.server.services.jobs;
    const ran: string[] = [];
    jobs.handle('test.later', async (payload) => {
      ran.push((payload as { n: string }).n);
    });
    const key = `digest:${dialect}`;
    const runAt = Date.now() + 400;
    expect(await jobs.enqueue('test.later', { n: 'first' }, { runAt, uniqueKey: key })).toBe(true);
    expect(await jobs.enqueue('test.later', { n: 'second' }, { runAt, uniqueKey: key })).toBe(false);
    expect(await jobs.cancel(key)).toBe(true);
    expect(await jobs.cancel(key)).toBe(false);
    expect(await jobs.enqueue('test.later', { n: 'third' }, { runAt, uniqueKey: key })).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(ran).toEqual([]);
    await until(() => ran.length === 1, 'the scheduled job');
    expect(ran).toEqual(['third']);
    expect(Date.now()).toBeGreaterThanOrEqual(runAt);
    // Once it ran, the key is free again.
    expect(await jobs.enqueue('test.later', { n: 'fourth' }, { uniqueKey: key })).toBe(true);
    await until(() => ran.length === 2, 'the next job with that key');
  });
});

describe.each(DIALECTS)('jobs across restarts and instances (%s)', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('runs a job after a restart, and takes over a job whose runner died once its lease ran out', async () => {
    const first = await startOn(database);
    await first.services.jobs.enqueue('test.durable', { n: 1 }, { runAt: Date.now() + 300 });
    await first.services.jobs.enqueue('test.orphan', { n: 2 });
    // A runner that claimed the orphan and then died: its lease (50 ms) runs out unrenewed.
    const claimed = await jobsRepo(first.storage.db).claim(['test.orphan'], 'dead-runner', Date.now(), 50, 10);
    expect(claimed).toHaveLength(1);
    await first.close();

    const second = await startOn(database);
    try {
      const ran: string[] = [];
      second.services.jobs.handle('test.durable', async () => void ran.push('durable'));
      second.services.jobs.handle('test.orphan', async (_payload, job) => void ran.push(`orphan attempt ${job.attempt}`));
      await until(() => ran.length === 2, 'both jobs');
      expect(ran.sort()).toEqual(['durable', 'orphan attempt 2']);
    } finally {
      await second.close();
    }
  });

  it('never runs one job on two instances', async () => {
    const a = await startOn(database, { JOBS_CONCURRENCY: '4' });
    const b = await startOn(database, { JOBS_CONCURRENCY: '4' });
    try {
      const runs = new Map<number, number>();
      const byInstance = { a: 0, b: 0 };
      const handler = (instance: 'a' | 'b') => async (payload: unknown) => {
        const n = (payload as { n: number }).n;
        runs.set(n, (runs.get(n) ?? 0) + 1);
        byInstance[instance] += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      };
      a.services.jobs.handle('test.shared', handler('a'));
      b.services.jobs.handle('test.shared', handler('b'));
      await Promise.all(Array.from({ length: 60 }, (_, n) => a.services.jobs.enqueue('test.shared', { n })));
      await until(() => runs.size === 60, 'all sixty jobs');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect([...runs.values()].every((count) => count === 1)).toBe(true);
      expect(byInstance.a + byInstance.b).toBe(60);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
