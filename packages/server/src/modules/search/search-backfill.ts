/**
 * Indexes the messages that existed before the search index (migration 0005-search), in
 * the background after start-up: batches of BATCH messages, each in its own transaction
 * that also records how far it got — so a restart resumes where it stopped, and the
 * server answers (and indexes new messages) meanwhile. Progress goes to the log. On
 * PostgreSQL a second instance waits on the progress row's lock rather than repeating a
 * batch. Until it finishes, search finds new messages and only the older ones done so far.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { searchIndexFor } from './search-index.js';

const BATCH = 500;
/** A log line at most this often (and at the start and end). */
const LOG_EVERY_MS = 5000;

export interface BackfillLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SearchBackfill {
  /** Resolves when the back-fill is done (or stopped). */
  done: Promise<void>;
  stop(): Promise<void>;
}

export function startSearchBackfill(db: Kysely<Database>, log: BackfillLog, options: { batch?: number } = {}): SearchBackfill {
  const index = searchIndexFor(db);
  let stopped = false;
  const run = async () => {
    let loggedAt = 0;
    const startedAt = Date.now();
    for (;;) {
      if (stopped) return;
      const step = await index.backfill(db, options.batch ?? BATCH);
      if (step.finished) {
        if (loggedAt > 0 || step.indexed > 0)
          log.info({ indexed: step.done, total: step.total, ms: Date.now() - startedAt }, 'search back-fill finished');
        return;
      }
      if (Date.now() - loggedAt >= LOG_EVERY_MS) {
        loggedAt = Date.now();
        log.info({ indexed: step.done, total: step.total }, `search back-fill: ${step.done} of ${step.total} messages indexed`);
      }
      // A turn of the event loop between batches, so requests waiting for the database go first.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const RETRY_MS = 30_000;
  let retry: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const runUntilDone = async (): Promise<void> => {
    try {
      await run();
    } catch (error) {
      if (stopped) return;
      // Progress is kept: the walk goes on from the last finished batch.
      log.error({ err: error }, `search back-fill failed; retrying in ${RETRY_MS / 1000} s`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        retry = setTimeout(resolve, RETRY_MS);
        retry.unref();
      });
      if (!stopped) await runUntilDone();
    }
  };
  const done = runUntilDone();
  return {
    done,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      wake?.();
      await done;
    },
  };
}
