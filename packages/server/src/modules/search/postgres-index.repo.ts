/**
 * The PostgreSQL backend of the search index: the message's tokens as a tsvector with a
 * GIN index, built from a literal (`'上海':3 '海东':4`) rather than `to_tsvector`, so the
 * database's own parser and dictionaries — which drop or merge CJK characters depending on
 * the server's locale — never touch them. Queries are tsquery literals likewise: a prefix
 * is `'сообщ':*`, a phrase `'上海' <-> '海东'`. Stock PostgreSQL only, no extension.
 */
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { MessageRow } from '../../access/chat-access.js';
import { precompile } from '../../storage/precompiled.js';
import type { Database } from '../../storage/schema.js';
import { memberJoin, readableAndFiltered } from './search-filters.repo.js';
import type { FoundRow, IndexedMessage, IndexQuery, SearchIndex } from './search-index.js';
import { chatToken, indexTokens, type QueryPart } from './tokenise.js';

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

/** The first segment of the newest-first walk, in index rows (and the least any segment reads). */
const WALK_ROWS = 2000;
/**
 * What a GIN candidate costs in walked rows: both are a heap row fetched out of order, but a
 * candidate is also sorted and, when readable, joined (at 1,000,000 messages ~15–25 µs against
 * ~5–10 µs a walked row, on a loaded machine).
 */
const GIN_ROW_COST = 2;
/** Past this many chats the viewer's scope is left out: its OR grows with every chat (not measured beyond 40). */
const MAX_SCOPED_CHATS = 100;

type Executor = Kysely<Database>;

/** The page's bounds: before the cursor's key, and the `to` and `from` filters (an index row keeps its message's time). */
function startBound(query: IndexQuery): RawBuilder<SqlBool> {
  const conditions: RawBuilder<unknown>[] = [];
  if (query.after !== null) {
    const [createdAt, id] = query.after.split(':');
    conditions.push(sql`(s.created_at, s.message_id) < (${Number(createdAt)}, ${id ?? ''})`);
  }
  if (query.filters.to !== undefined) conditions.push(sql`s.created_at < ${query.filters.to}`);
  if (query.filters.from !== undefined) conditions.push(sql`s.created_at >= ${query.filters.from}`);
  return conditions.length === 0 ? sql<SqlBool>`true` : sql<SqlBool>`${sql.join(conditions, sql` and `)}`;
}

/**
 * The tokens of the viewer's chats, ORed (null: a chat filter, no chats, or too many): ANDed with
 * the terms, a row of a chat the viewer cannot read fails the tsvector check itself, before any
 * join. A hash collision only adds candidates; the membership join still decides.
 */
async function readableScope(trx: Executor, query: IndexQuery): Promise<string | null> {
  if (query.filters.chatId !== undefined) return null;
  const chats = await trx.selectFrom('chat_members').select('chat_id').where('user_id', '=', query.viewerId).execute();
  if (chats.length === 0 || chats.length > MAX_SCOPED_CHATS) return null;
  return [...new Set(chats.map((c) => lexeme(chatToken(c.chat_id))))].join(' | ');
}

/** The rows in the index, as the planner last counted them. */
async function indexRows(trx: Executor): Promise<number> {
  const result = await sql<{ rows: number }>`select reltuples::float8 as rows from pg_class where oid = 'message_search'::regclass`.execute(
    trx,
  );
  return Math.max(Number(result.rows[0]?.rows ?? 0), 0);
}

type Key = { createdAt: number; id: string };

/** Before `key` (when set), and the cursor, `to` and `from` filters. */
function walkBound(query: IndexQuery, key: Key | null): RawBuilder<SqlBool> {
  if (key === null) return startBound(query);
  return sql<SqlBool>`(s.created_at, s.message_id) < (${key.createdAt}, ${key.id}) and ${startBound(query)}`;
}

/** Readable matches among the newest `rows` index rows after `key`, in time order, stopping at `limit`. */
async function walkRows(trx: Executor, query: IndexQuery, scoped: string, key: Key | null, rows: number, limit: number) {
  const result = await sql<MessageRow>`
    select m.* from (
      select w.message_id, w.created_at from (
        select s.message_id, s.created_at, s.tsv from message_search s where ${walkBound(query, key)}
        order by s.created_at desc, s.message_id desc limit ${rows}
      ) w where w.tsv @@ ${scoped}::tsquery
    ) s
    join messages m on m.id = s.message_id
    ${memberJoin(query.viewerId)}
    where ${readableAndFiltered(query)}
    order by s.created_at desc, s.message_id desc limit ${limit}`.execute(trx);
  return result.rows;
}

interface WalkEnd {
  /** The last row the walk read (null: it read every row there was). */
  key: Key | null;
  /** How many of its rows GIN would have returned for the terms (phrases as their tokens ANDed). */
  candidates: number;
}

