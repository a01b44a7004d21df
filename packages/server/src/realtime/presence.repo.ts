/** SQL for presence: who hears about a user's presence, and when the user was last seen. */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

export const presenceRepo = (db: Kysely<Database>) => ({
  /** Everyone who shares a chat with the user (the user too, when in any chat). */
  peersOf: async (userId: string) =>
    (
      await db
        .selectFrom('chat_members')
        .select('user_id')
        .distinct()
        .where('chat_id', 'in', db.selectFrom('chat_members').select('chat_id').where('user_id', '=', userId))
        .execute()
    ).map((row) => row.user_id),

  storeLastSeen: (userId: string, at: number) => db.updateTable('users').set({ last_seen_at: at }).where('id', '=', userId).execute(),
});
