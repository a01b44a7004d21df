/** SQL of data exports: the export rows, and what one person's export holds. */
import type { Kysely, Selectable } from 'kysely';
import type { DataExportsTable } from '../../storage/admin-schema.js';
import type { Database } from '../../storage/schema.js';

export type ExportRow = Selectable<DataExportsTable>;

export const exportRepo = (db: Kysely<Database>) => ({
  insert: (row: ExportRow) => db.insertInto('data_exports').values(row).execute(),

  byId: (id: string) => db.selectFrom('data_exports').selectAll().where('id', '=', id).executeTakeFirst(),

  ofUser: (userId: string) =>
    db.selectFrom('data_exports').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').limit(20).execute(),

  byTokenHash: (tokenHash: string) => db.selectFrom('data_exports').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst(),

  update: (id: string, changes: Partial<ExportRow>) => db.updateTable('data_exports').set(changes).where('id', '=', id).execute(),

  profile: (userId: string) => db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst(),

  chats: (userId: string) =>
    db
      .selectFrom('chat_members')
      .innerJoin('chats', 'chats.id', 'chat_members.chat_id')
      .select(['chats.id', 'chats.kind', 'chats.name', 'chat_members.role', 'chat_members.joined_at'])
      .where('chat_members.user_id', '=', userId)
      .orderBy('chats.name')
      .execute(),

  messages: (userId: string) =>
    db
      .selectFrom('messages')
      .selectAll()
      .where('sender_id', '=', userId)
      .where('kind', '=', 'text')
      .orderBy('chat_id')
      .orderBy('seq')
      .execute(),

  attachmentsOf: (messageIds: string[]) =>
    messageIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('message_attachments')
          .select(['message_id', 'file_id', 'position'])
          .where('message_id', 'in', messageIds)
          .orderBy('position')
          .execute(),

  reactions: (userId: string) =>
    db
      .selectFrom('reactions')
      .innerJoin('messages', 'messages.id', 'reactions.message_id')
      .select(['reactions.message_id', 'messages.chat_id', 'reactions.emoji', 'reactions.created_at'])
      .where('reactions.user_id', '=', userId)
      .orderBy('reactions.created_at')
      .execute(),

  /** The server's custom emoji of these short names (those still there). */
  customEmoji: (shortNames: string[]) =>
    shortNames.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('custom_emoji')
          .select(['short_name', 'animated', 'image_key'])
          .where('short_name', 'in', shortNames)
          .orderBy('short_name')
          .execute(),

  files: (userId: string) =>
    db
      .selectFrom('files')
      .select(['id', 'name', 'size', 'storage_key'])
      .where('owner_id', '=', userId)
      .where('state', '=', 'ready')
      .orderBy('created_at')
      .execute(),
});
