/**
 * Message retention (J6): messages older than a room's retention, or else the server-wide
 * one, are removed — tombstoned with their one `message.deleted` event, as a deletion by
 * their sender would be — by a background job that runs every hour on one instance (one
 * job per hour slot, by unique key), in batches.
 */
import type { Kysely } from 'kysely';
import { now } from '../../clock.js';
import type { Database } from '../../storage/schema.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { adminRepo } from './admin.repo.js';
import type { ServerSettingsStore } from './server-settings.js';

const HOUR_MS = 3_600_000;
const BATCH = 500;
export const RETENTION_JOB = 'admin.retention';

export function createRetention(
  db: Kysely<Database>,
  settings: ServerSettingsStore,
  jobs: JobQueue,
  removeMessage: (chatId: string, messageId: string) => Promise<void>,
) {
  const repo = adminRepo(db);
  const enqueueSlot = (slot: number) => jobs.enqueue(RETENTION_JOB, {}, { runAt: slot * HOUR_MS, uniqueKey: `${RETENTION_JOB}:${slot}` });

  /** Removes every expired message; returns how many. */
  async function sweep(at = now()): Promise<number> {
    const serverDays = await settings.retentionDays();
    let removed = 0;
    for (;;) {
      const expired = await repo.expiredMessages(at, serverDays, BATCH);
      for (const message of expired) await removeMessage(message.chat_id, message.id);
      removed += expired.length;
      if (expired.length < BATCH) return removed;
    }
  }

  return {
    sweep,
    /** Registers the job and queues this hour's sweep (a no-op when another instance did). */
    registerJobs(log: (error: unknown) => void) {
      jobs.handle(RETENTION_JOB, async () => {
        await sweep();
        await enqueueSlot(Math.floor(now() / HOUR_MS) + 1);
      });
      enqueueSlot(Math.floor(now() / HOUR_MS)).catch(log);
    },
  };
}
