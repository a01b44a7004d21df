/**
 * The SQLite backend of the search index: a contentless FTS5 table (no second copy of
 * the text) whose integer rowids are in `messages.search_doc` (migration 0016; unique
 * where set). Rowids follow the newest-first order — new messages count up, the
 * back-fill counts down from -1 — so "newest first" is FTS5's own rowid order, read from
 * the top and stopped at the page's end instead of sorting every match. An edit keeps the
 * message's rowid.
 */
import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { MessageRow } from '../../access/chat-access.js';
import type { Database } from '../../storage/schema.js';
import { memberJoin, readableAndFiltered } from './search-filters.repo.js';
import type { FoundRow, IndexedMessage, IndexQuery, SearchIndex } from './search-index.js';
import { indexTokens, type QueryPart } from './tokenise.js';

/**
 * A statement of this backend, written once as SQLite's SQL: `search_doc` is not in the
 * typed schema (see migration 0016), and the same text each call keeps SQLite's prepared
 * statement.
 */
const statement = <R = unknown>(text: string) => ({
  execute: async (db: Kysely<Database>, ...values: unknown[]) => (await db.executeQuery(CompiledQuery.raw(text, values))).rows as R[],
});

// FTS5 gives the new row the next rowid above the largest: newer than every doc before it.
const insertTokens = statement('insert into message_fts (body, extra) values (?, ?)');
const insertTokensAt = statement('insert into message_fts (rowid, body, extra) values (?, ?, ?)');
const setDocToLastInsert = statement('update messages set search_doc = last_insert_rowid() where id = ?');
const findDoc = statement<{ doc_id: number | null }>('select search_doc as doc_id from messages where id = ?');
const deleteTokens = statement('delete from message_fts where rowid = ?');
const clearDoc = statement('update messages set search_doc = null where id = ?');
/** A message sent (or edited) after the index existed has its doc already: no row back. */
const claimBackfilledDoc = statement<{ id: string }>('update messages set search_doc = ? where id = ? and search_doc is null returning id');

/** FTS5 query syntax: every part ANDed; a phrase only in `body`, where tokens are in text order. */
export function ftsQuery(parts: QueryPart[]): string {
  const quote = (token: string) => `"${token.replace(/"/g, '""')}"`;
  return parts
    .map((part) => {
      if (part.kind === 'phrase') return `body : ${quote(part.tokens.join(' '))}`;
      return `${quote(part.token)}${part.prefix ? '*' : ''}`;
    })
    .join(' AND ');
}

async function writeTokens(db: Kysely<Database>, docId: number | null, message: IndexedMessage) {
  const tokens = indexTokens(message.text, message.chat_id);
  if (docId === null) await insertTokens.execute(db, tokens.body.join(' '), tokens.extra.join(' '));
  else await insertTokensAt.execute(db, docId, tokens.body.join(' '), tokens.extra.join(' '));
}

type BackfillRow = Pick<MessageRow, 'id' | 'chat_id' | 'kind' | 'text' | 'created_at' | 'deleted_at'> & { rid: number };

export const sqliteIndex: SearchIndex = {
  async add(db, message) {
    await writeTokens(db, null, message);
    await setDocToLastInsert.execute(db, message.id);
  },

  async replace(db, message) {
    const [doc] = await findDoc.execute(db, message.id);
    // Not indexed yet: the back-fill has not reached it and will index the edited text.
    if (doc?.doc_id == null) return;
    await deleteTokens.execute(db, Number(doc.doc_id));
    await writeTokens(db, Number(doc.doc_id), message);
  },

  async remove(db, messageId) {
    const [doc] = await findDoc.execute(db, messageId);
    if (doc?.doc_id == null) return;
    await deleteTokens.execute(db, Number(doc.doc_id));
    await clearDoc.execute(db, messageId);
  },

  async find(db, query: IndexQuery): Promise<FoundRow[]> {
    const newest = query.order === 'newest';
    const page = newest
      ? sql`${query.after === null ? sql`` : sql`and f.rowid < ${Number(query.after)}`} order by f.rowid desc`
      : sql`order by f.rank, f.rowid desc`;
    const result = await sql<MessageRow & { doc: number }>`
      select m.*, f.rowid as doc from message_fts f
      join messages m on m.search_doc = f.rowid
      ${memberJoin(query.viewerId)}
      where message_fts match ${ftsQuery(query.parts)} and ${readableAndFiltered(query)}
      ${page} limit ${query.limit} offset ${newest ? 0 : query.offset}`.execute(db);
    return result.rows.map(({ doc, ...row }) => ({ ...row, key: String(doc) }));
  },

  backfill: (db, batch) =>
    db.transaction().execute(async (trx) => {
      const state = await trx.selectFrom('search_backfill').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
      if (state.finished_at !== null) return { indexed: 0, done: Number(state.indexed), total: Number(state.total), finished: true };
      const below = state.position === null ? null : Number(state.position);
      const rows = (
        await sql<BackfillRow>`select rowid as rid, id, chat_id, kind, text, created_at, deleted_at from messages
          ${below === null ? sql`` : sql`where rowid < ${below}`} order by rowid desc limit ${batch}`.execute(trx)
      ).rows;
      let nextDocId = Number(state.next_doc_id);
      let indexed = 0;
      for (const row of rows) {
        if (row.kind !== 'text' || row.deleted_at !== null || row.text === '') continue;
        // Already there when it was sent (or edited) after the index existed.
        const [doc] = await claimBackfilledDoc.execute(trx, nextDocId, row.id);
        if (!doc) continue;
        await writeTokens(trx, nextDocId, row);
        nextDocId -= 1;
        indexed += 1;
      }
      const finished = rows.length < batch;
      const last = rows[rows.length - 1];
      await trx
        .updateTable('search_backfill')
        .set({
          position: last ? String(last.rid) : state.position,
          next_doc_id: nextDocId,
          indexed: Number(state.indexed) + indexed,
          finished_at: finished ? Date.now() : null,
        })
        .where('id', '=', 1)
        .execute();
      return { indexed, done: Number(state.indexed) + indexed, total: Number(state.total), finished };
    }),

  async size(db) {
    // The FTS5 shadow tables (message_fts_data, _idx, _docsize, _config) and the doc map's index.
    const pages = await sql<{ bytes: number }>`select coalesce(sum(pgsize), 0) as bytes from dbstat
      where name like 'message_fts%' or name = 'messages_search_doc'`.execute(db);
    return Number(pages.rows[0]?.bytes ?? 0);
  },
};
