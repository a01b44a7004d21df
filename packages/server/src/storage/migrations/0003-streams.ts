/**
 * Real-time core v2: events are ordered per stream instead of globally. Each chat and
 * each user has its own gapless event counter (`event_seq`), taken under that row's lock
 * in the transaction that makes the change; a member remembers the position of their
 * join (`joined_seq`), so they never see what came before it. The old global log held
 * full payloads in one sequence; it is dropped (clients of the old protocol reload).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('events').execute();
  await db.schema
    .alterTable('chats')
    .addColumn('event_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('event_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('chat_members')
    .addColumn('joined_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  // `@all` is one flag on the message, not a mention row per member.
  await db.schema
    .alterTable('messages')
    .addColumn('mentions_all', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  // `data` never holds message text: message events keep `message_id` and are rebuilt
  // from the message's current row when replayed, so a replay cannot show deleted or
  // pre-edit text.
  await db.schema
    .createTable('events')
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('private_a', 'text')
    .addColumn('private_b', 'text')
    .addColumn('message_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('events_pk', ['stream', 'seq'])
    .execute();
  await db.schema.createIndex('events_created').on('events').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('events').execute();
  await db.schema.alterTable('messages').dropColumn('mentions_all').execute();
  await db.schema.alterTable('chat_members').dropColumn('joined_seq').execute();
  await db.schema.alterTable('users').dropColumn('event_seq').execute();
  await db.schema.alterTable('chats').dropColumn('event_seq').execute();
}
