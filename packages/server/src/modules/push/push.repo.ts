/**
 * SQL for Web Push and missed-message emails: server keys, subscriptions, what was pushed
 * per chat, and the recipients and unread messages a notification is about.
 */
import { type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely';
import type { PushSubscriptionsTable } from '../../storage/notifications-schema.js';
import type { Database } from '../../storage/schema.js';

export type PushSubscriptionRow = Selectable<PushSubscriptionsTable>;

type MessagesExpression = ExpressionBuilder<Database, 'messages'>;

/** On the chat's timeline: not a reply, or a reply also sent to the chat. */
const onTimeline = (eb: MessagesExpression) => eb.or([eb('messages.thread_root_id', 'is', null), eb('messages.also_to_chat', '=', 1)]);

/** Not a reply, or a reply above `userId`'s read position in its thread. */
const notReadInThread = (eb: MessagesExpression, userId: string) =>
  eb.or([
    eb('messages.thread_root_id', 'is', null),
    eb.not(
      eb.exists(
        eb
          .selectFrom('thread_members')
          .select(sql`1`.as('one'))
          .whereRef('thread_members.root_id', '=', 'messages.thread_root_id')
          .where('thread_members.user_id', '=', userId)
          .whereRef('thread_members.last_read_seq', '>=', 'messages.seq'),
      ),
    ),
  ]);

/** A reply in a thread `userId` follows. */
const followsThread = (eb: MessagesExpression, userId: string) =>
  eb.exists(
    eb
      .selectFrom('thread_members')
      .select(sql`1`.as('one'))
      .whereRef('thread_members.root_id', '=', 'messages.thread_root_id')
      .where('thread_members.user_id', '=', userId)
      .where('thread_members.following', '=', 1),
  );

export const pushRepo = (db: Kysely<Database>) => ({
  /** The key named `name`, made by `make` the first time; every instance ends up with the same one. */
  serverKey: async (name: string, make: () => string, at: number): Promise<string> => {
    await db
      .insertInto('server_keys')
      .values({ name, value: make(), created_at: at })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await db.selectFrom('server_keys').select('value').where('name', '=', name).executeTakeFirstOrThrow();
    return row.value;
  },

  /** One row per endpoint: a browser that signs in as someone else moves its subscription over. */
  upsertSubscription: (row: PushSubscriptionRow) =>
    db
      .insertInto('push_subscriptions')
      .values(row)
      .onConflict((oc) =>
        oc.column('endpoint').doUpdateSet({ user_id: row.user_id, p256dh: row.p256dh, auth: row.auth, device_name: row.device_name }),
      )
      .execute(),

  subscriptionByEndpoint: (endpoint: string) =>
    db.selectFrom('push_subscriptions').selectAll().where('endpoint', '=', endpoint).executeTakeFirstOrThrow(),

  subscription: (id: string) => db.selectFrom('push_subscriptions').selectAll().where('id', '=', id).executeTakeFirst(),

  subscriptionsOf: (userId: string) =>
    db.selectFrom('push_subscriptions').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute(),

  deleteSubscription: async (userId: string, id: string) =>
    Number(
      (await db.deleteFrom('push_subscriptions').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()).numDeletedRows,
    ),

  dropSubscription: (id: string) => db.deleteFrom('push_subscriptions').where('id', '=', id).execute(),

  displayName: async (userId: string) =>
    (await db.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst())?.display_name ?? '',

  messages: (ids: string[]) =>
    ids.length === 0 ? Promise.resolve([]) : db.selectFrom('messages').selectAll().where('id', 'in', ids).execute(),

  chat: (id: string) => db.selectFrom('chats').select(['id', 'kind', 'name']).where('id', '=', id).executeTakeFirst(),

  /** The chat's live members, with what a notification needs to know of them. */
  members: (chatId: string) =>
    db
      .selectFrom('chat_members')
      .innerJoin('users', 'users.id', 'chat_members.user_id')
      .select(['users.id', 'users.email', 'users.display_name', 'chat_members.muted', 'chat_members.last_read_seq'])
      .where('chat_members.chat_id', '=', chatId)
      .where('users.deleted_at', 'is', null)
      .execute(),

  member: (chatId: string, userId: string) =>
    db
      .selectFrom('chat_members')
      .select(['muted', 'last_read_seq'])
      .where('chat_id', '=', chatId)
      .where('user_id', '=', userId)
      .executeTakeFirst(),

  /** Each person's state of a thread (following, read up to), by user id: who a thread-only reply is for. */
  threadMembers: async (rootId: string) =>
    new Map(
      (await db.selectFrom('thread_members').select(['user_id', 'following', 'last_read_seq']).where('root_id', '=', rootId).execute()).map(
        (r) => [r.user_id, { following: Number(r.following) === 1, lastReadSeq: Number(r.last_read_seq) }],
      ),
    ),

  /**
   * The newest message `userId` has not read and may see (mentioning them, if `mentionsOnly`):
   * on the chat's timeline after `lastReadSeq`, or, with `thread`, a reply only in that thread
   * after the thread's read position.
   */
  latestUnread: (chatId: string, userId: string, lastReadSeq: number, mentionsOnly: boolean, thread: string | null = null) =>
    db
      .selectFrom('messages')
      .selectAll()
      .where('chat_id', '=', chatId)
      .where('seq', '>', lastReadSeq)
      .$if(thread === null, (qb) => qb.where((eb) => eb.or([eb('thread_root_id', 'is', null), eb('also_to_chat', '=', 1)])))
      .$if(thread !== null, (qb) => qb.where('thread_root_id', '=', thread ?? '').where('also_to_chat', '=', 0))
      .where('kind', '=', 'text')
      .where('deleted_at', 'is', null)
      .where('sender_id', '!=', userId)
      .where((eb) => eb.or([eb('private_to', 'is', null), eb('private_to', '=', userId)]))
      .$if(mentionsOnly, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb('mentions_all', '=', 1),
            eb.exists(
              eb
                .selectFrom('mentions')
                .select(sql`1`.as('one'))
                .whereRef('mentions.message_id', '=', 'messages.id')
                .where('mentions.user_id', '=', userId),
            ),
          ]),
        ),
      )
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst(),

  markPushed: (userId: string, chatId: string, seq: number) =>
    db
      .insertInto('push_notified')
      .values({ user_id: userId, chat_id: chatId, seq })
      .onConflict((oc) => oc.columns(['user_id', 'chat_id']).doUpdateSet({ seq }))
      .execute(),

  /** Forgets what was pushed in this chat up to `seq` (it was read); true if anything was. */
  takePushed: async (userId: string, chatId: string, seq: number) =>
    Number(
      (
        await db
          .deleteFrom('push_notified')
          .where('user_id', '=', userId)
          .where('chat_id', '=', chatId)
          .where('seq', '<=', seq)
          .executeTakeFirst()
      ).numDeletedRows,
    ) > 0,

  markPushedInThread: (userId: string, chatId: string, rootId: string, seq: number) =>
    db
      .insertInto('push_notified_threads')
      .values({ user_id: userId, root_id: rootId, chat_id: chatId, seq })
      .onConflict((oc) => oc.columns(['user_id', 'root_id']).doUpdateSet({ seq }))
      .execute(),

  /** Forgets what was pushed in this thread up to `seq` (it was read there); true if anything was. */
  takePushedInThread: async (userId: string, rootId: string, seq: number) =>
    Number(
      (
        await db
          .deleteFrom('push_notified_threads')
          .where('user_id', '=', userId)
          .where('root_id', '=', rootId)
          .where('seq', '<=', seq)
          .executeTakeFirst()
      ).numDeletedRows,
    ) > 0,

  /**
   * Unread messages for `userId` that a missed-message email is about: in direct chats, or
   * mentioning them (by name or @all); not muted, not their own, not deleted, visible to
   * them; created after `after` and up to `until`.
   */
  unreadForDigest: (userId: string, after: number, until: number) =>
    db
      .selectFrom('messages')
      .innerJoin('chat_members', (j) => j.onRef('chat_members.chat_id', '=', 'messages.chat_id').on('chat_members.user_id', '=', userId))
      .innerJoin('chats', 'chats.id', 'messages.chat_id')
      .leftJoin('users as sender', 'sender.id', 'messages.sender_id')
      .select([
        'messages.id',
        'messages.chat_id',
        'messages.seq',
        'messages.text',
        'messages.sender_id',
        'messages.created_at',
        'chats.kind',
        'chats.name',
        'sender.display_name as sender_name',
      ])
      .where('messages.kind', '=', 'text')
      .where('messages.deleted_at', 'is', null)
      .where('messages.sender_id', '!=', userId)
      .where('messages.created_at', '>', after)
      .where('messages.created_at', '<=', until)
      .where('chat_members.muted', '=', 0)
      // Read where it shows: on the chat's timeline by the chat's read position, in its
      // thread by the thread's (a reply sent to both counts as read in either).
      .where((eb) =>
        eb.or([
          eb.and([onTimeline(eb), eb('messages.seq', '>', eb.ref('chat_members.last_read_seq')), notReadInThread(eb, userId)]),
          eb.and([eb.not(onTimeline(eb)), notReadInThread(eb, userId)]),
        ]),
      )
      .where((eb) => eb.or([eb('messages.private_to', 'is', null), eb('messages.private_to', '=', userId)]))
      .where((eb) =>
        eb.or([
          // A direct chat's reply only in a thread is emailed to those who follow the thread.
          eb.and([eb('chats.kind', '=', 'direct'), onTimeline(eb)]),
          eb.and([eb('chats.kind', '=', 'direct'), followsThread(eb, userId)]),
          eb('messages.mentions_all', '=', 1),
          eb.exists(
            eb
              .selectFrom('mentions')
              .select(sql`1`.as('one'))
              .whereRef('mentions.message_id', '=', 'messages.id')
              .where('mentions.user_id', '=', userId),
          ),
        ]),
      )
      .orderBy('messages.created_at')
      .limit(500)
      .execute(),

  /** The other member of a direct chat (its title for this reader). */
  otherMember: (chatId: string, userId: string) =>
    db
      .selectFrom('chat_members')
      .innerJoin('users', 'users.id', 'chat_members.user_id')
      .select('users.display_name')
      .where('chat_members.chat_id', '=', chatId)
      .where('chat_members.user_id', '!=', userId)
      .executeTakeFirst(),

  /** Moves the watermark only from where this run read it, so two runs never mail the same messages. */
  advanceWatermark: async (userId: string, from: number, to: number) =>
    Number(
      (
        await db
          .updateTable('notification_settings')
          .set({ digest_watermark: to })
          .where('user_id', '=', userId)
          .where('digest_watermark', '=', from)
          .executeTakeFirst()
      ).numUpdatedRows,
    ) === 1,
});
