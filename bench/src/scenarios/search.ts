/**
 * Scenario `search`: message search at scale, on SQLite and PostgreSQL. A generated
 * corpus (Sizes.searchMessages, 1,000,000 in the full run; zh / ja / ko / ru / en in equal
 * shares) is written straight into the database of a fresh deployment, as an older
 * server would have left it; a restart then indexes it with the start-up back-fill
 * (the index build time and rate), and the index's size is compared with the text's.
 * Then one member of a fifth of the 200 chats runs each kind of query — 1-, 2- and
 * 3-character CJK terms, a Latin word (prefix), a quoted phrase, a query filtered to one
 * chat — through the search service in the server's process (access check, index query,
 * presentation, snippets; no HTTP), timing each; p50 and p95 per kind.
 */
import { randomUUID } from 'node:crypto';
import { createParleyClient } from '@parley/sdk';
import { createParleyServer, loadConfig, type ParleyServer } from '@parley/server';
import { sql } from 'kysely';
import type { BenchContext } from '../context.js';
import { createParleyDeployment, type Dialect, registerUsers } from '../parley-fixture.js';
import { CaseCollector, type CaseResult } from '../results.js';
import { QUERY_KINDS_LABEL, type QueryKind, SEARCH_QUERIES, searchMessage, seededRandom } from '../search-corpus.js';
import { percentile } from '../stats.js';

/** 200 chats and 20 people at 40,000 messages and more; fewer for the smoke test's tiny corpus. */
const chatsFor = (count: number) => Math.min(200, Math.max(10, Math.floor(count / 200)));
const usersFor = (count: number) => Math.min(20, chatsFor(count));
/** The searcher is in every SEARCHER_EVERY-th chat. */
const SEARCHER_EVERY = 5;
const INSERT_BATCH = 1000;
const TIMED_PER_QUERY = 6;

interface Corpus {
  searcherId: string;
  searcherChats: string[];
}

