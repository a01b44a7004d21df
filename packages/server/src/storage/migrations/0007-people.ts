/**
 * People (issue 13): contact requests, each person's view of another (contact, alias,
 * star, block), privacy settings, the notification centre, pinned messages; pinned and
 * archived chats per member, and who may pin messages in a group.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('contact_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('from_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('to_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('silenced', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contact_requests_from').on('contact_requests').columns(['from_id', 'to_id', 'status']).execute();
  await db.schema.createIndex('contact_requests_to').on('contact_requests').columns(['to_id', 'status']).execute();

  await db.schema
    .createTable('relationships')
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('other_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('contact', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alias', 'text')
    .addColumn('starred', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('blocked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('relationships_pk', ['owner_id', 'other_id'])
    .execute();
  await db.schema.createIndex('relationships_other').on('relationships').columns(['other_id', 'owner_id']).execute();

  await db.schema
    .createTable('privacy_settings')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('hide_email', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('direct_messages', 'text', (c) => c.notNull().defaultTo('everyone'))
    .addColumn('group_invites', 'text', (c) => c.notNull().defaultTo('everyone'))
    .addColumn('last_seen', 'text', (c) => c.notNull().defaultTo('everyone'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('chat_id', 'text')
    .addColumn('message_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('read_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('pinned_messages')
    .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('pinned_by', 'text')
    .addColumn('pinned_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('pinned_messages_pk', ['chat_id', 'message_id'])
    .execute();

  await db.schema.alterTable('chat_members').addColumn('pin_order', 'bigint').execute();
  await db.schema.alterTable('chat_members').addColumn('archived_seq', 'bigint').execute();
  await db.schema
    .alterTable('chats')
    .addColumn('members_can_pin', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('chats').dropColumn('members_can_pin').execute();
  await db.schema.alterTable('chat_members').dropColumn('archived_seq').execute();
  await db.schema.alterTable('chat_members').dropColumn('pin_order').execute();
  for (const table of ['pinned_messages', 'notifications', 'privacy_settings', 'relationships', 'contact_requests']) {
    await db.schema.dropTable(table).execute();
  }
}
