/**
 * The message search index (modules/search). SQLite: a contentless FTS5 table (ASCII
 * tokenizer: our own tokeniser has already split and folded the text, and every non-ASCII
 * character counts as part of a token) with `search_docs` mapping its integer rowids to
 * message ids; deleting a doc deletes its FTS row. PostgreSQL: a tsvector per message with
 * a GIN index — stock features only.
 *
 * Messages that exist already are not indexed here: a million of them would hold the
 * migration (and on PostgreSQL one transaction) for minutes. `search_backfill` records
 * that they are due; modules/search/search-backfill.ts indexes them after start-up in
 * small resumable batches, logging progress.
 */
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../dialect.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await db.schema
      .createTable('message_search')
      .addColumn('message_id', 'text', (c) => c.primaryKey().references('messages.id').onDelete('cascade'))
      .addColumn('tsv', sql`tsvector`, (c) => c.notNull())
      // The message's time again: newest first can walk this b-tree and stop at a page's end
      // when a term is common, where GIN alone would return every match to be sorted.
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await sql`create index message_search_tsv on message_search using gin (tsv)`.execute(db);
    await db.schema.createIndex('message_search_newest').on('message_search').columns(['created_at', 'message_id']).execute();
  } else {
    await db.schema
      .createTable('search_docs')
      .addColumn('doc_id', 'integer', (c) => c.primaryKey())
      .addColumn('message_id', 'text', (c) => c.notNull().unique().references('messages.id').onDelete('cascade'))
      .execute();
    await sql`create virtual table message_fts using fts5(body, extra, tokenize = "ascii tokenchars '@_.'", content = '', contentless_delete = 1)`.execute(
      db,
    );
    // A doc goes (edit, delete, or its message's chat deleted by cascade): so do its tokens.
    await sql`create trigger search_docs_delete after delete on search_docs begin delete from message_fts where rowid = old.doc_id; end`.execute(
      db,
    );
  }
  await db.schema
    .createTable('search_backfill')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('position', 'text')
    .addColumn('next_doc_id', 'bigint', (c) => c.notNull())
    .addColumn('indexed', 'bigint', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  const counted = await sql<{ n: number | string }>`select count(*) as n from messages where kind = 'text' and deleted_at is null`.execute(
    db,
  );
  const total = Number(counted.rows[0]?.n ?? 0);
  const at = Date.now();
  await sql`insert into search_backfill (id, position, next_doc_id, indexed, total, started_at, finished_at)
    values (1, null, -1, 0, ${total}, ${at}, ${total === 0 ? at : null})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('search_backfill').execute();
  if (isPostgres(db)) {
    await db.schema.dropTable('message_search').execute();
  } else {
    await sql`drop trigger search_docs_delete`.execute(db);
    await sql`drop table message_fts`.execute(db);
    await db.schema.dropTable('search_docs').execute();
  }
}
