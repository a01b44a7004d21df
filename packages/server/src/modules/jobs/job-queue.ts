/**
 * Durable background jobs on the database Parley already has (SQLite or PostgreSQL), so
 * `npm start` needs nothing more and several instances share one queue. A job is added
 * in the same transaction as the change that needs it (pass `db`), so it exists exactly
 * when that change committed. Each instance runs the kinds it has handlers for, a few at a
 * time, under a lease it keeps extending; a job whose instance died is taken again once
 * the lease runs out — so a handler may run more than once and must be idempotent.
 * A throw retries with exponential backoff; after the last attempt the job stays in the
 * table as `failed`, with its error, logged and counted in /metrics.
 */
import type { Kysely } from 'kysely';
import { now } from '../../clock.js';
import { newId } from '../../ids.js';
import type { Database } from '../../storage/schema.js';
import { jobsRepo } from './jobs.repo.js';

export interface JobContext {
  id: string;
  kind: string;
  /** 1 on the first run. */
  attempt: number;
}

export type JobHandler = (payload: unknown, job: JobContext) => Promise<void>;

export interface HandlerOptions {
  /** Runs before the job is marked failed; default JOBS_MAX_ATTEMPTS. */
  maxAttempts?: number;
}

export interface EnqueueOptions {
  /** When the job may run; default now. */
  runAt?: number;
  /** At most one pending or running job per key; a second enqueue with it adds nothing. */
  uniqueKey?: string;
  /** The transaction of the change this job belongs to. */
  db?: Kysely<Database>;
}

export interface FailedJob {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  lastError: string | null;
  failedAt: number;
}

export interface JobsObserver {
  completed(kind: string): void;
  retried(kind: string): void;
  failed(kind: string): void;
}

export interface JobsLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobQueueOptions {
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  observer?: JobsObserver;
}

export type JobQueue = ReturnType<typeof createJobQueue>;

const MAX_BACKOFF_MS = 3_600_000;
/**
 * How long stopping waits for the jobs already running. A job still running after it is
 * left to its lease, which is no longer renewed: it runs again after the lease runs out, on
 * whichever instance claims it (every job may run again after a crash anyway).
 */
const STOP_GRACE_MS = 5_000;

/** The wait before attempt `attempt + 1`: doubling from the base, capped at an hour, ±20% so retries spread. */
export function backoffMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const exact = Math.min(baseMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return Math.round(exact * (0.8 + 0.4 * random()));
}

const errorText = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error)).slice(0, 4000);

