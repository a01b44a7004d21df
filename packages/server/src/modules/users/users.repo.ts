/** SQL for users. Nothing but queries. */
import type { Kysely, Selectable } from 'kysely';
import { startsWith } from '../../storage/like.js';
import type { Database, UsersTable } from '../../storage/schema.js';

export type UserRow = Selectable<UsersTable>;

export const usersRepo = (db: Kysely<Database>) => ({
  insert: (row: UserRow) => db.insertInto('users').values(row).execute(),

  findById: (id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),

  findByIds: (ids: string[]) =>
    ids.length === 0 ? Promise.resolve([]) : db.selectFrom('users').selectAll().where('id', 'in', ids).execute(),

  findByUsername: (username: string) => db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst(),

  findByEmail: (email: string) => db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst(),

  /** Which of `userIds` share at least one chat with `userId`. */
  sharingAChatWith: async (userId: string, userIds: string[]): Promise<string[]> => {
    if (userIds.length === 0) return [];
    const rows = await db
      .selectFrom('chat_members as theirs')
      .innerJoin('chat_members as mine', 'mine.chat_id', 'theirs.chat_id')
      .select('theirs.user_id')
      .distinct()
      .where('mine.user_id', '=', userId)
      .where('theirs.user_id', 'in', userIds)
      .execute();
    return rows.map((r) => r.user_id);
  },

  update: (id: string, changes: Partial<UserRow>) => db.updateTable('users').set(changes).where('id', '=', id).execute(),

  /**
   * Live users whose username or display name starts with `prefix` (already lowercased),
   * or whose email is exactly `email`; ordered by username, after `afterUsername`.
   */
  search: (prefix: string, email: string | null, afterUsername: string | null, limit: number) =>
    db
      .selectFrom('users')
      .selectAll()
      .where('deleted_at', 'is', null)
      .where((eb) =>
        eb.or([
          startsWith(eb.ref('username'), prefix),
          startsWith(eb.ref('display_name_search'), prefix),
          ...(email ? [eb('email', '=', email)] : []),
        ]),
      )
      .$if(afterUsername !== null, (qb) => qb.where('username', '>', afterUsername as string))
      .orderBy('username')
      .limit(limit)
      .execute(),
});
