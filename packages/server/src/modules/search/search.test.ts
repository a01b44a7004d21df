import type { SearchQuery } from '@parley/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../ids.js';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';
import { uploadFile } from '../../test/tus-upload.js';
import { startSearchBackfill } from './search-backfill.js';
import { searchIndexFor } from './search-index.js';

let counter = 0;
const cid = () => `s${Date.now().toString(36)}${(counter++).toString(36)}`;

/** The recall set: five languages, each text with a label. */
const CORPUS = {
  zh1: '我家在上海东边',
  zh2: '上海的天气很好',
  zh3: '海边的风很大',
  zh4: '我买了iPhone手机',
  zh5: '北京和上海之间的高铁',
  ja1: '東京に行きました',
  ja2: 'カタカナのテストです',
  ja3: '明日は東京タワーを見に行きます',
  ja4: '京都で抹茶を飲んだ',
  ko1: '서울에서 만나요',
  ko2: '서울역은 어디예요?',
  ko3: '부산에 가고 싶어요',
  ko4: '한국어를 공부합니다',
  ru1: 'Новое сообщение от Марии',
  ru2: 'Сообщения доставлены',
  ru3: 'Ёлка стоит в углу',
  ru4: 'Мы обсудили бюджет',
  en1: 'The quick brown fox jumps',
  en2: 'Quickly review the PR please',
  en3: 'Meeting notes: budget review',
  en4: 'Deploy the new release at https://example.org/release',
  en5: 'Great work 🎉 team',
} as const;
type Label = keyof typeof CORPUS | 'en6';

/** Query → exactly the messages it must find. */
const RECALL: Array<[string, Label[], Partial<SearchQuery>?]> = [
  ['上海', ['zh1', 'zh2', 'zh5']],
  ['海', ['zh1', 'zh2', 'zh3', 'zh5']],
  ['上海东', ['zh1']],
  ['东边', ['zh1']],
  ['iphone', ['zh4']],
  ['手机', ['zh4']],
  ['iPhone手机', ['zh4']],
  ['東京', ['ja1', 'ja3']],
  ['京', ['ja1', 'ja3', 'ja4', 'zh5']],
  ['行き', ['ja1', 'ja3']],
  ['カタカナ', ['ja2']],
  ['東京タワー', ['ja3']],
  ['서울', ['ko1', 'ko2']],
  ['서울에서', ['ko1']],
  ['부산', ['ko3']],
  ['공부', ['ko4']],
  ['сообщ', ['ru1', 'ru2']],
  ['Сообщение', ['ru1']],
  ['елка', ['ru3']],
  ['МАРИИ', ['ru1']],
  ['бюджет', ['ru4']],
  ['quick', ['en1', 'en2']],
  ['"quick brown"', ['en1']],
  ['"brown quick"', []],
  ['budget', ['en3', 'en6']],
  ['review budget', ['en3']],
  ['🎉', ['en5']],
  ['release', ['en4']],
  ['release', ['en4'], { hasLink: true }],
  ['review', [], { hasLink: true }],
  ['?!', []],
];

