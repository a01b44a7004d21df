/** SQL for pinned messages. */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

export const pinnedMessagesRepo = (db: Kysely<Database>) => ({
  /** The chat's pins with their messages, newest pin first. */
  list: (chatId: string) =>
    db
      .selectFrom('pinned_messages')
      .innerJoin('messages', 'messages.id', 'pinned_messages.message_id')
      .selectAll('messages')
      .select(['pinned_messages.pinned_by', 'pinned_messages.pinned_at'])
      .where('pinned_messages.chat_id', '=', chatId)
      .where('messages.deleted_at', 'is', null)
      .orderBy('pinned_messages.pinned_at', 'desc')
      .orderBy('messages.seq', 'desc')
      .limit(100)
      .execute(),

  find: (chatId: string, messageId: string) =>
    db.selectFrom('pinned_messages').selectAll().where('chat_id', '=', chatId).where('message_id', '=', messageId).executeTakeFirst(),

  insert: (chatId: string, messageId: string, pinnedBy: string, at: number) =>
    db.insertInto('pinned_messages').values({ chat_id: chatId, message_id: messageId, pinned_by: pinnedBy, pinned_at: at }).execute(),

  remove: (chatId: string, messageId: string) =>
    db.deleteFrom('pinned_messages').where('chat_id', '=', chatId).where('message_id', '=', messageId).executeTakeFirst(),
});
