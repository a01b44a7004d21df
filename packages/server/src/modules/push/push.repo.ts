/**
 * SQL for Web Push and missed-message emails: server keys, subscriptions, what was pushed
 * per chat, and the recipients and unread messages a notification is about.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { PushSubscriptionsTable } from '../../storage/notifications-schema.js';
import type { Database } from '../../storage/schema.js';

export type PushSubscriptionRow = Selectable<PushSubscriptionsTable>;

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

  /** The newest message in the chat `userId` has not read and may see (mentioning them, if `mentionsOnly`). */
  latestUnread: (chatId: string, userId: string, lastReadSeq: number, mentionsOnly: boolean) =>
    db
      .selectFrom('messages')
      .selectAll()
      .where('chat_id', '=', chatId)
      .where('seq', '>', lastReadSeq)
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
      .whereRef('messages.seq', '>', 'chat_members.last_read_seq')
      .where((eb) => eb.or([eb('messages.private_to', 'is', null), eb('messages.private_to', '=', userId)]))
      .where((eb) =>
        eb.or([
          eb('chats.kind', '=', 'direct'),
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
