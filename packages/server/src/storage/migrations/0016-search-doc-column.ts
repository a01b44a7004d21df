/**
 * SQLite's search index maps FTS5 rowids to messages with a column of `messages`
 * (`search_doc`, unique where set) instead of the `search_docs` table of 0005. That table
 * held every message id a second time, in its rows and again in its unique index: about
 * twice the size of the text it indexed, more than the FTS5 index itself. A message's doc
 * id is unchanged, so nothing is indexed again. PostgreSQL keeps `message_search`.
 *
 * The column is not in the typed schema (storage/schema.ts): only the search index's SQL
 * (modules/search/sqlite-index.repo.ts) reads or writes it, and the rows every other
 * module builds stay as they were.
 */
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../dialect.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) return;
  await sql`alter table messages add column search_doc integer`.execute(db);
  await sql`update messages set search_doc = (select d.doc_id from search_docs d where d.message_id = messages.id)
    where id in (select message_id from search_docs)`.execute(db);
  await sql`create unique index messages_search_doc on messages (search_doc) where search_doc is not null`.execute(db);
  // A message deleted outright (its chat deleted, by cascade) takes its tokens with it.
  await sql`create trigger messages_search_doc_delete after delete on messages when old.search_doc is not null
    begin delete from message_fts where rowid = old.search_doc; end`.execute(db);
  await sql`drop trigger search_docs_delete`.execute(db);
  await sql`drop table search_docs`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) return;
  await sql`create table search_docs (doc_id integer primary key, message_id text not null unique references messages (id) on delete cascade)`.execute(
    db,
  );
  await sql`insert into search_docs (doc_id, message_id) select search_doc, id from messages where search_doc is not null`.execute(db);
  await sql`create trigger search_docs_delete after delete on search_docs begin delete from message_fts where rowid = old.doc_id; end`.execute(
    db,
  );
  await sql`drop trigger messages_search_doc_delete`.execute(db);
  await sql`drop index messages_search_doc`.execute(db);
  await sql`alter table messages drop column search_doc`.execute(db);
}
