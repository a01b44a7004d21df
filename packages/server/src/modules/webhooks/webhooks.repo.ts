/** SQL of webhooks: per chat, by secret, and what one delivery needs. */
import type { Kysely, Selectable } from 'kysely';
import type { WebhooksTable } from '../../storage/admin-schema.js';
import { precompile } from '../../storage/precompiled.js';
import type { Database } from '../../storage/schema.js';

export type WebhookRow = Selectable<WebhooksTable>;

const selectLiveOutgoing = precompile(1, (db, chatId: string) =>
  db.selectFrom('webhooks').selectAll().where('chat_id', '=', chatId).where('direction', '=', 'outgoing').where('revoked_at', 'is', null),
);

export const webhooksRepo = (db: Kysely<Database>) => ({
  insert: (row: WebhookRow) => db.insertInto('webhooks').values(row).execute(),

  ofChat: (chatId: string) => db.selectFrom('webhooks').selectAll().where('chat_id', '=', chatId).orderBy('created_at').execute(),

  byId: (id: string) => db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst(),

  liveByTokenHash: (tokenHash: string) =>
    db
      .selectFrom('webhooks')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('direction', '=', 'incoming')
      .where('revoked_at', 'is', null)
      .executeTakeFirst(),

  /** Asked after every stored message, so precompiled. */
  liveOutgoing: (chatId: string) => selectLiveOutgoing.execute(db, chatId),

  revoke: async (id: string, chatId: string, at: number) =>
    Number(
      (
        await db
          .updateTable('webhooks')
          .set({ revoked_at: at })
          .where('id', '=', id)
          .where('chat_id', '=', chatId)
          .where('revoked_at', 'is', null)
          .executeTakeFirst()
      ).numUpdatedRows,
    ),

  /** The message a delivery carries, with its chat's name and sender's username. */
  delivery: (messageId: string) =>
    db
      .selectFrom('messages')
      .innerJoin('chats', 'chats.id', 'messages.chat_id')
      .leftJoin('users', 'users.id', 'messages.sender_id')
      .select([
        'messages.id',
        'messages.chat_id',
        'messages.seq',
        'messages.text',
        'messages.sender_id',
        'messages.created_at',
        'messages.deleted_at',
        'chats.name as chat_name',
        'users.username as sender_username',
      ])
      .where('messages.id', '=', messageId)
      .executeTakeFirst(),
});
