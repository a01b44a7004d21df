/**
 * Archiving a room from the admin console reaches its members live (issue 15): every
 * member's device hears `chat.updated` with `archivedAt` set, so apps lock the composer
 * and show the badge at once; reopening clears it the same way, and the chat as listed
 * says so too. Deleting a room ends it on every member's device (`chat.deleted`).
 */
import type { Chat } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { connectDevice } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

const chatOf = (data: unknown) => (data as { chat: Pick<Chat, 'id' | 'archivedAt'> }).chat;

for (const dialect of DIALECTS) {
  describe(`archiving a room live on ${dialect}`, () => {
    let ts: TestServer;
    let admin: Awaited<ReturnType<typeof signUp>>;

    beforeAll(async () => {
      ts = await startTestServer(dialect);
      admin = await signUp(ts, 'first');
    });
    afterAll(async () => {
      await ts.close();
    });

    it('tells every member at once that a room was archived and reopened, and lists it as archived', async () => {
      const owner = await signUp(ts, 'owner');
      const member = await signUp(ts, 'member');
      const room = await owner.client.chats.create({
        kind: 'room',
        name: 'Town square',
        handle: `square${Date.now().toString(36)}`,
        memberIds: [member.user.id],
      });
      expect(room.archivedAt).toBeNull();
      const [memberDevice, ownerDevice] = await Promise.all([connectDevice(ts.url, member.token), connectDevice(ts.url, owner.token)]);

      await admin.client.admin.updateRoom(room.id, { archived: true });
      for (const device of [memberDevice, ownerDevice]) {
        const frame = await device.waitFor((f) => f.event === 'chat.updated' && chatOf(f.data).archivedAt != null);
        expect(chatOf(frame.data).id).toBe(room.id);
      }
      expect((await member.client.chats.get(room.id)).archivedAt).toEqual(expect.any(String));
      expect((await member.client.chats.list()).items.find((c) => c.id === room.id)?.archivedAt).toEqual(expect.any(String));

      await admin.client.admin.updateRoom(room.id, { archived: false });
      await memberDevice.waitFor((f) => f.event === 'chat.updated' && chatOf(f.data).id === room.id && chatOf(f.data).archivedAt === null);
      expect((await member.client.chats.get(room.id)).archivedAt).toBeNull();

      // Only a change is announced: asking for the state it is already in sends nothing.
      const before = memberDevice.events.filter((f) => f.event === 'chat.updated').length;
      await admin.client.admin.updateRoom(room.id, { archived: false, retentionDays: 7 });
      await member.client.messages.send(room.id, { clientId: `arch-${Date.now().toString(36)}`, text: 'still open' });
      await memberDevice.waitFor((f) => f.event === 'message.created');
      expect(memberDevice.events.filter((f) => f.event === 'chat.updated').length).toBe(before);

      await admin.client.admin.deleteRoom(room.id);
      for (const device of [memberDevice, ownerDevice])
        await device.waitFor((f) => f.event === 'chat.deleted' && (f.data as { chatId: string }).chatId === room.id);
      memberDevice.close();
      ownerDevice.close();
    });
  });
}
