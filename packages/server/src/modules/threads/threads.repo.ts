/**
 * SQL for threads (E15): a root's summary row, each person's state of a thread, the
 * replies, and the counts of replies read and unread. Nothing but queries.
 */
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { MessageRow } from '../../access/chat-access.js';
import type { Database } from '../../storage/schema.js';
import type { ThreadMembersTable, ThreadsTable } from '../../storage/threads-schema.js';

export type ThreadRow = Selectable<ThreadsTable>;
export type ThreadMemberRow = Selectable<ThreadMembersTable>;

type MessagesExpression = ExpressionBuilder<Database, 'messages'>;

/** Replies this viewer may see: public ones, or private ones they are one of the two of. */
const visibleTo = (eb: MessagesExpression, viewerId: string) =>
  eb.or([eb('messages.private_to', 'is', null), eb('messages.private_to', '=', viewerId), eb('messages.sender_id', '=', viewerId)]);

/** Replies that count as unread for `viewerId`: by others, not deleted, visible to them. */
const unreadFor = (eb: MessagesExpression, viewerId: string) =>
  eb.and([eb('messages.sender_id', '!=', viewerId), eb('messages.deleted_at', 'is', null), visibleTo(eb, viewerId)]);

export function threadsRepo(db: Kysely<Database>) {
  return {
    find: (rootId: string) => db.selectFrom('threads').selectAll().where('root_id', '=', rootId).executeTakeFirst(),

    /** The threads among these messages (a page of history): usually none. */
    findMany: (rootIds: string[]): Promise<ThreadRow[]> =>
      rootIds.length === 0 ? Promise.resolve([]) : db.selectFrom('threads').selectAll().where('root_id', 'in', rootIds).execute(),

    async insert(row: ThreadRow): Promise<void> {
      await db.insertInto('threads').values(row).execute();
    },

    async updateSummary(
      rootId: string,
      summary: Pick<ThreadRow, 'reply_count' | 'last_reply_seq' | 'last_reply_at' | 'repliers'>,
    ): Promise<void> {
      await db.updateTable('threads').set(summary).where('root_id', '=', rootId).execute();
    },

    /** Names of the repliers shown on roots. */
    userNames: (ids: string[]) =>
      ids.length === 0 ? Promise.resolve([]) : db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute(),

    /** What is left of a thread after a reply is deleted: how many replies, and the last repliers. */
    async remainingReplies(rootId: string, repliersKept: number) {
      const [total, latest] = await Promise.all([
        db
          .selectFrom('messages')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('thread_root_id', '=', rootId)
          .where('deleted_at', 'is', null)
          .executeTakeFirst(),
        db
          .selectFrom('messages')
          .select(['sender_id', (eb) => eb.fn.max('seq').as('newest')])
          .where('thread_root_id', '=', rootId)
          .where('deleted_at', 'is', null)
          .groupBy('sender_id')
          .orderBy('newest', 'desc')
          .limit(repliersKept)
          .execute(),
      ]);
      return { count: Number(total?.count ?? 0), repliers: latest.flatMap((r) => (r.sender_id ? [r.sender_id] : [])) };
    },

    member: (userId: string, rootId: string) =>
      db.selectFrom('thread_members').selectAll().where('user_id', '=', userId).where('root_id', '=', rootId).executeTakeFirst(),

    membersOf: (userId: string, rootIds: string[]): Promise<ThreadMemberRow[]> =>
      rootIds.length === 0
        ? Promise.resolve([])
        : db.selectFrom('thread_members').selectAll().where('user_id', '=', userId).where('root_id', 'in', rootIds).execute(),

    async saveMember(row: ThreadMemberRow): Promise<void> {
      await db
        .insertInto('thread_members')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['user_id', 'root_id']).doUpdateSet({
            following: row.following,
            last_read_seq: row.last_read_seq,
            updated_at: row.updated_at,
          }),
        )
        .execute();
    },

    isChatMember: async (chatId: string, userId: string) =>
      (await db
        .selectFrom('chat_members')
        .select('user_id')
        .where('chat_id', '=', chatId)
        .where('user_id', '=', userId)
        .executeTakeFirst()) !== undefined,

    /** Unread replies of one thread for a viewer who read up to `afterSeq`. */
    async unreadCount(rootId: string, viewerId: string, afterSeq: number): Promise<number> {
      const row = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('thread_root_id', '=', rootId)
        .where('seq', '>', afterSeq)
        .where((eb) => unreadFor(eb, viewerId))
        .executeTakeFirst();
      return Number(row?.count ?? 0);
    },

    /** Unread replies of several threads the viewer has state in, by root: one query. */
    async unreadCounts(viewerId: string, rootIds: string[]): Promise<Map<string, number>> {
      if (rootIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('thread_members')
        .innerJoin('messages', 'messages.thread_root_id', 'thread_members.root_id')
        .select(['thread_members.root_id', (eb) => eb.fn.countAll<number>().as('count')])
        .where('thread_members.user_id', '=', viewerId)
        .where('thread_members.root_id', 'in', rootIds)
        .whereRef('messages.seq', '>', 'thread_members.last_read_seq')
        .where((eb) => unreadFor(eb, viewerId))
        .groupBy('thread_members.root_id')
        .execute();
      return new Map(rows.map((r) => [r.root_id, Number(r.count)]));
    },

    /**
     * The threads the viewer follows or takes part in (wrote the root or a reply), in chats
     * they are still in and with a root they may see; newest reply first, after the cursor.
     */
    followed: (viewerId: string, after: { at: number; rootId: string } | null, limit: number) =>
      db
        .selectFrom('thread_members')
        .innerJoin('threads', 'threads.root_id', 'thread_members.root_id')
        .innerJoin('chat_members', (join) =>
          join.onRef('chat_members.chat_id', '=', 'thread_members.chat_id').onRef('chat_members.user_id', '=', 'thread_members.user_id'),
        )
        .innerJoin('messages', 'messages.id', 'thread_members.root_id')
        .selectAll('threads')
        .where('thread_members.user_id', '=', viewerId)
        .where((eb) =>
          eb.or([
            eb('thread_members.following', '=', 1),
            eb('messages.sender_id', '=', viewerId),
            eb.exists(
              eb
                .selectFrom('messages as reply')
                .select('reply.id')
                .whereRef('reply.thread_root_id', '=', 'thread_members.root_id')
                .where('reply.sender_id', '=', viewerId),
            ),
          ]),
        )
        .where((eb) => visibleTo(eb, viewerId))
        .$if(after !== null, (qb) =>
          qb.where((eb) =>
            eb.or([
              eb('threads.last_reply_at', '<', after?.at ?? 0),
              eb.and([eb('threads.last_reply_at', '=', after?.at ?? 0), eb('threads.root_id', '>', after?.rootId ?? '')]),
            ]),
          ),
        )
        .orderBy('threads.last_reply_at', 'desc')
        .orderBy('threads.root_id')
        .limit(limit)
        .execute(),

    /** How many followed threads (in chats the viewer is in) have unread replies: the Threads badge. */
    async unreadThreads(viewerId: string): Promise<number> {
      const row = await db
        .selectFrom('thread_members')
        .innerJoin('chat_members', (join) =>
          join.onRef('chat_members.chat_id', '=', 'thread_members.chat_id').onRef('chat_members.user_id', '=', 'thread_members.user_id'),
        )
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('thread_members.user_id', '=', viewerId)
        .where('thread_members.following', '=', 1)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('messages')
              .select('messages.id')
              .whereRef('messages.thread_root_id', '=', 'thread_members.root_id')
              .whereRef('messages.seq', '>', 'thread_members.last_read_seq')
              .where((m) => unreadFor(m, viewerId)),
          ),
        )
        .executeTakeFirst();
      return Number(row?.count ?? 0);
    },

    findMessages: (ids: string[]): Promise<MessageRow[]> =>
      ids.length === 0 ? Promise.resolve([]) : db.selectFrom('messages').selectAll().where('id', 'in', ids).execute(),

    /** Up to `limit` replies below `beforeSeq` (or the newest), newest first. */
    olderReplies: (rootId: string, viewerId: string, beforeSeq: number | null, limit: number) =>
      db
        .selectFrom('messages')
        .selectAll()
        .where('thread_root_id', '=', rootId)
        .where((eb) => visibleTo(eb, viewerId))
        .$if(beforeSeq !== null, (qb) => qb.where('seq', '<', beforeSeq ?? 0))
        .orderBy('seq', 'desc')
        .limit(limit)
        .execute(),

    /** Up to `limit` replies above `afterSeq`, oldest first. */
    newerReplies: (rootId: string, viewerId: string, afterSeq: number, limit: number) =>
      db
        .selectFrom('messages')
        .selectAll()
        .where('thread_root_id', '=', rootId)
        .where((eb) => visibleTo(eb, viewerId))
        .where('seq', '>', afterSeq)
        .orderBy('seq', 'asc')
        .limit(limit)
        .execute(),
  };
}
