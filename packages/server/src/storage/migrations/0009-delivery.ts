/**
 * Delivery state and the account language (issue 17). Delivered positions live in their own
 * table rather than as a chat_members column: the membership row is read on every action
 * (access/chat-access.ts) and delivery is read only when members are listed. Rooms keep no
 * delivered positions (their senders see "sent" and "read").
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chat_delivery')
    .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('delivered_seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_delivery_pk', ['chat_id', 'user_id'])
    .execute();
  await db.schema.alterTable('users').addColumn('language', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('language').execute();
  await db.schema.dropTable('chat_delivery').execute();
}
