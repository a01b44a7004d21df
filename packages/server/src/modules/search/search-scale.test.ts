/**
 * Search over more messages than one walk reads: the PostgreSQL backend walks the newest
 * index rows in segments and takes GIN's matches once the rest of a page lies far back, and
 * narrows the walk to the viewer's chats by their tokens unless they are in very many. These
 * tests hold both backends to the same answers across those edges.
 */
import type { SearchQuery } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../ids.js';
import { DIALECTS } from '../../test/dialects.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';
import { startSearchBackfill } from './search-backfill.js';

let counter = 0;
const cid = () => `z${Date.now().toString(36)}${(counter++).toString(36)}`;

/** More than the PostgreSQL walk's first segments (2,000 and 6,000 rows) together. */
const MESSAGES = 9000;
/**
 * Ten minutes apart: the messages span 62 days, so PostgreSQL's lookups of a few days at a
 * time (by the rows' day tokens) take several turns, and pages end and start inside them.
 */
const SPACING_MS = 600_000;

for (const dialect of DIALECTS) {
  describe(`search over ${MESSAGES.toLocaleString('en-US')} messages on ${dialect}`, () => {
    let ts: TestServer;
    let anna: Awaited<ReturnType<typeof signUp>>;
    let bob: Awaited<ReturnType<typeof signUp>>;
    let carl: Awaited<ReturnType<typeof signUp>>;
    /** What bob must find for "quokka", newest first. */
    const readableQuokkas: string[] = [];
    /** What bob must find for "考拉熊", newest first: one message in 25, half of them in his chat. */
    const readableKoalas: string[] = [];
    const start = Date.now() - MESSAGES * SPACING_MS;

    beforeAll(async () => {
      // The many-chats case creates 121 chats in a row; the action limit has its own tests.
      ts = await startTestServer(dialect, { ACTION_RATE_PER_SECOND: '1000', ACTION_BURST: '1000' });
      anna = await signUp(ts, 'anna');
      bob = await signUp(ts, 'bob');
      carl = await signUp(ts, 'carl');
      const ours = (await anna.client.chats.create({ kind: 'group', name: 'Ours', memberIds: [bob.user.id, carl.user.id] })).id;
      const theirs = (await anna.client.chats.create({ kind: 'group', name: 'Theirs', memberIds: [carl.user.id] })).id;
      // Written as an older server would have (stored, not indexed), then back-filled.
      const db = ts.server.storage.db;
      for (let done = 0; done < MESSAGES; done += 500) {
        const rows = [];
        for (let i = done; i < done + 500; i++) {
          const inOurs = i % 2 === 0;
          // A rare word: one message in 700, in both chats; some private to carl, one deleted.
          const rare = i % 700 === 0 || i % 700 === 1;
          const privateToCarl = rare && i % 2100 === 0;
          const deleted = rare && i % 4900 === 0;
          const id = newId();
          if (rare && inOurs && !privateToCarl && !deleted) readableQuokkas.unshift(id);
          const koala = !rare && i % 25 === 0;
          if (koala && inOurs) readableKoalas.unshift(id);
          rows.push({
            id,
            chat_id: inOurs ? ours : theirs,
            seq: 1000 + i,
            kind: 'text' as const,
            sender_id: anna.user.id,
            client_id: null,
            text: rare ? `the quokka dance 袋鼠跳舞 number ${i}` : koala ? `filler 考拉熊 number ${i}` : `filler number ${i}`,
            reply_to_id: null,
            forwarded_from: null,
            private_to: privateToCarl ? carl.user.id : null,
            system: null,
            mentions: '[]',
            created_at: start + i * SPACING_MS,
            edited_at: null,
            deleted_at: deleted ? Date.now() : null,
          });
        }
        await db.insertInto('messages').values(rows).execute();
      }
      await db
        .updateTable('search_backfill')
        .set({ position: null, next_doc_id: -1, finished_at: null, indexed: 0, total: MESSAGES })
        .execute();
      await startSearchBackfill(db, { info: () => {}, error: () => {} }, { batch: 500 }).done;
    }, 120_000);
    afterAll(() => ts.close());

    const pageThrough = async (q: string, limit: number, more: Partial<SearchQuery> = {}) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await bob.client.search.messages({ q, limit, ...more, ...(cursor && { cursor }) });
        ids.push(...page.items.map((hit) => hit.message.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return ids;
    };

    it('finds a rare word newest first across every page, only in chats the reader is in, never private or deleted', async () => {
      expect(readableQuokkas.length).toBeGreaterThan(4);
      // A word, a CJK phrase (袋鼠 <-> 鼠跳) and a one-letter prefix: the last two take the PostgreSQL walk.
      expect(await pageThrough('quokka', 3)).toEqual(readableQuokkas);
      expect(await pageThrough('袋鼠跳', 4)).toEqual(readableQuokkas);
      expect(await pageThrough('q', 2)).toEqual(readableQuokkas);
      expect(await pageThrough('"quokka dance"', 4)).toEqual(readableQuokkas);
      expect((await pageThrough('quokka', 5, { order: 'relevance' })).sort()).toEqual([...readableQuokkas].sort());
    });

    it('pages a term of one message in 25 newest first, when the page ends days back', async () => {
      // On PostgreSQL a walk of 2,000 rows finds 40 of a page of 50; the rest comes from GIN a few days at a time.
      expect(readableKoalas.length).toBeGreaterThan(150);
      expect(await pageThrough('考拉熊', 50)).toEqual(readableKoalas);
      expect(await pageThrough('"filler 考拉熊"', 50)).toEqual(readableKoalas);
    });

    it('applies the filters the index does not hold (sender, dates) over the whole history', async () => {
      expect(await pageThrough('袋鼠跳', 3, { senderId: anna.user.id })).toEqual(readableQuokkas);
      // A common word that no message from bob has: every row is a candidate, none a match.
      expect(await pageThrough('f', 20, { senderId: bob.user.id })).toEqual([]);
      expect(await pageThrough('filler', 20, { senderId: bob.user.id })).toEqual([]);
      // From message 5,000 on: the quokkas 7700, 7000 and 5600.
      const recent = await bob.client.search.messages({ q: '袋鼠跳', limit: 50, from: new Date(start + 5000 * SPACING_MS).toISOString() });
      expect(recent.items.map((hit) => hit.message.id)).toEqual(readableQuokkas.slice(0, 3));
    });

    it('pages a common word newest first without gaps or repeats', async () => {
      const numbers = async (q: string) => {
        const first = await bob.client.search.messages({ q, limit: 50 });
        const next = await bob.client.search.messages({ q, limit: 50, cursor: first.nextCursor ?? '' });
        return [...first.items, ...next.items].map((hit) => Number(hit.message.text.split(' ').at(-1)));
      };
      // Bob's chat holds the even-numbered messages; the newest filler is 8998, then 8996…
      const expected = Array.from({ length: 120 }, (_, k) => MESSAGES - 2 - 2 * k)
        .filter((n) => n % 700 !== 0 && n % 700 !== 1)
        .slice(0, 100);
      expect(await numbers('filler')).toEqual(expected);
      expect(await numbers('f')).toEqual(expected);
    });

    it('finds messages for a member of very many chats, and none of a chat they left', async () => {
      const dana = await signUp(ts, 'dana');
      let last = '';
      for (let i = 0; i < 120; i++)
        last = (await anna.client.chats.create({ kind: 'group', name: `Many ${i}`, memberIds: [dana.user.id] })).id;
      const left = (await anna.client.chats.create({ kind: 'group', name: 'Left', memberIds: [dana.user.id] })).id;
      const kept = await anna.client.messages.send(last, { clientId: cid(), text: 'wombat in the last chat' });
      await anna.client.messages.send(left, { clientId: cid(), text: 'wombat in a chat dana leaves' });
      await dana.client.chats.leave(left);
      const found = await dana.client.search.messages({ q: 'wombat' });
      expect(found.items.map((hit) => hit.message.id)).toEqual([kept.id]);
    });
  });
}
