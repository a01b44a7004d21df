/**
 * The event log and the one way to change state: `transact` runs a unit of work in a
 * transaction, records every event it emits in the log in commit order, and publishes
 * them on the bus only after the commit — so what users see live and what is stored
 * cannot drift apart, and an event is never seen for a change that rolled back.
 */
import type { EventName } from '@parley/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import { now } from '../clock.js';
import { isPostgres } from '../storage/dialect.js';
import type { Database } from '../storage/schema.js';
import type { EventBus, StoredEvent } from './bus.js';

export interface NewEvent {
  name: EventName;
  chatId?: string | null;
  targetUserId?: string | null;
  privateTo?: [string, string] | null;
  data: unknown;
}

export interface UnitOfWork {
  db: Transaction<Database>;
  emit(event: NewEvent): Promise<void>;
}

/** Any constant: the advisory lock that orders event ids by commit on PostgreSQL. */
const EVENT_ORDER_LOCK = 7_311_001;

export type Transact = <T>(work: (uow: UnitOfWork) => Promise<T>) => Promise<T>;

export function createTransact(db: Kysely<Database>, bus: EventBus): Transact {
  const postgres = isPostgres(db);
  return async (work) => {
    const emitted: StoredEvent[] = [];
    const result = await db.transaction().execute(async (trx) => {
      let locked = false;
      return work({
        db: trx,
        async emit(event) {
          // On PostgreSQL, a sequence hands out ids at insert time, not commit time;
          // holding this lock until commit makes id order equal commit order, which
          // resume depends on. SQLite has one writer, so it is ordered already.
          if (postgres && !locked) {
            await sql`select pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`.execute(trx);
            locked = true;
          }
          const privateTo = event.privateTo ?? null;
          const row = await trx
            .insertInto('events')
            .values({
              name: event.name,
              chat_id: event.chatId ?? null,
              target_user_id: event.targetUserId ?? null,
              private_a: privateTo?.[0] ?? null,
              private_b: privateTo?.[1] ?? null,
              data: JSON.stringify(event.data),
              created_at: now(),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          emitted.push({
            kind: 'stored',
            id: Number(row.id),
            name: event.name,
            chatId: event.chatId ?? null,
            targetUserId: event.targetUserId ?? null,
            privateTo,
            data: event.data,
          });
        },
      });
    });
    for (const event of emitted) bus.publish(event);
    return result;
  };
}

/** The newest event id, as a cursor string ("0" for an empty log). */
export async function latestCursor(db: Kysely<Database>): Promise<string> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return String(row?.max ?? 0);
}

export async function oldestEventId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.min('id').as('min'))
    .executeTakeFirst();
  return Number(row?.min ?? 0);
}

/**
 * Events after `cursor` that `userId` may see now: those of chats they are a member of
 * (private ones only if they are one of the two), and those addressed to them.
 * Returns at most `limit` + 1 rows so the caller can tell "too many".
 */
export async function eventsSince(db: Kysely<Database>, userId: string, cursor: number, limit: number): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('id', '>', cursor)
    .where((eb) =>
      eb.or([
        eb('target_user_id', '=', userId),
        eb.and([
          eb('chat_id', 'in', eb.selectFrom('chat_members').select('chat_id').where('user_id', '=', userId)),
          eb.or([eb('private_a', 'is', null), eb('private_a', '=', userId), eb('private_b', '=', userId)]),
        ]),
      ]),
    )
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return rows.map((row) => ({
    kind: 'stored',
    id: Number(row.id),
    name: row.name as EventName,
    chatId: row.chat_id,
    targetUserId: row.target_user_id,
    privateTo: row.private_a && row.private_b ? [row.private_a, row.private_b] : null,
    data: JSON.parse(row.data) as unknown,
  }));
}

/** Keeps the newest `keep` events; older cursors then get `resync`. */
export async function pruneEvents(db: Kysely<Database>, keep: number): Promise<void> {
  const latest = Number(await latestCursor(db));
  if (latest > keep)
    await db
      .deleteFrom('events')
      .where('id', '<=', latest - keep)
      .execute();
}
