/** SQL for the notification centre. */
import type { Kysely, Selectable } from 'kysely';
import type { NotificationsTable } from '../../storage/people-schema.js';
import type { Database } from '../../storage/schema.js';

export type NotificationRow = Selectable<NotificationsTable>;

export const notificationCentreRepo = (db: Kysely<Database>) => ({
  insert: (row: NotificationRow) => db.insertInto('notifications').values(row).execute(),

  /** Up to `limit` members of a chat (for `@all` and `@here`). */
  chatMemberIds: async (chatId: string, limit: number) =>
    (await db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chatId).limit(limit).execute()).map((r) => r.user_id),

  /** Newest first, after the cursor (created_at, id). */
  page: (userId: string, before: { at: number; id: string } | null, limit: number) =>
    db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .$if(before !== null, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb('created_at', '<', before?.at ?? 0),
            eb.and([eb('created_at', '=', before?.at ?? 0), eb('id', '<', before?.id ?? '')]),
          ]),
        ),
      )
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),

  unreadCount: async (userId: string) => {
    const row = await db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  },

  /** Marks read; `ids` null means all. Returns the ids that changed. */
  async markRead(userId: string, ids: string[] | null, at: number): Promise<string[]> {
    const rows = await db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .$if(ids !== null, (qb) => qb.where('id', 'in', ids ?? []))
      .execute();
    const changed = rows.map((r) => r.id);
    if (changed.length) await db.updateTable('notifications').set({ read_at: at }).where('id', 'in', changed).execute();
    return changed;
  },

  /** Deletes; `ids` null means all. Returns the ids removed. */
  async remove(userId: string, ids: string[] | null): Promise<string[]> {
    const rows = await db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', userId)
      .$if(ids !== null, (qb) => qb.where('id', 'in', ids ?? []))
      .execute();
    const removed = rows.map((r) => r.id);
    if (removed.length) await db.deleteFrom('notifications').where('id', 'in', removed).execute();
    return removed;
  },

  idsForRequest: async (userId: string, requestId: string) =>
    (await db.selectFrom('notifications').select('id').where('user_id', '=', userId).where('request_id', '=', requestId).execute()).map(
      (r) => r.id,
    ),

  actors: (ids: string[]) =>
    ids.length === 0
      ? Promise.resolve([])
      : db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', ids).execute(),
});
