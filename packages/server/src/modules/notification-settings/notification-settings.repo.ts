/** SQL for each person's notification settings and per-chat push levels. */
import type { Kysely, Selectable } from 'kysely';
import type { NotificationSettingsTable } from '../../storage/notifications-schema.js';
import type { Database } from '../../storage/schema.js';

export type NotificationSettingsRow = Selectable<NotificationSettingsTable>;

export const notificationSettingsRepo = (db: Kysely<Database>) => ({
  find: (userId: string) => db.selectFrom('notification_settings').selectAll().where('user_id', '=', userId).executeTakeFirst(),

  findMany: (userIds: string[]) =>
    userIds.length === 0
      ? Promise.resolve([])
      : db.selectFrom('notification_settings').selectAll().where('user_id', 'in', userIds).execute(),

  upsert: (row: NotificationSettingsRow) =>
    db
      .insertInto('notification_settings')
      .values(row)
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...row }))
      .execute(),

  setWatermark: (userId: string, watermark: number) =>
    db.updateTable('notification_settings').set({ digest_watermark: watermark }).where('user_id', '=', userId).execute(),

  chatLevels: (userId: string) => db.selectFrom('chat_push_levels').select(['chat_id', 'level']).where('user_id', '=', userId).execute(),

  chatLevelsOf: (chatId: string, userIds: string[]) =>
    userIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('chat_push_levels')
          .select(['user_id', 'level'])
          .where('chat_id', '=', chatId)
          .where('user_id', 'in', userIds)
          .execute(),

  setChatLevel: (chatId: string, userId: string, level: 'all' | 'mentions' | 'nothing') =>
    db
      .insertInto('chat_push_levels')
      .values({ chat_id: chatId, user_id: userId, level })
      .onConflict((oc) => oc.columns(['chat_id', 'user_id']).doUpdateSet({ level }))
      .execute(),

  clearChatLevel: (chatId: string, userId: string) =>
    db.deleteFrom('chat_push_levels').where('chat_id', '=', chatId).where('user_id', '=', userId).execute(),
});
