/** SQL for chats, members and the per-viewer numbers of the chat list. */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { MessageRow } from '../../access/chat-access.js';
import { contains } from '../../storage/like.js';
import type { Database } from '../../storage/schema.js';

/**
 * In the chat's own timeline: not a thread reply (E15) unless also sent to the chat. Thread
 * replies count in their threads instead, so they never raise the chat's unread or mention
 * badge — which a read of the chat, stopping at its last visible message, could not clear.
 */
const inChatTimeline = (eb: ExpressionBuilder<Database, 'messages'>) =>
  eb.or([eb('messages.thread_root_id', 'is', null), eb('messages.also_to_chat', '=', 1)]);

export const chatsRepo = (db: Kysely<Database>) => ({
  findById: (id: string) => db.selectFrom('chats').selectAll().where('id', '=', id).executeTakeFirst(),

  findByDirectKey: (key: string) => db.selectFrom('chats').selectAll().where('direct_key', '=', key).executeTakeFirst(),

  findByHandle: (handle: string) => db.selectFrom('chats').selectAll().where('handle', '=', handle).executeTakeFirst(),

  /** The viewer's chats with their membership, newest activity first; `only` narrows to these chats. */
  listForUser: (userId: string, only?: string[]) =>
    db
      .selectFrom('chat_members')
      .innerJoin('chats', 'chats.id', 'chat_members.chat_id')
      .selectAll('chats')
      .select(['chat_members.role', 'chat_members.last_read_seq', 'chat_members.muted', 'chat_members.joined_at'])
      .where('chat_members.user_id', '=', userId)
      .$if(only !== undefined, (qb) => qb.where('chat_members.chat_id', 'in', only?.length ? only : ['']))
      .orderBy('chats.last_activity_at', 'desc')
      .orderBy('chats.id')
      .execute(),

  chatIdsOf: async (userId: string) =>
    (await db.selectFrom('chat_members').select('chat_id').where('user_id', '=', userId).execute()).map((r) => r.chat_id),

  members: (chatId: string) =>
    db
      .selectFrom('chat_members')
      .innerJoin('users', 'users.id', 'chat_members.user_id')
      .leftJoin('chat_delivery', (join) =>
        join.onRef('chat_delivery.chat_id', '=', 'chat_members.chat_id').onRef('chat_delivery.user_id', '=', 'chat_members.user_id'),
      )
      .selectAll('users')
      .select(['chat_members.role', 'chat_members.joined_at', 'chat_members.last_read_seq', 'chat_delivery.delivered_seq'])
      .where('chat_members.chat_id', '=', chatId)
      .orderBy('chat_members.joined_at')
      .orderBy('users.username')
      .execute(),

  member: (chatId: string, userId: string) =>
    db.selectFrom('chat_members').selectAll().where('chat_id', '=', chatId).where('user_id', '=', userId).executeTakeFirst(),

  /** Unread = visible text messages from others after the viewer's read position. */
  unreadCounts: (userId: string, only?: string[]) =>
    db
      .selectFrom('messages')
      .innerJoin('chat_members', (join) =>
        join.onRef('chat_members.chat_id', '=', 'messages.chat_id').on('chat_members.user_id', '=', userId),
      )
      .select(['messages.chat_id', (eb) => eb.fn.countAll<number>().as('count')])
      .whereRef('messages.seq', '>', 'chat_members.last_read_seq')
      .where('messages.kind', '=', 'text')
      .where('messages.deleted_at', 'is', null)
      .where('messages.sender_id', '!=', userId)
      .where((eb) => eb.or([eb('messages.private_to', 'is', null), eb('messages.private_to', '=', userId)]))
      .where(inChatTimeline)
      .$if(only !== undefined, (qb) => qb.where('messages.chat_id', 'in', only?.length ? only : ['']))
      .groupBy('messages.chat_id')
      .execute(),

  /** Mentions of the viewer after their read position: rows for @username, the message flag for @all. */
  async mentionCounts(userId: string, only?: string[]) {
    const inChats = only === undefined ? null : only.length ? only : [''];
    const [named, everyone] = await Promise.all([
      db
        .selectFrom('mentions')
        .innerJoin('chat_members', (join) =>
          join.onRef('chat_members.chat_id', '=', 'mentions.chat_id').on('chat_members.user_id', '=', userId),
        )
        .innerJoin('messages', 'messages.id', 'mentions.message_id')
        .select(['mentions.chat_id', (eb) => eb.fn.countAll<number>().as('count')])
        .where('mentions.user_id', '=', userId)
        .whereRef('mentions.seq', '>', 'chat_members.last_read_seq')
        .where(inChatTimeline)
        .$if(inChats !== null, (qb) => qb.where('mentions.chat_id', 'in', inChats ?? []))
        .groupBy('mentions.chat_id')
        .execute(),
      db
        .selectFrom('messages')
        .innerJoin('chat_members', (join) =>
          join.onRef('chat_members.chat_id', '=', 'messages.chat_id').on('chat_members.user_id', '=', userId),
        )
        .select(['messages.chat_id', (eb) => eb.fn.countAll<number>().as('count')])
        .where('messages.mentions_all', '=', 1)
        .where('messages.sender_id', '!=', userId)
        .where(inChatTimeline)
        .whereRef('messages.seq', '>', 'chat_members.last_read_seq')
        // A message naming someone and @all counts once.
        .where((eb) =>
          eb.not(
            eb.exists(
              eb.selectFrom('mentions as m').select('m.seq').whereRef('m.message_id', '=', 'messages.id').where('m.user_id', '=', userId),
            ),
          ),
        )
        .$if(inChats !== null, (qb) => qb.where('messages.chat_id', 'in', inChats ?? []))
        .groupBy('messages.chat_id')
        .execute(),
    ]);
    const counts = new Map<string, number>();
    for (const row of [...named, ...everyone]) counts.set(row.chat_id, (counts.get(row.chat_id) ?? 0) + Number(row.count));
    return [...counts].map(([chat_id, count]) => ({ chat_id, count }));
  },

  /** The newest message each of these chats shows this viewer. */
  lastVisibleMessages: async (chatIds: string[], userId: string): Promise<MessageRow[]> => {
    if (chatIds.length === 0) return [];
    const ranked = db
      .selectFrom('messages')
      .selectAll()
      .select((eb) =>
        eb.fn
          .agg<number>('row_number')
          .over((ob) => ob.partitionBy('chat_id').orderBy('seq', 'desc'))
          .as('rank'),
      )
      .where('chat_id', 'in', chatIds)
      .where((eb) => eb.or([eb('private_to', 'is', null), eb('private_to', '=', userId), eb('sender_id', '=', userId)]))
      .where(inChatTimeline)
      .as('ranked');
    const rows = await db.selectFrom(ranked).selectAll().where('rank', '=', 1).execute();
    return rows.map(({ rank: _rank, ...row }) => row);
  },

  /**
   * When each chat was last active as `viewerId` may see it. A chat's last_activity_at also
   * moves for a private message (messages.private_to) between two members, whose time the
   * rest must not learn: where the newest message is private to others, it is the newest
   * message `viewerId` may see, else the chat's creation. `viewerId` null: as every member
   * sees it, for events, which reach all members alike.
   */
  activitySeen: async (
    chats: readonly { id: string; created_at: number; last_activity_at: number }[],
    viewerId: string | null,
  ): Promise<Map<string, number>> => {
    const seen = new Map(chats.map((chat) => [chat.id, Number(chat.last_activity_at)]));
    if (chats.length === 0) return seen;
    const hidden = await db
      .selectFrom('messages')
      .innerJoin('chats', (join) => join.onRef('chats.id', '=', 'messages.chat_id').onRef('chats.last_seq', '=', 'messages.seq'))
      .select('chats.id')
      .where('chats.id', 'in', [...seen.keys()])
      .where('messages.private_to', 'is not', null)
      .$if(viewerId !== null, (qb) =>
        qb
          .where('messages.private_to', '!=', viewerId ?? '')
          .where((eb) => eb.or([eb('messages.sender_id', 'is', null), eb('messages.sender_id', '!=', viewerId ?? '')])),
      )
      .execute();
    if (hidden.length === 0) return seen;
    const hiddenIds = hidden.map((row) => row.id);
    for (const chat of chats) if (hiddenIds.includes(chat.id)) seen.set(chat.id, Number(chat.created_at));
    const newest = await db
      .selectFrom('messages')
      .select('chat_id')
      .select((eb) => eb.fn.max('created_at').as('at'))
      .where('chat_id', 'in', hiddenIds)
      .where((eb) =>
        viewerId === null
          ? eb('private_to', 'is', null)
          : eb.or([eb('private_to', 'is', null), eb('private_to', '=', viewerId), eb('sender_id', '=', viewerId)]),
      )
      .groupBy('chat_id')
      .execute();
    for (const row of newest) seen.set(row.chat_id, Math.max(seen.get(row.chat_id) ?? 0, Number(row.at)));
    return seen;
  },

  /** A chat's last activity as every member may see it: what its events carry. */
  activitySeenByAll: async (chat: { id: string; created_at: number; last_activity_at: number }): Promise<number> =>
    (await chatsRepo(db).activitySeen([chat], null)).get(chat.id) ?? Number(chat.last_activity_at),

  rooms: (query: string | null, afterName: string | null, limit: number) =>
    db
      .selectFrom('chats')
      .selectAll()
      .where('kind', '=', 'room')
      // Archived rooms (admin console) keep their members and history but leave the directory.
      .where('archived_at', 'is', null)
      .$if(query !== null, (qb) =>
        qb.where((eb) => eb.or([contains(eb.ref('name_search'), query ?? ''), contains(eb.ref('handle'), query ?? '')])),
      )
      .$if(afterName !== null, (qb) => qb.where('handle', '>', afterName ?? ''))
      .orderBy('handle')
      .limit(limit)
      .execute(),
});
