/**
 * The SQLite backend of the search index: a contentless FTS5 table (no second copy of
 * the text), `search_docs` mapping its integer rowids to message ids. Rowids follow the
 * newest-first order — new messages count up, the back-fill counts down from -1 — so
 * "newest first" is FTS5's own rowid order, read from the top and stopped at the page's
 * end instead of sorting every match. An edit keeps the message's rowid.
 */
import { type Kysely, sql } from 'kysely';
import type { MessageRow } from '../../access/chat-access.js';
import { precompile } from '../../storage/precompiled.js';
import type { Database } from '../../storage/schema.js';
import { memberJoin, readableAndFiltered } from './search-filters.repo.js';
import type { FoundRow, IndexedMessage, IndexQuery, SearchIndex } from './search-index.js';
import { indexTokens, type QueryPart } from './tokenise.js';

const insertDoc = precompile(1, (db, messageId: string) =>
  db.insertInto('search_docs').values({ message_id: messageId }).returning('doc_id'),
);
const insertTokens = precompile(3, (db, docId: number, body: string, extra: string) =>
  db.insertInto('message_fts').values({ rowid: docId, body, extra }),
);
const findDoc = precompile(1, (db, messageId: string) => db.selectFrom('search_docs').select('doc_id').where('message_id', '=', messageId));
const deleteTokens = precompile(1, (db, docId: number) => db.deleteFrom('message_fts').where('rowid', '=', docId));
const deleteDoc = precompile(1, (db, messageId: string) => db.deleteFrom('search_docs').where('message_id', '=', messageId));
const insertBackfilledDoc = precompile(2, (db, docId: number, messageId: string) =>
  db
    .insertInto('search_docs')
    .values({ doc_id: docId, message_id: messageId })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .returning('doc_id'),
);

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

async function writeTokens(db: Kysely<Database>, docId: number, message: IndexedMessage) {
  const tokens = indexTokens(message.text, message.chat_id);
  await insertTokens.execute(db, docId, tokens.body.join(' '), tokens.extra.join(' '));
}

type BackfillRow = Pick<MessageRow, 'id' | 'chat_id' | 'kind' | 'text' | 'created_at' | 'deleted_at'> & { rid: number };

export const sqliteIndex: SearchIndex = {
  async add(db, message) {
    const [doc] = await insertDoc.execute(db, message.id);
    if (doc) await writeTokens(db, Number(doc.doc_id), message);
  },

  async replace(db, message) {
    const [doc] = await findDoc.execute(db, message.id);
    // Not indexed yet: the back-fill has not reached it and will index the edited text.
    if (!doc) return;
    await deleteTokens.execute(db, Number(doc.doc_id));
    await writeTokens(db, Number(doc.doc_id), message);
  },

  async remove(db, messageId) {
    await deleteDoc.execute(db, messageId);
  },

  async find(db, query: IndexQuery): Promise<FoundRow[]> {
    const newest = query.order === 'newest';
    const page = newest
      ? sql`${query.after === null ? sql`` : sql`and f.rowid < ${Number(query.after)}`} order by f.rowid desc`
      : sql`order by f.rank, f.rowid desc`;
    const result = await sql<MessageRow & { doc: number }>`
      select m.*, f.rowid as doc from message_fts f
      join search_docs d on d.doc_id = f.rowid
      join messages m on m.id = d.message_id
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
        const [doc] = await insertBackfilledDoc.execute(trx, nextDocId, row.id);
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
    // The FTS5 shadow tables (message_fts_data, _idx, _docsize, _config) and the doc map.
    const pages = await sql<{ bytes: number }>`select coalesce(sum(pgsize), 0) as bytes from dbstat
      where name like 'message_fts%' or name like 'search_docs%' or name like 'sqlite_autoindex_search_docs%'`.execute(db);
    return Number(pages.rows[0]?.bytes ?? 0);
  },
};
