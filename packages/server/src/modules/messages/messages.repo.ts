/** SQL for reading messages: history pages, one message, idempotency look-ups, who a mention names. */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { MessageRow } from '../../access/chat-access.js';
import { contains } from '../../storage/like.js';
import { precompile } from '../../storage/precompiled.js';
import type { Database } from '../../storage/schema.js';
import { MESSAGE_COLUMNS } from './append-message.repo.js';

type MessageQuery = SelectQueryBuilder<Database, 'messages', MessageRow>;

/** What a viewer may see of a chat's timeline; see `visible` below, of which these are the precompiled common cases. */
const timeline = (db: Kysely<Database>, chatId: string, viewerId: string) =>
  db
    .selectFrom('messages')
    .select(MESSAGE_COLUMNS)
    .where('chat_id', '=', chatId)
    .where((eb) => eb.or([eb('private_to', 'is', null), eb('private_to', '=', viewerId), eb('sender_id', '=', viewerId)]))
    .where((eb) => eb.or([eb('thread_root_id', 'is', null), eb('also_to_chat', '=', 1)]));

/** A history page without a text filter (opening a chat, scrolling): one SQL text each, built once. */
const olderPage = precompile(4, (db, chatId: string, viewerId: string, beforeSeq: number, limit: number) =>
  timeline(db, chatId, viewerId).where('seq', '<', beforeSeq).orderBy('seq', 'desc').limit(limit),
);
/**
 * The newest rows of a chat's timeline for every audience at once — private ones included,
 * each carrying who may see it — so one presented page can serve every member
 * (history-cache.ts filters it per viewer).
 */
const newestForAll = precompile(2, (db, chatId: string, limit: number) =>
  db
    .selectFrom('messages')
    .select(MESSAGE_COLUMNS)
    .where('chat_id', '=', chatId)
    .where((eb) => eb.or([eb('thread_root_id', 'is', null), eb('also_to_chat', '=', 1)]))
    .orderBy('seq', 'desc')
    .limit(limit),
);
const newerPage = precompile(4, (db, chatId: string, viewerId: string, afterSeq: number, limit: number) =>
  timeline(db, chatId, viewerId).where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(limit),
);

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
    older: (chatId: string, viewerId: string, beforeSeq: number | null, limit: number, text: string | null): Promise<MessageRow[]> =>
      text === null
        ? olderPage.execute(db, chatId, viewerId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit)
        : visible(chatId, viewerId, text)
            .$if(beforeSeq !== null, (qb) => qb.where('seq', '<', beforeSeq ?? 0))
            .orderBy('seq', 'desc')
            .limit(limit)
            .execute(),

    /** Up to `limit` of the chat's newest messages, newest first, whoever may see them: for a page shared by the members (history-cache.ts). */
    newestForAll: (chatId: string, limit: number): Promise<MessageRow[]> => newestForAll.execute(db, chatId, limit),

    /** Up to `limit` messages above `afterSeq`, oldest first. */
    newer: (chatId: string, viewerId: string, afterSeq: number, limit: number, text: string | null): Promise<MessageRow[]> =>
      text === null
        ? newerPage.execute(db, chatId, viewerId, afterSeq, limit)
        : visible(chatId, viewerId, text).where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(limit).execute(),

    findById: (id: string) => db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst(),

    findByIds: (chatId: string, ids: string[]) =>
      db.selectFrom('messages').selectAll().where('chat_id', '=', chatId).where('id', 'in', ids).orderBy('seq').execute(),

    findByClientId: (senderId: string, clientId: string) =>
      db.selectFrom('messages').selectAll().where('sender_id', '=', senderId).where('client_id', '=', clientId).executeTakeFirst(),
  };
};