for (const dialect of DIALECTS) {
  describe(`message search on ${dialect}`, () => {
    let ts: TestServer;
    let anna: Awaited<ReturnType<typeof signUp>>;
    let bob: Awaited<ReturnType<typeof signUp>>;
    let carl: Awaited<ReturnType<typeof signUp>>;
    let groupId: string;
    const ids = new Map<string, Label>();

    beforeAll(async () => {
      ts = await startTestServer(dialect);
      anna = await signUp(ts, 'anna');
      bob = await signUp(ts, 'bob');
      carl = await signUp(ts, 'carl');
      groupId = (await anna.client.chats.create({ kind: 'group', name: 'Recall', memberIds: [bob.user.id, carl.user.id] })).id;
      for (const [label, text] of Object.entries(CORPUS)) {
        const sent = await anna.client.messages.send(groupId, { clientId: cid(), text });
        ids.set(sent.id, label as Label);
      }
      const mention = await anna.client.messages.send(groupId, { clientId: cid(), text: `ping @${bob.user.username} about the budget` });
      ids.set(mention.id, 'en6');
    });
    afterAll(() => ts.close());

    const labels = async (query: SearchQuery) => {
      const page = await bob.client.search.messages({ limit: 50, ...query, chatId: groupId });
      return page.items.map((hit) => ids.get(hit.message.id) ?? hit.message.id).sort();
    };

    it('finds every expected message of the five-language recall set, and nothing else', async () => {
      const failures: string[] = [];
      for (const [q, expected, filters] of RECALL) {
        const found = await labels({ q, ...filters });
        if (JSON.stringify(found) !== JSON.stringify([...expected].sort()))
          failures.push(`${q} ${JSON.stringify(filters ?? {})}: found ${found.join(',')}; expected ${expected.join(',')}`);
      }
      expect(failures).toEqual([]);
    });

    it('finds @username mentions and filters by "mentions me" and sender', async () => {
      expect(await labels({ q: `@${bob.user.username}` })).toEqual(['en6']);
      expect(await labels({ q: 'budget', mentionsMe: true })).toEqual(['en6']);
      expect(await labels({ q: 'budget', senderId: bob.user.id })).toEqual([]);
      expect(await labels({ q: 'budget', senderId: anna.user.id })).toEqual(['en3', 'en6']);
    });

    it('returns snippets as text and ranges, and pages newest first without repeats', async () => {
      const page = await bob.client.search.messages({ q: '上海', chatId: groupId });
      expect(page.items[0]?.message.text).toBe(CORPUS.zh5);
      expect(page.items[0]?.snippet).toEqual({
        text: CORPUS.zh5,
        highlights: [{ start: 3, end: 5 }],
        truncatedStart: false,
        truncatedEnd: false,
      });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const next = await bob.client.search.messages({ q: '海', chatId: groupId, limit: 1, ...(cursor && { cursor }) });
        seen.push(...next.items.map((h) => ids.get(h.message.id) ?? ''));
        cursor = next.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(['zh5', 'zh3', 'zh2', 'zh1']);
      const relevance: string[] = [];
      cursor = undefined;
      do {
        const next = await bob.client.search.messages({
          q: '海',
          chatId: groupId,
          order: 'relevance',
          limit: 3,
          ...(cursor && { cursor }),
        });
        relevance.push(...next.items.map((h) => ids.get(h.message.id) ?? ''));
        cursor = next.nextCursor ?? undefined;
      } while (cursor);
      expect(relevance.sort()).toEqual(['zh1', 'zh2', 'zh3', 'zh5']);
      await expectApiError(bob.client.search.messages({ q: '海', cursor: 'bm90LWEtY3Vyc29y' }), 'validation_failed', 400);
    });

    it('filters by date range', async () => {
      const future = new Date(Date.now() + 3_600_000).toISOString();
      const past = new Date(Date.now() - 3_600_000).toISOString();
      expect(await labels({ q: '上海', from: future })).toEqual([]);
      expect(await labels({ q: '上海', from: past, to: future })).toEqual(['zh1', 'zh2', 'zh5']);
    });

    it('reindexes an edit and drops a deleted message at once', async () => {
      const sent = await anna.client.messages.send(groupId, { clientId: cid(), text: 'temporary walrus' });
      expect((await anna.client.search.messages({ q: 'walrus' })).items.map((h) => h.message.id)).toEqual([sent.id]);
      await anna.client.messages.edit(groupId, sent.id, 'temporary narwhal');
      expect((await anna.client.search.messages({ q: 'walrus' })).items).toEqual([]);
      expect((await anna.client.search.messages({ q: 'narwhal' })).items.map((h) => h.message.id)).toEqual([sent.id]);
      await anna.client.messages.delete(groupId, sent.id);
      expect((await anna.client.search.messages({ q: 'narwhal' })).items).toEqual([]);
    });

    it('never returns private messages to others, direct chats to outsiders, or chats left or removed from', async () => {
      const dana = await signUp(ts, 'dana');
      const eve = await signUp(ts, 'eve');
      const group = await dana.client.chats.create({ kind: 'group', name: 'Secrets', memberIds: [eve.user.id, anna.user.id] });
      await dana.client.messages.send(group.id, { clientId: cid(), text: 'zebra in public' });
      await dana.client.messages.send(group.id, { clientId: cid(), text: 'zebra just for eve', privateTo: eve.user.id });
      const direct = await dana.client.chats.openDirect(eve.user.id);
      await dana.client.messages.send(direct.id, { clientId: cid(), text: 'zebra direct' });
      const texts = async (who: typeof dana) => (await who.client.search.messages({ q: 'zebra' })).items.map((h) => h.message.text).sort();
      expect(await texts(eve)).toEqual(['zebra direct', 'zebra in public', 'zebra just for eve']);
      expect(await texts(dana)).toEqual(['zebra direct', 'zebra in public', 'zebra just for eve']);
      expect(await texts(anna)).toEqual(['zebra in public']);
      expect(await texts(carl)).toEqual([]);
      await expectApiError(carl.client.search.messages({ q: 'zebra', chatId: group.id }), 'chat_not_found', 404);
      await expectApiError(carl.client.search.messages({ q: 'zebra', chatId: newId() }), 'chat_not_found', 404);
      await anna.client.chats.leave(group.id);
      expect(await texts(anna)).toEqual([]);
      await dana.client.chats.removeMember(group.id, eve.user.id);
      expect(await texts(eve)).toEqual(['zebra direct']);
    });

    it('filters by has a file and has an image', async () => {
      const chat = await anna.client.chats.create({ kind: 'group', name: 'Files' });
      const target = { baseUrl: ts.url, token: anna.token };
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 0, g: 90, b: 200 } } })
        .png()
        .toBuffer();
      const image = await uploadFile(target, png, { filename: 'tower.png' });
      const file = await uploadFile(target, Buffer.from('plain bytes, not a picture'), { filename: 'notes.txt' });
      await anna.client.messages.send(chat.id, { clientId: cid(), text: 'pelican photo', attachments: [image] });
      await anna.client.messages.send(chat.id, { clientId: cid(), text: 'pelican notes', attachments: [file] });
      await anna.client.messages.send(chat.id, { clientId: cid(), text: 'pelican words only' });
      const texts = async (query: Partial<SearchQuery>) =>
        (await anna.client.search.messages({ q: 'pelican', chatId: chat.id, ...query })).items.map((h) => h.message.text).sort();
      expect(await texts({})).toEqual(['pelican notes', 'pelican photo', 'pelican words only']);
      expect(await texts({ hasFile: true })).toEqual(['pelican notes', 'pelican photo']);
      expect(await texts({ hasImage: true })).toEqual(['pelican photo']);
    });

    it('answers the WebSocket command with what the REST route returns', async () => {
      const device = await connectDevice(ts.url, bob.token);
      try {
        const viaSocket = await device.rt.call('message.search', { q: '東京', chatId: groupId });
        expect(viaSocket).toEqual(await bob.client.search.messages({ q: '東京', chatId: groupId }));
        await expect(device.rt.call('message.search', { q: '' })).rejects.toMatchObject({ code: 'validation_failed' });
      } finally {
        device.close();
      }
    });

    it('back-fills messages that existed before the index, in resumable batches', async () => {
      const db = ts.server.storage.db;
      const chat = await anna.client.chats.create({ kind: 'group', name: 'Old times' });
      // Messages written as an older server would have: stored, not indexed.
      const at = Date.now();
      const old = ['往昔的上海滩', 'древнее сообщение', 'ancient scroll', '옛날 서울'];
      for (const [i, text] of old.entries()) {
        await db
          .insertInto('messages')
          .values({
            id: newId(),
            chat_id: chat.id,
            seq: 100 + i,
            kind: 'text',
            sender_id: anna.user.id,
            client_id: null,
            text,
            reply_to_id: null,
            forwarded_from: null,
            private_to: null,
            system: null,
            mentions: '[]',
            created_at: at + i,
            edited_at: null,
            deleted_at: null,
          })
          .execute();
      }
      await db.updateTable('search_backfill').set({ position: null, finished_at: null, indexed: 0, total: 4 }).execute();
      expect((await anna.client.search.messages({ q: 'ancient', chatId: chat.id })).items).toEqual([]);
      const first = await searchIndexFor(db).backfill(db, 3);
      expect(first.finished).toBe(false);
      // Newest first: the first batch took the three newest, so recent history is found first.
      expect((await anna.client.search.messages({ q: 'ancient', chatId: chat.id })).items).toHaveLength(1);
      expect((await anna.client.search.messages({ q: '上海', chatId: chat.id })).items).toEqual([]);
      const logged: string[] = [];
      await startSearchBackfill(db, { info: (_o, msg) => logged.push(msg), error: (_o, msg) => logged.push(msg) }, { batch: 3 }).done;
      expect(logged.at(-1)).toBe('search back-fill finished');
      for (const q of ['上海', 'сообщ', 'ancient', '서울'])
        expect((await anna.client.search.messages({ q, chatId: chat.id })).items, q).toHaveLength(1);
      // Newest first holds across back-filled and live messages.
      await anna.client.messages.send(chat.id, { clientId: cid(), text: 'ancient but new' });
      const order = (await anna.client.search.messages({ q: 'ancient', chatId: chat.id })).items.map((h) => h.message.text);
      expect(order).toEqual(['ancient but new', 'ancient scroll']);
    });
  });
}
