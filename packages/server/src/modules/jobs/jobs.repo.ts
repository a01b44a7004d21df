/** SQL for the durable jobs table: add, claim due work under a lease, finish, retry, fail. */
import type { Kysely } from 'kysely';
import { isPostgres } from '../../storage/dialect.js';
import type { Database, JobsTable } from '../../storage/schema.js';

export type JobRow = JobsTable;

export const jobsRepo = (db: Kysely<Database>) => ({
  /** Adds a job; with a unique key already pending or running, adds nothing and returns false. */
  insert: async (row: JobRow, into: Kysely<Database> = db) => {
    const result = await into
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) => oc.column('unique_key').where('unique_key', 'is not', null).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  /**
   * Takes up to `limit` due jobs of these kinds for this runner: pending ones whose time
   * has come, and running ones whose runner's lease ran out (it stopped or crashed).
   * PostgreSQL skips rows another instance is claiming at the same moment; SQLite has
   * one writer, so its UPDATE is already exclusive.
   */
  claim: (kinds: readonly string[], runner: string, at: number, leaseMs: number, limit: number) => {
    let due = db
      .selectFrom('jobs')
      .select('id')
      .where('kind', 'in', kinds)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', at)]),
          eb.and([eb('status', '=', 'running'), eb('locked_until', '<', at)]),
        ]),
      )
      .orderBy('run_at')
      .limit(limit);
    if (isPostgres(db)) due = due.forUpdate().skipLocked();
    return db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        locked_by: runner,
        locked_until: at + leaseMs,
        attempts: eb('attempts', '+', 1),
        updated_at: at,
      }))
      .where('id', 'in', due)
      .returningAll()
      .execute();
  },

  /** Keeps the lease of jobs still running on this runner. */
  extendLease: (ids: readonly string[], runner: string, until: number) =>
    db
      .updateTable('jobs')
      .set({ locked_until: until })
      .where('id', 'in', ids)
      .where('locked_by', '=', runner)
      .where('status', '=', 'running')
      .execute(),

  /** A finished job leaves the table (its unique key is free again). */
  remove: (id: string, runner: string) => db.deleteFrom('jobs').where('id', '=', id).where('locked_by', '=', runner).execute(),

  reschedule: (id: string, runner: string, runAt: number, error: string, at: number) =>
    db
      .updateTable('jobs')
      .set({ status: 'pending', run_at: runAt, locked_by: null, locked_until: null, last_error: error, updated_at: at })
      .where('id', '=', id)
      .where('locked_by', '=', runner)
      .execute(),

  markFailed: (id: string, runner: string, error: string, at: number) =>
    db
      .updateTable('jobs')
      .set({ status: 'failed', locked_by: null, locked_until: null, last_error: error, updated_at: at })
      .where('id', '=', id)
      .where('locked_by', '=', runner)
      .execute(),

  /** Drops a pending job by its key (a cancelled scheduled message, a digest no longer due). */
  cancel: (uniqueKey: string) =>
    db.deleteFrom('jobs').where('unique_key', '=', uniqueKey).where('status', '=', 'pending').executeTakeFirst(),

  failed: (limit: number) =>
    db.selectFrom('jobs').selectAll().where('status', '=', 'failed').orderBy('updated_at', 'desc').limit(limit).execute(),

  /** Puts a failed job back in the queue with a fresh set of attempts. */
  retry: (id: string, at: number) =>
    db
      .updateTable('jobs')
      .set({ status: 'pending', run_at: at, attempts: 0, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst(),

  find: (id: string) => db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst(),
});
