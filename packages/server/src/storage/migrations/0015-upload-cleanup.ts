/**
 * Upload clean-up (issue 11): the hourly `attachments.cleanup` job looks for uploads left
 * unfinished, and finished ones never sent, older than UPLOAD_ABANDONED_HOURS — by state
 * and age, which this index answers without reading the whole files table.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('files_state_created').on('files').columns(['state', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('files_state_created').execute();
}
