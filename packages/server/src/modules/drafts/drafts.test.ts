/**
 * Drafts synced across devices (I5), through a real server and real sockets on every
 * dialect: a draft saved on one device arrives on the person's other device as
 * `draft.updated` in their own stream, is listed over REST and WebSocket, is cleared by
 * saving '', never reaches anyone else, and answers chat_not_found outside the chat; a
 * thread's draft is kept apart from its chat's.
 */
import type { Draft } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

for (const dialect of DIALECTS) {
  describe(`drafts on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    it('a draft typed on one device appears on the other, and clearing it clears it there too', async () => {
      const ann = await signUp(ts, 'ann');
      const bob = await signUp(ts, 'bob');
      const chat = await ann.client.chats.openDirect(bob.user.id);
      const laptop = await connectDevice(ts.url, ann.token);
      const phone = await connectDevice(ts.url, ann.token);
      const bobDevice = await connectDevice(ts.url, bob.token);
      try {
        await laptop.rt.call('draft.save', { chatId: chat.id, text: 'half a tho' });
        const arrived = await phone.waitFor((f) => f.event === 'draft.updated' && (f.data as Draft).text === 'half a tho');
        expect(arrived.stream).toBe(`u:${ann.user.id}`);
        expect(arrived.data).toMatchObject({ chatId: chat.id, text: 'half a tho' });

        await ann.client.drafts.save(chat.id, 'half a thought, finished');
        expect((await ann.client.drafts.list()).items).toEqual([
          expect.objectContaining({ chatId: chat.id, text: 'half a thought, finished' }),
        ]);
        expect(await phone.rt.call('draft.list', {})).toEqual({ items: [expect.objectContaining({ text: 'half a thought, finished' })] });

        // Saving the same text again writes nothing and emits nothing.
        const before = phone.events.filter((f) => f.event === 'draft.updated').length;
        await ann.client.drafts.save(chat.id, 'half a thought, finished');

        // The app clears the draft once the message is sent.
        await ann.client.messages.send(chat.id, { clientId: 'draft-1', text: 'half a thought, finished' });
        await ann.client.drafts.save(chat.id, '');
        await phone.waitFor((f) => f.event === 'draft.updated' && (f.data as Draft).text === '');
        expect(phone.events.filter((f) => f.event === 'draft.updated')).toHaveLength(before + 1);
        expect((await ann.client.drafts.list()).items).toEqual([]);

        // Bob never hears of Ann's drafts, and has his own.
        await bob.client.drafts.save(chat.id, 'bob writes');
        expect((await ann.client.drafts.list()).items).toEqual([]);
        expect((await bob.client.drafts.list()).items.map((d) => d.text)).toEqual(['bob writes']);
        await bobDevice.waitFor((f) => f.event === 'draft.updated');
        expect(bobDevice.events.filter((f) => f.event === 'draft.updated').map((f) => (f.data as Draft).text)).toEqual(['bob writes']);
      } finally {
        laptop.close();
        phone.close();
        bobDevice.close();
      }
    });

    it('keeps a thread reply’s draft apart from the chat’s, on every device, and refuses a root that cannot have a thread', async () => {
      const ann = await signUp(ts, 'ann');
      const bob = await signUp(ts, 'bob');
      const chat = await ann.client.chats.openDirect(bob.user.id);
      const root = await bob.client.messages.send(chat.id, { clientId: 'draft-root', text: 'Plans for Friday?' });
      const phone = await connectDevice(ts.url, ann.token);
      try {
        await ann.client.drafts.save(chat.id, 'in the chat');
        const saved = await ann.client.drafts.save(chat.id, 'in the thread', root.id);
        expect(saved).toMatchObject({ chatId: chat.id, threadRootId: root.id, text: 'in the thread' });
        const arrived = await phone.waitFor((f) => f.event === 'draft.updated' && (f.data as Draft).threadRootId === root.id);
        expect(arrived.data).toMatchObject({ chatId: chat.id, threadRootId: root.id, text: 'in the thread' });
        const listed = (await ann.client.drafts.list()).items;
        expect(listed).toHaveLength(2);
        expect(listed.find((d) => d.threadRootId === root.id)?.text).toBe('in the thread');
        expect(listed.find((d) => d.threadRootId === undefined)?.text).toBe('in the chat');

        // Sent: the thread's draft is cleared, the chat's stays.
        await ann.client.drafts.save(chat.id, '', root.id);
        await phone.waitFor(
          (f) => f.event === 'draft.updated' && (f.data as Draft).threadRootId === root.id && (f.data as Draft).text === '',
        );
        expect((await ann.client.drafts.list()).items).toEqual([expect.objectContaining({ text: 'in the chat' })]);
        expect((await ann.client.drafts.list()).items[0]?.threadRootId).toBeUndefined();

        // A reply cannot be a root; a message of another chat answers as missing.
        const reply = await bob.client.messages.send(chat.id, { clientId: 'draft-reply', text: 'Sure', threadRootId: root.id });
        await expectApiError(ann.client.drafts.save(chat.id, 'nested', reply.id), 'validation_failed', 400);
        const other = await ann.client.chats.create({ kind: 'group', name: 'Elsewhere', memberIds: [] });
        const elsewhere = await ann.client.messages.send(other.id, { clientId: 'draft-elsewhere', text: 'Elsewhere' });
        await expectApiError(ann.client.drafts.save(chat.id, 'wrong chat', elsewhere.id), 'message_not_found', 404);
      } finally {
        phone.close();
      }
    });

    it('answers chat_not_found outside the chat, and forgets drafts of chats you left', async () => {
      const owner = await signUp(ts, 'owner');
      const member = await signUp(ts, 'member');
      const outsider = await signUp(ts, 'outsider');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Team', memberIds: [member.user.id] });
      await expectApiError(outsider.client.drafts.save(group.id, 'sneaky'), 'chat_not_found', 404);
      await member.client.drafts.save(group.id, 'before leaving');
      expect((await member.client.drafts.list()).items).toHaveLength(1);
      await member.client.chats.leave(group.id);
      expect((await member.client.drafts.list()).items).toEqual([]);
    });
  });
}
