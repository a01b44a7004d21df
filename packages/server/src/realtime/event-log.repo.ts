/**
 * SQL of the event log: taking the next position of a stream under its row's lock,
 * storing events, reading a stream back, the heads and floors resume needs, and pruning
 * by age. Streams are `c:<chatId>` (counter in `chats.event_seq`) and `u:<userId>`
 * (counter in `users.event_seq`).
 */
import { chatOfStream, type StreamKey } from '@parley/protocol';
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import { precompile } from '../storage/precompiled.js';
import type { Database, EventsTable } from '../storage/schema.js';

export type EventRow = Selectable<EventsTable>;

/** A stream the user follows: its head, and for chats the position of their join. */
export interface FollowedStream {
  stream: StreamKey;
  head: number;
  joinedSeq: number;
}

/** Precompiled: one per stored event. */
const insertEvent = precompile(
  8,
  (
    db,
    stream: string,
    seq: number,
    name: string,
    privateA: string | null,
    privateB: string | null,
    messageId: string | null,
    data: string,
    createdAt: number,
  ) =>
    db.insertInto('events').values({
      stream,
      seq,
      name,
      private_a: privateA,
      private_b: privateB,
      message_id: messageId,
      data,
      created_at: createdAt,
    }),
);

export const eventLogRepo = (db: Kysely<Database> | Transaction<Database>) => ({
  /**
   * The stream's next position. The UPDATE takes the chat's (or user's) row lock until
   * the transaction ends, so positions are gapless and commit in order per stream while
   * writers to other streams run in parallel. Null when the row does not exist.
   */
  async nextSeq(stream: StreamKey): Promise<number | null> {
    const chatId = chatOfStream(stream);
    const row = chatId
      ? await db
          .updateTable('chats')
          .set((eb) => ({ event_seq: eb('event_seq', '+', 1) }))
          .where('id', '=', chatId)
          .returning('event_seq')
          .executeTakeFirst()
      : await db
          .updateTable('users')
          .set((eb) => ({ event_seq: eb('event_seq', '+', 1) }))
          .where('id', '=', stream.slice(2))
          .returning('event_seq')
          .executeTakeFirst();
    return row ? Number(row.event_seq) : null;
  },

  insert: (row: Insertable<EventsTable>) =>
    insertEvent.execute(
      db as Kysely<Database>,
      row.stream,
      row.seq,
      row.name,
      row.private_a ?? null,
      row.private_b ?? null,
      row.message_id ?? null,
      row.data,
      row.created_at,
    ),

  /** Events of one stream after `afterSeq`, oldest first. */
  read: (stream: StreamKey, afterSeq: number, limit: number) =>
    db.selectFrom('events').selectAll().where('stream', '=', stream).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute(),

  /** The oldest retained position of each stream that has any. */
  async floors(streams: StreamKey[]): Promise<Map<string, number>> {
    if (streams.length === 0) return new Map();
    const rows = await db
      .selectFrom('events')
      .select(['stream', (eb) => eb.fn.min('seq').as('floor')])
      .where('stream', 'in', streams)
      .groupBy('stream')
      .execute();
    return new Map(rows.map((r) => [r.stream, Number(r.floor)]));
  },

  /** Every stream `userId` follows now: their chats and their own stream. */
  async followedBy(userId: string): Promise<FollowedStream[]> {
    const [chats, user] = await Promise.all([
      db
        .selectFrom('chat_members')
        .innerJoin('chats', 'chats.id', 'chat_members.chat_id')
        .select(['chats.id', 'chats.event_seq', 'chat_members.joined_seq'])
        .where('chat_members.user_id', '=', userId)
        .execute(),
      db.selectFrom('users').select('event_seq').where('id', '=', userId).executeTakeFirst(),
    ]);
    const followed: FollowedStream[] = chats.map((c) => ({
      stream: `c:${c.id}`,
      head: Number(c.event_seq),
      joinedSeq: Number(c.joined_seq),
    }));
    followed.push({ stream: `u:${userId}`, head: Number(user?.event_seq ?? 0), joinedSeq: 0 });
    return followed;
  },

  /**
   * Heads of these chats, and whether `userId` is (still) a member, read in one
   * statement so membership and head come from the same snapshot.
   */
  async membershipHeads(userId: string, chatIds: string[]) {
    if (chatIds.length === 0) return [];
    const rows = await db
      .selectFrom('chats')
      .leftJoin('chat_members', (join) => join.onRef('chat_members.chat_id', '=', 'chats.id').on('chat_members.user_id', '=', userId))
      .select(['chats.id', 'chats.event_seq', 'chat_members.joined_seq', 'chat_members.user_id'])
      .where('chats.id', 'in', chatIds)
      .execute();
    return rows.map((r) => ({
      chatId: r.id,
      head: Number(r.event_seq),
      member: r.user_id !== null,
      joinedSeq: Number(r.joined_seq ?? 0),
    }));
  },

  userHead: async (userId: string) =>
    Number((await db.selectFrom('users').select('event_seq').where('id', '=', userId).executeTakeFirst())?.event_seq ?? 0),

  setJoinedSeq: (chatId: string, userIds: string[], seq: number) =>
    db.updateTable('chat_members').set({ joined_seq: seq }).where('chat_id', '=', chatId).where('user_id', 'in', userIds).execute(),

  deleteStreamBefore: (stream: StreamKey, seq: number) =>
    db.deleteFrom('events').where('stream', '=', stream).where('seq', '<', seq).execute(),

  /** Retention is by age, the same for every stream: a busy chat cannot evict a quiet one. */
  pruneOlderThan: (at: number) => db.deleteFrom('events').where('created_at', '<', at).execute(),
});
