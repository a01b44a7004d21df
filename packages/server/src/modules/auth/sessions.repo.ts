/** SQL for sessions. Tokens arrive here already hashed. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, SessionsTable } from '../../storage/schema.js';

export type SessionRow = Selectable<SessionsTable>;

export const sessionsRepo = (db: Kysely<Database>) => ({
  insert: (row: SessionRow) => db.insertInto('sessions').values(row).execute(),

  findByTokenHash: (tokenHash: string) => db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst(),

  listByUser: (userId: string) =>
    db.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('last_seen_at', 'desc').execute(),

  touch: (id: string, lastSeenAt: number, expiresAt: number) =>
    db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute(),

  /** Deletes one of the user's sessions; returns how many rows went (0 or 1). */
  deleteOne: async (userId: string, id: string) => {
    const result = await db.deleteFrom('sessions').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  deleteAllOfUser: (userId: string, exceptId: string | null = null) =>
    db
      .deleteFrom('sessions')
      .where('user_id', '=', userId)
      .$if(exceptId !== null, (qb) => qb.where('id', '!=', exceptId as string))
      .execute(),

  deleteExpired: (at: number) => db.deleteFrom('sessions').where('expires_at', '<', at).execute(),
});
