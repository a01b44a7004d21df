/**
 * What was pushed about a thread (E15): the newest reply pushed to a person in each thread,
 * so reading the thread (`thread.markRead`) can close that notification on their devices —
 * what `push_notified` does for a chat's own timeline, keyed by the thread's root.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('push_notified_threads')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('root_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('push_notified_threads_pk', ['user_id', 'root_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('push_notified_threads').execute();
}
