/**
 * The statements of appending a message — the hottest path of the server — precompiled
 * once (storage/precompiled.ts) rather than built per send.
 */
import type { MessageRow } from '../../access/chat-access.js';
import type { UnitOfWork } from '../../realtime/event-log.js';
import { precompile } from '../../storage/precompiled.js';

/** Next message seq and event position of the chat, under its row lock. */
const bumpChat = precompile(2, (db, chatId: string, at: number) =>
  db
    .updateTable('chats')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1), event_seq: eb('event_seq', '+', 1), last_activity_at: at }))
    .where('id', '=', chatId)
    .returning(['last_seq', 'event_seq']),
);

/**
 * The same bump, taken only if `userId` may post here — a member of a chat that is not
 * archived (the rules of access/chat-access.ts `requireMember` and `assertCanPost` for a
 * person; bots never come this way) — so a plain send needs no membership read before
 * it. Nothing changes when it may not: the send then asks those rules for its answer.
 * Returns the chat's kind and direct key, which the send's block check needs.
 */
const bumpChatIfMayPost = precompile(3, (db, chatId: string, userId: string, at: number) =>
  db
    .updateTable('chats')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1), event_seq: eb('event_seq', '+', 1), last_activity_at: at }))
    .where('id', '=', chatId)
    .where('archived_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('chat_members')
          .select(eb.lit(1).as('member'))
          .where('chat_members.chat_id', '=', chatId)
          .where('chat_members.user_id', '=', userId),
      ),
    )
    .returning(['last_seq', 'event_seq', 'kind', 'direct_key']),
);

/** Every column of a message row the server reads (not the search index's `search_doc`). */
export const MESSAGE_COLUMNS = [
  'id',
  'chat_id',
  'seq',
  'kind',
  'sender_id',
  'client_id',
  'text',
  'reply_to_id',
  'forwarded_from',
  'private_to',
  'system',
  'mentions',
  'mentions_all',
  'thread_root_id',
  'also_to_chat',
  'created_at',
  'edited_at',
  'deleted_at',
] as const satisfies ReadonlyArray<keyof MessageRow>;

const insertMessage = precompile(MESSAGE_COLUMNS.length, (db, ...values: unknown[]) =>
  db.insertInto('messages').values(Object.fromEntries(MESSAGE_COLUMNS.map((column, i) => [column, values[i]])) as MessageRow),
);

const markOwnRead = precompile(3, (db, chatId: string, userId: string, seq: number) =>
  db.updateTable('chat_members').set({ last_read_seq: seq }).where('chat_id', '=', chatId).where('user_id', '=', userId),
);

export const appendMessageRepo = (uow: UnitOfWork) => ({
  async bumpChat(chatId: string, at: number): Promise<{ seq: number; eventSeq: number }> {
    const [row] = await bumpChat.execute(uow.db, chatId, at);
    if (!row) throw new Error(`chat ${chatId} vanished while a message was appended`);
    return { seq: Number(row.last_seq), eventSeq: Number(row.event_seq) };
  },
  /** Null when `userId` may not post to the chat (or it is gone): nothing was changed. */
  async bumpChatIfMayPost(chatId: string, userId: string, at: number) {
    const [row] = await bumpChatIfMayPost.execute(uow.db, chatId, userId, at);
    if (!row) return null;
    return { seq: Number(row.last_seq), eventSeq: Number(row.event_seq), kind: row.kind, directKey: row.direct_key };
  },
  insert: (row: MessageRow) => insertMessage.execute(uow.db, ...MESSAGE_COLUMNS.map((column) => row[column])),
  insertMentions: (chatId: string, userIds: string[], seq: number, messageId: string) =>
    uow.db
      .insertInto('mentions')
      .values(userIds.map((userId) => ({ chat_id: chatId, user_id: userId, seq, message_id: messageId })))
      .execute(),
  markOwnRead: (chatId: string, userId: string, seq: number) => markOwnRead.execute(uow.db, chatId, userId, seq),
});
