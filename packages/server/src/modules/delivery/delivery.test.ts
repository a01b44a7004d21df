/**
 * Delivery state (E10) and the account language (J10), through a real server and real
 * sockets on every dialect: a recipient's device confirms what arrives, the sender hears
 * `delivered.updated` once per move, read implies delivered, rooms store nothing, and a
 * chat you are not in answers chat_not_found.
 */
import type { ChatMember } from '@parley/protocol';
import { ParleyApiError } from '@parley/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { connectDevice } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

const memberOf = (items: ChatMember[], userId: string) => items.find((m) => m.user.id === userId);

for (const dialect of DIALECTS) {
  describe(`delivery state on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    it('a recipient device confirms arriving messages on its own; the sender hears delivered, then read, and members show both', async () => {
      const ann = await signUp(ts, 'ann');
      const bob = await signUp(ts, 'bob');
      const chat = await ann.client.chats.openDirect(bob.user.id);
      const annDevice = await connectDevice(ts.url, ann.token);
      const bobDevice = await connectDevice(ts.url, bob.token, { confirmDelivery: true });
      try {
        const first = await ann.client.messages.send(chat.id, { clientId: 'd-1', text: 'one' });
        const second = await ann.client.messages.send(chat.id, { clientId: 'd-2', text: 'two' });
        const delivered = await annDevice.waitFor(
          (f) => f.event === 'delivered.updated' && (f.data as { deliveredSeq: number }).deliveredSeq === second.seq,
        );
        expect(delivered.data).toEqual({ chatId: chat.id, userId: bob.user.id, deliveredSeq: second.seq });
        expect(delivered.stream).toBe(`c:${chat.id}`);
        let members = (await ann.client.chats.members(chat.id)).items;
        expect(memberOf(members, bob.user.id)).toMatchObject({ deliveredSeq: second.seq, lastReadSeq: 0 });
        // Ann's own messages are not confirmed by her own device.
        expect(memberOf(members, ann.user.id)?.deliveredSeq).toBe(memberOf(members, ann.user.id)?.lastReadSeq);

        // Confirming again, or an older position, changes nothing and emits nothing.
        const before = annDevice.events.filter((f) => f.event === 'delivered.updated').length;
        expect(await bobDevice.rt.call('delivered.mark', { chatId: chat.id, seq: first.seq })).toEqual({
          chatId: chat.id,
          deliveredSeq: second.seq,
        });
        await bobDevice.rt.call('delivered.mark', { chatId: chat.id, seq: second.seq });
        // A position past the newest message is clamped to it.
        await bobDevice.rt.call('delivered.mark', { chatId: chat.id, seq: 1_000_000 });
        await bob.client.chats.markRead(chat.id, second.seq);
        await annDevice.waitFor((f) => f.event === 'read.updated');
        expect(annDevice.events.filter((f) => f.event === 'delivered.updated')).toHaveLength(before);

        // Read implies delivered, even with no confirmation stored.
        const third = await ann.client.messages.send(chat.id, { clientId: 'd-3', text: 'three' });
        await annDevice.waitFor((f) => f.event === 'delivered.updated' && (f.data as { deliveredSeq: number }).deliveredSeq === third.seq);
        await bob.client.chats.markRead(chat.id, third.seq);
        members = (await ann.client.chats.members(chat.id)).items;
        expect(memberOf(members, bob.user.id)).toMatchObject({ deliveredSeq: third.seq, lastReadSeq: third.seq });
      } finally {
        annDevice.close();
        bobDevice.close();
      }
    });

    it('stores nothing in a room, and answers chat_not_found to a non-member', async () => {
      const owner = await signUp(ts, 'owner');
      const reader = await signUp(ts, 'reader');
      const outsider = await signUp(ts, 'outsider');
      const room = await owner.client.chats.create({ kind: 'room', name: 'Lobby', handle: `lobby${Date.now().toString(36)}` });
      await reader.client.chats.join(room.id);
      const message = await owner.client.messages.send(room.id, { clientId: 'r-1', text: 'hello room' });
      const readerDevice = await connectDevice(ts.url, reader.token, { reconnect: false });
      const outsiderDevice = await connectDevice(ts.url, outsider.token);
      try {
        expect(await readerDevice.rt.call('delivered.mark', { chatId: room.id, seq: message.seq })).toEqual({
          chatId: room.id,
          deliveredSeq: message.seq,
        });
        // Over REST the same.
        expect(await reader.client.chats.markDelivered(room.id, message.seq)).toEqual({ chatId: room.id, deliveredSeq: message.seq });
        const members = (await owner.client.chats.members(room.id)).items;
        expect(memberOf(members, reader.user.id)?.deliveredSeq).toBe(0);
        const error = await outsiderDevice.rt.call('delivered.mark', { chatId: room.id, seq: 1 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ParleyApiError);
        expect((error as ParleyApiError).code).toBe('chat_not_found');
        const invalid = await outsiderDevice.rt.call('delivered.mark', { chatId: room.id, seq: -1 }).catch((e: unknown) => e);
        expect((invalid as ParleyApiError).code).toBe('validation_failed');
      } finally {
        readerDevice.close();
        outsiderDevice.close();
      }
    });
  });

  describe(`the account language on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    it('is null (follow the browser) until chosen, is kept on the account, can be cleared, and refuses unknown languages', async () => {
      const person = await signUp(ts, 'polyglot');
      expect((await person.client.users.me()).language).toBeNull();
      expect((await person.client.users.updateMe({ language: 'ja' })).language).toBe('ja');
      const elsewhere = ts.client();
      await elsewhere.auth.login({ login: person.user.username, password: person.password });
      expect((await elsewhere.users.me()).language).toBe('ja');
      expect((await person.client.users.updateMe({ language: null })).language).toBeNull();
      const error = await person.client.users.updateMe({ language: 'fr' as 'en' }).catch((e: unknown) => e);
      expect((error as ParleyApiError).code).toBe('validation_failed');
      // Nobody else sees it.
      const other = await signUp(ts, 'other');
      expect(await other.client.users.get(person.user.id)).not.toHaveProperty('language');
    });
  });
}
