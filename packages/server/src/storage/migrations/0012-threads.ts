/**
 * Threads (E15). A reply is a message of the same chat pointing at its root
 * (`thread_root_id`); `also_to_chat` marks one sent to the chat as well. `threads` keeps a
 * root's summary (reply count, newest reply, last repliers), written with each reply in its
 * send's transaction, so a page of history reads it with one look-up instead of counting.
 * `thread_members` is each person's own state of a thread: following, and how far they read.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('thread_root_id', 'text').execute();
  await db.schema
    .alterTable('messages')
    .addColumn('also_to_chat', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Only replies are in it: the chat's own messages (nearly all) cost the index nothing.
  await db.schema
    .createIndex('messages_thread')
    .on('messages')
    .columns(['thread_root_id', 'seq'])
    .where(sql.ref('thread_root_id'), 'is not', null)
    .execute();
  await db.schema
    .createTable('threads')
    .addColumn('root_id', 'text', (c) => c.primaryKey().references('messages.id').onDelete('cascade'))
    .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('reply_count', 'integer', (c) => c.notNull())
    .addColumn('last_reply_seq', 'bigint', (c) => c.notNull())
    .addColumn('last_reply_at', 'bigint', (c) => c.notNull())
    .addColumn('repliers', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('thread_members')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('root_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('following', 'integer', (c) => c.notNull())
    .addColumn('last_read_seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('thread_members_pk', ['user_id', 'root_id'])
    .execute();
  await db.schema.createIndex('thread_members_root').on('thread_members').column('root_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('thread_members').execute();
  await db.schema.dropTable('threads').execute();
  await db.schema.dropIndex('messages_thread').execute();
  await db.schema.alterTable('messages').dropColumn('also_to_chat').execute();
  await db.schema.alterTable('messages').dropColumn('thread_root_id').execute();
}
