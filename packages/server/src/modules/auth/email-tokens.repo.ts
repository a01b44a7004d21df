/** SQL for single-use email tokens (verification, password reset). Tokens and codes arrive hashed. */
import type { Kysely, Selectable } from 'kysely';
import type { EmailTokensTable } from '../../storage/notifications-schema.js';
import type { Database } from '../../storage/schema.js';

export type EmailTokenRow = Selectable<EmailTokensTable>;

export const emailTokensRepo = (db: Kysely<Database>) => ({
  insert: (row: EmailTokenRow) => db.insertInto('email_tokens').values(row).execute(),

  /** A newer link replaces the older ones of the same purpose. */
  deleteUnused: (userId: string, purpose: EmailTokenRow['purpose']) =>
    db.deleteFrom('email_tokens').where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute(),

  findByHash: (tokenHash: string) => db.selectFrom('email_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst(),

  /** The newest unused token of this purpose, for a code typed against it. */
  latestUnused: (userId: string, purpose: EmailTokenRow['purpose']) =>
    db
      .selectFrom('email_tokens')
      .selectAll()
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst(),

  /** Uses the token up; false when it was already used (a concurrent redeem won). */
  markUsed: async (id: string, at: number) => {
    const result = await db
      .updateTable('email_tokens')
      .set({ used_at: at })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  countAttempt: (id: string) =>
    db
      .updateTable('email_tokens')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .returning('attempts')
      .executeTakeFirst(),
});
