/**
 * A plain send (text alone, by a person) is admitted by the statement that takes the
 * chat's seq — no membership read before it. Whoever may not post gets exactly the answer
 * a read first gave (chat_not_found for a non-member, forbidden for an archived room,
 * privacy_restricted from a peer who blocked them), over REST and the socket, and nothing
 * changes: no seq taken, no event, nothing in the history.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../storage/schema.js';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

type Person = Awaited<ReturnType<typeof signUp>>;

let counter = 0;
const cid = () => `sa${Date.now().toString(36)}${(counter++).toString(36)}`;

/** What a refused send must leave as it was. */
async function chatState(db: Kysely<Database>, chatId: string) {
  const chat = await db.selectFrom('chats').select(['last_seq', 'event_seq']).where('id', '=', chatId).executeTakeFirstOrThrow();
  const messages = await db.selectFrom('messages').select('id').where('chat_id', '=', chatId).execute();
  return { lastSeq: Number(chat.last_seq), eventSeq: Number(chat.event_seq), messages: messages.length };
}

for (const dialect of DIALECTS) {
  describe(`admission of plain sends on ${dialect}`, () => {
    let ts: TestServer;
    let admin: Person;
    beforeAll(async () => {
      // A send budget of 3: the refusal a non-member hears must not become rate_limited.
      ts = await startTestServer(dialect, { WS_SEND_BURST: '3', WS_SEND_RATE_PER_SECOND: '1' });
      admin = await signUp(ts, 'saadmin');
    });
    afterAll(() => ts.close());

    /** Over REST and over the socket: the same code, and the same status over REST. */
    async function expectRefused(person: Person, chatId: string, code: string, status: number) {
      await expectApiError(person.client.messages.send(chatId, { clientId: cid(), text: 'let me in' }), code, status);
      const device = await connectDevice(ts.url, person.token);
      try {
        const refused = await device.rt.call('message.send', { chatId, clientId: cid(), text: 'let me in' }).catch((e: unknown) => e);
        expect(refused).toMatchObject({ code });
      } finally {
        device.close();
      }
    }

    it('answers a non-member chat_not_found, even past their send budget, and changes nothing', async () => {
      const owner = await signUp(ts, 'saowner');
      const member = await signUp(ts, 'samember');
      const outsider = await signUp(ts, 'saoutsider');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Members only', memberIds: [member.user.id] });
      await member.client.messages.send(group.id, { clientId: cid(), text: 'before' });
      const watching = await connectDevice(ts.url, member.token);
      const before = await chatState(ts.server.storage.db, group.id);
      // Eight attempts against a budget of three: each one is still chat_not_found.
      for (let attempt = 0; attempt < 4; attempt += 1) await expectRefused(outsider, group.id, 'chat_not_found', 404);
      expect(await chatState(ts.server.storage.db, group.id)).toEqual(before);
      // The member's own next message is the next seq: no position was taken by the refusals.
      const next = await owner.client.messages.send(group.id, { clientId: cid(), text: 'after' });
      expect(next.seq).toBe(before.lastSeq + 1);
      await watching.waitFor((f) => f.event === 'message.created' && (f.data as { message: { id: string } }).message.id === next.id);
      expect(
        watching.events.filter((f) => f.event === 'message.created').map((f) => (f.data as { message: { text: string } }).message.text),
      ).toEqual(['after']);
      watching.close();
    });

    it('answers someone removed from the chat chat_not_found', async () => {
      const owner = await signUp(ts, 'saowner');
      const leaving = await signUp(ts, 'saleaving');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Removal', memberIds: [leaving.user.id] });
      await leaving.client.messages.send(group.id, { clientId: cid(), text: 'still here' });
      await owner.client.chats.removeMember(group.id, leaving.user.id);
      const before = await chatState(ts.server.storage.db, group.id);
      await expectRefused(leaving, group.id, 'chat_not_found', 404);
      expect(await chatState(ts.server.storage.db, group.id)).toEqual(before);
    });

    it('answers a member of an archived room forbidden, as before, and stores nothing', async () => {
      const owner = await signUp(ts, 'saowner');
      const member = await signUp(ts, 'saroomie');
      const room = await owner.client.chats.create({
        kind: 'room',
        name: 'Archived',
        handle: `sa${cid()}`.slice(0, 32),
        memberIds: [member.user.id],
      });
      await admin.client.admin.updateRoom(room.id, { archived: true });
      const before = await chatState(ts.server.storage.db, room.id);
      await expectRefused(member, room.id, 'forbidden', 403);
      expect(await chatState(ts.server.storage.db, room.id)).toEqual(before);
    });

    it('answers privacy_restricted in a direct chat whose peer blocked the sender, and stores nothing', async () => {
      const blocker = await signUp(ts, 'sablocker');
      const blocked = await signUp(ts, 'sablocked');
      const direct = await blocked.client.chats.openDirect(blocker.user.id);
      await blocked.client.messages.send(direct.id, { clientId: cid(), text: 'hello' });
      await blocker.client.contacts.block(blocked.user.id);
      const before = await chatState(ts.server.storage.db, direct.id);
      await expectRefused(blocked, direct.id, 'privacy_restricted', 403);
      expect(await chatState(ts.server.storage.db, direct.id)).toEqual(before);
      // The one who blocked may still write.
      const sent = await blocker.client.messages.send(direct.id, { clientId: cid(), text: 'we are done' });
      expect(sent.seq).toBe(before.lastSeq + 1);
    });
  });
}
