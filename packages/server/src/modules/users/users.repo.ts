/** SQL for users. Nothing but queries. */
import type { Kysely, Selectable } from 'kysely';
import { contains, startsWith } from '../../storage/like.js';
import type { Database, UsersTable } from '../../storage/schema.js';

export type UserRow = Selectable<UsersTable>;

/** At least two characters, one of them Han, kana or Hangul. */
const CJK_TERM = /^(?=.*[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]).{2,}$/u;

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
   * Live users whose username, display name or a later word of it starts with `prefix`
   * (already lowercased: "lid" finds "Alice Liddell"), whose CJK name contains it (two
   * characters or more: "小明" finds "王小明" — CJK names have no spaces to start a word at),
   * or whose email is exactly `email`; ordered by username, after `afterUsername`. The
   * later-word and CJK matches cannot use the index; the users table is small beside messages.
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
          contains(eb.ref('display_name_search'), ` ${prefix}`),
          ...(CJK_TERM.test(prefix) ? [contains(eb.ref('display_name_search'), prefix)] : []),
          ...(email ? [eb('email', '=', email)] : []),
        ]),
      )
      .$if(afterUsername !== null, (qb) => qb.where('username', '>', afterUsername as string))
      .orderBy('username')
      .limit(limit)
      .execute(),
});
