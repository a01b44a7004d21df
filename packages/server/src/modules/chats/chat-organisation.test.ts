/**
 * Organising chats through the real server: pinned chats in order and archived chats,
 * the same on every device of the person (`chat.organised`) and nobody else's business;
 * an archived chat comes back with a new message unless muted. Pinned messages: owner and
 * admins, or everyone when the group allows it; events to the chat, private pins to their
 * two people. The username availability check follows the sign-up rule.
 */
import type { ChatOrganisation, EventFrame } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice, type Device, settle } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

let n = 0;
const cid = () => `or${Date.now().toString(36)}${(n++).toString(36)}`;
const organised = (want: Partial<ChatOrganisation>) => (f: EventFrame) =>
  f.event === 'chat.organised' && JSON.stringify(f.data) === JSON.stringify({ pinned: [], archived: [], ...want });

for (const dialect of DIALECTS) {
  describe(`organising chats on ${dialect}`, () => {
    let ts: TestServer;
    const devices: Device[] = [];
    beforeAll(async () => {
      ts = await startTestServer(dialect, { ACTION_BURST: '10000', ACTION_RATE_PER_SECOND: '10000' });
    });
    afterAll(async () => {
      for (const d of devices) d.close();
      await ts.close();
    });
    const device = async (token: string) => {
      const d = await connectDevice(ts.url, token);
      devices.push(d);
      return d;
    };

    it('pins chats in an order of your own and archives them, on every device of yours only', async () => {
      const ann = await signUp(ts, 'pinann');
      const bob = await signUp(ts, 'pinbob');
      const [one, two, three] = [
        await ann.client.chats.create({ kind: 'group', name: 'One', memberIds: [bob.user.id] }),
        await ann.client.chats.create({ kind: 'group', name: 'Two' }),
        await ann.client.chats.openDirect(bob.user.id),
      ];
      const [ann1, ann2, bob1] = [await device(ann.token), await device(ann.token), await device(bob.token)];
      await ann.client.organise.pin(one.id, true);
      // A newly pinned chat goes on top.
      expect(await ann1.rt.call('chat.pin', { chatId: two.id, pinned: true })).toEqual({ pinned: [two.id, one.id], archived: [] });
      await ann2.waitFor(organised({ pinned: [two.id, one.id] }));
      expect(await ann.client.organise.reorderPins([one.id, two.id])).toEqual({ pinned: [one.id, two.id], archived: [] });
      await ann2.waitFor(organised({ pinned: [one.id, two.id] }));
      await expectApiError(ann.client.organise.reorderPins([one.id]), 'validation_failed', 400);

      // Archiving takes the chat out of the pins.
      expect(await ann.client.organise.archive(one.id, true)).toEqual({ pinned: [two.id], archived: [one.id] });
      await ann2.waitFor(organised({ pinned: [two.id], archived: [one.id] }));
      await settle(100);
      expect(bob1.events.filter((f) => f.event === 'chat.organised')).toEqual([]);
      expect(await bob.client.organise.get()).toEqual({ pinned: [], archived: [] });

      // A new message brings it back; a muted archived chat stays archived.
      await bob.client.messages.send(one.id, { clientId: cid(), text: 'wake up' });
      expect((await ann.client.organise.get()).archived).toEqual([]);
      await ann.client.organise.archive(three.id, true);
      await ann.client.chats.mute(three.id, true);
      await bob.client.messages.send(three.id, { clientId: cid(), text: 'psst' });
      expect((await ann.client.organise.get()).archived).toEqual([three.id]);
      expect((await ann.client.organise.archive(three.id, false)).archived).toEqual([]);
    });

    it('pins messages by role or by the group setting, with events to members and private pins to their two people', async () => {
      const owner = await signUp(ts, 'pmowner');
      const member = await signUp(ts, 'pmmember');
      const third = await signUp(ts, 'pmthird');
      const group = await owner.client.chats.create({ kind: 'group', name: 'Pins', memberIds: [member.user.id, third.user.id] });
      const [memberWs, thirdWs] = [await device(member.token), await device(third.token)];
      const first = await member.client.messages.send(group.id, { clientId: cid(), text: 'first' });
      const second = await owner.client.messages.send(group.id, { clientId: cid(), text: 'second' });

      await expectApiError(member.client.organise.pinMessage(group.id, first.id), 'forbidden', 403);
      expect((await member.client.organise.pins(group.id)).canPin).toBe(false);
      await owner.client.organise.pinMessage(group.id, first.id);
      const list = await owner.client.organise.pinMessage(group.id, second.id);
      expect(list.items.map((p) => p.message.text)).toEqual(['second', 'first']);
      expect(list).toMatchObject({ canPin: true, membersCanPin: false });
      const pinned = await memberWs.waitFor(
        (f) => f.event === 'message.pinned' && (f.data as { messageId: string }).messageId === first.id,
      );
      expect(pinned.data).toMatchObject({ chatId: group.id, seq: first.seq, pinnedBy: owner.user.id });
      expect(JSON.stringify(pinned.data)).not.toContain('first"');

      // The owner lets everyone pin.
      await owner.client.chats.update(group.id, { membersCanPin: true });
      const updated = await memberWs.waitFor((f) => f.event === 'chat.updated' && JSON.stringify(f.data).includes('"membersCanPin":true'));
      expect(updated).toBeTruthy();
      await expectApiError(member.client.chats.update(group.id, { membersCanPin: false }), 'forbidden', 403);
      const unpinned = await member.client.organise.unpinMessage(group.id, second.id);
      expect(unpinned.items.map((p) => p.message.id)).toEqual([first.id]);
      await thirdWs.waitFor((f) => f.event === 'message.unpinned');

      // A private message's pin is seen by its two people only.
      const secret = await member.client.messages.send(group.id, { clientId: cid(), text: 'just us', privateTo: owner.user.id });
      await member.client.organise.pinMessage(group.id, secret.id);
      expect((await third.client.organise.pins(group.id)).items.map((p) => p.message.id)).toEqual([first.id]);
      expect((await owner.client.organise.pins(group.id)).items.map((p) => p.message.id)).toContain(secret.id);
      await expectApiError(third.client.organise.pinMessage(group.id, secret.id), 'message_not_found', 404);
      // Deleted messages leave the bar.
      await member.client.messages.delete(group.id, first.id);
      expect((await third.client.organise.pins(group.id)).items).toEqual([]);
      // Jumping to a pin is reading history around it.
      const around = await owner.client.messages.history(group.id, { around: secret.id, limit: 3 });
      expect(around.items.some((m) => m.id === secret.id)).toBe(true);
    });

    it('reports a username available only when the sign-up rule allows it', async () => {
      const client = ts.client();
      const taken = await signUp(ts, 'availtaken');
      const answers = await Promise.all(
        ['ab', 'a'.repeat(33), 'has space', 'ünï', 'abc', 'a'.repeat(32), taken.user.username.toUpperCase()].map(
          async (u) => (await client.users.usernameAvailability(u)).available,
        ),
      );
      expect(answers).toEqual([false, false, false, false, true, true, false]);
    });
  });
}
