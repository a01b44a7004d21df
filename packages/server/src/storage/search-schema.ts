/**
 * Tables of the message search index (issue 12, migration 0005-search). Kept beside
 * schema.ts, which lists them in `Database`. SQLite has the FTS5 table `message_fts`, its
 * rowids in `messages.search_doc` (migration 0016, outside the typed schema); PostgreSQL
 * has `message_search` (a tsvector with a GIN index). Both have `search_backfill`, the
 * progress of indexing the messages that existed before 0005.
 */

/** SQLite: the contentless FTS5 table; `body` tokens in text order, `extra` beside them. */
export interface MessageFtsTable {
  rowid: number;
  body: string;
  extra: string;
}

/** PostgreSQL: the tokens of a message as a tsvector literal. */
export interface MessageSearchTable {
  message_id: string;
  tsv: string;
  created_at: number;
}

/** One row: how far the back-fill of older messages has come. */
export interface SearchBackfillTable {
  id: number;
  /** Where the walk continues: below this rowid (SQLite) / above this id (PostgreSQL). */
  position: string | null;
  /** SQLite: the doc id the next back-filled message gets (negative, counting down). */
  next_doc_id: number;
  indexed: number;
  total: number;
  started_at: number;
  finished_at: number | null;
}
