import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

let counter = 0;
const cid = () => `c${Date.now().toString(36)}${(counter++).toString(36)}`;

for (const dialect of DIALECTS) {
  describe(`messages on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    it('stores any Unicode up to 10,000 characters and refuses more, blank, or NUL', async () => {
      const a = await signUp(ts, 'texta');
      const b = await signUp(ts, 'textb');
      const chat = await a.client.chats.openDirect(b.user.id);
      const text = '🇺🇦 👩‍👩‍👧 مرحبا 我家在上海 \u202Eevil\u202C <b>not html</b>';
      const sent = await a.client.messages.send(chat.id, { clientId: cid(), text });
      expect(sent.text).toBe(text);
      const long = 'ж'.repeat(10_000);
      expect((await a.client.messages.send(chat.id, { clientId: cid(), text: long })).text).toBe(long);
      const tooLong = await expectApiError(
        a.client.messages.send(chat.id, { clientId: cid(), text: 'x'.repeat(10_001) }),
        'validation_failed',
        400,
      );
      expect(tooLong.details).toMatchObject({ field: 'text', rule: 'maxLength' });
      await expectApiError(a.client.messages.send(chat.id, { clientId: cid(), text: '' }), 'validation_failed', 400);
      await expectApiError(a.client.messages.send(chat.id, { clientId: cid(), text: 'a\u0000b' }), 'validation_failed', 400);
      expect((await b.client.messages.history(chat.id)).items.map((m) => m.text)).toEqual([text, long]);
    });

    it('makes a retried send with the same clientId return the original and create nothing', async () => {
      const a = await signUp(ts, 'idem');
      const b = await signUp(ts, 'idemb');
      const chat = await a.client.chats.openDirect(b.user.id);
      const clientId = cid();
      const [first, second] = await Promise.all([
        a.client.messages.send(chat.id, { clientId, text: 'once' }),
        a.client.messages.send(chat.id, { clientId, text: 'once' }),
      ]);
      const third = await a.client.messages.send(chat.id, { clientId, text: 'once' });
      expect(new Set([first.id, second.id, third.id]).size).toBe(1);
      expect((await a.client.messages.history(chat.id)).items).toHaveLength(1);
      const other = await a.client.chats.create({ kind: 'group', name: 'Elsewhere' });
      await expectApiError(a.client.messages.send(other.id, { clientId, text: 'once' }), 'client_id_conflict', 409);
    });

    it('edits own messages only, keeping the edit time; deletes leave a tombstone; admins may delete any in their group', async () => {
      const owner = await signUp(ts, 'edowner');
      const member = await signUp(ts, 'edmember');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Edits', memberIds: [member.user.id] });
      const mine = await member.client.messages.send(group.id, { clientId: cid(), text: 'tpyo' });
      await expectApiError(owner.client.messages.edit(group.id, mine.id, 'changed by owner'), 'forbidden', 403);
      const edited = await member.client.messages.edit(group.id, mine.id, 'typo');
      expect(edited.text).toBe('typo');
      expect(edited.editedAt).not.toBeNull();
      const ownerMessage = await owner.client.messages.send(group.id, { clientId: cid(), text: 'owner speaks' });
      await expectApiError(member.client.messages.delete(group.id, ownerMessage.id), 'forbidden', 403);
      await owner.client.messages.delete(group.id, mine.id);
      const history = await member.client.messages.history(group.id);
      const tomb = history.items.find((m) => m.id === mine.id);
      expect(tomb).toMatchObject({ text: '', seq: mine.seq });
      expect(tomb?.deletedAt).not.toBeNull();
      await expectApiError(member.client.messages.edit(group.id, mine.id, 'revive'), 'forbidden', 403);
    });

    it('replies quote the original, and a deleted original shows as deleted', async () => {
      const a = await signUp(ts, 'replya');
      const b = await signUp(ts, 'replyb');
      const chat = await a.client.chats.openDirect(b.user.id);
      const original = await a.client.messages.send(chat.id, { clientId: cid(), text: 'question?' });
      const reply = await b.client.messages.send(chat.id, { clientId: cid(), text: 'answer', replyTo: original.id });
      expect(reply.replyTo).toMatchObject({
        id: original.id,
        seq: original.seq,
        text: 'question?',
        senderName: a.user.displayName,
        deleted: false,
      });
      await a.client.messages.delete(chat.id, original.id);
      const after = (await b.client.messages.history(chat.id)).items.find((m) => m.id === reply.id);
      expect(after?.replyTo).toMatchObject({ deleted: true, text: '' });
      const stranger = await a.client.chats.create({ kind: 'group', name: 'Other' });
      const elsewhere = await a.client.messages.send(stranger.id, { clientId: cid(), text: 'elsewhere' });
      await expectApiError(
        b.client.messages.send(chat.id, { clientId: cid(), text: 'x', replyTo: elsewhere.id }),
        'message_not_found',
        404,
      );
    });

    it('forwards messages to several chats with "forwarded from", only into chats the sender belongs to', async () => {
      const a = await signUp(ts, 'fwda');
      const b = await signUp(ts, 'fwdb');
      const c = await signUp(ts, 'fwdc');
      const source = await a.client.chats.openDirect(b.user.id);
      const m1 = await b.client.messages.send(source.id, { clientId: cid(), text: 'one' });
      const m2 = await b.client.messages.send(source.id, { clientId: cid(), text: 'two' });
      const target1 = await a.client.chats.openDirect(c.user.id);
      const target2 = await a.client.chats.create({ kind: 'group', name: 'Fwd', memberIds: [c.user.id] });
      const result = await a.client.messages.forward(source.id, [m1.id, m2.id], [target1.id, target2.id]);
      expect(result.items).toHaveLength(4);
      const seen = (await c.client.messages.history(target1.id)).items;
      expect(seen.map((m) => [m.text, m.senderId, m.forwardedFrom?.senderName])).toEqual([
        ['one', a.user.id, b.user.displayName],
        ['two', a.user.id, b.user.displayName],
      ]);
      const notMine = await c.client.chats.create({ kind: 'group', name: 'Not yours' });
      await expectApiError(a.client.messages.forward(source.id, [m1.id], [notMine.id]), 'chat_not_found', 404);
    });

    it('counts reactions per emoji with who reacted; adding twice is one reaction', async () => {
      const a = await signUp(ts, 'reacta');
      const b = await signUp(ts, 'reactb');
      const chat = await a.client.chats.openDirect(b.user.id);
      const m = await a.client.messages.send(chat.id, { clientId: cid(), text: 'react to me' });
      await b.client.messages.react(chat.id, m.id, '👍');
      await b.client.messages.react(chat.id, m.id, '👍');
      await a.client.messages.react(chat.id, m.id, '👍');
      const withBoth = await a.client.messages.react(chat.id, m.id, '👨‍👩‍👧');
      expect(withBoth.reactions).toEqual([
        { emoji: '👍', count: 2, userIds: [b.user.id, a.user.id] },
        { emoji: '👨‍👩‍👧', count: 1, userIds: [a.user.id] },
      ]);
      const removed = await b.client.messages.unreact(chat.id, m.id, '👍');
      expect(removed.reactions[0]).toEqual({ emoji: '👍', count: 1, userIds: [a.user.id] });
      await expectApiError(b.client.messages.react(chat.id, m.id, 'not an emoji'), 'validation_failed', 400);
    });

    it('records @username per recipient and @all as one flag, never the sender, cleared by reading or replying', async () => {
      const owner = await signUp(ts, 'menowner');
      const m1 = await signUp(ts, 'menone');
      const m2 = await signUp(ts, 'mentwo');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Mentions', memberIds: [m1.user.id, m2.user.id] });
      await owner.client.messages.send(group.id, { clientId: cid(), text: `hey @${m1.user.username.toUpperCase()}, and @nobody_here` });
      expect((await m1.client.chats.get(group.id)).mentionCount).toBe(1);
      const all = await m1.client.messages.send(group.id, { clientId: cid(), text: `@all lunch? cc @${m1.user.username}` });
      expect(all.mentionsAll).toBe(true);
      expect(all.mentions).toEqual([]);
      // @all is a flag on the message, not a stored row per member.
      const rows = await ts.server.storage.db.selectFrom('mentions').select('user_id').where('message_id', '=', all.id).execute();
      expect(rows).toEqual([]);
      const view1 = await m1.client.chats.get(group.id);
      const view2 = await m2.client.chats.get(group.id);
      const viewOwner = await owner.client.chats.get(group.id);
      // Sending a message reads what came before it, so m1's own mention is cleared.
      expect([view1.mentionCount, view2.mentionCount, viewOwner.mentionCount]).toEqual([0, 1, 1]);
      await m2.client.chats.markRead(group.id, all.seq);
      expect((await m2.client.chats.get(group.id)).mentionCount).toBe(0);
    });

    it('pages history by seq before, after and around a message, stable and without overlap', async () => {
      const a = await signUp(ts, 'pagea');
      const b = await signUp(ts, 'pageb');
      const chat = await a.client.chats.openDirect(b.user.id);
      const sent = [];
      for (let i = 1; i <= 25; i += 1) sent.push(await a.client.messages.send(chat.id, { clientId: cid(), text: `m${i}` }));
      const latest = await b.client.messages.history(chat.id, { limit: 10 });
      expect(latest.items.map((m) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `m${16 + i}`));
      expect(latest).toMatchObject({ hasOlder: true, hasNewer: false });
      const older = await b.client.messages.history(chat.id, { before: latest.items[0]?.seq, limit: 10 });
      expect(older.items.map((m) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `m${6 + i}`));
      const oldest = await b.client.messages.history(chat.id, { before: older.items[0]?.seq, limit: 10 });
      expect(oldest.items.map((m) => m.text)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
      expect(oldest.hasOlder).toBe(false);
      const after = await b.client.messages.history(chat.id, { after: 20, limit: 3 });
      expect(after.items.map((m) => m.seq)).toEqual([21, 22, 23]);
      expect(after.hasNewer).toBe(true);
      const around = await b.client.messages.history(chat.id, { around: sent[12]?.id, limit: 6 });
      expect(around.items.map((m) => m.seq)).toEqual([11, 12, 13, 14, 15, 16]);
      await a.client.messages.send(chat.id, { clientId: cid(), text: '100% sure_thing' });
      expect((await b.client.messages.history(chat.id, { q: '0% sure_' })).items.map((m) => m.text)).toEqual(['100% sure_thing']);
      expect((await b.client.messages.history(chat.id, { q: 'm_' })).items).toEqual([]);
      const search = await b.client.messages.history(chat.id, { q: 'M2', before: 26 });
      expect(search.items.map((m) => m.text)).toEqual(['m2', 'm20', 'm21', 'm22', 'm23', 'm24', 'm25']);
    });

    it('keeps unread counts from read positions, never moving back, and tells who has seen a message', async () => {
      const owner = await signUp(ts, 'seenowner');
      const m1 = await signUp(ts, 'seenone');
      const m2 = await signUp(ts, 'seentwo');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Receipts', memberIds: [m1.user.id, m2.user.id] });
      const first = await owner.client.messages.send(group.id, { clientId: cid(), text: 'one' });
      const second = await owner.client.messages.send(group.id, { clientId: cid(), text: 'two' });
      expect((await m1.client.chats.get(group.id)).unreadCount).toBe(2);
      expect((await owner.client.chats.get(group.id)).unreadCount).toBe(0);
      await m1.client.chats.markRead(group.id, first.seq);
      expect((await m1.client.chats.get(group.id)).unreadCount).toBe(1);
      await m1.client.chats.markRead(group.id, second.seq);
      expect((await m1.client.chats.markRead(group.id, first.seq)).lastReadSeq).toBe(second.seq);
      expect((await m1.client.chats.markRead(group.id, 999_999)).lastReadSeq).toBe(second.seq);
      await m2.client.chats.markRead(group.id, first.seq);
      expect((await owner.client.messages.seenBy(group.id, first.id)).items.map((r) => r.userId).sort()).toEqual(
        [m1.user.id, m2.user.id].sort(),
      );
      expect((await owner.client.messages.seenBy(group.id, second.id)).items.map((r) => r.userId)).toEqual([m1.user.id]);
    });

    it('keeps a private message between the two: history, counts, mentions, search, reactions, edits', async () => {
      const owner = await signUp(ts, 'privowner');
      const alice = await signUp(ts, 'privalice');
      const bob = await signUp(ts, 'privbob');
      const room = await owner.client.chats.create({ kind: 'room', name: 'Private test', handle: `priv${Date.now().toString(36)}` });
      await alice.client.chats.join(room.id);
      await bob.client.chats.join(room.id);
      const secret = await alice.client.messages.send(room.id, {
        clientId: cid(),
        text: `secret word zebra @${owner.user.username} @all`,
        privateTo: bob.user.id,
      });
      expect(secret.privateTo).toBe(bob.user.id);
      expect(secret.mentions).toEqual([bob.user.id]);
      const inHistory = async (c: typeof owner.client) => (await c.messages.history(room.id)).items.some((m) => m.id === secret.id);
      expect([await inHistory(alice.client), await inHistory(bob.client), await inHistory(owner.client)]).toEqual([true, true, false]);
      expect((await owner.client.messages.history(room.id, { q: 'zebra' })).items).toEqual([]);
      expect((await bob.client.messages.history(room.id, { q: 'zebra' })).items.map((m) => m.id)).toEqual([secret.id]);
      expect((await owner.client.chats.get(room.id)).unreadCount).toBe(0);
      expect((await owner.client.chats.get(room.id)).mentionCount).toBe(0);
      expect((await bob.client.chats.get(room.id)).unreadCount).toBe(1);
      expect((await owner.client.chats.get(room.id)).lastMessage?.id).not.toBe(secret.id);
      await expectApiError(owner.client.messages.react(room.id, secret.id, '👀'), 'message_not_found', 404);
      await expectApiError(owner.client.messages.delete(room.id, secret.id), 'message_not_found', 404);
      await expectApiError(owner.client.messages.seenBy(room.id, secret.id), 'message_not_found', 404);
      await expectApiError(owner.client.messages.history(room.id, { around: secret.id }), 'message_not_found', 404);
      await expectApiError(owner.client.messages.forward(room.id, [secret.id], [room.id]), 'message_not_found', 404);
      await bob.client.messages.react(room.id, secret.id, '🤫');
      await expectApiError(
        alice.client.messages.send(room.id, { clientId: cid(), text: 'x', privateTo: alice.user.id }),
        'validation_failed',
        400,
      );
      const outsider = await signUp(ts, 'privout');
      await expectApiError(
        alice.client.messages.send(room.id, { clientId: cid(), text: 'x', privateTo: outsider.user.id }),
        'user_not_found',
        404,
      );
    });
  });
}
