/**
 * The PostgreSQL backend of the search index: the message's tokens as a tsvector with a
 * GIN index, built from a literal (`'上海':3 '海东':4`) rather than `to_tsvector`, so the
 * database's own parser and dictionaries — which drop or merge CJK characters depending on
 * the server's locale — never touch them. Queries are tsquery literals likewise: a prefix
 * is `'сообщ':*`, a phrase `'上海' <-> '海东'`. Stock PostgreSQL only, no extension.
 *
 * Newest first, the repository either walks the time b-tree (when matches are dense) or asks
 * GIN for the candidates of the newest few days only, through each row's day token (when
 * they are sparse); see `newestPage`. Both read few heap pages because the back-fill writes
 * the index newest first, so the heap is in time order, as live messages leave it anyway.
 */
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { MessageRow } from '../../access/chat-access.js';
import { precompile } from '../../storage/precompiled.js';
import type { Database } from '../../storage/schema.js';
import { memberJoin, readableAndFiltered } from './search-filters.repo.js';
import type { FoundRow, IndexedMessage, IndexQuery, SearchIndex } from './search-index.js';
import { chatToken, DAY_MS, dayToken, indexTokens, type QueryPart } from './tokenise.js';

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
  for (const token of [...extra, dayToken(Math.floor(Number(message.created_at) / DAY_MS))])
    if (!positions.has(token)) positions.set(token, new Set());
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
 * What a GIN candidate costs in walked rows: both are a heap row, but a candidate is fetched
 * out of the walk's order, sorted and, when readable, joined (at 1,000,000 messages, with the
 * heap in time order, ~2.7 µs a candidate of one day against ~1.3 µs a walked row).
 */
const GIN_ROW_COST = 2;
/**
 * What reading one row's entry in a day token's posting list costs in walked rows: GIN skips
 * through it when the terms are rare, reads it all when they are common (at 1,000,000
 * messages a day of 86,400 rows took GIN 3–13 ms, a walked row ~1.3 µs).
 */
const DAY_POSTING_COST = 0.05;
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

interface Segment {
  /** The readable matches among the segment's rows, newest first, at most the limit asked. */
  hits: MessageRow[];
  /** Rows the segment read, and how many of them GIN would have returned (phrases as their tokens ANDed). */
  rows: number;
  candidates: number;
  /** The newest and the last row read (end null: the segment read every row there was). */
  startAt: number;
  end: Key | null;
}

type SegmentRow = MessageRow & { n: string; candidates: string; start_at: string | null; end_at: string | null; end_id: string | null };

/**
 * One segment of the walk: the newest `rows` index rows after `key`, each checked against the
 * terms (and the viewer's scope) and against GIN's looser candidate test, in one pass over the
 * b-tree; the readable matches come back joined, the segment's end and counts beside them.
 */
async function walkSegment(trx: Executor, query: IndexQuery, scoped: string, loose: string, key: Key | null, rows: number, limit: number) {
  const result = await sql<SegmentRow>`
    with w as materialized (
      select s.message_id, s.created_at, s.tsv @@ ${loose}::tsquery as candidate, s.tsv @@ ${scoped}::tsquery as hit
      from message_search s where ${walkBound(query, key)}
      order by s.created_at desc, s.message_id desc limit ${rows}
    ), e as (
      select (select count(*) from w) as n, (select count(*) from w where w.candidate) as candidates,
        (select max(w.created_at) from w) as start_at,
        (select w.created_at from w order by w.created_at, w.message_id limit 1) as end_at,
        (select w.message_id from w order by w.created_at, w.message_id limit 1) as end_id
    )
    select h.*, e.* from e left join lateral (
      select m.* from w
      join messages m on m.id = w.message_id
      ${memberJoin(query.viewerId)}
      where w.hit and ${readableAndFiltered(query)}
      order by w.created_at desc, w.message_id desc limit ${limit}
    ) h on true
    order by h.created_at desc, h.id desc`.execute(trx);
  const first = result.rows[0];
  const read = Number(first?.n ?? 0);
  const segment: Segment = {
    hits: result.rows
      .filter((row) => row.id !== null)
      .map(({ n: _n, candidates: _c, start_at: _s, end_at: _a, end_id: _i, ...row }) => row),
    rows: read,
    candidates: Number(first?.candidates ?? 0),
    startAt: Number(first?.start_at ?? 0),
    end: read < rows || first?.end_at == null ? null : { createdAt: Number(first.end_at), id: first.end_id ?? '' },
  };
  return segment;
}

/** Readable matches after `key` among GIN's candidates (for `ginQuery`), newest first: every candidate is fetched and sorted. */
async function ginPage(trx: Executor, query: IndexQuery, ginQuery: string, scope: string | null, key: Key | null, limit: number) {
  const result = await sql<MessageRow>`
    select m.* from message_search s
    join messages m on m.id = s.message_id
    ${memberJoin(query.viewerId)}
    where s.tsv @@ ${ginQuery}::tsquery and ${scope === null ? sql`true` : sql`ts_match_vq(s.tsv, ${`(${scope})`}::tsquery)`}
      and ${walkBound(query, key)} and ${readableAndFiltered(query)}
    order by s.created_at + 0 desc, s.message_id desc limit ${limit}`.execute(trx);
  return result.rows;
}

