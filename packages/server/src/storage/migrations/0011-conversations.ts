/**
 * Team conversations (issue 16), first part: drafts synced across devices (I5). One row per
 * person per chat; the thread column is '' for the chat's own composer (a key column, so
 * not NULL), ready for a draft per thread. Later parts of issue 16 are their own migrations
 * (`0011-conversations-…`), which sort after this one.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('drafts')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('thread_root_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('drafts_pk', ['user_id', 'chat_id', 'thread_root_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('drafts').execute();
}