export function createJobQueue(db: Kysely<Database>, options: JobQueueOptions) {
  const repo = jobsRepo(db);
  const runner = newId();
  const handlers = new Map<string, { handler: JobHandler; maxAttempts: number }>();
  const running = new Map<string, Promise<void>>();
  let log: JobsLog | null = null;
  let started = false;
  let stopping = false;
  let ticking = false;
  let again = false;
  let poll: NodeJS.Timeout | undefined;
  let lease: NodeJS.Timeout | undefined;

  async function run(row: Awaited<ReturnType<typeof repo.claim>>[number]): Promise<void> {
    const entry = handlers.get(row.kind);
    if (!entry) return;
    // The handler's current policy decides (a deploy may have changed it since the job was added).
    const { maxAttempts } = entry;
    try {
      await entry.handler(JSON.parse(row.payload) as unknown, { id: row.id, kind: row.kind, attempt: row.attempts });
      await repo.remove(row.id, runner);
      options.observer?.completed(row.kind);
    } catch (error) {
      const at = now();
      if (row.attempts >= maxAttempts) {
        await repo.markFailed(row.id, runner, errorText(error), at);
        options.observer?.failed(row.kind);
        log?.error({ err: error, job: row.id, kind: row.kind, attempts: row.attempts }, 'job failed for good');
      } else {
        await repo.reschedule(row.id, runner, at + backoffMs(row.attempts, options.retryBaseMs), errorText(error), at);
        options.observer?.retried(row.kind);
        log?.warn({ err: error, job: row.id, kind: row.kind, attempt: row.attempts }, 'job failed; will retry');
      }
    }
  }

  /** Claims as many due jobs as there are free slots and starts them. */
  async function tick(): Promise<void> {
    if (!started || stopping) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    try {
      do {
        again = false;
        const free = options.concurrency - running.size;
        if (free <= 0 || handlers.size === 0) break;
        const rows = await repo.claim([...handlers.keys()], runner, now(), options.leaseMs, free);
        for (const row of rows) {
          const done = run(row)
            .catch((error: unknown) => log?.error({ err: error, job: row.id }, 'job bookkeeping failed'))
            .finally(() => {
              running.delete(row.id);
              void tick();
            });
          running.set(row.id, done);
        }
        if (rows.length === free) again = true;
      } while (again && !stopping);
    } catch (error) {
      log?.warn({ err: error }, 'claiming jobs failed; will try again');
    } finally {
      ticking = false;
    }
  }

  return {
    /** Registers the handler for a kind; jobs of kinds nobody handles here wait for an instance that does. */
    handle(kind: string, handler: JobHandler, handlerOptions: HandlerOptions = {}): void {
      if (handlers.has(kind)) throw new Error(`job kind ${kind} already has a handler`);
      handlers.set(kind, { handler, maxAttempts: handlerOptions.maxAttempts ?? options.maxAttempts });
    },

    /** Adds a job; false when `uniqueKey` already names a pending or running one. */
    async enqueue(kind: string, payload: unknown, enqueueOptions: EnqueueOptions = {}): Promise<boolean> {
      const at = now();
      const added = await repo.insert(
        {
          id: newId(),
          kind,
          payload: JSON.stringify(payload ?? null),
          unique_key: enqueueOptions.uniqueKey ?? null,
          status: 'pending',
          run_at: enqueueOptions.runAt ?? at,
          attempts: 0,
          max_attempts: handlers.get(kind)?.maxAttempts ?? options.maxAttempts,
          locked_by: null,
          locked_until: null,
          last_error: null,
          created_at: at,
          updated_at: at,
        },
        enqueueOptions.db,
      );
      // Outside a transaction the job is visible now; inside one, the next poll finds it.
      if (added && !enqueueOptions.db && (enqueueOptions.runAt ?? at) <= at) setImmediate(() => void tick());
      return added;
    },

    /** Removes a pending job by its key; true if there was one. */
    async cancel(uniqueKey: string): Promise<boolean> {
      const result = await repo.cancel(uniqueKey);
      return Number(result.numDeletedRows) > 0;
    },

    /** Jobs that ran out of attempts, newest first — for operators. */
    async failed(limit = 100): Promise<FailedJob[]> {
      return (await repo.failed(limit)).map((row) => ({
        id: row.id,
        kind: row.kind,
        payload: JSON.parse(row.payload) as unknown,
        attempts: row.attempts,
        lastError: row.last_error,
        failedAt: row.updated_at,
      }));
    },

    /** Gives a failed job a fresh set of attempts; false if there is no failed job with that id. */
    async retry(id: string): Promise<boolean> {
      const result = await repo.retry(id, now());
      if (Number(result.numUpdatedRows) === 0) return false;
      setImmediate(() => void tick());
      return true;
    },

    /** Starts running due jobs (the server calls this once it can log). */
    start(jobsLog: JobsLog): void {
      if (started) return;
      log = jobsLog;
      started = true;
      poll = setInterval(() => void tick(), options.pollMs);
      poll.unref();
      lease = setInterval(
        () => {
          if (running.size === 0) return;
          repo
            .extendLease([...running.keys()], runner, now() + options.leaseMs)
            .catch((error: unknown) => log?.warn({ err: error }, 'extending job leases failed'));
        },
        Math.max(1000, Math.floor(options.leaseMs / 3)),
      );
      lease.unref();
      void tick();
    },

    /** Stops claiming and waits for the jobs already running, up to STOP_GRACE_MS. */
    async stop(): Promise<void> {
      stopping = true;
      clearInterval(poll);
      clearInterval(lease);
      let grace: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timed out'>((resolve) => {
        grace = setTimeout(() => resolve('timed out'), STOP_GRACE_MS);
      });
      const ids = [...running.keys()];
      const outcome = await Promise.race([Promise.allSettled(running.values()), timedOut]);
      clearTimeout(grace);
      if (outcome === 'timed out') log?.warn({ jobIds: ids }, 'jobs still running at stop were left to their leases');
    },
  };
}