/** The oldest day to look at: the oldest row's, or the `from` filter's. */
async function oldestDay(trx: Executor, query: IndexQuery): Promise<number> {
  const result = await sql<{ at: string | null }>`select min(created_at) as at from message_search`.execute(trx);
  const oldest = Math.max(Number(result.rows[0]?.at ?? 0), query.filters.from ?? Number.NEGATIVE_INFINITY);
  return Math.floor(oldest / DAY_MS);
}

/** Days ORed into one GIN lookup at most: the tsquery grows with each. */
const MAX_PROBE_DAYS = 128;

/**
 * The page's rest from GIN, a few days at a time, newest first: each lookup ANDs the terms
 * with the tokens of `days` days, so GIN returns those days' candidates only, which are sorted.
 * The span doubles each time (the older days may hold fewer matches), up to MAX_PROBE_DAYS.
 */
async function dayProbes(trx: Executor, query: IndexQuery, terms: string, scope: string | null, key: Key, days: number) {
  const found: MessageRow[] = [];
  const oldest = await oldestDay(trx, query);
  let span = Math.min(Math.max(days, 1), MAX_PROBE_DAYS);
  let day = Math.floor(key.createdAt / DAY_MS);
  while (day >= oldest && found.length < query.limit) {
    const tokens = Array.from({ length: Math.min(span, day - oldest + 1) }, (_, i) => lexeme(dayToken(day - i)));
    found.push(...(await ginPage(trx, query, `(${terms}) & (${tokens.join(' | ')})`, scope, key, query.limit - found.length)));
    day -= span;
    span = Math.min(2 * span, MAX_PROBE_DAYS);
  }
  return found;
}

/**
 * Newest first, for the terms whose matches the planner handles badly. Walk the time b-tree,
 * checking each row's tsvector, in segments; after each, estimate from what the walk has seen
 * (readable matches, GIN candidates and rows per day) what finishing the page costs three ways,
 * in walked rows — walking on; asking GIN for the candidates of the next few days
 * (`dayProbes`); or fetching and sorting GIN's candidates over the whole older rest — and take
 * the cheapest. A walk segment grows at most 3× the rows walked before it, so one unlucky
 * sample does not decide.
 */
async function newestPage(trx: Executor, query: IndexQuery): Promise<MessageRow[]> {
  const terms = tsqueryLiteral(query.parts);
  const loose = tsqueryLiteral(
    query.parts.flatMap((p) => (p.kind === 'phrase' ? p.tokens.map((token) => ({ kind: 'token' as const, token, prefix: false })) : [p])),
  );
  const scope = await readableScope(trx, query);
  const scoped = scope === null ? terms : `(${terms}) & (${scope})`;
  const found: MessageRow[] = [];
  let total: number | null = null;
  let key: Key | null = null;
  let newestAt: number | null = null;
  let walked = 0;
  let candidates = 0;
  let rows = WALK_ROWS;
  for (;;) {
    const segment = await walkSegment(trx, query, scoped, loose, key, rows, query.limit - found.length);
    found.push(...segment.hits);
    if (found.length >= query.limit || segment.end === null) return found;
    newestAt ??= segment.startAt;
    key = segment.end;
    walked += segment.rows;
    candidates += segment.candidates;
    const need = query.limit - found.length;
    const ahead = Math.ceil((need * walked * 1.5) / Math.max(found.length, 0.5));
    const density = Math.max(candidates, 0.5) / walked;
    total ??= await indexRows(trx);
    const rest = GIN_ROW_COST * density * Math.max(total - walked, 0);
    const rowsPerDay = (walked * DAY_MS) / Math.max(newestAt - key.createdAt, 1);
    const days = Math.ceil(ahead / rowsPerDay);
    // A lookup fetches every candidate of its days (the part of the first day already walked
    // too), and GIN reads the days' posting lists, one entry for each of their rows.
    const probes = (GIN_ROW_COST * density + DAY_POSTING_COST) * rowsPerDay * Math.max(days, 1);
    rows = Math.max(Math.min(ahead, 3 * walked), WALK_ROWS);
    if (rest <= Math.min(ahead, probes)) return [...found, ...(await ginPage(trx, query, terms, scope, key, need))];
    if (probes < ahead) return [...found, ...(await dayProbes(trx, { ...query, limit: need }, terms, scope, key, days))];
  }
}

