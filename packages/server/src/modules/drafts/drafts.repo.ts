/** SQL for drafts (I5): one row per person, chat and thread (`thread` '' = the chat itself). */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

export interface DraftRow {
  chat_id: string;
  thread_root_id: string;
  text: string;
  updated_at: number;
}

export function draftsRepo(db: Kysely<Database>) {
  return {
    /** The person's drafts, chats' and threads', in chats they are still a member of, newest first. */
    listFor: (userId: string): Promise<DraftRow[]> =>
      db
        .selectFrom('drafts')
        .innerJoin('chat_members', (j) =>
          j.onRef('chat_members.chat_id', '=', 'drafts.chat_id').onRef('chat_members.user_id', '=', 'drafts.user_id'),
        )
        .select(['drafts.chat_id', 'drafts.thread_root_id', 'drafts.text', 'drafts.updated_at'])
        .where('drafts.user_id', '=', userId)
        .orderBy('drafts.updated_at', 'desc')
        .execute(),

    find: (userId: string, chatId: string, thread: string) =>
      db
        .selectFrom('drafts')
        .select(['chat_id', 'thread_root_id', 'text', 'updated_at'])
        .where('user_id', '=', userId)
        .where('chat_id', '=', chatId)
        .where('thread_root_id', '=', thread)
        .executeTakeFirst(),

    async save(userId: string, chatId: string, thread: string, text: string, at: number): Promise<void> {
      await db
        .insertInto('drafts')
        .values({ user_id: userId, chat_id: chatId, thread_root_id: thread, text, updated_at: at })
        .onConflict((oc) => oc.columns(['user_id', 'chat_id', 'thread_root_id']).doUpdateSet({ text, updated_at: at }))
        .execute();
    },

    /** True when there was a draft to remove. */
    async remove(userId: string, chatId: string, thread: string): Promise<boolean> {
      const result = await db
        .deleteFrom('drafts')
        .where('user_id', '=', userId)
        .where('chat_id', '=', chatId)
        .where('thread_root_id', '=', thread)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
