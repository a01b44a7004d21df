/**
 * The PostgreSQL backend of the search index: the message's tokens as a tsvector with a
 * GIN index, built from a literal (`'上海':3 '海东':4`) rather than `to_tsvector`, so the
 * database's own parser and dictionaries — which drop or merge CJK characters depending on
 * the server's locale — never touch them. Queries are tsquery literals likewise: a prefix
 * is `'сообщ':*`, a phrase `'上海' <-> '海东'`. Stock PostgreSQL only, no extension.
 */
import { sql } from 'kysely';
import type { MessageRow } from '../../access/chat-access.js';
import { precompile } from '../../storage/precompiled.js';
import { memberJoin, readableAndFiltered } from './search-filters.repo.js';
import type { FoundRow, IndexedMessage, SearchIndex } from './search-index.js';
import { indexTokens, type QueryPart } from './tokenise.js';

/** PostgreSQL keeps positions up to 16383 and at most 256 of them per lexeme. */
const MAX_POSITION = 16_383;
const MAX_POSITIONS = 256;

const lexeme = (token: string) => `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The tsvector literal of a text: body tokens with their positions, extras without. */
export function tsvectorLiteral(message: IndexedMessage): string {
  const { body, extra } = indexTokens(message.text, message.chat_id);
  const positions = new Map<string, Set<number>>();
  body.forEach((token, i) => {
    const at = positions.get(token) ?? new Set<number>();
    if (at.size < MAX_POSITIONS) at.add(Math.min(i + 1, MAX_POSITION));
    positions.set(token, at);
  });
  for (const token of extra) if (!positions.has(token)) positions.set(token, new Set());
  return [...positions].map(([token, at]) => (at.size ? `${lexeme(token)}:${[...at].join(',')}` : lexeme(token))).join(' ');
}

/** The tsquery literal: every part ANDed. */
export function tsqueryLiteral(parts: QueryPart[]): string {
  return parts
    .map((part) => {
      if (part.kind === 'phrase') return `(${part.tokens.map(lexeme).join(' <-> ')})`;
      return `${lexeme(part.token)}${part.prefix ? ':*' : ''}`;
    })
    .join(' & ');
}

const upsert = precompile(3, (db, messageId: string, tsv: string, createdAt: number) =>
  db
    .insertInto('message_search')
    .values({ message_id: messageId, tsv: sql<string>`${tsv}::tsvector`, created_at: createdAt })
    .onConflict((oc) => oc.column('message_id').doUpdateSet({ tsv: (eb) => eb.ref('excluded.tsv') })),
);
const remove = precompile(1, (db, messageId: string) => db.deleteFrom('message_search').where('message_id', '=', messageId));

type BackfillRow = Pick<MessageRow, 'id' | 'chat_id' | 'kind' | 'text' | 'created_at' | 'deleted_at'>;

export const postgresIndex: SearchIndex = {
  async add(db, message) {
    await upsert.execute(db, message.id, tsvectorLiteral(message), Number(message.created_at));
  },

  async replace(db, message) {
    // An upsert even when the back-fill has not reached the message yet: a batch that read
    // the text before this edit then finds the row there and leaves it.
    await upsert.execute(db, message.id, tsvectorLiteral(message), Number(message.created_at));
  },

  async remove(db, messageId) {
    await remove.execute(db, messageId);
  },

  async find(db, query): Promise<FoundRow[]> {
    const tsquery = tsqueryLiteral(query.parts);
    const [createdAt, id] = query.after?.split(':') ?? [];
    const page =
      query.order === 'newest'
        ? sql`${query.after === null ? sql`` : sql`and (s.created_at, s.message_id) < (${Number(createdAt)}, ${id ?? ''})`} order by s.created_at desc, s.message_id desc`
        : sql`order by ts_rank(s.tsv, ${tsquery}::tsquery) desc, m.created_at desc, m.id desc`;
    // A page is a short walk (newest first, stopping at its end) or a GIN lookup; parallel
    // workers would cost more to start than either takes.
    const result = await db.transaction().execute(async (trx) => {
      await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
      return sql<MessageRow>`
        select m.* from message_search s
        join messages m on m.id = s.message_id
        ${memberJoin(query.viewerId)}
        where s.tsv @@ ${tsquery}::tsquery and ${readableAndFiltered(query)}
        ${page} limit ${query.limit} offset ${query.order === 'newest' ? 0 : query.offset}`.execute(trx);
    });
    return result.rows.map((row) => ({ ...row, key: `${Number(row.created_at)}:${row.id}` }));
  },

  backfill: (db, batch) =>
    db.transaction().execute(async (trx) => {
      // The row lock makes a second instance wait for this batch instead of repeating it.
      const state = await trx.selectFrom('search_backfill').selectAll().where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
      if (state.finished_at !== null) return { indexed: 0, done: Number(state.indexed), total: Number(state.total), finished: true };
      const rows: BackfillRow[] = await trx
        .selectFrom('messages')
        .select(['id', 'chat_id', 'kind', 'text', 'created_at', 'deleted_at'])
        .$if(state.position !== null, (qb) => qb.where('id', '>', state.position ?? ''))
        .orderBy('id')
        .limit(batch)
        .execute();
      const due = rows.filter((r) => r.kind === 'text' && r.deleted_at === null && r.text !== '');
      let indexed = 0;
      if (due.length > 0) {
        const inserted = await trx
          .insertInto('message_search')
          .values(
            due.map((r) => ({ message_id: r.id, tsv: sql<string>`${tsvectorLiteral(r)}::tsvector`, created_at: Number(r.created_at) })),
          )
          // Sent or edited after the index existed: already indexed, and more recently.
          .onConflict((oc) => oc.column('message_id').doNothing())
          .executeTakeFirst();
        indexed = Number(inserted.numInsertedOrUpdatedRows ?? 0);
      }
      const finished = rows.length < batch;
      // Fresh statistics for the planner once the bulk of the index exists.
      if (finished) {
        await sql`analyze message_search`.execute(trx);
        await sql`analyze messages`.execute(trx);
      }
      await trx
        .updateTable('search_backfill')
        .set({
          position: rows[rows.length - 1]?.id ?? state.position,
          indexed: Number(state.indexed) + indexed,
          finished_at: finished ? Date.now() : null,
        })
        .where('id', '=', 1)
        .execute();
      return { indexed, done: Number(state.indexed) + indexed, total: Number(state.total), finished };
    }),

  async size(db) {
    const result = await sql<{ bytes: string }>`select pg_total_relation_size('message_search') as bytes`.execute(db);
    return Number(result.rows[0]?.bytes ?? 0);
  },
};
