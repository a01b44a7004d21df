/** SQL for reading messages: history pages, one message, idempotency look-ups, who a mention names. */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { MessageRow } from '../../access/chat-access.js';
import { contains } from '../../storage/like.js';
import type { Database } from '../../storage/schema.js';

type MessageQuery = SelectQueryBuilder<Database, 'messages', MessageRow>;

export const messagesRepo = (db: Kysely<Database>) => {
  /** Messages of the chat's timeline this viewer may see (private ones only between the two; thread replies only if also sent to the chat). */
  const visible = (chatId: string, viewerId: string, text: string | null): MessageQuery =>
    db
      .selectFrom('messages')
      .selectAll()
      .where('chat_id', '=', chatId)
      .where((eb) => eb.or([eb('private_to', 'is', null), eb('private_to', '=', viewerId), eb('sender_id', '=', viewerId)]))
      .where((eb) => eb.or([eb('thread_root_id', 'is', null), eb('also_to_chat', '=', 1)]))
      .$if(text !== null, (qb) =>
        qb.where('deleted_at', 'is', null).where((eb) => contains(eb.fn<string>('lower', ['text']), (text ?? '').toLowerCase())),
      );

  return {
    /** Ids of the chat's members with these usernames (the ones a text mentions). */
    membersNamed: async (chatId: string, usernames: string[]) =>
      (
        await db
          .selectFrom('chat_members')
          .innerJoin('users', 'users.id', 'chat_members.user_id')
          .select(['users.id'])
          .where('chat_members.chat_id', '=', chatId)
          .where('users.username', 'in', usernames)
          .execute()
      ).map((m) => m.id),
    /** Up to `limit` messages below `beforeSeq` (or the newest), newest first. */
    older: (chatId: string, viewerId: string, beforeSeq: number | null, limit: number, text: string | null) =>
      visible(chatId, viewerId, text)
        .$if(beforeSeq !== null, (qb) => qb.where('seq', '<', beforeSeq ?? 0))
        .orderBy('seq', 'desc')
        .limit(limit)
        .execute(),

    /** Up to `limit` messages above `afterSeq`, oldest first. */
    newer: (chatId: string, viewerId: string, afterSeq: number, limit: number, text: string | null) =>
      visible(chatId, viewerId, text).where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(limit).execute(),

    findById: (id: string) => db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst(),

    findByIds: (chatId: string, ids: string[]) =>
      db.selectFrom('messages').selectAll().where('chat_id', '=', chatId).where('id', 'in', ids).orderBy('seq').execute(),

    findByClientId: (senderId: string, clientId: string) =>
      db.selectFrom('messages').selectAll().where('sender_id', '=', senderId).where('client_id', '=', clientId).executeTakeFirst(),
  };
};
