/** SQL for presence: who hears about a user's presence, and when the user was last seen. */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

/**
 * Presence goes to people who share a chat of at most this many members with the user.
 * In bigger rooms a change would reach thousands of sockets for one person's blip; members
 * there see who is online when they list the members.
 */
export const PRESENCE_MAX_CHAT_MEMBERS = 256;

export const presenceRepo = (db: Kysely<Database>) => ({
  /** Everyone who shares a chat of at most PRESENCE_MAX_CHAT_MEMBERS with the user (the user too, when in one). */
  peersOf: async (userId: string) =>
    (
      await db
        .selectFrom('chat_members')
        .select('user_id')
        .distinct()
        .where('chat_id', 'in', (eb) =>
          eb
            .selectFrom('chat_members as mine')
            .innerJoin('chats', 'chats.id', 'mine.chat_id')
            .select('mine.chat_id')
            .where('mine.user_id', '=', userId)
            .where('chats.member_count', '<=', PRESENCE_MAX_CHAT_MEMBERS),
        )
        .execute()
    ).map((row) => row.user_id),

  storeLastSeen: (userId: string, at: number) => db.updateTable('users').set({ last_seen_at: at }).where('id', '=', userId).execute(),
});