async function seed(server: ParleyServer, url: string, count: number, log: (line: string) => void): Promise<Corpus> {
  const users = await registerUsers(url, usersFor(count), 4, 'search');
  const [searcher, ...others] = users;
  if (!searcher) throw new Error('no users');
  const chatIds: string[] = [];
  for (let i = 0; i < chatsFor(count); i++) {
    const owner = others[i % others.length] ?? searcher;
    const members = [others[(i + 1) % others.length], others[(i + 2) % others.length], ...(i % SEARCHER_EVERY === 0 ? [searcher] : [])];
    const chat = await createParleyClient({ baseUrl: url, token: owner.token }).chats.create({
      kind: 'group',
      name: `Search ${i}`,
      memberIds: members.flatMap((m) => (m && m.id !== owner.id ? [m.id] : [])),
    });
    chatIds.push(chat.id);
  }
  const memberIds = users.map((u) => u.id);
  const random = seededRandom(12);
  const db = server.storage.db;
  // After the chats' own system messages ("created", "added").
  const seqs = new Map(
    (await db.selectFrom('chats').select(['id', 'last_seq']).where('id', 'in', chatIds).execute()).map((c) => [c.id, Number(c.last_seq)]),
  );
  const start = Date.now() - count * 1000;
  const t0 = performance.now();
  for (let done = 0; done < count; done += INSERT_BATCH) {
    const rows = [];
    for (let i = done; i < Math.min(count, done + INSERT_BATCH); i++) {
      const chatId = chatIds[Math.floor(random() * chatIds.length)] as string;
      const seq = (seqs.get(chatId) ?? 0) + 1;
      seqs.set(chatId, seq);
      rows.push({
        id: randomUUID(),
        chat_id: chatId,
        seq,
        kind: 'text' as const,
        sender_id: memberIds[Math.floor(random() * memberIds.length)] ?? null,
        client_id: null,
        text: searchMessage(random).text,
        reply_to_id: null,
        forwarded_from: null,
        private_to: null,
        system: null,
        mentions: '[]',
        created_at: start + i * 1000,
        edited_at: null,
        deleted_at: null,
      });
    }
    await db.insertInto('messages').values(rows).execute();
    if ((done / INSERT_BATCH) % 100 === 0)
      log(`search: ${done.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} messages written`);
  }
  for (const [chatId, seq] of seqs) await db.updateTable('chats').set({ last_seq: seq }).where('id', '=', chatId).execute();
  log(`search: ${count.toLocaleString('en-US')} messages written in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  // As an older server would have left them: stored, not indexed; the next start indexes them.
  await db.updateTable('search_backfill').set({ position: null, next_doc_id: -1, indexed: 0, total: count, finished_at: null }).execute();
  return { searcherId: searcher.id, searcherChats: chatIds.filter((_, i) => i % SEARCHER_EVERY === 0) };
}

async function sizes(server: ParleyServer, dialect: Dialect): Promise<{ textBytes: number; indexBytes: number }> {
  const db = server.storage.db;
  if (dialect === 'sqlite') {
    const text = await sql<{ n: number }>`select sum(length(cast(text as blob))) as n from messages`.execute(db);
    const index = await sql<{ n: number }>`select sum(pgsize) as n from dbstat
      where name like 'message_fts%' or name = 'messages_search_doc'`.execute(db);
    return { textBytes: Number(text.rows[0]?.n ?? 0), indexBytes: Number(index.rows[0]?.n ?? 0) };
  }
  const text = await sql<{ n: string }>`select sum(octet_length(text)) as n from messages`.execute(db);
  const index = await sql<{ n: string }>`select pg_total_relation_size('message_search') as n`.execute(db);
  return { textBytes: Number(text.rows[0]?.n ?? 0), indexBytes: Number(index.rows[0]?.n ?? 0) };
}

async function waitForBackfill(server: ParleyServer, log: (line: string) => void): Promise<void> {
  let lastLog = 0;
  for (;;) {
    const state = await server.storage.db.selectFrom('search_backfill').selectAll().executeTakeFirstOrThrow();
    if (state.finished_at !== null) return;
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`search: back-fill ${Number(state.indexed).toLocaleString('en-US')} of ${Number(state.total).toLocaleString('en-US')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function timeQueries(server: ParleyServer, corpus: Corpus, kind: QueryKind): Promise<{ p50: number; p95: number; hits: number }> {
  const actor = { userId: corpus.searcherId, sessionId: 'bench' };
  const times: number[] = [];
  let hits = 0;
  const queries = SEARCH_QUERIES[kind];
  for (let round = 0; round < TIMED_PER_QUERY + 1; round++) {
    for (const [i, q] of queries.entries()) {
      const chatId = kind === 'filtered' ? corpus.searcherChats[(round + i) % corpus.searcherChats.length] : undefined;
      const t0 = performance.now();
      const page = await server.services.search.messages(actor, { q, limit: 20, ...(chatId && { chatId }) });
      const ms = performance.now() - t0;
      // The first pass warms the caches; it is not timed.
      if (round === 0) continue;
      times.push(ms);
      hits += page.items.length;
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), hits: hits / times.length };
}

export async function runSearch(ctx: BenchContext): Promise<CaseResult[]> {
  const count = ctx.sizes.searchMessages;
  const build = new CaseCollector(
    'search',
    'search index build',
    `${count.toLocaleString('en-US')} generated messages (zh / ja / ko / ru / en), written into the database and indexed ` +
      'by the start-up back-fill after a restart (batches of 500, each its own transaction).',
    [
      { key: 'buildSeconds', label: 'build s', unit: 'count' },
      { key: 'messagesPerSecond', label: 'messages/s', unit: 'per-second' },
      { key: 'textMegabytes', label: 'text MB', unit: 'count' },
      { key: 'indexMegabytes', label: 'index MB', unit: 'count' },
      { key: 'indexToText', label: 'index / text', unit: 'fraction' },
    ],
  );
  const kinds = Object.keys(SEARCH_QUERIES) as QueryKind[];
  const queries = new Map(
    kinds.map((kind) => [
      kind,
      new CaseCollector(
        'search',
        `search: ${QUERY_KINDS_LABEL[kind]}`,
        `${SEARCH_QUERIES[kind].join(', ')} — each ${TIMED_PER_QUERY}× (after one untimed pass), first page of 20, ` +
          `by a member of ${chatsFor(count) / SEARCHER_EVERY} of ${chatsFor(count)} chats, over ${count.toLocaleString('en-US')} messages.`,
        [
          { key: 'p50', label: 'p50 ms', unit: 'millis' },
          { key: 'p95', label: 'p95 ms', unit: 'millis' },
          { key: 'hits', label: 'hits/query', unit: 'count' },
        ],
      ),
    ]),
  );
  const dialects: Dialect[] = ctx.postgres ? ['sqlite', 'postgres'] : ['sqlite'];
  for (const dialect of dialects) {
    const target = `parley-${dialect}`;
    if (!ctx.includes(target)) continue;
    const deployment = await createParleyDeployment(dialect);
    let server: ParleyServer | null = null;
    try {
      server = await createParleyServer(loadConfig(deployment.env));
      const corpus = await seed(server, await server.listen(), count, ctx.log);
      await server.close();
      const t0 = performance.now();
      server = await createParleyServer(loadConfig(deployment.env));
      await waitForBackfill(server, ctx.log);
      const buildSeconds = (performance.now() - t0) / 1000;
      const { textBytes, indexBytes } = await sizes(server, dialect);
      ctx.log(
        `search ${dialect}: indexed in ${buildSeconds.toFixed(1)} s; text ${(textBytes / 1e6).toFixed(1)} MB, index ${(indexBytes / 1e6).toFixed(1)} MB`,
      );
      build.add(target, {
        buildSeconds,
        messagesPerSecond: count / buildSeconds,
        textMegabytes: textBytes / 1e6,
        indexMegabytes: indexBytes / 1e6,
        indexToText: indexBytes / textBytes,
      });
      for (let round = 0; round < ctx.rounds; round++) {
        for (const kind of kinds) {
          const sample = await timeQueries(server, corpus, kind);
          ctx.log(`search ${dialect} round ${round + 1} ${kind}: p50 ${sample.p50.toFixed(1)} ms, p95 ${sample.p95.toFixed(1)} ms`);
          queries.get(kind)?.add(target, sample);
        }
      }
    } finally {
      await server?.close();
      // PARLEY_BENCH_SEARCH_KEEP=1 leaves the database for EXPLAIN and experiments (drop it by hand).
      if (process.env.PARLEY_BENCH_SEARCH_KEEP === '1')
        ctx.log(`search ${dialect}: kept ${deployment.env.DATABASE_URL ?? deployment.env.DATA_DIR}`);
      else await deployment.dispose();
    }
  }
  for (const target of ['parley-sqlite', 'parley-postgres']) {
    if (!build.has(target)) continue;
    const ratio = build.summary(target, 'indexToText').median;
    build.goal(`${target}: index ≤ 2× the message text`, ratio <= 2, `${ratio.toFixed(2)}×`);
    for (const kind of kinds) {
      const collector = queries.get(kind);
      const p95 = collector?.summary(target, 'p95').median ?? Number.NaN;
      collector?.goal(
        `${target}: p95 < 50 ms`,
        count >= 1_000_000 ? p95 < 50 : null,
        `${p95.toFixed(1)} ms over ${count.toLocaleString('en-US')} messages`,
      );
    }
  }
  return [build.result(), ...kinds.flatMap((kind) => queries.get(kind)?.result() ?? [])];
}
