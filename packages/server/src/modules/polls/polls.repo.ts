/** SQL for polls (E16): the poll rows and each person's chosen options. */
import type { Kysely, Selectable } from 'kysely';
import type { PollsTable } from '../../storage/conversations-schema.js';
import type { Database } from '../../storage/schema.js';

export type PollRow = Selectable<PollsTable>;
export interface VoteRow {
  poll_id: string;
  user_id: string;
  option: number;
}

export function pollsRepo(db: Kysely<Database>) {
  return {
    async insert(row: PollRow): Promise<void> {
      await db.insertInto('polls').values(row).execute();
    },

    find: (messageId: string) => db.selectFrom('polls').selectAll().where('message_id', '=', messageId).executeTakeFirst(),

    /** The polls among these messages (a page of history): usually none. */
    findMany: (messageIds: string[]): Promise<PollRow[]> =>
      messageIds.length === 0 ? Promise.resolve([]) : db.selectFrom('polls').selectAll().where('message_id', 'in', messageIds).execute(),

    /** Every vote of these polls, oldest first (the order voters are listed in). */
    votesOf: (pollIds: string[]): Promise<VoteRow[]> =>
      pollIds.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('poll_votes')
            .select(['poll_id', 'user_id', 'option'])
            .where('poll_id', 'in', pollIds)
            .orderBy('voted_at')
            .orderBy('user_id')
            .orderBy('option')
            .execute(),

    async myVotes(pollId: string, userId: string): Promise<number[]> {
      const rows = await db
        .selectFrom('poll_votes')
        .select('option')
        .where('poll_id', '=', pollId)
        .where('user_id', '=', userId)
        .orderBy('option')
        .execute();
      return rows.map((r) => Number(r.option));
    },

    /** The person's whole choice becomes `options` ([] takes it back). */
    async replaceVotes(pollId: string, userId: string, options: number[], at: number): Promise<void> {
      await db.deleteFrom('poll_votes').where('poll_id', '=', pollId).where('user_id', '=', userId).execute();
      if (options.length === 0) return;
      await db
        .insertInto('poll_votes')
        .values(options.map((option) => ({ poll_id: pollId, user_id: userId, option, voted_at: at })))
        .execute();
    },

    /** True when this call closed it (it was open). */
    async close(pollId: string, at: number): Promise<boolean> {
      const result = await db
        .updateTable('polls')
        .set({ closed_at: at })
        .where('message_id', '=', pollId)
        .where('closed_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