/** Where a walk of `rows` rows after `key` ended, and how many GIN candidates it passed. */
async function walkEnd(trx: Executor, query: IndexQuery, loose: string, key: Key | null, rows: number): Promise<WalkEnd> {
  const result = await sql<{ created_at: string; message_id: string; candidates: string; n: string }>`
    with w as materialized (
      select s.created_at, s.message_id, s.tsv @@ ${loose}::tsquery as candidate from message_search s where ${walkBound(query, key)}
      order by s.created_at desc, s.message_id desc limit ${rows}
    )
    select w.created_at, w.message_id, (select count(*) from w where w.candidate) as candidates, (select count(*) from w) as n
    from w order by w.created_at, w.message_id limit 1`.execute(trx);
  const row = result.rows[0];
  if (row === undefined) return { key: null, candidates: 0 };
  return {
    key: Number(row.n) < rows ? null : { createdAt: Number(row.created_at), id: row.message_id },
    candidates: Number(row.candidates),
  };
}

/**
 * Newest first: walk the time b-tree, checking each row's tsvector, in segments. After each,
 * the density of readable matches seen so far says how much farther the page's rest lies, and
 * the density of GIN candidates (a phrase's tokens ANDed, as GIN returns them) how many rows
 * GIN would fetch instead — each a random heap row too, over the whole older index. The
 * cheaper goes on; a segment grows at most 3× the rows walked before it, so one unlucky
 * sample does not decide.
 */
async function newestPage(trx: Executor, query: IndexQuery): Promise<MessageRow[]> {
  const terms = tsqueryLiteral(query.parts);
  const loose = tsqueryLiteral(
    query.parts.flatMap((p) => (p.kind === 'phrase' ? p.tokens.map((token) => ({ kind: 'token' as const, token, prefix: false })) : [p])),
  );
  const scope = await readableScope(trx, query);
  let total: number | null = null;
  const scoped = scope === null ? terms : `(${terms}) & (${scope})`;
  const found: MessageRow[] = [];
  let key: Key | null = null;
  let walked = 0;
  let candidates = 0;
  let rows = WALK_ROWS;
  for (;;) {
    found.push(...(await walkRows(trx, query, scoped, key, rows, query.limit - found.length)));
    if (found.length >= query.limit) return found;
    const end = await walkEnd(trx, query, loose, key, rows);
    if (end.key === null) return found;
    key = end.key;
    walked += rows;
    candidates += end.candidates;
    const ahead = Math.ceil(((query.limit - found.length) * walked * 1.5) / Math.max(found.length, 0.5));
    total ??= await indexRows(trx);
    const ginRows = (GIN_ROW_COST * Math.max(candidates, 0.5) * Math.max(total - walked, 0)) / walked;
    rows = Math.max(Math.min(ahead, 3 * walked), WALK_ROWS);
    if (rows > ginRows) break;
  }
  const rest = await sql<MessageRow>`
    select m.* from message_search s
    join messages m on m.id = s.message_id
    ${memberJoin(query.viewerId)}
    where s.tsv @@ ${terms}::tsquery and ${scope === null ? sql`true` : sql`ts_match_vq(s.tsv, ${`(${scope})`}::tsquery)`}
      and ${walkBound(query, key)} and ${readableAndFiltered(query)}
    order by s.created_at + 0 desc, s.message_id desc limit ${query.limit - found.length}`.execute(trx);
  return [...found, ...rest.rows];
}

/**
 * The parts whose matches the planner misjudges, by orders of magnitude: a CJK run's bigram
 * phrase (it multiplies the bigrams' frequencies, which always come together: お願い is 5% of
 * the messages, estimated under 0.1%) and a one-character prefix (hundreds of lexemes). It then
 * sorts every GIN match of a common term instead of walking. A word, a bigram or a phrase of
 * words it estimates well enough, and its plan is as fast as the walk (measured).
 */
function misestimated(part: QueryPart): boolean {
  if (part.kind === 'token') return part.prefix && [...part.token].length === 1;
  return part.tokens.every((token, i) => {
    const chars = [...token];
    return chars.length === 2 && (i === 0 || [...(part.tokens[i - 1] as string)][1] === chars[0]);
  });
}

/** The planner's choice: by relevance (ts_rank of every match, a page an offset), or newest first. */
async function rankedOrPlannedPage(trx: Executor, query: IndexQuery): Promise<MessageRow[]> {
  const tsquery = tsqueryLiteral(query.parts);
  const page =
    query.order === 'newest'
      ? sql`and ${startBound(query)} order by s.created_at desc, s.message_id desc`
      : sql`order by ts_rank(s.tsv, ${tsquery}::tsquery) desc, m.created_at desc, m.id desc`;
  const result = await sql<MessageRow>`
    select m.* from message_search s
    join messages m on m.id = s.message_id
    ${memberJoin(query.viewerId)}
    where s.tsv @@ ${tsquery}::tsquery and ${readableAndFiltered(query)}
    ${page} limit ${query.limit} offset ${query.order === 'newest' ? 0 : query.offset}`.execute(trx);
  return result.rows;
}

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
    const result = await db.transaction().execute(async (trx) => {
      // A page is a short walk or a GIN lookup; parallel workers would cost more to start than either takes.
      await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
      if (query.order === 'relevance') return rankedOrPlannedPage(trx, query);
      return query.parts.some(misestimated) ? newestPage(trx, query) : rankedOrPlannedPage(trx, query);
    });
    return result.map((row) => ({ ...row, key: `${Number(row.created_at)}:${row.id}` }));
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