/**
 * The parts the planner's own plan handles badly. A CJK run's bigram phrase and a
 * one-character prefix it misjudges by orders of magnitude (it multiplies the bigrams'
 * frequencies, which always come together: お願い is 5% of the messages, estimated under
 * 0.1%; a prefix covers hundreds of lexemes), and then sorts every GIN match of a common term
 * instead of walking. A phrase of words it estimates well, but its plan fetches and sorts
 * every message that has all the words ("budget report": 26,231 for a few thousand matches).
 * A word or a bigram it estimates well enough, and its plan is as fast as the walk (measured).
 */
function ownNewestPlan(part: QueryPart): boolean {
  if (part.kind === 'token') return part.prefix && [...part.token].length === 1;
  return true;
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

/** The back-fill's position: the (created_at, id) of the last message it read, newest first. */
function backfillPosition(position: string | null): Key | null {
  if (position === null) return null;
  const at = position.indexOf(':');
  return { createdAt: Number(position.slice(0, at)), id: position.slice(at + 1) };
}

/**
 * The back-fill reads messages newest first, which needs `messages (created_at, id)`: an index
 * nothing else uses, so it exists only while a back-fill runs — built CONCURRENTLY (sends go
 * on meanwhile; about 3 s at 1,000,000 messages) and dropped when the back-fill finishes.
 * An earlier build that was interrupted leaves an invalid index, which is built again.
 */
const BACKFILL_ORDER = 'messages_search_backfill';
const backfillOrderReady = new WeakSet<Executor>();

async function prepareBackfillOrder(db: Executor): Promise<void> {
  if (backfillOrderReady.has(db)) return;
  const state = await db.selectFrom('search_backfill').select('finished_at').where('id', '=', 1).executeTakeFirst();
  if (state !== undefined && state.finished_at === null) {
    const found = await sql<{ valid: boolean }>`select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
      where c.relname = ${BACKFILL_ORDER}`.execute(db);
    if (found.rows[0]?.valid === false) await sql`drop index concurrently if exists ${sql.id(BACKFILL_ORDER)}`.execute(db);
    if (found.rows[0]?.valid !== true)
      await sql`create index concurrently if not exists ${sql.id(BACKFILL_ORDER)} on messages (created_at, id)`.execute(db);
  }
  backfillOrderReady.add(db);
}

async function dropBackfillOrder(db: Executor): Promise<void> {
  await sql`drop index concurrently if exists ${sql.id(BACKFILL_ORDER)}`.execute(db);
  backfillOrderReady.delete(db);
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
      return query.parts.some(ownNewestPlan) ? newestPage(trx, query) : rankedOrPlannedPage(trx, query);
    });
    return result.map((row) => ({ ...row, key: `${Number(row.created_at)}:${row.id}` }));
  },

  async backfill(db, batch) {
    await prepareBackfillOrder(db);
    const step = await db.transaction().execute(async (trx) => {
      // The row lock makes a second instance wait for this batch instead of repeating it.
      const state = await trx.selectFrom('search_backfill').selectAll().where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
      if (state.finished_at !== null)
        return { indexed: 0, done: Number(state.indexed), total: Number(state.total), finished: true, now: false };
      const after = backfillPosition(state.position);
      // Newest first, so the index's heap is in time order (newest first, then the live ones
      // appended oldest first): a walk or a day's GIN candidates read few pages.
      const rows: BackfillRow[] = await trx
        .selectFrom('messages')
        .select(['id', 'chat_id', 'kind', 'text', 'created_at', 'deleted_at'])
        .$if(after !== null, (qb) => qb.where(sql<SqlBool>`(created_at, id) < (${after?.createdAt ?? 0}, ${after?.id ?? ''})`))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
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
      const last = rows[rows.length - 1];
      await trx
        .updateTable('search_backfill')
        .set({
          position: last === undefined ? state.position : `${Number(last.created_at)}:${last.id}`,
          indexed: Number(state.indexed) + indexed,
        })
        .where('id', '=', 1)
        .execute();
      return { indexed, done: Number(state.indexed) + indexed, total: Number(state.total), finished, now: finished };
    });
    if (step.finished) await dropBackfillOrder(db);
    const { now, ...done } = step;
    if (!now) return done;
    // Newest first fills the time b-tree from its left, and message ids come in random order:
    // both b-trees are left with pages about half full (+52 MB at 1,000,000 messages). Built
    // again, they are packed; CONCURRENTLY, so sends go on meanwhile. GIN's pending list
    // (entries not yet merged, which every search reads through) is merged. Only then is the
    // back-fill finished: a restart before this point does it again.
    await sql`reindex index concurrently message_search_newest`.execute(db);
    await sql`reindex index concurrently message_search_pkey`.execute(db);
    await sql`select gin_clean_pending_list('message_search_tsv'::regclass)`.execute(db);
    await db.updateTable('search_backfill').set({ finished_at: Date.now() }).where('id', '=', 1).where('finished_at', 'is', null).execute();
    return done;
  },

  async size(db) {
    const result = await sql<{ bytes: string }>`select pg_total_relation_size('message_search') as bytes`.execute(db);
    return Number(result.rows[0]?.bytes ?? 0);
  },
};
