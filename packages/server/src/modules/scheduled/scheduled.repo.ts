/** SQL for scheduled messages and reminders (E17). */
import type { Kysely, Selectable } from 'kysely';
import type { RemindersTable, ScheduledMessagesTable } from '../../storage/conversations-schema.js';
import type { Database } from '../../storage/schema.js';

export type ScheduledRow = Selectable<ScheduledMessagesTable>;
export type ReminderRow = Selectable<RemindersTable>;

export function scheduledRepo(db: Kysely<Database>) {
  return {
    async insertScheduled(row: ScheduledRow): Promise<void> {
      await db.insertInto('scheduled_messages').values(row).execute();
    },
    findScheduled: (id: string) => db.selectFrom('scheduled_messages').selectAll().where('id', '=', id).executeTakeFirst(),
    scheduledOf: (userId: string) =>
      db.selectFrom('scheduled_messages').selectAll().where('user_id', '=', userId).orderBy('send_at').orderBy('id').execute(),
    async updateScheduled(id: string, change: Partial<Pick<ScheduledRow, 'text' | 'send_at' | 'status' | 'error'>>): Promise<void> {
      await db.updateTable('scheduled_messages').set(change).where('id', '=', id).execute();
    },
    async removeScheduled(id: string): Promise<boolean> {
      const result = await db.deleteFrom('scheduled_messages').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async insertReminder(row: ReminderRow): Promise<void> {
      await db.insertInto('reminders').values(row).execute();
    },
    findReminder: (id: string) => db.selectFrom('reminders').selectAll().where('id', '=', id).executeTakeFirst(),
    remindersOf: (userId: string) =>
      db.selectFrom('reminders').selectAll().where('user_id', '=', userId).orderBy('remind_at').orderBy('id').execute(),
    /** What a due reminder quotes of its message. */
    messageExcerpt: (messageId: string) =>
      db.selectFrom('messages').select(['text', 'deleted_at', 'seq']).where('id', '=', messageId).executeTakeFirst(),
    async removeReminder(id: string): Promise<boolean> {
      const result = await db.deleteFrom('reminders').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
