/**
 * PostgreSQL's search index is rebuilt: every row now carries its message's day token (see
 * `dayToken` in modules/search/tokenise.ts), and the back-fill writes it newest first, so
 * the heap is in time order. Both make a newest-first page read a few pages of
 * `message_search` instead of thousands (docs/performance.md, "Search at a million
 * messages"). The rows are emptied here and the back-fill (modules/search/search-backfill.ts)
 * indexes every message again after start-up, in resumable batches, logging progress;
 * meanwhile search finds new messages and the newest older ones done so far. SQLite is
 * unchanged.
 */
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../dialect.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`truncate message_search`.execute(db);
  // GIN keeps new entries in a pending list until it holds 4 MB (the default), and every
  // search reads that list through: at 1,000,000 messages a search's GIN lookup took 16–34 ms
  // with it and 3–6 ms without. A quarter of a megabyte bounds that; inserts still go in batches.
  await sql`alter index message_search_tsv set (gin_pending_list_limit = 256)`.execute(db);
  const counted = await sql<{ n: string }>`select count(*) as n from messages where kind = 'text' and deleted_at is null`.execute(db);
  const total = Number(counted.rows[0]?.n ?? 0);
  const at = Date.now();
  // The position is now the (created_at, id) of the last message read, newest first.
  await sql`update search_backfill set position = null, indexed = 0, total = ${total}, started_at = ${at},
    finished_at = ${total === 0 ? at : null} where id = 1`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  // The older server reads positions as message ids: index everything again its way.
  await sql`alter index message_search_tsv reset (gin_pending_list_limit)`.execute(db);
  await sql`truncate message_search`.execute(db);
  await sql`update search_backfill set position = null, indexed = 0, finished_at = null where id = 1`.execute(db);
}
