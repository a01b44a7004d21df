/** SQL for delivered positions (chat_delivery). */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

export function deliveryRepo(db: Kysely<Database>) {
  return {
    async position(chatId: string, userId: string): Promise<number> {
      const row = await db
        .selectFrom('chat_delivery')
        .select('delivered_seq')
        .where('chat_id', '=', chatId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row ? Number(row.delivered_seq) : 0;
    },

    /** Moves the position forward, never back; true when it moved. */
    async advance(chatId: string, userId: string, seq: number): Promise<boolean> {
      const rows = await db
        .insertInto('chat_delivery')
        .values({ chat_id: chatId, user_id: userId, delivered_seq: seq })
        .onConflict((oc) =>
          oc.columns(['chat_id', 'user_id']).doUpdateSet({ delivered_seq: seq }).where('chat_delivery.delivered_seq', '<', seq),
        )
        .returning('delivered_seq')
        .execute();
      return rows.length > 0;
    },
  };
}
