/** SQL of the admin console: people and rooms as an admin sees them, settings, invites, stats, the audit log. */
import type { Insertable, Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { AuditLogTable, InvitesTable } from '../../storage/admin-schema.js';
import { isPostgres } from '../../storage/dialect.js';
import { startsWith } from '../../storage/like.js';
import type { Database } from '../../storage/schema.js';

export type AuditRow = Selectable<AuditLogTable>;
export type InviteRow = Selectable<InvitesTable>;

const DAY_MS = 86_400_000;

const roomsWithCounts = (db: Kysely<Database>) =>
  db
    .selectFrom('chats')
    .leftJoin('users as owner', 'owner.id', 'chats.owner_id')
    .selectAll('chats')
    .select('owner.username as owner_username')
    .select((eb) =>
      eb
        .selectFrom('messages')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('messages.chat_id', '=', 'chats.id')
        .where('messages.kind', '=', 'text')
        .where('messages.deleted_at', 'is', null)
        .as('message_count'),
    )
    .where('chats.kind', '!=', 'direct');

export const adminRepo = (db: Kysely<Database>) => ({
  /** People (and bots) by username, filtered by a prefix of username or display name, or an exact email. */
  users: (prefix: string | null, email: string | null, afterUsername: string | null, limit: number) =>
    db
      .selectFrom('users')
      .selectAll()
      .select((eb) =>
        eb
          .selectFrom('sessions')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('sessions.user_id', '=', 'users.id')
          .as('session_count'),
      )
      .$if(prefix !== null, (qb) =>
        qb.where((eb) =>
          eb.or([
            startsWith(eb.ref('username'), prefix ?? ''),
            startsWith(eb.ref('display_name_search'), prefix ?? ''),
            ...(email ? [eb('email', '=', email)] : []),
          ]),
        ),
      )
      .$if(afterUsername !== null, (qb) => qb.where('username', '>', afterUsername ?? ''))
      .orderBy('username')
      .limit(limit)
      .execute(),

  user: (id: string) =>
    db
      .selectFrom('users')
      .selectAll()
      .select((eb) =>
        eb
          .selectFrom('sessions')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('sessions.user_id', '=', 'users.id')
          .as('session_count'),
      )
      .where('id', '=', id)
      .executeTakeFirst(),

  setSuspension: (id: string, at: number | null, reason: string | null) =>
    db.updateTable('users').set({ suspended_at: at, suspended_reason: reason, updated_at: Date.now() }).where('id', '=', id).execute(),

  setServerRole: (id: string, role: 'admin' | 'moderator' | 'user') =>
    db.updateTable('users').set({ server_role: role }).where('id', '=', id).execute(),

  adminCount: async () =>
    Number(
      (
        await db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('server_role', '=', 'admin')
          .where('deleted_at', 'is', null)
          .executeTakeFirstOrThrow()
      ).n,
    ),

  /**
   * Makes `userId` the admin if it is the only account: the first sign-up on a fresh server.
   * One statement, so of two racing first sign-ups neither sees itself alone twice.
   */
  promoteIfOnlyAccount: (userId: string) =>
    db
      .updateTable('users')
      .set({ server_role: 'admin' })
      .where('id', '=', userId)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('users as others').select('others.id').where('others.id', '!=', userId))))
      .execute(),

  /** Groups and rooms (never direct chats), by name, with owner and message count. */
  rooms: (prefix: string | null, after: { name: string; id: string } | null, limit: number) =>
    roomsWithCounts(db)
      .$if(prefix !== null, (qb) =>
        qb.where((eb) => eb.or([startsWith(eb.ref('chats.name_search'), prefix ?? ''), startsWith(eb.ref('chats.handle'), prefix ?? '')])),
      )
      .$if(after !== null, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb('chats.name_search', '>', after?.name ?? ''),
            eb.and([eb('chats.name_search', '=', after?.name ?? ''), eb('chats.id', '>', after?.id ?? '')]),
          ]),
        ),
      )
      .orderBy('chats.name_search')
      .orderBy('chats.id')
      .limit(limit)
      .execute(),

  roomView: (id: string) => roomsWithCounts(db).where('chats.id', '=', id).executeTakeFirst(),

  room: (id: string) => db.selectFrom('chats').selectAll().where('id', '=', id).where('kind', '!=', 'direct').executeTakeFirst(),

  updateRoom: (id: string, changes: { archived_at?: number | null; retention_days?: number | null }) =>
    db.updateTable('chats').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),

  settings: () => db.selectFrom('server_settings').selectAll().execute(),

  putSetting: async (key: string, value: unknown, at: number) => {
    const json = JSON.stringify(value);
    await db
      .insertInto('server_settings')
      .values({ key, value: json, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: at }))
      .execute();
  },

  insertInvite: (row: InviteRow) => db.insertInto('invites').values(row).execute(),

  invites: () => db.selectFrom('invites').selectAll().orderBy('created_at', 'desc').limit(200).execute(),

  revokeInvite: async (id: string, at: number) =>
    Number((await db.updateTable('invites').set({ revoked_at: at }).where('id', '=', id).executeTakeFirst()).numUpdatedRows),

  /** Takes one use of a live invite; false when there is none left (or it never existed). */
  useInvite: async (codeHash: string, at: number) => {
    const result = await db
      .updateTable('invites')
      .set((eb) => ({ uses: eb('uses', '+', 1) }))
      .where('code_hash', '=', codeHash)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
      .where((eb) => eb.or([eb('max_uses', 'is', null), eb('uses', '<', eb.ref('max_uses'))]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /** Gives back a use taken by a sign-up that then failed. */
  releaseInvite: (codeHash: string) =>
    db
      .updateTable('invites')
      .set((eb) => ({ uses: eb('uses', '-', 1) }))
      .where('code_hash', '=', codeHash)
      .where('uses', '>', 0)
      .execute(),

  async stats(at: number, days: number) {
    const count = async (query: Promise<{ n: number | string | bigint }>) => Number((await query).n);
    const people = () =>
      db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('deleted_at', 'is', null)
        .where('bot_owner_id', 'is', null);
    const from = (Math.floor(at / DAY_MS) - (days - 1)) * DAY_MS;
    const [total, active, suspended, rooms, messages, perDay] = await Promise.all([
      count(people().executeTakeFirstOrThrow()),
      // Seen in the last day: a socket closed since (last_seen_at) or a session used since (refreshed every minute).
      count(
        people()
          .where((eb) =>
            eb.or([
              eb('last_seen_at', '>=', at - DAY_MS),
              eb.exists(
                eb
                  .selectFrom('sessions')
                  .select('sessions.id')
                  .whereRef('sessions.user_id', '=', 'users.id')
                  .where('sessions.last_seen_at', '>=', at - DAY_MS),
              ),
            ]),
          )
          .executeTakeFirstOrThrow(),
      ),
      count(people().where('suspended_at', 'is not', null).executeTakeFirstOrThrow()),
      count(
        db
          .selectFrom('chats')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('kind', '!=', 'direct')
          .executeTakeFirstOrThrow(),
      ),
      count(
        db
          .selectFrom('messages')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('kind', '=', 'text')
          .where('deleted_at', 'is', null)
          .executeTakeFirstOrThrow(),
      ),
      // Integer division of integer milliseconds is the UTC day on both dialects.
      db
        .selectFrom('messages')
        .select([sql<number>`created_at / ${sql.lit(DAY_MS)}`.as('day'), (eb) => eb.fn.countAll<number>().as('n')])
        .where('kind', '=', 'text')
        .where('created_at', '>=', from)
        .groupBy(sql`created_at / ${sql.lit(DAY_MS)}`)
        .execute(),
    ]);
    return { total, active, suspended, rooms, messages, perDay: perDay.map((r) => ({ day: Number(r.day), count: Number(r.n) })), from };
  },

  fileBytes: async () => {
    const row = await db
      .selectFrom('files')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), sql<number>`0`).as('n'))
      .where('state', '!=', 'released')
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  },

  databaseBytes: async () => {
    if (isPostgres(db)) {
      const { rows } = await sql<{ n: string }>`select pg_database_size(current_database()) as n`.execute(db);
      return Number(rows[0]?.n ?? 0);
    }
    const { rows } = await sql<{ n: number }>`select page_count * page_size as n from pragma_page_count(), pragma_page_size()`.execute(db);
    return Number(rows[0]?.n ?? 0);
  },

  /**
   * Messages past their chat's retention (or, for chats without one, `serverDays`; none
   * when that is null too), oldest first.
   */
  expiredMessages: (at: number, serverDays: number | null, limit: number) =>
    db
      .selectFrom('messages')
      .innerJoin('chats', 'chats.id', 'messages.chat_id')
      .select(['messages.id', 'messages.chat_id'])
      .where('messages.deleted_at', 'is', null)
      .where('messages.kind', '=', 'text')
      .where(
        // Casts keep PostgreSQL from taking the parameters, and their product, for 32-bit integers.
        sql<boolean>`messages.created_at < cast(${at} as bigint) - cast(coalesce(chats.retention_days, ${serverDays}) as bigint) * ${sql.lit(DAY_MS)}`,
      )
      .orderBy('messages.created_at')
      .limit(limit)
      .execute(),

  insertAudit: (row: Insertable<AuditLogTable>) => db.insertInto('audit_log').values(row).execute(),

  audit: (action: string | null, before: { at: number; id: string } | null, limit: number) =>
    db
      .selectFrom('audit_log')
      .selectAll()
      .$if(action !== null, (qb) => qb.where('action', '=', action ?? ''))
      .$if(before !== null, (qb) =>
        qb.where((eb) =>
          eb.or([eb('at', '<', before?.at ?? 0), eb.and([eb('at', '=', before?.at ?? 0), eb('id', '<', before?.id ?? '')])]),
        ),
      )
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
});
