/** SQL for sessions. Tokens arrive here already hashed. */
import { CompiledQuery, type Kysely, type Selectable } from 'kysely';
import { precompile } from '../../storage/precompiled.js';
import type { Database, SessionsTable } from '../../storage/schema.js';

export type SessionRow = Selectable<SessionsTable>;

/** Precompiled: every authenticated request starts here. */
const sessionByTokenHash = precompile(1, (db, tokenHash: string) =>
  db.selectFrom('sessions').select(['id', 'user_id', 'expires_at', 'last_seen_at']).where('token_hash', '=', tokenHash),
);

/**
 * SQLite's count of commits made by other connections to the database file — another
 * process, such as parley-admin (`PRAGMA data_version`: unchanged by this connection's own).
 */
const DATA_VERSION = CompiledQuery.raw('pragma data_version');

export const sessionsRepo = (db: Kysely<Database>) => ({
  insert: (row: SessionRow) => db.insertInto('sessions').values(row).execute(),

  findByTokenHash: async (tokenHash: string) => (await sessionByTokenHash.execute(db, tokenHash))[0],

  /** SQLite only: moves whenever another process has changed the database (see DATA_VERSION). */
  changesByOthers: async (): Promise<number> => {
    const { rows } = await db.executeQuery<{ data_version: number }>(DATA_VERSION);
    return Number(rows[0]?.data_version ?? 0);
  },

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
