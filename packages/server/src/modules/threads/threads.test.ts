/**
 * Threads (E15) through a real server and real sockets on every dialect: replies kept out of
 * the chat (and its unread and mention badges) unless also sent to it, the root's summary
 * (count, last repliers, last reply time), a thread's unread count per person that a read
 * on one device clears on the other live, following and unfollowing (replying and being the
 * root's author follow by themselves), and 404s for people outside the chat.
 */
import type { EventFrame, Message, ThreadUpdated } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

const threadEvents = (events: EventFrame[], rootId: string) =>
  events.filter((f) => f.event === 'thread.updated' && (f.data as ThreadUpdated).rootId === rootId).map((f) => f.data as ThreadUpdated);

for (const dialect of DIALECTS) {
  describe(`threads on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    let clientIds = 0;
    const clientId = () => `t-${++clientIds}`;

    async function team() {
      const ann = await signUp(ts, 'ann');
      const bob = await signUp(ts, 'bob');
      const carol = await signUp(ts, 'carol');
      const group = await ann.client.chats.create({ kind: 'group', name: 'Design', memberIds: [bob.user.id, carol.user.id] });
      const root = await ann.client.messages.send(group.id, { clientId: clientId(), text: 'Which logo do we ship?' });
      return { ann, bob, carol, group, root };
    }

    it('keeps replies out of the chat and its badges, shows the count and last repliers on the root, and the also-sent reply in both', async () => {
      const { ann, bob, carol, group, root } = await team();
      const before = await carol.client.chats.get(group.id);
      const reply = await bob.client.messages.send(group.id, {
        clientId: clientId(),
        text: `The round one, @${carol.user.username}`,
        threadRootId: root.id,
      });
      expect(reply).toMatchObject({ threadRootId: root.id, chatId: group.id });
      expect(reply.alsoToChat).toBeUndefined();
      // Over the socket, the same send with the thread named.
      const carolDevice = await connectDevice(ts.url, carol.token);
      try {
        const second = (await carolDevice.rt.call('message.send', {
          chatId: group.id,
          clientId: clientId(),
          text: 'Agreed',
          threadRootId: root.id,
        })) as Message;
        expect(second.threadRootId).toBe(root.id);
      } finally {
        carolDevice.close();
      }

      // Thread-only replies: not in the chat's history, last message, unread or mention count.
      const history = await ann.client.messages.history(group.id);
      const texts = (page: { items: Message[] }) => page.items.filter((m) => m.kind === 'text');
      expect(texts(history).map((m) => m.text)).toEqual(['Which logo do we ship?']);
      const annChat = await ann.client.chats.get(group.id);
      expect(annChat.unreadCount).toBe(0);
      expect(annChat.lastMessage?.id).toBe(root.id);
      const carolChat = await carol.client.chats.get(group.id);
      expect({ unread: carolChat.unreadCount, mentions: carolChat.mentionCount }).toEqual({
        unread: before.unreadCount,
        mentions: before.mentionCount,
      });
      // The mention still reaches Carol's notification centre, naming the thread so the app opens it.
      const centre = await carol.client.notificationCentre.list();
      expect(centre.items.find((n) => n.kind === 'mention')).toMatchObject({ messageId: reply.id, data: { threadRootId: root.id } });

      // The root carries the summary, newest replier first, for everyone who loads it.
      const [shown] = texts(history);
      expect(shown?.thread).toMatchObject({
        replyCount: 2,
        repliers: [
          { id: carol.user.id, displayName: carol.user.displayName },
          { id: bob.user.id, displayName: bob.user.displayName },
        ],
      });
      expect(shown?.thread?.lastReplyAt).toBeTruthy();
      const replies = await ann.client.threads.replies(group.id, root.id);
      expect(replies.items.map((m) => m.text)).toEqual([`The round one, @${carol.user.username}`, 'Agreed']);

      // "Also send to the chat": in the thread and in the chat, and it counts as unread there.
      const also = await bob.client.messages.send(group.id, {
        clientId: clientId(),
        text: 'Shipping the round one',
        threadRootId: root.id,
        alsoToChat: true,
      });
      expect(also).toMatchObject({ threadRootId: root.id, alsoToChat: true });
      expect(texts(await ann.client.messages.history(group.id)).map((m) => m.id)).toEqual([root.id, also.id]);
      expect((await ann.client.threads.replies(group.id, root.id)).items.map((m) => m.id).at(-1)).toBe(also.id);
      expect((await ann.client.chats.get(group.id)).unreadCount).toBe(1);
      expect((await ann.client.threads.get(group.id, root.id)).summary.replyCount).toBe(3);
    });

    it('counts unread per thread and person, and a read on one device clears the badge on the other live', async () => {
      const { ann, bob, group, root } = await team();
      const second = await ts.client().auth.login({ login: ann.user.username, password: ann.password });
      const phone = await connectDevice(ts.url, ann.token);
      const laptop = await connectDevice(ts.url, second.token);
      try {
        await bob.client.messages.send(group.id, { clientId: clientId(), text: 'First thought', threadRootId: root.id });
        const last = await bob.client.messages.send(group.id, { clientId: clientId(), text: 'Second thought', threadRootId: root.id });
        // Ann wrote the root: the first reply makes her follow, on both devices.
        for (const device of [phone, laptop]) {
          await device.waitFor((f) => f.event === 'thread.updated' && (f.data as ThreadUpdated).rootId === root.id);
          expect(threadEvents(device.events, root.id)).toEqual([
            expect.objectContaining({ following: true, lastReadSeq: 0, unreadCount: 1, chatId: group.id }),
          ]);
        }
        const listed = await ann.client.threads.list();
        expect(listed.unreadThreads).toBe(1);
        expect(listed.items.map((t) => [t.root.id, t.state.unreadCount, t.summary.replyCount])).toEqual([[root.id, 2, 2]]);
        // Bob's own replies are read by him; he follows too.
        expect((await bob.client.threads.get(group.id, root.id)).state).toMatchObject({
          following: true,
          unreadCount: 0,
          lastReadSeq: last.seq,
        });

        // Ann reads the thread on her phone (over the socket): the laptop hears it and shows 0.
        const read = await phone.rt.call('thread.markRead', { chatId: group.id, rootId: root.id, seq: last.seq });
        expect(read).toMatchObject({ lastReadSeq: last.seq, unreadCount: 0, lastReplySeq: last.seq });
        await laptop.waitFor((f) => f.event === 'thread.updated' && (f.data as ThreadUpdated).lastReadSeq === last.seq);
        expect(threadEvents(laptop.events, root.id).at(-1)).toMatchObject({ unreadCount: 0, lastReplySeq: last.seq, following: true });
        // A read that moves nothing (or backwards) emits nothing; a seq past the newest reply is clamped.
        await ann.client.threads.markRead(group.id, root.id, 1);
        expect(await ann.client.threads.markRead(group.id, root.id, last.seq + 1000)).toMatchObject({ lastReadSeq: last.seq });
        expect((await ann.client.threads.list()).unreadThreads).toBe(0);
        // The chat's own read position was never touched by any of it.
        expect((await ann.client.chats.get(group.id)).lastReadSeq).toBe(root.seq);

        // A new reply counts again; deleting it takes it off the count and the root's summary.
        const third = await bob.client.messages.send(group.id, { clientId: clientId(), text: 'Third thought', threadRootId: root.id });
        expect((await ann.client.threads.get(group.id, root.id)).state.unreadCount).toBe(1);
        await bob.client.messages.delete(group.id, third.id);
        const deleted = await laptop.waitFor(
          (f) => f.event === 'message.deleted' && (f.data as { messageId: string }).messageId === third.id,
        );
        expect(deleted.data).toMatchObject({ threadRootId: root.id });
        const after = await ann.client.threads.get(group.id, root.id);
        expect({ unread: after.state.unreadCount, replies: after.summary.replyCount }).toEqual({ unread: 0, replies: 2 });
        expect(threadEvents(phone.events, root.id)).toHaveLength(2);
      } finally {
        phone.close();
        laptop.close();
      }
    });

    it('follows and unfollows: one event per change, the Threads view lists what you follow, replying follows again', async () => {
      const { bob, carol, group, root } = await team();
      await bob.client.messages.send(group.id, { clientId: clientId(), text: 'Thoughts?', threadRootId: root.id });
      const device = await connectDevice(ts.url, carol.token);
      try {
        expect((await carol.client.threads.list()).items).toEqual([]);
        expect(await carol.client.threads.follow(group.id, root.id, true)).toMatchObject({ following: true, unreadCount: 1 });
        expect((await carol.client.threads.list()).items.map((t) => t.root.id)).toEqual([root.id]);
        // Following again changes nothing and emits nothing.
        await carol.client.threads.follow(group.id, root.id, true);
        const unfollowed = await device.rt.call('thread.follow', { chatId: group.id, rootId: root.id, following: false });
        expect(unfollowed).toMatchObject({ following: false });
        expect((await carol.client.threads.list()).items).toEqual([]);
        await device.waitFor(() => threadEvents(device.events, root.id).length === 2);
        expect(threadEvents(device.events, root.id).map((s) => s.following)).toEqual([true, false]);
        // Replying follows again.
        await carol.client.messages.send(group.id, { clientId: clientId(), text: 'Round', threadRootId: root.id });
        await device.waitFor(() => threadEvents(device.events, root.id).length === 3);
        expect(threadEvents(device.events, root.id).at(-1)).toMatchObject({ following: true, unreadCount: 0 });
        const listed = await carol.client.threads.list();
        expect(listed.items.map((t) => [t.root.id, t.state.following])).toEqual([[root.id, true]]);
        // Someone who took part stays in their Threads view after unfollowing (to follow again there), without a badge.
        await bob.client.messages.send(group.id, { clientId: clientId(), text: 'Ping', threadRootId: root.id });
        await bob.client.threads.follow(group.id, root.id, false);
        await carol.client.messages.send(group.id, { clientId: clientId(), text: 'Pong', threadRootId: root.id });
        const bobs = await bob.client.threads.list();
        expect(bobs.items.map((t) => [t.root.id, t.state.following, t.state.unreadCount])).toEqual([[root.id, false, 1]]);
        expect(bobs.unreadThreads).toBe(0);
        // Over the socket, the same list.
        expect(await device.rt.call('thread.list', {})).toEqual(await carol.client.threads.list());
      } finally {
        device.close();
      }
    });

    it('pages the Threads view newest reply first with a cursor', async () => {
      const { ann, bob, group } = await team();
      const roots: Message[] = [];
      for (const text of ['one', 'two', 'three']) {
        const root = await ann.client.messages.send(group.id, { clientId: clientId(), text });
        await bob.client.messages.send(group.id, { clientId: clientId(), text: `re ${text}`, threadRootId: root.id });
        roots.push(root);
      }
      const first = await ann.client.threads.list({ limit: 2 });
      expect(first.items.map((t) => t.root.text)).toEqual(['three', 'two']);
      expect(first.unreadThreads).toBe(3);
      const rest = await ann.client.threads.list({ limit: 2, cursor: first.nextCursor ?? '' });
      expect(rest.items.map((t) => t.root.text)).toEqual(['one']);
      expect(rest.nextCursor).toBeNull();
      await expectApiError(ann.client.threads.list({ cursor: 'bm9wZQ' }), 'validation_failed', 400);
    });

    it('answers 404 to a non-member, like a missing thread, over REST and the socket', async () => {
      const { group, root } = await team();
      const dave = await signUp(ts, 'dave');
      await expectApiError(dave.client.threads.get(group.id, root.id), 'chat_not_found', 404);
      await expectApiError(dave.client.threads.replies(group.id, root.id), 'chat_not_found', 404);
      await expectApiError(dave.client.threads.markRead(group.id, root.id, 1), 'chat_not_found', 404);
      await expectApiError(dave.client.threads.follow(group.id, root.id, true), 'chat_not_found', 404);
      await expectApiError(
        dave.client.messages.send(group.id, { clientId: clientId(), text: 'sneaky', threadRootId: root.id }),
        'chat_not_found',
        404,
      );
      const device = await connectDevice(ts.url, dave.token);
      try {
        await expectApiError(device.rt.call('thread.get', { chatId: group.id, rootId: root.id }), 'chat_not_found');
        await expectApiError(device.rt.call('thread.follow', { chatId: group.id, rootId: root.id, following: true }), 'chat_not_found');
      } finally {
        device.close();
      }
      // A root from another chat of yours is as missing as one that does not exist.
      const own = await dave.client.chats.create({ kind: 'group', name: 'Mine' });
      await expectApiError(dave.client.threads.get(own.id, root.id), 'message_not_found', 404);
      await expectApiError(
        dave.client.messages.send(own.id, { clientId: clientId(), text: 'x', threadRootId: root.id }),
        'message_not_found',
        404,
      );
    });

    it('refuses bad replies with stable codes: nested threads, alsoToChat alone, a private reply under a public root', async () => {
      const { ann, bob, carol, group, root } = await team();
      const reply = await bob.client.messages.send(group.id, { clientId: clientId(), text: 'a reply', threadRootId: root.id });
      const nested = await expectApiError(
        ann.client.messages.send(group.id, { clientId: clientId(), text: 'deeper', threadRootId: reply.id }),
        'validation_failed',
        400,
      );
      expect(nested.details).toMatchObject({ field: 'threadRootId', rule: 'nested' });
      await expectApiError(ann.client.threads.get(group.id, reply.id), 'validation_failed', 400);
      const alone = await expectApiError(
        ann.client.messages.send(group.id, { clientId: clientId(), text: 'x', alsoToChat: true }),
        'validation_failed',
        400,
      );
      expect(alone.details).toMatchObject({ field: 'alsoToChat', rule: 'thread' });
      const hidden = await expectApiError(
        ann.client.messages.send(group.id, { clientId: clientId(), text: 'x', threadRootId: root.id, privateTo: carol.user.id }),
        'validation_failed',
        400,
      );
      expect(hidden.details).toMatchObject({ field: 'privateTo', rule: 'thread' });
      await expectApiError(
        ann.client.http.request('PUT', `/api/v1/chats/${group.id}/threads/${root.id}/follow`, { body: { following: 'yes' } }),
        'validation_failed',
        400,
      );
      // A private thread stays between its two people, replies included.
      const secret = await ann.client.messages.send(group.id, { clientId: clientId(), text: 'just us', privateTo: bob.user.id });
      await bob.client.messages.send(group.id, {
        clientId: clientId(),
        text: 'sure',
        threadRootId: secret.id,
        privateTo: ann.user.id,
      });
      await expectApiError(carol.client.threads.get(group.id, secret.id), 'message_not_found', 404);
      expect((await ann.client.threads.get(group.id, secret.id)).summary.replyCount).toBe(1);
    });
  });
}
